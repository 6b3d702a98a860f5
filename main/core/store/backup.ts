import type { Database } from 'better-sqlite3';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BackupEntry } from '../../../shared/domain/types';
import type { StorePaths } from './paths';

const BACKUP_FILE = /^comite-ptce-(\d{8}T\d{6}\d{3}Z)\.sqlite$/;

function stampOf(date: Date): string {
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

/**
 * A consistent copy of the live database (SQLite's online backup API: safe while in use and in
 * WAL mode), then removal of copies older than `retentionDays` — the newest one is always kept.
 */
export async function backupNow(
  db: Database,
  paths: StorePaths,
  now: Date,
  retentionDays: number,
): Promise<BackupEntry> {
  mkdirSync(paths.backupDir, { recursive: true });
  const file = join(paths.backupDir, `comite-ptce-${stampOf(now)}.sqlite`);
  await db.backup(file);
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
