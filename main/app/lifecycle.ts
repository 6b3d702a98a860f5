/**
 * Start-up and menu decisions of the desktop shell, kept free of Electron so plain-Node tests
 * drive them: which database file, what to do when it is damaged or too new, and how menu
 * actions report their result. index.ts supplies the real dialogs.
 */
import { isAbsolute, join, resolve } from 'node:path';
import { AppFailure, isErrorCode } from '../../shared/errors';
import type { Result } from '../../shared/result';
import type { Dispatch } from '../core/ipc/dispatch';
import type { Logger } from '../core/log';
import { storePaths, type StorePaths } from '../core/store/paths';
import type { Translate } from './messages';

export const DB_FILE_NAME = 'comite-ptce.sqlite';
export const BACKUP_EXTENSION = 'comite-ptce.zip';

/** `--db=FILE` (or `--db FILE`) wins over `COMITE_PTCE_DB`, which wins over the user-data folder. */
export function resolveDbPath(argv: readonly string[], env: Record<string, string | undefined>, userDataDir: string, cwd = process.cwd()): string {
  let fromArg: string | undefined;
  argv.forEach((arg, i) => {
    if (arg.startsWith('--db=')) fromArg = arg.slice('--db='.length);
    else if (arg === '--db' && argv[i + 1] && !argv[i + 1]!.startsWith('-')) fromArg = argv[i + 1];
  });
  const chosen = fromArg || env.COMITE_PTCE_DB || '';
  if (!chosen) return join(userDataDir, DB_FILE_NAME);
  return isAbsolute(chosen) ? chosen : resolve(cwd, chosen);
}

/** What Electron's dialog.showMessageBox needs; resolves to the index of the clicked button. */
export interface MessageBox {
  type: 'none' | 'info' | 'error' | 'question' | 'warning';
  title: string;
  message: string;
  detail?: string;
  buttons: string[];
  defaultId?: number;
  cancelId?: number;
}
export type ShowMessageBox = (box: MessageBox) => Promise<number>;

export interface StartupDeps<R> {
  dbPath: string;
  open: () => R;
  recover: (paths: StorePaths, now: Date) => { restoredFrom: string; corruptKeptAt: string } | null;
  /** Where `recover` moved the damaged file when it found no healthy backup. */
  corruptKeptAt: (paths: StorePaths, now: Date) => string;
  now: () => Date;
  t: Translate;
  showMessageBox: ShowMessageBox;
  log?: Logger;
}

function failureMessage(t: Translate, error: unknown): string {
  if (error instanceof AppFailure && isErrorCode(error.code)) return t(`errors.${error.code}`, error.params);
  return t('errors.internal');
}

/**
 * Opens the store. A damaged file (`db_corrupt`) is never touched: the user may open the latest
 * backup (the damaged file is kept aside by `recover`) or quit. A file from a newer version, or
 * any other failure, is explained and the app quits. Returns null when the app must quit.
 */
export async function openAtStartup<R>(deps: StartupDeps<R>): Promise<R | null> {
  const { t, showMessageBox } = deps;
  const explain = async (title: string, error: unknown) => {
    await showMessageBox({ type: 'error', title, message: failureMessage(t, error), buttons: [t('desktop.dialogs.ok')] });
  };
  try {
    return deps.open();
  } catch (error) {
    const code = error instanceof AppFailure ? error.code : 'internal';
    deps.log?.error('startup.open_failed', { code });
    if (code === 'db_from_future') {
      await explain(t('desktop.startup.futureTitle'), error);
      return null;
    }
    if (code !== 'db_corrupt') {
      await explain(t('desktop.startup.failedTitle'), error);
      return null;
    }
    const choice = await showMessageBox({
      type: 'warning',
      title: t('desktop.startup.corruptTitle'),
      message: t('errors.db_corrupt'),
      detail: t('desktop.startup.keptAt', { path: deps.dbPath }),
      buttons: [t('desktop.startup.openLatestBackup'), t('desktop.startup.quit')],
      defaultId: 0,
      cancelId: 1,
    });
    if (choice !== 0) return null;
    let recovered: ReturnType<StartupDeps<R>['recover']>;
    const paths = storePaths(deps.dbPath);
    const at = deps.now();
    try {
      recovered = deps.recover(paths, at);
    } catch (recoverError) {
      deps.log?.error('startup.recover_failed', { error: recoverError });
      await explain(t('desktop.startup.failedTitle'), recoverError);
      return null;
    }
    if (!recovered) {
      await showMessageBox({ type: 'error', title: t('desktop.startup.corruptTitle'), message: t('desktop.startup.noBackup', { kept: deps.corruptKeptAt(paths, at) }), buttons: [t('desktop.dialogs.ok')] });
      return null;
    }
    deps.log?.info('startup.recovered');
    try {
      const runtime = deps.open();
      await showMessageBox({
        type: 'info',
        title: t('desktop.startup.corruptTitle'),
        message: t('desktop.startup.restored', { file: recovered.restoredFrom, kept: recovered.corruptKeptAt }),
        buttons: [t('desktop.dialogs.ok')],
      });
      return runtime;
    } catch (again) {
      deps.log?.error('startup.reopen_failed', { code: again instanceof AppFailure ? again.code : 'internal' });
      await explain(t('desktop.startup.failedTitle'), again);
      return null;
    }
  }
}

/**
 * Menu « Sauvegarder sous… » / « Restaurer… »: goes through the same dispatcher as the renderer,
 * reports a failure (not a cancellation) in a message box, and tells the renderer after a restore.
 */
export async function runBackupMenuAction(
  channel: 'backup:saveAs' | 'backup:restore',
  deps: {
    dispatch: Dispatch;
    t: Translate;
    showMessageBox: ShowMessageBox;
    emit?: (event: 'store:changed', payload: { reason: 'restored' }) => void;
  },
): Promise<Result<unknown>> {
  const result = await deps.dispatch(channel, {});
  if (!result.ok) {
    if (result.error.code !== 'cancelled') {
      await deps.showMessageBox({
        type: 'error',
        title: deps.t('desktop.dialogs.errorTitle'),
        message: deps.t(`errors.${result.error.code}`, result.error.params),
        buttons: [deps.t('desktop.dialogs.ok')],
      });
    }
  } else if (channel === 'backup:restore' && result.value) {
    deps.emit?.('store:changed', { reason: 'restored' });
  }
  return result;
}

/** File-dialog filter for backup archives (macOS only matches the last extension). */
export function backupFileFilters(t: Translate, platform: string): { name: string; extensions: string[] }[] {
  return [{ name: t('desktop.dialogs.backupFilter'), extensions: [platform === 'darwin' ? 'zip' : BACKUP_EXTENSION] }];
}
