/**
 * The import, run in a worker thread so Electron's main thread stays responsive. It opens its
 * own connection to the store (WAL lets it write while main reads), runs `importFiles`, posts
 * progress, and aborts on a `cancel` message (the pipeline then rolls everything back). Once the import
 * is committed it reports done, then search-indexes what it wrote and checkpoints the WAL.
 * A dry run (preview) computes the same report without writing (importFiles `dryRun`), inside a savepoint
 * it rolls back all the same: nothing is kept.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AppFailure } from '../../../shared/errors';
import { openDatabase } from '../db/open';
import { syncDossierText } from '../store/dossier-text';
import { importFiles } from './pipeline';
import type { ColumnMapping } from './types';
import { XLSX_READ_ROLE } from './xlsx-read-worker';

export interface WorkerInput {
  dbPath: string;
  campaignId: number;
  files: string[];
  mapping?: ColumnMapping;
  filesDir: string;
  /** ISO instant the import is dated with. */
  now: string;
  dryRun: boolean;
}

export type WorkerMessage =
  | { type: 'progress'; phase: 'parse' | 'write'; done: number; total: number }
  | { type: 'done'; result: unknown }
  /** After done: the imported dossiers are in the search index (`dossiers`: how many were indexed). */
  | { type: 'indexed'; dossiers: number }
  | { type: 'error'; code: string; params?: Record<string, string | number> };

export async function runImportJob(
  input: WorkerInput,
  post: (m: WorkerMessage) => void,
  signal: AbortSignal,
): Promise<void> {
  let db: ReturnType<typeof openDatabase> | undefined;
  let done = false;
  try {
    // The app opened and checked this store when it started: this is a second connection to it.
    db = openDatabase(input.dbPath, { secondary: true });
    // An import's commit leaves a large WAL: its checkpoint runs here after 'done' is posted (below),
    // not inside the commit, so the report comes as soon as the data is durable (WAL fsync).
    db.pragma('wal_autocheckpoint = 0');
    const options = {
      campaignId: input.campaignId,
      files: input.files,
      mapping: input.mapping,
      filesDir: input.filesDir,
      now: () => new Date(input.now),
      signal,
      onProgress: (p: { phase: 'parse' | 'write'; done: number; total: number }) => post({ type: 'progress', ...p }),
    };
    let result;
    if (input.dryRun) {
      db.exec('SAVEPOINT import_preview');
      try {
        result = await importFiles(db, { ...options, dryRun: true });
      } finally {
        db.exec('ROLLBACK TO import_preview');
        db.exec('RELEASE import_preview');
      }
    } else {
      // The search index follows the commit (below): the report does not wait for it.
      result = await importFiles(db, { ...options, deferIndex: true });
    }
    post({ type: 'done', result });
    done = true;
  } catch (error) {
    if (error instanceof AppFailure) post({ type: 'error', code: error.code, params: error.params });
    else post({ type: 'error', code: 'internal', params: { detail: error instanceof Error ? error.name : 'unknown' } });
  } finally {
    if (done && !input.dryRun) {
      try {
        // The imported dossiers' search index, in its own transaction (a search before it ends indexes them itself).
        post({ type: 'indexed', dossiers: syncDossierText(db!) });
      } catch {
        // The notes stay in dossier_text_pending: the next search or import indexes them.
      }
      try {
        db?.pragma('wal_checkpoint(PASSIVE)');
      } catch {
        // Maintenance only: the runtime's idle checkpoints and SQLite's own will catch up.
      }
    }
    db?.close();
  }
}

// The same entry also runs the XLSX reader of an import (xlsx-read-worker.ts starts itself on its role).
if (parentPort && (workerData as { role?: string } | null)?.role !== XLSX_READ_ROLE) {
  const port = parentPort;
  const controller = new AbortController();
  port.on('message', (m: { type?: string }) => {
    if (m?.type === 'cancel') controller.abort();
  });
  void runImportJob(workerData as WorkerInput, (m) => port.postMessage(m), controller.signal).finally(() => port.close());
}
