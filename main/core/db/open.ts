import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppFailure } from '../../../shared/errors';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from './migrations';

export interface OpenDatabaseOptions {
  /** Defaults to the app's migrations; tests pass their own lists. */
  migrations?: readonly Migration[];
  /** Used to name the copy made before migrating. */
  now?: () => Date;
  /**
   * A second connection to a store the app has already opened and checked (the import worker's):
   * no quick_check, which reads the whole file (2.4 s for a 170 MB store with a cold cache).
   */
  secondary?: boolean;
}

/**
 * Opens the store: WAL, synchronous=FULL (better-sqlite3 reopens WAL databases as NORMAL
 * otherwise), foreign keys, a quick_check (a throw and a "not ok" row are both corruption),
 * then every pending migration in one transaction after copying the file aside.
 */
/** WAL pages after which a commit checkpoints by itself (idle checkpoints normally come first). */
export const WAL_AUTOCHECKPOINT_PAGES = 10_000;

export function openDatabase(path: string, options: OpenDatabaseOptions = {}): Db {
  const migrations = options.migrations ?? MIGRATIONS;
  const latest = migrations.length ? migrations[migrations.length - 1]!.version : LATEST_SCHEMA_VERSION;
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });

  let db: Db;
  try {
    db = new Database(path);
  } catch (cause) {
    throw corrupt(path, cause);
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // Checkpoints run in idle time (openRuntime's timer), not inside the commit that happens to
    // cross SQLite's default 1 000-page threshold: that commit used to pay the whole copy and
    // fsync (the p99 of saving a score). This larger threshold stays as a safety net (~40 MB).
    db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    if (!options.secondary) {
      const check = db.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new Error(`quick_check: ${String(check)}`);
    }
  } catch (cause) {
    db.close();
    throw cause instanceof AppFailure ? cause : corrupt(path, cause);
  }

  try {
    migrate(db, path, migrations, latest, options.now ?? (() => new Date()));
  } catch (cause) {
    db.close();
    throw cause;
  }
  return db;
}

function corrupt(path: string, cause: unknown): AppFailure {
  const failure = new AppFailure('db_corrupt', { path });
  (failure as Error).cause = cause;
  return failure;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function migrate(db: Db, path: string, migrations: readonly Migration[], latest: number, now: () => Date) {
  const current = schemaVersion(db);
  if (current > latest) {
    throw new AppFailure('db_from_future', { found: current, supported: latest });
  }
  const pending = migrations.filter((m) => m.version > current);
  if (pending.length === 0) return;

  if (current > 0 && path !== ':memory:' && existsSync(path)) {
    const stamp = now().toISOString().replace(/[:.]/g, '-');
    // VACUUM INTO gives a consistent single-file copy (WAL content included) without closing.
    db.prepare('VACUUM INTO ?').run(`${path}.before-v${latest}-${stamp}.sqlite`);
  }
  try {
    db.transaction(() => {
      for (const m of pending) m.up(db);
      db.pragma(`user_version = ${latest}`);
    })();
  } catch (cause) {
    const failure = new AppFailure('db_migration_failed', { from: current, to: latest });
    (failure as Error).cause = cause;
    throw failure;
  }
}
