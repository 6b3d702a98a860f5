import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { openRuntime, type Runtime } from '../../../main/core/runtime';
import { seedDemo } from '../../../main/core/demo';
import { nullLogger } from '../../../main/core/log';
import { createBridge, startBridgeServer, type Bridge } from '../../../main/devtools/bridge';
import { tempDir } from '../../support/tmp';

/** Raw HTTP so the test controls Host and Origin (fetch forbids setting them). */
function call(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('HTTP bridge', () => {
  let runtime: Runtime;
  let bridge: Bridge;
  let server: Awaited<ReturnType<typeof startBridgeServer>>;
  let campaignId: number;
  let cleanup = () => {};

  beforeAll(async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    runtime = openRuntime({ dbPath: join(t.dir, 'store.sqlite'), log: nullLogger });
    campaignId = seedDemo(runtime.store.db, new Date()).campaignId;
    const root = join(t.dir, 'www');
    mkdirSync(root);
    writeFileSync(join(root, 'index.html'), '<!doctype html><html><head><title>x</title></head><body></body></html>');
    writeFileSync(join(t.dir, 'secret.txt'), 'secret');
    bridge = createBridge({ dispatch: runtime.dispatch });
    server = await startBridgeServer({ root, bridge });
  });
  afterAll(async () => {
    await server.close();
    runtime.close();
    cleanup();
  });

  const ipc = (channel: string, payload: unknown, headers: Record<string, string> = {}) =>
    call(`${server.url}__bridge/ipc/${channel}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-bridge-token': bridge.token, ...headers },
      body: JSON.stringify(payload),
    });

  it('binds the loopback interface only', () => {
    const address = server.server.address();
    expect(typeof address === 'object' && address?.address).toBe('127.0.0.1');
  });

  it('injects the api shim first in <head> of the page it serves', async () => {
    const page = await call(server.url);
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/<head>\s*<script src="\/__api-shim.js"><\/script>/);
    const shim = await call(`${server.url}__api-shim.js`);
    expect(shim.body).toContain(bridge.token);
  });

  it('answers a valid call through the real handlers', async () => {
    const r = await ipc('dossier:list', { campaignId });
    expect(r.status).toBe(200);
    const result = JSON.parse(r.body);
    expect(result.ok).toBe(true);
    expect(result.value).toHaveLength(6);
  });

  it('accepts the channel percent-encoded, as the shim sends it', async () => {
    const r = await ipc(encodeURIComponent('dossier:list'), { campaignId });
    expect(JSON.parse(r.body).value).toHaveLength(6);
  });

  it('requires the per-start token', async () => {
    const r = await ipc('dossier:list', { campaignId }, { 'x-bridge-token': 'wrong' });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body).error.code).toBe('forbidden_sender');
  });

  it('rejects a foreign Origin and a foreign Host (DNS rebinding)', async () => {
    expect((await ipc('dossier:list', { campaignId }, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await ipc('dossier:list', { campaignId }, { host: 'evil.example' })).status).toBe(403);
  });

  it('validates payloads exactly as main does', async () => {
    const r = await ipc('dossier:list', { campaignId, extra: true });
    expect(JSON.parse(r.body)).toEqual({ ok: false, error: { code: 'validation' } });
    const big = await ipc('dossier:list', { campaignId, pad: 'x'.repeat(2_000_000) });
    expect(big.status).toBe(413);
  });

  it('never serves files outside its root', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt']) {
      const r = await call(`${server.url.replace(/\/$/, '')}${path}`);
      expect(r.status, path).not.toBe(200);
      expect(r.body).not.toContain('secret');
    }
  });
});
