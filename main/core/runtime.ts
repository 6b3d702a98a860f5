import { join } from 'node:path';
import pkg from '../../package.json';
import { createHandlers, type HandlerContext } from './handlers';
import { createDispatcher, type Dispatch } from './ipc/dispatch';
import { createFileLogger, type Logger } from './log';
import { Store } from './store/store';
import type { Handlers } from '../../shared/ipc/api';

export const APP_VERSION: string = pkg.version;
export const DEFAULT_BACKUP_RETENTION_DAYS = 14;

export interface RuntimeOptions {
  dbPath: string;
  dialogs?: HandlerContext['dialogs'];
  log?: Logger;
  now?: () => Date;
  backupRetentionDays?: number;
  emit?: HandlerContext['emit'];
  keyProtector?: HandlerContext['keyProtector'];
  pdfFontDir?: HandlerContext['pdfFontDir'];
  /** Idle WAL checkpoint period in ms (default 2 000; 0 = none). */
  checkpointEveryMs?: number;
}

export interface Runtime {
  store: Store;
  handlers: Handlers;
  dispatch: Dispatch;
  log: Logger;
  close(): void;
}

/** Store + handlers + dispatcher, wired the same way for Electron, the CLI and the bridge. */
export function openRuntime(options: RuntimeOptions): Runtime {
  const store = Store.open(options.dbPath);
  const log = options.log ?? createFileLogger({ dir: store.paths.logDir });
  const now = options.now ?? (() => new Date());
  const dialogs = options.dialogs ?? {
    // Without a window (CLI, browser bridge) archives go next to the store.
    chooseArchiveDestination: async (name: string) => join(store.paths.backupDir, '..', name),
    chooseArchiveToRestore: async () => null,
    chooseImportFiles: async () => null,
  };
  const handlers = createHandlers({
    store,
    appVersion: APP_VERSION,
    log,
    now,
    backupRetentionDays: options.backupRetentionDays ?? DEFAULT_BACKUP_RETENTION_DAYS,
    dialogs,
    emit: options.emit,
    keyProtector: options.keyProtector,
    pdfFontDir: options.pdfFontDir,
  });
  const stopCheckpoints = startIdleCheckpoints(() => store.db, options.checkpointEveryMs ?? 2_000);
  return {
    store,
    handlers,
    dispatch: createDispatcher(handlers, log),
    log,
    close: () => {
      stopCheckpoints();
      store.close();
    },
  };
}

/**
 * A PASSIVE WAL checkpoint every `everyMs` between requests (it never waits for readers or
 * writers, and costs nothing when the WAL is already checkpointed), so that saves do not pay for
 * checkpoints. The timer does not keep the process alive. Returns the function that stops it.
 */
export function startIdleCheckpoints(db: () => { pragma(sql: string): unknown }, everyMs: number): () => void {
  if (everyMs <= 0) return () => {};
  const timer = setInterval(() => {
    try {
      db().pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // The store is closing or being restored; the next tick (or close) checkpoints.
    }
  }, everyMs);
  timer.unref?.();
  return () => clearInterval(timer);
}
