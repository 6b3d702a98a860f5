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
  return { store, handlers, dispatch: createDispatcher(handlers, log), log, close: () => store.close() };
}
