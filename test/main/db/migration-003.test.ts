import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { openDatabase, schemaVersion } from '../../../main/core/db/open';
import { MIGRATIONS } from '../../../main/core/db/migrations';
import { seedDemoDossiers } from '../../../main/core/demo';
import { tempDir } from '../../support/tmp';

let cleanup = () => {};
afterEach(() => cleanup());

function fresh() {
  const t = tempDir();
  cleanup = t.cleanup;
  return join(t.dir, 'store.sqlite');
}

const plan = (db: Database.Database, sql: string, ...params: unknown[]): string =>
  (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');

describe('migration 003 (reviews, audit journal, search index)', () => {
  it('upgrades a schema-2 store with dossiers and backfills the search index', () => {
    const path = fresh();
    // Build a schema-2 store by hand with the first two migrations, then seed it.
    const raw = new Database(path);
    raw.pragma('foreign_keys = ON');
    raw.transaction(() => {
      for (const m of MIGRATIONS.filter((x) => x.version <= 2)) m.up(raw);
      raw.pragma('user_version = 2');
    })();
    seedDemoDossiers(raw, new Date('2021-07-01T00:00:00Z'));
    raw.close();

    const db = openDatabase(path, { migrations: MIGRATIONS.filter((m) => m.version <= 3) });
    expect(schemaVersion(db)).toBe(3);
    const dossiers = (db.prepare('SELECT count(*) AS n FROM dossiers').get() as { n: number }).n;
    const rubrics = (db.prepare('SELECT count(*) AS n FROM dossier_rubrics').get() as { n: number }).n;
    const indexed = (db.prepare('SELECT count(*) AS n FROM dossier_search').get() as { n: number }).n;
    expect(dossiers).toBe(6);
    expect(indexed).toBe(dossiers + rubrics);
    const hit = db.prepare(`SELECT dossier_id FROM dossier_search WHERE dossier_search MATCH '"economique"' LIMIT 1`).get();
    expect(hit).toBeDefined();
    // The new reviews columns exist with their defaults.
    const cols = (db.prepare('PRAGMA table_info(reviews)').all() as { name: string }[]).map((c) => c.name);
    expect(cols).toEqual(expect.arrayContaining(['revision', 'submitted_at']));
    db.close();
  });

  it('creates STRICT tables with checks, and the append-only triggers', () => {
    const db = openDatabase(fresh());
    for (const table of ['review_details', 'review_admissibility', 'review_eligibility', 'review_scores', 'audit_journal']) {
      const sql = (db.prepare("SELECT sql FROM sqlite_schema WHERE name = ?").get(table) as { sql: string }).sql;
      expect(sql).toMatch(/\) STRICT$/);
    }
    db.prepare("INSERT INTO members (name, role, created_at) VALUES ('M', 'cress', 'now')").run();
    expect(() =>
      db
        .prepare("INSERT INTO audit_journal (at, entity, entity_id, action, prev_hash, hash) VALUES ('t', 'e', '1', 'a', 'short', 'x')")
        .run(),
    ).toThrow(/CHECK/);
    const triggers = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'audit_journal'").all() as {
      name: string;
    }[]).map((t) => t.name);
    expect(triggers.sort()).toEqual(['audit_journal_no_delete', 'audit_journal_no_update']);
    db.close();
  });

  it('serves the hot queries from indexes (EXPLAIN QUERY PLAN)', () => {
    const db = openDatabase(fresh());
    expect(plan(db, 'SELECT * FROM reviews WHERE dossier_id = ? AND member_id = ?', 1, 1)).toMatch(
      /SEARCH reviews USING INDEX sqlite_autoindex_reviews_1 \(dossier_id=\? AND member_id=\?\)/,
    );
    expect(plan(db, 'SELECT * FROM review_scores WHERE review_id = ? AND criterion_key = ?', 1, 'V1')).toMatch(
      /SEARCH review_scores USING (INDEX sqlite_autoindex_review_scores_1|PRIMARY KEY)/,
    );
    expect(plan(db, 'SELECT * FROM review_details WHERE review_id = ?', 1)).toMatch(/SEARCH review_details USING INTEGER PRIMARY KEY/);
    expect(plan(db, 'SELECT seq, hash FROM audit_journal ORDER BY seq DESC LIMIT 1')).toMatch(/SCAN audit_journal$/);
    expect(plan(db, 'SELECT * FROM audit_journal WHERE dossier_id = ? ORDER BY seq', 1)).toMatch(
      /SEARCH audit_journal USING INDEX audit_journal_by_dossier \(dossier_id=\?\)/,
    );
    expect(plan(db, "SELECT * FROM reviews WHERE status = 'submitted'")).toMatch(/USING (COVERING )?INDEX reviews_by_status/);
    expect(plan(db, 'SELECT rowid FROM dossier_text WHERE dossier_text MATCH ?', 'x')).toMatch(/VIRTUAL TABLE INDEX/);
    db.close();
  });
});
