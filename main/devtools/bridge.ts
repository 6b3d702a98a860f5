/**
 * Development and test tool, never shipped: an HTTP stand-in for the preload so the real
 * renderer runs in a browser against the real handlers. Binds 127.0.0.1 only, requires a random
 * per-start token (injected into the page it serves), refuses foreign Origin and Host headers,
 * and goes through the same dispatcher (zod validation, Result codes) as Electron's main.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { MAX_PAYLOAD_BYTES, type Dispatch } from '../core/ipc/dispatch';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.mjs': 'text/javascript; charset=utf-8',
};

/** The browser-side `window.api`, as the preload would expose it (frozen, one invoke + on). */
export function apiShimSource(token: string): string {
  return `(() => {
  if (window.api) return;
  const token = ${JSON.stringify(token)};
  const listeners = new Map();
  let source = null;
  const ensureEvents = () => {
    if (source) return;
    source = new EventSource('/__bridge/events?token=' + encodeURIComponent(token));
    source.onmessage = (m) => {
      const { event, payload } = JSON.parse(m.data);
      for (const l of listeners.get(event) || []) l(payload);
    };
  };
  const api = {
    async invoke(channel, input) {
      const res = await fetch('/__bridge/ipc/' + encodeURIComponent(channel), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-bridge-token': token },
        body: JSON.stringify(input === undefined ? {} : input),
      });
      if (!res.ok && res.status !== 200) return { ok: false, error: { code: 'internal' } };
      return res.json();
    },
    on(event, listener) {
      ensureEvents();
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event).add(listener);
      return () => listeners.get(event).delete(listener);
    },
  };
  Object.defineProperty(window, 'api', { value: Object.freeze(api), writable: false, configurable: false });
})();`;
}

export interface BridgeOptions {
  dispatch: Dispatch;
  token?: string;
}

export interface Bridge {
  token: string;
  /** Connect-style middleware (also mounted on Vite's dev server). Returns false when not handled. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  emit(event: string, payload: unknown): void;
}

export function createBridge(options: BridgeOptions): Bridge {
  const token = options.token ?? randomBytes(24).toString('hex');
  const streams = new Set<ServerResponse>();

  const sameOrigin = (req: IncomingMessage): boolean => {
    const host = req.headers.host ?? '';
    if (!/^(127\.0\.0\.1|localhost)(:\d+)?$/.test(host)) return false; // DNS rebinding
    const origin = req.headers.origin;
    if (origin === undefined) return true; // same-origin GET/fetch from the page may omit it
    try {
      return new URL(origin).host === host;
    } catch {
      return false;
    }
  };

  const send = (res: ServerResponse, status: number, body: string, type = 'application/json') => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(body);
  };

  return {
    token,
    emit(event, payload) {
      const data = `data: ${JSON.stringify({ event, payload })}\n\n`;
      for (const s of streams) s.write(data);
    },
    async handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname === '/__api-shim.js') {
        send(res, 200, apiShimSource(token), 'text/javascript; charset=utf-8');
        return true;
      }
      if (!url.pathname.startsWith('/__bridge/')) return false;
      if (!sameOrigin(req)) {
        send(res, 403, JSON.stringify({ ok: false, error: { code: 'forbidden_sender' } }));
        return true;
      }
      if (url.pathname === '/__bridge/events') {
        if (url.searchParams.get('token') !== token) {
          send(res, 403, '{}');
          return true;
        }
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
        res.write(': ok\n\n');
        streams.add(res);
        req.on('close', () => streams.delete(res));
        return true;
      }
      const m = /^\/__bridge\/ipc\/([a-z]+(?::|%3[aA])[a-zA-Z0-9]+)$/.exec(url.pathname);
      if (!m || req.method !== 'POST') {
        send(res, 404, JSON.stringify({ ok: false, error: { code: 'unknown_channel' } }));
        return true;
      }
      if (req.headers['x-bridge-token'] !== token) {
        send(res, 403, JSON.stringify({ ok: false, error: { code: 'forbidden_sender' } }));
        return true;
      }
      let size = 0;
      const chunks: Buffer[] = [];
      for await (const chunk of req) {
        size += (chunk as Buffer).length;
        if (size > MAX_PAYLOAD_BYTES) {
          // Stop reading and close the connection: the rest of the body is never buffered.
          res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
          res.end(JSON.stringify({ ok: false, error: { code: 'validation' } }), () => req.destroy());
          return true;
        }
        chunks.push(chunk as Buffer);
      }
      let payload: unknown;
      try {
        payload = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      } catch {
        send(res, 400, JSON.stringify({ ok: false, error: { code: 'validation' } }));
        return true;
      }
      const result = await options.dispatch(decodeURIComponent(m[1]!), payload);
      send(res, 200, JSON.stringify(result));
      return true;
    },
  };
}

export interface StaticServerOptions {
  root: string;
  bridge: Bridge;
  port?: number;
}

/** Serves the built renderer with the shim injected first in <head>, and the bridge. */
export async function startBridgeServer(options: StaticServerOptions): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const root = resolve(options.root);
  const server = createServer((req, res) => {
    void (async () => {
      try {
        if (await options.bridge.handle(req, res)) return;
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        if (url.pathname === '/favicon.ico') {
          res.writeHead(204).end();
          return;
        }
        const rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
        const file = normalize(join(root, rel));
        if (!file.startsWith(root + sep)) {
          res.writeHead(400).end();
          return;
        }
        let body = await readFile(file).catch(() => null);
        if (!body) {
          res.writeHead(404).end();
          return;
        }
        if (file.endsWith('index.html')) {
          body = Buffer.from(body.toString('utf8').replace('<head>', '<head>\n    <script src="/__api-shim.js"></script>'));
        }
        res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
        res.end(body);
      } catch {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      }
    })();
  });
  await new Promise<void>((ok) => server.listen(options.port ?? 0, '127.0.0.1', ok));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    server,
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}
