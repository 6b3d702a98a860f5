import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppFailure, isErrorCode } from '../../../shared/errors';
import type { ImportReport, NeedsMapping } from './pipeline';
import type { WorkerInput, WorkerMessage } from './worker';

export type ImportProgress = { phase: 'parse' | 'write'; done: number; total: number };

export interface ImportJob {
  result: Promise<ImportReport | NeedsMapping>;
  /** Asks the worker to stop; the pipeline rolls back what it had started. */
  cancel(): void;
}

/**
 * Where the worker script is: the build writes `out/main/importWorker.js` (see
 * electron.vite.config.ts); under tsx/vitest the sources run as they are, with tsx's loader.
 */
function startWorker(workerData: WorkerInput): Worker {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    // Node 20 does not hand `--import tsx` on to worker threads: register tsx's loader inside the worker.
    const source = new URL('./worker.ts', here).href;
    const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); });`;
    return new Worker(boot, { eval: true, workerData });
  }
  // The bundler may move this code into out/main/chunks/: the worker entry is beside or above it.
  const candidates = [new URL('./importWorker.js', here), new URL('../importWorker.js', here)];
  const entry = candidates.find((url) => existsSync(fileURLToPath(url)));
  if (!entry) throw new AppFailure('internal', { detail: 'import_worker_missing' });
  return new Worker(entry, { workerData });
}

/** Runs one import (or a dry run) in a worker thread with its own database connection. */
export function runImportInWorker(input: WorkerInput, onProgress?: (p: ImportProgress) => void): ImportJob {
  const worker = startWorker(input);
  let settled = false;
  const result = new Promise<ImportReport | NeedsMapping>((resolve, reject) => {
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
    };
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') onProgress?.({ phase: m.phase, done: m.done, total: m.total });
      else if (m.type === 'done') settle(() => resolve(m.result as ImportReport | NeedsMapping));
      else if (m.type === 'error') settle(() => reject(new AppFailure(isErrorCode(m.code) ? m.code : 'internal', m.params)));
    });
    worker.on('error', (error) => settle(() => reject(Object.assign(new AppFailure('internal'), { cause: error }))));
    worker.on('exit', (code) => settle(() => reject(new AppFailure('internal', { exit: code }))));
  });
  return {
    result,
    cancel: () => {
      if (!settled) worker.postMessage({ type: 'cancel' });
    },
  };
}
