/**
 * Reads an XLSX export in a worker thread so the import can write what it already has while the
 * rest is read (2 cores: the XML parsing here, SQLite in the importing thread). The worker
 * posts the rows in order, in batches; the importing thread puts them together (XlsxAssembler).
 * The reading itself is xlsx-reader.ts.
 * Started through the import worker's entry (worker.ts) with `workerData.role = 'xlsx-read'`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AppFailure, isErrorCode } from '../../../shared/errors';
import { startImportWorker } from './start-worker';
import { XlsxAssembler, type XlsxContent, type XlsxRow } from './xlsx';
import { streamXlsx } from './xlsx';

export const XLSX_READ_ROLE = 'xlsx-read';

type ReadMessage =
  | { type: 'sheet'; name: string }
  | { type: 'rows'; rows: XlsxRow[] }
  | { type: 'done' }
  | { type: 'error'; code: string; params?: Record<string, string | number> };

/** Rows per message: large enough that posting costs little, small enough that writing starts early. */
const BATCH = 64;

async function serve(path: string, post: (m: ReadMessage) => void, stopped: () => boolean): Promise<void> {
  let batch: XlsxRow[] = [];
  const flush = () => {
    if (batch.length && !stopped()) post({ type: 'rows', rows: batch });
    batch = [];
  };
  try {
    await streamXlsx(
      path,
      (name) => {
        flush();
        post({ type: 'sheet', name });
      },
      (row) => {
        batch.push(row);
        if (batch.length >= BATCH) flush();
      },
      stopped,
    );
    if (stopped()) return;
    flush();
    post({ type: 'done' });
  } catch (error) {
    if (error instanceof AppFailure) post({ type: 'error', code: error.code, params: error.params });
    else post({ type: 'error', code: 'import_refused', params: { reason: 'xlsx_invalid' } });
  }
}

if (parentPort && (workerData as { role?: string } | null)?.role === XLSX_READ_ROLE) {
  const port = parentPort;
  // `stop`: the reader stops at its next chunk and the worker ends by itself, its ZIP file closed.
  let stopped = false;
  port.on('message', (m: { type?: string }) => {
    if (m?.type === 'stop') stopped = true;
  });
  void serve((workerData as { path: string }).path, (m) => port.postMessage(m), () => stopped).finally(() => port.close());
}

/**
 * Reads the workbook at `path` (already pre-scanned) in a worker thread. `onRow` sees every row as it
 * arrives, with its sheet's name and its index in the sheet (0: header row), and `onBatch` runs after each
 * batch of rows; the promise gives the whole
 * content as `readXlsx` would, or rejects with the AppFailure refusing the file (or `cancelled`).
 */
export function readXlsxInWorker(
  path: string,
  onRow: (sheet: string, index: number, cells: string[]) => void,
  signal?: AbortSignal,
  onBatch?: () => void,
): Promise<XlsxContent> {
  const worker = startImportWorker('./xlsx-read-worker.ts', { role: XLSX_READ_ROLE, path });
  const assembler = new XlsxAssembler();
  let sheet = '';
  return new Promise<XlsxContent>((resolve, reject) => {
    let settled = false;
    // The worker is never terminated: it ends by itself once it has read the file (see `stop`).
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      worker.postMessage({ type: 'stop' });
      fn();
    };
    const onAbort = () => settle(() => reject(new AppFailure('cancelled')));
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort);
    worker.on('message', (m: ReadMessage) => {
      if (settled) return;
      try {
        if (m.type === 'sheet') {
          sheet = m.name;
          assembler.startSheet(m.name);
        } else if (m.type === 'rows') {
          for (const row of m.rows) onRow(sheet, assembler.addRow(row), row.cells);
          onBatch?.();
        } else if (m.type === 'done') {
          settle(() => resolve(assembler.finish()));
        } else {
          const failure = new AppFailure(isErrorCode(m.code) ? m.code : 'internal', m.params);
          settle(() => reject(failure));
        }
      } catch (error) {
        settle(() => reject(error instanceof Error ? error : new AppFailure('internal')));
      }
    });
    worker.on('error', (error) => settle(() => reject(Object.assign(new AppFailure('internal'), { cause: error }))));
    worker.on('exit', (code) => settle(() => reject(new AppFailure('internal', { exit: code }))));
  });
}
