import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../../main/core/db/open';
import { seedDemo } from '../../../main/core/demo';
import { backupNow, listBackups } from '../../../main/core/store/backup';
import { storePaths } from '../../../main/core/store/paths';
import { corruptKeptPath, recoverFromLatestBackup } from '../../../main/core/store/recovery';
import { setSetting } from '../../../main/core/store/settings';
import { AppFailure } from '../../../shared/errors';
import { corruptTablePage } from '../../support/corrupt';
import { tempDir } from '../../support/tmp';

let cleanup = () => {};
afterEach(() => cleanup());

const T0 = Date.UTC(2024, 2, 1, 8, 0, 0);
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return e instanceof AppFailure ? e.code : `not an AppFailure: ${String(e)}`;
  }
  return 'no error';
}

/** A store with two backups: "old" (generation 1) then "new" (generation 2), then generation 3 live. */
async function storeWithBackups() {
  const t = tempDir();
  cleanup = t.cleanup;
  const paths = storePaths(join(t.dir, 'store.sqlite'));
  const db = openDatabase(paths.dbPath);
  seedDemo(db, new Date(T0));
  setSetting(db, 'generation', '1');
  const older = await backupNow(db, paths, new Date(T0), 14);
  setSetting(db, 'generation', '2');
  const newer = await backupNow(db, paths, new Date(T0 + 3_600_000), 14);
  setSetting(db, 'generation', '3');
  db.close();
  corruptTablePage(paths.dbPath);
  return { paths, older, newer };
}

function generation(dbPath: string): string {
  const db = openDatabase(dbPath);
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect((db.prepare('SELECT count(*) AS n FROM dossiers').get() as { n: number }).n).toBeGreaterThan(0);
    return (db.prepare("SELECT value FROM settings WHERE key = 'generation'").get() as { value: string }).value;
  } finally {
    db.close();
  }
}

describe('recoverFromLatestBackup (security.md §2.2 cases 5 and 10)', () => {
  it('64 overwritten bytes in a b-tree page make openDatabase throw db_corrupt', async () => {
    const { paths } = await storeWithBackups();
    expect(codeOf(() => openDatabase(paths.dbPath))).toBe('db_corrupt');
  });

  it('keeps the corrupt file and puts the newest good backup in place, leaving the backups untouched', async () => {
    const { paths, newer, older } = await storeWithBackups();
    const corruptSha = sha(paths.dbPath);
    const backupShas = [sha(newer.file), sha(older.file)];
    const now = new Date(T0 + 7_200_000);

    const result = recoverFromLatestBackup(paths, now);

    expect(result).toEqual({ restoredFrom: newer.file, corruptKeptAt: corruptKeptPath(paths, now) });
    expect(sha(result!.corruptKeptAt)).toBe(corruptSha);
    expect(generation(paths.dbPath)).toBe('2');
    expect([sha(newer.file), sha(older.file)]).toEqual(backupShas);
    expect(listBackups(paths)).toHaveLength(2);
  });

  it('skips a newest backup that is itself corrupt and uses the older good one', async () => {
    const { paths, newer, older } = await storeWithBackups();
    corruptTablePage(newer.file);
    const result = recoverFromLatestBackup(paths, new Date(T0 + 7_200_000));
    expect(result?.restoredFrom).toBe(older.file);
    expect(generation(paths.dbPath)).toBe('1');
  });

  it('returns null when no backup is good: the corrupt file is kept aside and nothing is put in place', async () => {
    const { paths, newer, older } = await storeWithBackups();
    corruptTablePage(newer.file);
    corruptTablePage(older.file);
    const corruptSha = sha(paths.dbPath);
    const now = new Date(T0 + 7_200_000);
    expect(recoverFromLatestBackup(paths, now)).toBeNull();
    expect(existsSync(paths.dbPath)).toBe(false);
    expect(sha(corruptKeptPath(paths, now))).toBe(corruptSha);
    expect(existsSync(`${paths.dbPath}.recovering`)).toBe(false);
  });
});
