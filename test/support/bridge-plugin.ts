import type { Plugin } from 'vite';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRuntime, type Runtime } from '../../main/core/runtime';
import { seedDemo } from '../../main/core/demo';
import { createBridge } from '../../main/devtools/bridge';
import { nullLogger } from '../../main/core/log';

/**
 * Mounts the HTTP bridge (real handlers, real SQLite) on Vite's dev server: used by vitest browser
 * mode and by `npm run dev:web`. The store is WEB_DB, or a fresh demo store in a temp folder.
 */
export function bridgePlugin(options: { injectShim?: boolean } = {}): Plugin {
  let runtime: Runtime | undefined;
  return {
    name: 'comite-ptce-bridge',
    transformIndexHtml(html) {
      return options.injectShim ? html.replace('<head>', '<head>\n    <script src="/__api-shim.js"></script>') : html;
    },
    configureServer(server) {
      const dbPath = process.env.WEB_DB || join(mkdtempSync(join(tmpdir(), 'comite-ptce-web-')), 'store.sqlite');
      let emit: (event: string, payload: unknown) => void = () => {};
      runtime = openRuntime({ dbPath, log: nullLogger, emit: (e, p) => emit(e, p) });
      if (!process.env.WEB_DB) seedDemo(runtime.store.db, new Date());
      const bridge = createBridge({ dispatch: runtime.dispatch });
      emit = bridge.emit;
      server.middlewares.use((req, res, next) => {
        bridge.handle(req, res).then((handled) => (handled ? undefined : next()), next);
      });
      server.httpServer?.on('close', () => runtime?.close());
    },
  };
}
