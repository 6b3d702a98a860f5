import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppFailure } from '../../../shared/errors';

/**
 * Starts a worker thread of the import. Under tsx/vitest the sources run as they are: `source` (the
 * name of a `.ts` module beside this one, e.g. `./worker.ts`) is loaded with tsx's loader, registered inside the worker (Node 20
 * does not hand `--import tsx` on to worker threads). The build has one entry for all of them,
 * `out/main/importWorker.js` (worker.ts; see electron.vite.config.ts): `workerData.role` tells it which.
 */
export function startImportWorker(source: string, workerData: unknown): Worker {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const url = new URL(source, here).href;
    const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url)}); });`;
    return new Worker(boot, { eval: true, workerData });
  }
  // The bundler may move this code into out/main/chunks/: the worker entry is beside or above it.
  const candidates = [new URL('./importWorker.js', here), new URL('../importWorker.js', here)];
  const entry = candidates.find((url) => existsSync(fileURLToPath(url)));
  if (!entry) throw new AppFailure('internal', { detail: 'import_worker_missing' });
  return new Worker(entry, { workerData });
}
