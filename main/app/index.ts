/**
 * Electron main entry: thin wiring only. Every decision lives in a plain-Node module of this
 * folder (window-options, protocol, security, ipc, lifecycle, menu, messages) with its own tests.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, session } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { APP_VERSION, DEFAULT_BACKUP_RETENTION_DAYS, openRuntime, type Runtime } from '../core/runtime';
import { createFileLogger } from '../core/log';
import { storePaths } from '../core/store/paths';
import { corruptKeptPath, recoverFromLatestBackup } from '../core/store/recovery';
import { startAutomaticBackups } from '../core/store/backup';
import { windowOptions, rendererRoot } from './window-options';
import { APP_INDEX_URL, handleAppProtocol, registerAppScheme } from './protocol';
import { hardenSession, installSecurity } from './security';
import { createEmitter, registerIpc } from './ipc';
import { backupFileFilters, openAtStartup, resolveDbPath, runBackupMenuAction, type MessageBox } from './lifecycle';
import { buildMenuTemplate } from './menu';
import { createTranslator, langOfLocale } from './messages';
import { safeStorageProtector } from './key-protector';

const AUTOMATIC_BACKUP_INTERVAL_MS = 30 * 60 * 1000;
const mainDir = dirname(fileURLToPath(import.meta.url));

// Before `ready`: privileged app:// scheme, sandbox for every renderer, per-session and
// per-webContents hardening (window.open denied, navigation limited, permissions refused).
registerAppScheme(protocol);
installSecurity(app);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let win: BrowserWindow | null = null;
  let runtime: Runtime | null = null;
  let stopBackups: () => void = () => {};
  let unregisterIpc: () => void = () => {};

  const shutdown = () => {
    stopBackups();
    unregisterIpc();
    stopBackups = unregisterIpc = () => {};
    runtime?.close(); // checkpoints the WAL and closes the database
    runtime = null;
  };

  const showMessageBox = async (box: MessageBox): Promise<number> => {
    const options = { ...box, noLink: true };
    const r = win && !win.isDestroyed() ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options);
    return r.response;
  };

  app.on('second-instance', () => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', shutdown);

  type FileFilter = { name: string; extensions: string[] };
  /** A native « save as » dialog, in the Documents folder, modal to the window when there is one. */
  const saveFile = async (o: { title: string; defaultName: string; filters: FileFilter[] }): Promise<string | null> => {
    const options = { title: o.title, defaultPath: join(app.getPath('documents'), o.defaultName), filters: o.filters };
    const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
    return r.canceled || !r.filePath ? null : r.filePath;
  };
  /** A native « open » dialog for one file. */
  const openFile = async (o: { title: string; filters: FileFilter[] }): Promise<string | null> => {
    const options = { title: o.title, filters: o.filters, properties: ['openFile' as const] };
    const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return r.canceled ? null : (r.filePaths[0] ?? null);
  };

  void app.whenReady().then(async () => {
    hardenSession(session.defaultSession);
    handleAppProtocol(protocol, rendererRoot(mainDir));

    const t = createTranslator(langOfLocale(app.getLocale()));
    const dbPath = resolveDbPath(process.argv, process.env, app.getPath('userData'));
    const log = createFileLogger({ dir: storePaths(dbPath).logDir });
    const emit = createEmitter(() => win?.webContents);

    runtime = await openAtStartup({
      dbPath,
      t,
      log,
      showMessageBox,
      now: () => new Date(),
      recover: recoverFromLatestBackup,
      corruptKeptAt: corruptKeptPath,
      open: () =>
        openRuntime({
          dbPath,
          log,
          emit,
          // Signing keys sealed by the OS keystore (refused, never plaintext, when unavailable).
          keyProtector: safeStorageProtector(safeStorage),
          // Packaged: Marianne is copied next to app.asar (electron-builder extraResources).
          pdfFontDir: app.isPackaged && process.resourcesPath ? join(process.resourcesPath, 'fonts') : undefined,
          // Avis PDFs rendered ahead of export in idle time, on worker threads (issue 5 performance).
          warmAvisPdfsEveryMs: 500,
          dialogs: {
            chooseArchiveDestination: (name) =>
              saveFile({ title: t('desktop.dialogs.saveTitle'), defaultName: name, filters: backupFileFilters(t, process.platform) }),
            chooseArchiveToRestore: () =>
              openFile({ title: t('desktop.dialogs.restoreTitle'), filters: backupFileFilters(t, process.platform) }),
            chooseMinutesDestination: (name) =>
              saveFile({ title: t('meeting.saveDialogTitle'), defaultName: name, filters: [{ name: 'PDF', extensions: ['pdf'] }] }),
            async chooseImportFiles() {
              const options = {
                title: t('desktop.dialogs.importTitle'),
                filters: [{ name: t('desktop.dialogs.importFilter'), extensions: ['csv', 'xlsx', 'json', 'zip'] }],
                properties: ['openFile' as const, 'multiSelections' as const],
              };
              const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
              return r.canceled || r.filePaths.length === 0 ? null : r.filePaths;
            },
            chooseExportDestination: (name) =>
              saveFile({
                title: t('packageUi.dialogs.saveTitle'),
                defaultName: name,
                filters: [{ name: t('packageUi.dialogs.filter'), extensions: ['zip'] }],
              }),
            chooseSynthesisDestination: (name) =>
              saveFile({
                title: t('synthesis.dialog.title'),
                defaultName: name,
                filters: [{ name: t('synthesis.dialog.filter'), extensions: ['xlsx'] }],
              }),
            chooseContributionDestination: (name) => {
              const xlsx = name.endsWith('.xlsx');
              return saveFile({
                title: t('contribution.dialogs.saveTitle'),
                defaultName: name,
                filters: [{ name: t(xlsx ? 'contribution.dialogs.xlsxFilter' : 'contribution.dialogs.zipFilter'), extensions: [xlsx ? 'xlsx' : 'zip'] }],
              });
            },
            choosePackageToVerify: () =>
              openFile({ title: t('packageUi.dialogs.verifyTitle'), filters: [{ name: t('packageUi.dialogs.filter'), extensions: ['zip'] }] }),
            chooseContributionFile: () =>
              openFile({
                title: t('contribution.dialogs.openTitle'),
                filters: [{ name: t('contribution.dialogs.openFilter'), extensions: ['zip', 'xlsx'] }],
              }),
          },
        }),
    });
    if (!runtime) {
      app.quit();
      return;
    }
    const { dispatch } = runtime;
    stopBackups = startAutomaticBackups(runtime.store, {
      intervalMs: AUTOMATIC_BACKUP_INTERVAL_MS,
      retentionDays: DEFAULT_BACKUP_RETENTION_DAYS,
      log,
    });
    unregisterIpc = registerIpc(ipcMain, dispatch, log);

    const menuDeps = { dispatch, t, showMessageBox, emit };
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        buildMenuTemplate({
          t,
          isDev: !app.isPackaged,
          isMac: process.platform === 'darwin',
          actions: {
            saveAs: () => void runBackupMenuAction('backup:saveAs', menuDeps),
            restore: () => void runBackupMenuAction('backup:restore', menuDeps),
            about: () =>
              void showMessageBox({
                type: 'info',
                title: t('desktop.menu.about'),
                message: t('app.name'),
                detail: t('desktop.about.detail', { version: APP_VERSION, tagline: t('app.tagline'), operator: t('app.operator') }),
                buttons: [t('desktop.dialogs.ok')],
              }),
          },
        }),
      ),
    );

    // The critical flags are pinned again at the call site (whatever windowOptions returns) so
    // that Electronegativity sees them on the real constructor call.
    const options = windowOptions(mainDir);
    const w = new BrowserWindow({
      ...options,
      webPreferences: {
        ...options.webPreferences,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        disableBlinkFeatures: 'Auxclick',
      },
    });
    win = w;
    w.once('ready-to-show', () => w.show());
    w.on('closed', () => {
      win = null;
      shutdown();
    });
    await w.loadURL(APP_INDEX_URL);
  });
}
