import { afterEach, describe, expect, it, vi } from 'vitest';
import Database from 'better-sqlite3';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, schemaVersion, WAL_AUTOCHECKPOINT_PAGES } from '../../../main/core/db/open';
import { LATEST_SCHEMA_VERSION } from '../../../main/core/db/migrations';
import { AppFailure } from '../../../shared/errors';
import { tempDir } from '../../support/tmp';

let cleanup = () => {};
afterEach(() => cleanup());

function fresh() {
  const t = tempDir();
  cleanup = t.cleanup;
  return join(t.dir, 'store.sqlite');
}

describe('openDatabase', () => {
  it('checks the file on a first open, not on a secondary connection (the import worker), which keeps the same settings', () => {
    const path = fresh();
    openDatabase(path).close();
    const pragma = vi.spyOn(Database.prototype, 'pragma');
    try {
      const checks = () => pragma.mock.calls.filter(([sql]) => /quick_check|integrity_check/.test(String(sql))).length;
      openDatabase(path).close();
      expect(checks()).toBe(1);
      pragma.mockClear();
      const second = openDatabase(path, { secondary: true });
      expect(checks()).toBe(0);
      expect(second.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(second.pragma('synchronous', { simple: true })).toBe(2);
      expect(second.pragma('foreign_keys', { simple: true })).toBe(1);
      second.close();
    } finally {
      pragma.mockRestore();
    }
  });

  it('sets WAL, synchronous=FULL and foreign keys on every open, including a reopen', () => {
    const path = fresh();
    openDatabase(path).close();
    const db = openDatabase(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(WAL_AUTOCHECKPOINT_PAGES);
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    db.close();
  });

  it('refuses a database written by a newer version, without touching it', () => {
    const path = fresh();
    const raw = new Database(path);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    raw.close();
    expect(() => openDatabase(path)).toThrowError(AppFailure);
    try {
      openDatabase(path);
    } catch (e) {
      expect((e as AppFailure).code).toBe('db_from_future');
    }
    const after = new Database(path);
    expect(after.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION + 5);
    after.close();
  });

  it('treats a file that is not a database as corruption and leaves it in place', () => {
    const path = fresh();
    writeFileSync(path, Buffer.alloc(8192, 0x41));
    let code = '';
    try {
      openDatabase(path);
    } catch (e) {
      code = (e as AppFailure).code;
    }
    expect(code).toBe('db_corrupt');
    expect(existsSync(path)).toBe(true);
  });

  it('applies all pending migrations in one transaction and copies the file aside first', () => {
    const path = fresh();
    const v1 = [{ version: 1, name: 'a', up: (db: Database.Database) => db.exec('CREATE TABLE a (x INTEGER) STRICT') }];
    openDatabase(path, { migrations: v1 }).close();
    const failing = [
      ...v1,
      { version: 2, name: 'b', up: (db: Database.Database) => db.exec('CREATE TABLE b (x INTEGER) STRICT') },
      { version: 3, name: 'boom', up: () => { throw new Error('boom'); } },
    ];
    expect(() => openDatabase(path, { migrations: failing })).toThrowError(/db_migration_failed/);
    const db = openDatabase(path, { migrations: v1 });
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'b'").get()).toBeUndefined();
    db.close();
    const copies = readdirSync(join(path, '..')).filter((f) => f.includes('.before-v3-'));
    expect(copies).toHaveLength(1);
  });
});
