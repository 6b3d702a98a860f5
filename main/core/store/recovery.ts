import Database from 'better-sqlite3';
import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { fsyncPath, listBackups, stampOf } from './backup';
import type { StorePaths } from './paths';

/** Where recoverFromLatestBackup keeps the corrupt database (its -wal/-shm get the same name + suffix). */
export function corruptKeptPath(paths: StorePaths, now: Date): string {
  return `${paths.dbPath}.corrupt-${stampOf(now)}`;
}

/** Opens a copy and runs integrity_check; a throw (SQLITE_CORRUPT, not a database) counts as failure. */
function isHealthy(file: string): boolean {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { fileMustExist: true });
    if (db.pragma('integrity_check', { simple: true }) !== 'ok') return false;
    // The copy goes into place as a single file.
    db.pragma('journal_mode = DELETE');
    return true;
  } catch {
    return false;
  } finally {
    db?.close();
  }
}

/**
 * For a store that openDatabase refused with `db_corrupt`:
 * 1. the corrupt database is kept, never deleted: `<db>` (+ `-wal`, `-shm`) is renamed to
 *    `<db>.corrupt-<stamp>` (+ `-wal`, `-shm`) — see corruptKeptPath;
 * 2. the automatic backups are tried newest first; each candidate is copied to a temporary file
 *    (the backup itself is never modified), checked with integrity_check, and the first healthy
 *    one is renamed into place (fsync'ed).
 *
 * Returns null when no backup is healthy (or there is none). The corrupt file has then still
 * been moved aside, so the next openDatabase creates an EMPTY store: the caller must tell the
 * user, and where the corrupt file was kept (corruptKeptPath(paths, now)).
 * Synchronous and plain Node: the Electron glue calls it before opening the store.
 */
export function recoverFromLatestBackup(
  paths: StorePaths,
  now: Date,
): { restoredFrom: string; corruptKeptAt: string } | null {
  const corruptKeptAt = corruptKeptPath(paths, now);
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(paths.dbPath + suffix)) renameSync(paths.dbPath + suffix, corruptKeptAt + suffix);
  }
  rmSync(`${paths.dbPath}-journal`, { force: true });

  const tmp = `${paths.dbPath}.recovering`;
  for (const backup of listBackups(paths)) {
    rmSync(tmp, { force: true });
    try {
      copyFileSync(backup.file, tmp);
    } catch {
      continue;
    }
    if (!isHealthy(tmp)) continue;
    fsyncPath(tmp);
    renameSync(tmp, paths.dbPath);
    fsyncPath(dirname(paths.dbPath), true);
    return { restoredFrom: backup.file, corruptKeptAt };
  }
  for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(tmp + suffix, { force: true });
  return null;
}
