import type { Worker } from 'node:worker_threads';
import { AppFailure, isErrorCode } from '../../../shared/errors';
import type { ImportReport, NeedsMapping } from './pipeline';
import { startImportWorker } from './start-worker';
import type { WorkerInput, WorkerMessage } from './worker';

export type ImportProgress = { phase: 'parse' | 'write'; done: number; total: number };

export interface ImportJob {
  result: Promise<ImportReport | NeedsMapping>;
  /** Asks the worker to stop; the pipeline rolls back what it had started. */
  cancel(): void;
}

function startWorker(workerData: WorkerInput): Worker {
  return startImportWorker('./worker.ts', workerData);
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
