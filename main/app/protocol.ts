/**
 * The `app://comite-ptce/…` protocol the renderer is served from (security.md §1.1 rules 7 and 18):
 * a pure resolver (URL → file or 400/404) and a fetch-style handler built on it, both runnable
 * under plain Node. Only `import type` from electron here; index.ts passes the real `protocol`.
 */
import { readFile } from 'node:fs/promises';
import { realpathSync, statSync } from 'node:fs';
import { extname, posix, resolve, sep } from 'node:path';
import type { Protocol } from 'electron';
import { APP_ORIGIN } from '../core/ipc/dispatch';

export { APP_ORIGIN };
export const APP_SCHEME = 'app';
export const APP_HOST = 'comite-ptce';
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/** The CSP sent with every app:// response (a header, so `frame-ancestors` applies too). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  // react-dsfr's startReactDsfr() appends one <style> (":root { color-scheme: light|dark; }"):
  // allowed by its exact hashes rather than 'unsafe-inline' (same list as renderer/index.html).
  "style-src 'self' 'sha256-HzhUjVBe6Oi2wcxUM7bmy2Rp9VdLMHYDdYr9MalNmOY=' 'sha256-xVQ4mcypV0CvOtZpQgVcKpcoNvdUkR9BrwZBrtBbU+w='",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.pdf': 'application/pdf',
};

export function mimeTypeOf(file: string): string {
  return MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export function securityHeaders(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  };
}

export type AppResolution =
  | { status: 200; file: string; headers: Record<string, string> }
  | { status: 400 | 404; headers: Record<string, string> };

const reject = (status: 400 | 404): AppResolution => ({ status, headers: securityHeaders('text/plain; charset=utf-8') });

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

function isInside(root: string, file: string): boolean {
  return file.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * Maps a request URL to a file under `rootDir`. Works on the raw string (Chromium may already
 * have normalised dot segments, but a caller might not): only host `comite-ptce`, no userinfo or
 * port, percent-decoding exactly once, and any `..`/`.` segment, backslash, colon, NUL/control
 * character or leftover `%` (double encoding) is a 400. A path that does not name a regular file
 * inside the root (after resolving symlinks) is a 404; `/` serves index.html.
 */
export function resolveAppRequest(rootDir: string, requestUrl: string): AppResolution {
  if (typeof requestUrl !== 'string' || CONTROL.test(requestUrl) || requestUrl.includes('\\')) return reject(400);
  const m = /^app:\/\/([^/?#]*)([^?#]*)(?:[?#][^]*)?$/i.exec(requestUrl);
  if (!m) return reject(400);
  const host = m[1]!.toLowerCase();
  if (host !== APP_HOST) return reject(400); // other host, userinfo (`a@b`) or port (`:1`)
  const rawPath = m[2] || '/';
  if (!rawPath.startsWith('/')) return reject(400);

  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return reject(400); // malformed escape
  }
  if (CONTROL.test(path) || /[\\:%]/.test(path) || path.startsWith('//')) return reject(400);
  const segments = path.split('/');
  for (const list of [rawPath.split('/'), segments]) {
    if (list.some((s) => s === '..' || s === '.')) return reject(400);
  }
  if (path.endsWith('/')) path += 'index.html';
  if (path.split('/').some((s) => s.startsWith('.'))) return reject(404); // no dotfiles

  const root = resolve(rootDir);
  const file = resolve(root, '.' + posix.normalize(path));
  if (!isInside(root, file)) return reject(400);
  try {
    if (!statSync(file).isFile()) return reject(404);
    if (!isInside(realpathSync(root), realpathSync(file))) return reject(404); // symlink out of root
  } catch {
    return reject(404);
  }
  return { status: 200, file, headers: securityHeaders(mimeTypeOf(file)) };
}

/** A `protocol.handle` callback: GET/HEAD only, body read from disk (works inside app.asar). */
export function createAppProtocolHandler(rootDir: string): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response(null, { status: 405, headers: securityHeaders('text/plain; charset=utf-8') });
    }
    const r = resolveAppRequest(rootDir, request.url);
    if (r.status !== 200) return new Response(null, { status: r.status, headers: r.headers });
    try {
      const body = request.method === 'HEAD' ? null : new Uint8Array(await readFile(r.file));
      return new Response(body, { status: 200, headers: r.headers });
    } catch {
      return new Response(null, { status: 404, headers: securityHeaders('text/plain; charset=utf-8') });
    }
  };
}

/** Must run before `app` is ready. No `corsEnabled`: nothing else may read app:// cross-origin. */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function handleAppProtocol(protocol: Pick<Protocol, 'handle'>, rootDir: string): void {
  protocol.handle(APP_SCHEME, createAppProtocolHandler(rootDir));
}
