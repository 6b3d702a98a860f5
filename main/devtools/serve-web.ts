/**
 * npm run serve:web -- --db FILE [--port N] [--root out/renderer]
 * Serves the built renderer with the HTTP bridge, so the real UI runs in any browser against
 * the real store (development and tests; never part of the packaged app).
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { openRuntime } from '../core/runtime';
import { createBridge, startBridgeServer } from './bridge';

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    port: { type: 'string', default: '5174' },
    root: { type: 'string', default: 'out/renderer' },
  },
});
const dbPath = values.db ?? process.env.COMITE_PTCE_DB;
if (!dbPath) {
  process.stderr.write('serve:web: --db FILE is required\n');
  process.exit(2);
}
let emit: (event: string, payload: unknown) => void = () => {};
const runtime = openRuntime({ dbPath: resolve(dbPath), emit: (e, p) => emit(e, p) });
const bridge = createBridge({ dispatch: runtime.dispatch });
emit = bridge.emit;
const server = await startBridgeServer({ root: values.root, bridge, port: Number(values.port) });
process.stdout.write(`Comité PTCE (navigateur) : ${server.url}\n`);
const stop = () => {
  void server.close().then(() => {
    runtime.close();
    process.exit(0);
  });
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
