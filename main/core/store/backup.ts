import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BackupEntry } from '../../../shared/domain/types';
import type { Logger } from '../log';
import { nullLogger } from '../log';
import type { StorePaths } from './paths';
import type { Store } from './store';

const BACKUP_FILE = /^comite-ptce-(\d{8}T\d{6}\d{3}Z)\.sqlite$/;

export function stampOf(date: Date): string {
  return date.toISOString().replace(/[-:.]/g, '');
}

function dateOfStamp(stamp: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z$/.exec(stamp)!;
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, +m[7]!));
}

/** Newest first. */
export function listBackups(paths: StorePaths): BackupEntry[] {
  let names: string[];
  try {
    names = readdirSync(paths.backupDir);
  } catch {
    return [];
  }
  return names
    .map((name) => BACKUP_FILE.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => {
      const file = join(paths.backupDir, m[0]);
      return { file, createdAt: dateOfStamp(m[1]!).toISOString(), size: statSync(file).size };
    })
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** Flushes a file (and best effort its folder: Windows cannot fsync a directory). */
export function fsyncPath(path: string, directory = false): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    fsyncSync(fd);
  } catch (error) {
    if (!directory) throw error;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * A consistent single-file copy of `db` at `file`: SQLite's online backup API, copied in ONE
 * step (one read transaction, so a writer on another connection or process cannot make the
 * copy mix two points in time, and cannot make the copy restart forever), then switched to
 * `journal_mode=DELETE` so the copy needs no -wal/-shm, and checked with integrity_check.
 */
export async function copyDatabase(db: Db, file: string): Promise<void> {
  await db.backup(file, { progress: () => 0x7fffffff });
  const copy = new Database(file);
  try {
    copy.pragma('journal_mode = DELETE');
    const check = copy.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new Error(`integrity_check: ${String(check)}`);
  } finally {
    copy.close();
  }
  fsyncPath(file);
}

/**
 * A consistent copy of the live database (safe while in use and in WAL mode), checked, then
 * renamed into place, then removal of copies older than `retentionDays` — the newest one is
 * always kept.
 */
export async function backupNow(db: Db, paths: StorePaths, now: Date, retentionDays: number): Promise<BackupEntry> {
  mkdirSync(paths.backupDir, { recursive: true });
  const file = join(paths.backupDir, `comite-ptce-${stampOf(now)}.sqlite`);
  // The temporary name does not match BACKUP_FILE: a half-written copy is never listed.
  const tmp = `${file}.tmp`;
  try {
    rmSync(tmp, { force: true });
    await copyDatabase(db, tmp);
    renameSync(tmp, file);
    fsyncPath(paths.backupDir, true);
  } catch (error) {
    rmSync(tmp, { force: true });
    rmSync(`${tmp}-journal`, { force: true });
    throw error;
  }
  pruneBackups(paths, now, retentionDays);
  return { file, createdAt: now.toISOString(), size: statSync(file).size };
}

export function pruneBackups(paths: StorePaths, now: Date, retentionDays: number): string[] {
  const limit = now.getTime() - retentionDays * 86_400_000;
  const [, ...older] = listBackups(paths);
  const removed: string[] = [];
  for (const b of older) {
    if (Date.parse(b.createdAt) < limit) {
      rmSync(b.file, { force: true });
      removed.push(b.file);
    }
  }
  return removed;
}

export interface AutomaticBackupOptions {
  intervalMs: number;
  retentionDays: number;
  now?: () => Date;
  log?: Logger;
}

/**
 * Rotating backups: one at start when the newest copy is older than `intervalMs` (or there is
 * none), then one every `intervalMs`. The timer does not keep the process alive; failures
 * (store closed during a restore, disk full…) are logged, never thrown. Returns `stop`.
 */
export function startAutomaticBackups(store: Store, opts: AutomaticBackupOptions): () => void {
  const now = opts.now ?? (() => new Date());
  const log = opts.log ?? nullLogger;
  let running = false;
  let stopped = false;

  const run = async () => {
    if (running || stopped) return;
    running = true;
    try {
      const entry = await backupNow(store.db, store.paths, now(), opts.retentionDays);
      log.info('backup.auto', { size: entry.size });
    } catch (error) {
      log.error('backup.auto_failed', { error });
    } finally {
      running = false;
    }
  };

  const newest = listBackups(store.paths)[0];
  if (!newest || now().getTime() - Date.parse(newest.createdAt) >= opts.intervalMs) void run();
  const timer = setInterval(() => void run(), opts.intervalMs);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
