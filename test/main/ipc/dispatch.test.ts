import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { APP_ORIGIN, isTrustedSender } from '../../../main/core/ipc/dispatch';
import { seedDemo } from '../../../main/core/demo';
import { createFileLogger } from '../../../main/core/log';
import { runtimeFixture } from '../../support/runtime';

const openRuntime = runtimeFixture();

function demoRuntime() {
  const { runtime, dir } = openRuntime((d) => ({ log: createFileLogger({ dir: join(d, 'logs') }) }));
  const { campaignId } = seedDemo(runtime.store.db, new Date('2021-07-08T09:30:00Z'));
  return { runtime, campaignId, logFile: join(dir, 'logs', 'comite-ptce.log') };
}

describe('isTrustedSender', () => {
  it('accepts only the app origin in the top frame', () => {
    expect(isTrustedSender(`${APP_ORIGIN}/index.html`, true)).toBe(true);
    expect(isTrustedSender(`${APP_ORIGIN}/index.html#/campaigns/1`, true)).toBe(true);
    expect(isTrustedSender(`${APP_ORIGIN}/index.html`, false)).toBe(false);
    expect(isTrustedSender('https://evil.example/', true)).toBe(false);
    expect(isTrustedSender('file:///etc/passwd', true)).toBe(false);
    expect(isTrustedSender('app://comite-ptce.evil.example/', true)).toBe(false);
    expect(isTrustedSender('not a url', true)).toBe(false);
    expect(isTrustedSender(undefined, true)).toBe(false);
  });
});

describe('dispatcher', () => {
  it('returns values for valid calls', async () => {
    const { runtime, campaignId } = demoRuntime();
    const list = await runtime.dispatch('dossier:list', { campaignId });
    expect(list.ok).toBe(true);
    expect(list.ok && (list.value as unknown[]).length).toBe(6);
  });

  it('refuses unknown channels and invalid payloads with stable codes, before any handler', async () => {
    const { runtime, campaignId } = demoRuntime();
    expect(await runtime.dispatch('fs:readFile', {})).toEqual({ ok: false, error: { code: 'unknown_channel' } });
    expect(await runtime.dispatch('__proto__', {})).toEqual({ ok: false, error: { code: 'unknown_channel' } });
    expect(await runtime.dispatch('dossier:list', { campaignId: 'x' })).toEqual({ ok: false, error: { code: 'validation' } });
    expect(await runtime.dispatch('dossier:list', { campaignId, extra: 1 })).toEqual({ ok: false, error: { code: 'validation' } });
    expect(await runtime.dispatch('dossier:get', { campaignId, number: 'x'.repeat(10_000_000) })).toEqual({
      ok: false,
      error: { code: 'validation' },
    });
    expect(await runtime.dispatch('prefs:set', { language: 'de' })).toEqual({ ok: false, error: { code: 'validation' } });
  });

  it('turns expected failures into their code and never logs personal data', async () => {
    const { runtime, campaignId, logFile } = demoRuntime();
    expect(await runtime.dispatch('dossier:get', { campaignId, number: 999 })).toEqual({ ok: false, error: { code: 'not_found' } });
    // An unexpected failure whose message carries personal data from a dossier.
    const email = (runtime.store.db.prepare('SELECT contact_email AS e FROM dossiers LIMIT 1').get() as { e: string }).e;
    runtime.store.db.exec(`CREATE TRIGGER boom BEFORE INSERT ON settings BEGIN SELECT RAISE(ABORT, '${email} 06 28 38 53 52'); END`);
    const r = await runtime.dispatch('prefs:set', { language: 'en' });
    expect(r).toEqual({ ok: false, error: { code: 'internal' } });
    const log = readFileSync(logFile, 'utf8');
    expect(log).toContain('ipc.internal');
    expect(log).not.toContain(email);
    expect(log).not.toContain('06 28 38 53 52');
  });
});
