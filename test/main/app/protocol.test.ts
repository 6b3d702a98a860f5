import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  APP_INDEX_URL,
  APP_ORIGIN,
  CONTENT_SECURITY_POLICY,
  createAppProtocolHandler,
  handleAppProtocol,
  mimeTypeOf,
  registerAppScheme,
  resolveAppRequest,
} from '../../../main/app/protocol';
import { tempDir } from '../../support/tmp';

const EXPECTED_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'sha256-HzhUjVBe6Oi2wcxUM7bmy2Rp9VdLMHYDdYr9MalNmOY=' 'sha256-xVQ4mcypV0CvOtZpQgVcKpcoNvdUkR9BrwZBrtBbU+w='; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

let root = '';
let outside = '';
let cleanup = () => {};

beforeAll(() => {
  const t = tempDir();
  cleanup = t.cleanup;
  root = join(t.dir, 'renderer');
  outside = join(t.dir, 'secret.txt');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>x</title>');
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(root, 'assets', 'index-abc.css'), 'body{}');
  writeFileSync(join(root, 'assets', 'marianne.woff2'), 'font');
  writeFileSync(join(root, 'assets', 'logo.svg'), '<svg/>');
  writeFileSync(join(root, 'assets', 'espace et é.png'), 'png');
  writeFileSync(join(root, '.env'), 'SECRET=1');
  writeFileSync(outside, 'secret');
  symlinkSync(outside, join(root, 'assets', 'link.txt'));
});
afterAll(() => cleanup());

describe('resolveAppRequest', () => {
  it.each([
    'app://comite-ptce/../../etc/passwd',
    'app://comite-ptce/assets/../../../etc/passwd',
    'app://comite-ptce/%2e%2e%2f%2e%2e%2fetc/passwd',
    'app://comite-ptce/%2E%2E/%2E%2E/etc/passwd',
    'app://comite-ptce/..%2f..%2fetc%2fpasswd',
    'app://comite-ptce/..%5c..%5cwindows%5cwin.ini',
    'app://comite-ptce/assets%5c..%5c..%5csecret.txt',
    'app://comite-ptce/..\\..\\secret.txt',
    'app://comite-ptce/./index.html',
    'app://comite-ptce/index.html%00.png',
    'app://comite-ptce/index.html\u0000',
    'app://comite-ptce/%252e%252e%252fsecret.txt',
    'app://comite-ptce//etc/passwd',
    'app://comite-ptce/%2fetc%2fpasswd',
    'app://comite-ptce/C:/Windows/win.ini',
    'app://comite-ptce/%E0%A4%A',
    'app://evil/index.html',
    'app://comite-ptce.evil.example/index.html',
    'app://user@comite-ptce/index.html',
    'app://comite-ptce:8080/index.html',
    'app:///index.html',
    'https://comite-ptce/index.html',
    'file:///etc/passwd',
    'app:comite-ptce/index.html',
  ])('refuses %j with 400', (url) => {
    const r = resolveAppRequest(root, url);
    expect(r.status).toBe(400);
    expect(r.headers['Content-Security-Policy']).toBe(EXPECTED_CSP);
  });

  it.each([
    ['app://comite-ptce/missing.js', 404],
    ['app://comite-ptce/assets', 404], // a directory
    ['app://comite-ptce/.env', 404], // dotfiles are never served
    ['app://comite-ptce/assets/link.txt', 404], // symlink leading out of the root
  ] as const)('answers %j with %i', (url, status) => {
    expect(resolveAppRequest(root, url).status).toBe(status);
  });

  it.each([
    ['app://comite-ptce/', 'index.html', 'text/html; charset=utf-8'],
    ['app://comite-ptce', 'index.html', 'text/html; charset=utf-8'],
    [APP_INDEX_URL, 'index.html', 'text/html; charset=utf-8'],
    ['app://COMITE-PTCE/index.html?x=1#/campaigns/2', 'index.html', 'text/html; charset=utf-8'],
    ['app://comite-ptce/assets/index-abc.js', 'assets/index-abc.js', 'text/javascript; charset=utf-8'],
    ['app://comite-ptce/assets/index-abc.css', 'assets/index-abc.css', 'text/css; charset=utf-8'],
    ['app://comite-ptce/assets/marianne.woff2', 'assets/marianne.woff2', 'font/woff2'],
    ['app://comite-ptce/assets/logo.svg', 'assets/logo.svg', 'image/svg+xml'],
    ['app://comite-ptce/assets/espace%20et%20%C3%A9.png', 'assets/espace et é.png', 'image/png'],
  ])('serves %j from %s as %s with the security headers', (url, file, mime) => {
    const r = resolveAppRequest(root, url);
    expect(r.status).toBe(200);
    if (r.status !== 200) return;
    expect(r.file).toBe(join(root, file));
    expect(r.headers['Content-Type']).toBe(mime);
    expect(r.headers['Content-Security-Policy']).toBe(EXPECTED_CSP);
    expect(r.headers['X-Content-Type-Options']).toBe('nosniff');
  });

  it('uses the dispatcher origin and a CSP with no remote source', () => {
    expect(APP_ORIGIN).toBe('app://comite-ptce');
    expect(CONTENT_SECURITY_POLICY).toBe(EXPECTED_CSP);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|ws:|unsafe-|\*/);
    expect(mimeTypeOf('x.unknown')).toBe('application/octet-stream');
  });
});

describe('createAppProtocolHandler', () => {
  const handler = () => createAppProtocolHandler(root);

  it('returns the file body with CSP and nosniff headers', async () => {
    const res = await handler()(new Request('app://comite-ptce/assets/index-abc.js'));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('console.log(1)');
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(EXPECTED_CSP);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers 400 to traversal and 404 to unknown files, without a body', async () => {
    const bad = await handler()({ url: 'app://comite-ptce/%2e%2e%2fsecret.txt', method: 'GET' } as Request);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toBe('');
    const missing = await handler()(new Request('app://comite-ptce/nope.html'));
    expect(missing.status).toBe(404);
  });

  it('refuses methods other than GET and HEAD', async () => {
    const res = await handler()(new Request('app://comite-ptce/index.html', { method: 'POST', body: 'x' }));
    expect(res.status).toBe(405);
  });
});

describe('scheme registration', () => {
  it('registers app: as standard + secure + fetch, without CORS or bypassing CSP', () => {
    const calls: unknown[] = [];
    registerAppScheme({ registerSchemesAsPrivileged: (s) => calls.push(s) });
    expect(calls).toEqual([[{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]]);
  });

  it('installs the handler for the app scheme', async () => {
    let scheme = '';
    let fn: ((r: Request) => Promise<Response>) | undefined;
    handleAppProtocol({ handle: (s, h) => ((scheme = s), (fn = h as typeof fn)) }, root);
    expect(scheme).toBe('app');
    expect((await fn!(new Request(APP_INDEX_URL))).status).toBe(200);
  });
});
