import { describe, expect, it, vi } from 'vitest';
import { join, resolve } from 'node:path';
import { backupFileFilters, openAtStartup, resolveDbPath, runBackupMenuAction, type MessageBox } from '../../../main/app/lifecycle';
import { createTranslator } from '../../../main/app/messages';
import { AppFailure } from '../../../shared/errors';
import type { Dispatch } from '../../../main/core/ipc/dispatch';
import type { StorePaths } from '../../../main/core/store/paths';

const t = createTranslator('fr');
const NOW = new Date('2026-03-02T10:00:00Z');

describe('resolveDbPath', () => {
  const userData = join('/home', 'u', '.config', 'Comité PTCE');
  it('defaults to comite-ptce.sqlite in the user-data folder', () => {
    expect(resolveDbPath(['electron', '.'], {}, userData)).toBe(join(userData, 'comite-ptce.sqlite'));
  });
  it('takes COMITE_PTCE_DB, and --db=FILE / --db FILE over it', () => {
    expect(resolveDbPath([], { COMITE_PTCE_DB: '/data/env.sqlite' }, userData)).toBe('/data/env.sqlite');
    expect(resolveDbPath(['app', '--db=/data/arg.sqlite'], { COMITE_PTCE_DB: '/data/env.sqlite' }, userData)).toBe('/data/arg.sqlite');
    expect(resolveDbPath(['app', '--db', '/data/two.sqlite'], {}, userData)).toBe('/data/two.sqlite');
  });
  it('resolves a relative path against the working directory', () => {
    expect(resolveDbPath(['--db=rel.sqlite'], {}, userData, '/work')).toBe(resolve('/work', 'rel.sqlite'));
  });
  it('ignores an empty --db= and a flag in place of the value', () => {
    expect(resolveDbPath(['--db='], {}, userData)).toBe(join(userData, 'comite-ptce.sqlite'));
    expect(resolveDbPath(['--db', '--inspect'], {}, userData)).toBe(join(userData, 'comite-ptce.sqlite'));
  });
});

function boxes(answers: number[] = []) {
  const shown: MessageBox[] = [];
  const showMessageBox = vi.fn(async (box: MessageBox) => {
    shown.push(box);
    return answers.shift() ?? 0;
  });
  return { shown, showMessageBox };
}

