import type { Database } from 'better-sqlite3';
import { openDatabase } from '../db/open';
import { storePaths, type StorePaths } from './paths';

/**
 * The open store. Handlers read `store.db` on each call, because a restore closes the
 * database and reopens the restored file in its place.
 */
export class Store {
  readonly paths: StorePaths;
  #db: Database | null;

  private constructor(paths: StorePaths, db: Database) {
    this.paths = paths;
    this.#db = db;
  }

  static open(dbPath: string): Store {
    return new Store(storePaths(dbPath), openDatabase(dbPath));
  }

  get db(): Database {
    if (!this.#db) throw new Error('store is closed');
    return this.#db;
  }

  /** Closes, lets `replace` swap files on disk, then reopens (even when `replace` throws). */
  async reopenAfter(replace: () => Promise<void>): Promise<void> {
    this.close();
    try {
      await replace();
    } finally {
      this.#db = openDatabase(this.paths.dbPath);
    }
  }

  close(): void {
    if (this.#db?.open) {
      this.#db.pragma('wal_checkpoint(TRUNCATE)');
      this.#db.close();
    }
    this.#db = null;
  }
}
