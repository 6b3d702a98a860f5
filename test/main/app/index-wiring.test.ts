/**
 * The Electron entry (main/app/index.ts) against a fake 'electron' module: what it registers
 * before `ready`, the single-instance lock, the window it opens, IPC, menu, the corrupt-store
 * dialog and the clean close. No Electron binary is needed.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventEmitter } from 'node:events';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHANNEL_NAMES } from '../../../shared/ipc/channels';
import { tempDir } from '../../support/tmp';

type Fn = (...args: never[]) => unknown;

function fakeElectron(opts: { lock?: boolean; messageBoxResponse?: number; encryptionAvailable?: boolean; savePath?: string } = {}) {
  const calls: string[] = [];
  const app = Object.assign(new EventEmitter(), {
    isPackaged: true,
    requestSingleInstanceLock: vi.fn(() => opts.lock ?? true),
    enableSandbox: vi.fn(() => calls.push('enableSandbox')),
    quit: vi.fn(() => calls.push('quit')),
    getLocale: () => 'fr-FR',
    getPath: (name: string) => `/nonexistent/${name}`,
    whenReady: vi.fn(() => {
      calls.push('whenReady');
      return ready.promise;
    }),
  });
  let resolveReady = () => {};
  const ready = { promise: new Promise<void>((r) => (resolveReady = r)) };
  const windows: FakeWindow[] = [];
  class FakeWindow extends EventEmitter {
    options: Record<string, unknown>;
    loaded: string[] = [];
    webContents = { send: vi.fn(), isDestroyed: () => false };
    constructor(options: Record<string, unknown>) {
      super();
      this.options = options;
      windows.push(this);
    }
    loadURL(url: string) {
      this.loaded.push(url);
      return Promise.resolve();
    }
    isDestroyed = () => false;
    isMinimized = () => false;
    show = vi.fn();
    focus = vi.fn();
    restore = vi.fn();
  }
  const ipcHandlers = new Map<string, Fn>();
  const sessionHandlers: string[] = [];
  const electron = {
    app,
    BrowserWindow: FakeWindow,
    protocol: {
      registerSchemesAsPrivileged: vi.fn(() => calls.push('registerSchemesAsPrivileged')),
      handle: vi.fn(() => calls.push('protocol.handle')),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: () => sessionHandlers.push('request'),
        setPermissionCheckHandler: () => sessionHandlers.push('check'),
        setDevicePermissionHandler: () => sessionHandlers.push('device'),
      },
    },
    ipcMain: { handle: (c: string, f: Fn) => ipcHandlers.set(c, f), removeHandler: (c: string) => ipcHandlers.delete(c) },
    dialog: {
      showMessageBox: vi.fn(async () => ({ response: opts.messageBoxResponse ?? 1, checkboxChecked: false })),
      showSaveDialog: vi.fn(async () => ({ canceled: !opts.savePath, filePath: opts.savePath })),
      showOpenDialog: vi.fn(),
    },
    // A stand-in for the OS keystore: reversible, and never the plaintext.
    safeStorage: {
      isEncryptionAvailable: vi.fn(() => opts.encryptionAvailable ?? true),
      getSelectedStorageBackend: vi.fn(() => 'gnome_libsecret'),
      encryptString: vi.fn((s: string) => Buffer.concat([Buffer.from('OSKS'), Buffer.from(s).map((b) => b ^ 0x5a)])),
      decryptString: vi.fn((b: Buffer) => Buffer.from(b.subarray(4).map((x) => x ^ 0x5a)).toString()),
    },
    Menu: { buildFromTemplate: vi.fn((t: unknown) => ({ template: t })), setApplicationMenu: vi.fn() },
  };
  return { electron, calls, windows, ipcHandlers, sessionHandlers, resolveReady: () => resolveReady() };
}

let cleanup = () => {};
const savedEnv = process.env.COMITE_PTCE_DB;
afterEach(() => {
  cleanup();
  vi.resetModules();
  vi.doUnmock('electron');
  if (savedEnv === undefined) delete process.env.COMITE_PTCE_DB;
  else process.env.COMITE_PTCE_DB = savedEnv;
});

async function start(fake: ReturnType<typeof fakeElectron>) {
  vi.doMock('electron', () => ({ ...fake.electron, default: fake.electron }));
  await import('../../../main/app/index');
}

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(cond()).toBe(true);
};

describe('main/app/index.ts wiring', () => {
  it('registers the scheme and the sandbox before ready, and quits when another instance holds the lock', async () => {
    const fake = fakeElectron({ lock: false });
    await start(fake);
    expect(fake.calls).toEqual(['registerSchemesAsPrivileged', 'enableSandbox', 'quit']);
    expect(fake.electron.app.whenReady).not.toHaveBeenCalled();
    expect(fake.electron.app.listenerCount('web-contents-created')).toBe(1);
    expect(fake.electron.app.listenerCount('session-created')).toBe(1);
  });

  it('opens the store, serves app://, registers every IPC channel, builds the menu and a hardened window', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const dbPath = join(t.dir, 'store.sqlite');
    process.env.COMITE_PTCE_DB = dbPath;
    const fake = fakeElectron();
    await start(fake);
    expect(fake.calls.indexOf('registerSchemesAsPrivileged')).toBeLessThan(fake.calls.indexOf('whenReady'));
    fake.resolveReady();
    await until(() => fake.windows.length === 1);

    const [win] = fake.windows;
    const prefs = win!.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, nodeIntegrationInSubFrames: false, webviewTag: false });
    expect(win!.options.show).toBe(false);
    await until(() => win!.loaded.length === 1);
    expect(win!.loaded).toEqual(['app://comite-ptce/index.html']);
    win!.emit('ready-to-show');
    expect(win!.show).toHaveBeenCalled();

    expect(fake.electron.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    expect(fake.sessionHandlers).toEqual(['request', 'check', 'device']);
    expect([...fake.ipcHandlers.keys()].sort()).toEqual([...CHANNEL_NAMES].sort());
    const template = fake.electron.Menu.buildFromTemplate.mock.calls[0]![0] as { label: string }[];
    expect(template.map((m) => m.label)).toEqual(['Fichier', 'Édition', 'Affichage', 'Aide']);

    // a real IPC round trip through the sender check and the dispatcher
    const mainFrame = { url: 'app://comite-ptce/index.html' };
    const info = (await fake.ipcHandlers.get('app:info')!({ senderFrame: mainFrame, sender: { mainFrame } } as never, {} as never)) as { ok: boolean; value: { dbPath: string } };
    expect(info.ok).toBe(true);
    expect(info.value.dbPath).toBe(dbPath);
    const evil = { url: 'https://evil.example/' };
    expect(await fake.ipcHandlers.get('app:info')!({ senderFrame: evil, sender: { mainFrame: evil } } as never, {} as never)).toEqual({
      ok: false,
      error: { code: 'forbidden_sender' },
    });

    // the automatic backup ran at start (no backup yet); let it finish before closing
    const backups = join(t.dir, 'store-backups');
    await until(() => existsSync(backups) && readdirSync(backups).some((f) => /^comite-ptce-\d{8}T\d+Z\.sqlite$/.test(f)));

    // closing the window closes the store cleanly (WAL checkpointed and removed) and unregisters IPC
    expect(existsSync(dbPath)).toBe(true);
    win!.emit('closed');
    expect(existsSync(`${dbPath}-wal`)).toBe(false);
    expect(fake.ipcHandlers.size).toBe(0);
  });

  it('a damaged database: asks, and on « Quitter » leaves the file untouched and quits', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const dbPath = join(t.dir, 'store.sqlite');
    const garbage = Buffer.from('SQLite format 3\u0000' + 'x'.repeat(5000));
    writeFileSync(dbPath, garbage);
    process.env.COMITE_PTCE_DB = dbPath;
    const fake = fakeElectron({ messageBoxResponse: 1 });
    await start(fake);
    fake.resolveReady();
    await until(() => fake.calls.includes('quit'));
    const box = (fake.electron.dialog.showMessageBox.mock.calls[0] as unknown[])[0] as { buttons: string[] };
    expect(box.buttons).toEqual(['Ouvrir la dernière sauvegarde', 'Quitter']);
    expect(fake.windows).toHaveLength(0);
    expect(readFileSync(dbPath).equals(garbage)).toBe(true);
  });

  it('a damaged database: on « Ouvrir la dernière sauvegarde », restores the newest backup, keeps the damaged file and opens the window', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const dbPath = join(t.dir, 'store.sqlite');
    const { openRuntime } = await import('../../../main/core/runtime');
    const { nullLogger } = await import('../../../main/core/log');
    const seeded = openRuntime({ dbPath, log: nullLogger });
    seeded.store.db.prepare("INSERT INTO settings (key, value) VALUES ('language', 'en')").run();
    await seeded.handlers['backup:now']({});
    seeded.close();
    const garbage = Buffer.from('SQLite format 3\u0000' + 'y'.repeat(5000));
    writeFileSync(dbPath, garbage);
    process.env.COMITE_PTCE_DB = dbPath;

    const fake = fakeElectron({ messageBoxResponse: 0 });
    await start(fake);
    fake.resolveReady();
    await until(() => fake.windows.length === 1);
    const boxes = fake.electron.dialog.showMessageBox.mock.calls.map((c) => (c as unknown[])[0] as { message: string });
    expect(boxes).toHaveLength(2);
    const kept = readdirSync(t.dir).find((f) => f.startsWith('store.sqlite.corrupt-'));
    expect(kept).toBeDefined();
    expect(readFileSync(join(t.dir, kept!)).equals(garbage)).toBe(true);
    expect(boxes[1]!.message).toContain(kept!);

    const mainFrame = { url: 'app://comite-ptce/index.html' };
    const prefs = await fake.ipcHandlers.get('prefs:get')!({ senderFrame: mainFrame, sender: { mainFrame } } as never, {} as never);
    expect(prefs).toEqual({ ok: true, value: { language: 'en' } });
    fake.windows[0]!.emit('closed');
  });

  it('« Exporter le paquet »: the save dialog, the key sealed by safeStorage, and a refusal when the keystore is unavailable', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const dbPath = join(t.dir, 'store.sqlite');
    const { openRuntime } = await import('../../../main/core/runtime');
    const { nullLogger } = await import('../../../main/core/log');
    const { seedDemo } = await import('../../../main/core/demo');
    const seeded = openRuntime({ dbPath, log: nullLogger });
    seedDemo(seeded.store.db, new Date(Date.UTC(2021, 6, 9)));
    seeded.close();
    process.env.COMITE_PTCE_DB = dbPath;
    const mainFrame = { url: 'app://comite-ptce/index.html' };
    const sender = { senderFrame: mainFrame, sender: { mainFrame } } as never;

    const refused = fakeElectron({ encryptionAvailable: false, savePath: join(t.dir, 'refused.zip') });
    await start(refused);
    refused.resolveReady();
    await until(() => refused.windows.length === 1);
    expect(await refused.ipcHandlers.get('package:export')!(sender, { campaignId: 1 } as never)).toEqual({
      ok: false,
      error: { code: 'key_storage_unavailable' },
    });
    expect(refused.electron.safeStorage.encryptString).not.toHaveBeenCalled();
    expect(existsSync(join(t.dir, 'refused.zip'))).toBe(false);
    refused.windows[0]!.emit('closed');
    vi.resetModules();

    const out = join(t.dir, 'paquet.zip');
    const fake = fakeElectron({ savePath: out });
    await start(fake);
    fake.resolveReady();
    await until(() => fake.windows.length === 1);
    const r = (await fake.ipcHandlers.get('package:export')!(sender, { campaignId: 1 } as never)) as {
      ok: boolean;
      value: { path: string; keyCreated: boolean; dossiers: number };
    };
    expect(r).toMatchObject({ ok: true, value: { path: out, keyCreated: true, dossiers: 3 } });
    const save = (fake.electron.dialog.showSaveDialog.mock.calls[0] as unknown[]).at(-1) as { defaultPath: string; title: string };
    expect(save.title).toBe('Enregistrer le paquet d’avis signé');
    expect(save.defaultPath).toMatch(/^\/nonexistent\/documents\/avis-ptce_\d{2}_[a-z0-9-]+_\d{4}-\d{2}-\d{2}\.zip$/);
    expect(fake.electron.safeStorage.encryptString).toHaveBeenCalledTimes(1);
    expect(fake.electron.safeStorage.decryptString).toHaveBeenCalledTimes(1);
    expect(existsSync(out)).toBe(true);
    fake.windows[0]!.emit('closed');
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(dbPath, { readonly: true });
    const row = db.prepare('SELECT protection, protected_private FROM member_keys').get() as { protection: string; protected_private: Buffer };
    db.close();
    expect(row.protection).toBe('electron-safestorage');
    expect(row.protected_private.subarray(0, 4).toString()).toBe('OSKS');
  });
});