describe('openAtStartup', () => {
  const dbPath = join('/data', 'comite-ptce.sqlite');

  it('returns the runtime when the store opens', async () => {
    const { shown, showMessageBox } = boxes();
    const recover = vi.fn();
    const r = await openAtStartup({ dbPath, open: () => 'runtime', recover, now: () => NOW, corruptKeptAt: () => '/data/kept.sqlite', t, showMessageBox });
    expect(r).toBe('runtime');
    expect(shown).toEqual([]);
    expect(recover).not.toHaveBeenCalled();
  });

  it('db_corrupt + « Quitter »: nothing is recovered and the app quits', async () => {
    const { shown, showMessageBox } = boxes([1]);
    const recover = vi.fn();
    const open = vi.fn(() => {
      throw new AppFailure('db_corrupt', { path: dbPath });
    });
    expect(await openAtStartup({ dbPath, open, recover, now: () => NOW, corruptKeptAt: () => '/data/kept.sqlite', t, showMessageBox })).toBeNull();
    expect(recover).not.toHaveBeenCalled();
    expect(shown).toHaveLength(1);
    expect(shown[0]!.buttons).toEqual(['Ouvrir la dernière sauvegarde', 'Quitter']);
    expect(shown[0]!.message).toBe(t('errors.db_corrupt'));
    expect(shown[0]!.message).toMatch(/conservé/);
    expect(shown[0]!.cancelId).toBe(1);
  });

  it('db_corrupt + « Ouvrir la dernière sauvegarde »: recovers with the store paths, reopens and says where the file is kept', async () => {
    const { shown, showMessageBox } = boxes([0, 0]);
    let calls = 0;
    const open = vi.fn(() => {
      if (calls++ === 0) throw new AppFailure('db_corrupt', { path: dbPath });
      return 'reopened';
    });
    const recover = vi.fn((_p: StorePaths, _now: Date) => ({ restoredFrom: '/data/b1.sqlite', corruptKeptAt: '/data/corrupt.sqlite' }));
    expect(await openAtStartup({ dbPath, open, recover, now: () => NOW, corruptKeptAt: () => '/data/kept.sqlite', t, showMessageBox })).toBe('reopened');
    expect(recover).toHaveBeenCalledWith(expect.objectContaining({ dbPath }), NOW);
    expect(recover.mock.calls[0]![0].backupDir).toBe(join('/data', 'comite-ptce-backups'));
    expect(shown[1]!.message).toContain('/data/corrupt.sqlite');
    expect(shown[1]!.message).toContain('/data/b1.sqlite');
  });

  it('db_corrupt with no backup: explains and quits', async () => {
    const { shown, showMessageBox } = boxes([0, 0]);
    const open = () => {
      throw new AppFailure('db_corrupt');
    };
    expect(await openAtStartup({ dbPath, open, recover: () => null, now: () => NOW, corruptKeptAt: () => '/data/kept.sqlite', t, showMessageBox })).toBeNull();
    expect(shown[1]!.message).toBe(t('desktop.startup.noBackup', { kept: '/data/kept.sqlite' }));
    expect(shown[1]!.message).toContain('/data/kept.sqlite');
  });

  it('db_from_future: explains with the schema versions and quits, without recovery', async () => {
    const { shown, showMessageBox } = boxes();
    const recover = vi.fn();
    const open = () => {
      throw new AppFailure('db_from_future', { found: 9, supported: 1 });
    };
    expect(await openAtStartup({ dbPath, open, recover, now: () => NOW, corruptKeptAt: () => '/data/kept.sqlite', t, showMessageBox })).toBeNull();
    expect(recover).not.toHaveBeenCalled();
    expect(shown).toHaveLength(1);
    expect(shown[0]!.message).toContain('9');
    expect(shown[0]!.buttons).toEqual(['OK']);
  });

  it('an unexpected error: generic message (no internals shown), quits', async () => {
    const { shown, showMessageBox } = boxes();
    const open = () => {
      throw new Error('SQLITE_CANTOPEN /secret/path');
    };
    expect(await openAtStartup({ dbPath, open, recover: () => null, now: () => NOW, corruptKeptAt: () => '/data/kept.sqlite', t, showMessageBox })).toBeNull();
    expect(shown[0]!.message).toBe(t('errors.internal'));
  });

  it('speaks English when asked', async () => {
    const { shown, showMessageBox } = boxes([1]);
    const open = () => {
      throw new AppFailure('db_corrupt');
    };
    await openAtStartup({ dbPath, open, recover: () => null, now: () => NOW, corruptKeptAt: () => '/data/kept.sqlite', t: createTranslator('en'), showMessageBox });
    expect(shown[0]!.buttons).toEqual(['Open the latest backup', 'Quit']);
  });
});

describe('runBackupMenuAction', () => {
  it('restore: tells the renderer the store changed', async () => {
    const { shown, showMessageBox } = boxes();
    const emit = vi.fn();
    const dispatch = vi.fn<Dispatch>(async () => ({ ok: true, value: { restoredFrom: '/x.comite-ptce.zip' } }));
    await runBackupMenuAction('backup:restore', { dispatch, t, showMessageBox, emit });
    expect(dispatch).toHaveBeenCalledWith('backup:restore', {});
    expect(emit).toHaveBeenCalledWith('store:changed', { reason: 'restored' });
    expect(shown).toEqual([]);
  });

  it('cancelled dialog (null value or cancelled code): silent, no event', async () => {
    const { shown, showMessageBox } = boxes();
    const emit = vi.fn();
    await runBackupMenuAction('backup:restore', { dispatch: async () => ({ ok: true, value: null }), t, showMessageBox, emit });
    await runBackupMenuAction('backup:saveAs', { dispatch: async () => ({ ok: false, error: { code: 'cancelled' } }), t, showMessageBox, emit });
    expect(shown).toEqual([]);
    expect(emit).not.toHaveBeenCalled();
  });

  it('failure: shows the translated error', async () => {
    const { shown, showMessageBox } = boxes();
    await runBackupMenuAction('backup:saveAs', { dispatch: async () => ({ ok: false, error: { code: 'backup_failed' } }), t, showMessageBox });
    expect(shown[0]!.message).toBe('La sauvegarde a échoué.');
    expect(shown[0]!.type).toBe('error');
  });
});

describe('backupFileFilters', () => {
  it('offers « Sauvegarde Comité PTCE » *.comite-ptce.zip (zip on macOS)', () => {
    expect(backupFileFilters(t, 'linux')).toEqual([{ name: 'Sauvegarde Comité PTCE', extensions: ['comite-ptce.zip'] }]);
    expect(backupFileFilters(t, 'darwin')[0]!.extensions).toEqual(['zip']);
  });
});
