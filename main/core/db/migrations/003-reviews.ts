import type { Database } from 'better-sqlite3';

/**
 * Reviews (issue 4): each member's own review of a dossier — admissibility decisions on the import's
 * findings, the 7 eligibility answers, the 10 selection scores with justifications, and the review
 * details (maturity, targets, fragile territory, avis, motivation, phase 2, support suggestions).
 * `reviews.revision` is bumped by every save that changes something (optimistic checks).
 *
 * `audit_journal` is append-only (triggers refuse UPDATE and DELETE) and hash-chained by
 * main/core/review/audit.ts. It has no foreign keys: it must outlive what it describes.
 *
 * `dossier_search` is an FTS5 index of the identification (project + structure names) and every
 * rubric, accent- and case-insensitive (unicode61, remove_diacritics 2), kept in sync by triggers.
 * Row ids encode the source: dossier_id * 32 + rubric position (0..30), dossier_id * 32 + 31 for
 * the identification row — so a rubric change touches exactly one index row.
 */
export function up(db: Database): void {
  db.exec(`
    ALTER TABLE reviews ADD COLUMN revision INTEGER NOT NULL DEFAULT 0 CHECK (revision >= 0);
    ALTER TABLE reviews ADD COLUMN submitted_at TEXT;
    CREATE INDEX reviews_by_status ON reviews (status, dossier_id);

    CREATE TABLE review_details (
      review_id       INTEGER PRIMARY KEY REFERENCES reviews (id) ON DELETE CASCADE,
      maturity        TEXT CHECK (maturity IS NULL OR maturity IN ('intention', 'emergente', 'structuree')),
      target_a        INTEGER CHECK (target_a IS NULL OR target_a IN (0, 1)),
      target_b        INTEGER CHECK (target_b IS NULL OR target_b IN (0, 1)),
      target_c        INTEGER CHECK (target_c IS NULL OR target_c IN (0, 1)),
      fragile_qpv     INTEGER CHECK (fragile_qpv IS NULL OR fragile_qpv IN (0, 1)),
      fragile_zrr     INTEGER CHECK (fragile_zrr IS NULL OR fragile_zrr IN (0, 1)),
      fragile_deindustrialised INTEGER CHECK (fragile_deindustrialised IS NULL OR fragile_deindustrialised IN (0, 1)),
      avis            TEXT CHECK (avis IS NULL OR avis IN ('favorable', 'favorable_reserves', 'defavorable')),
      motivation      TEXT NOT NULL DEFAULT '',
      phase2          INTEGER NOT NULL DEFAULT 0 CHECK (phase2 IN (0, 1)),
      support_json    TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(support_json) AND json_type(support_json) = 'array')
    ) STRICT;
    CREATE INDEX review_details_by_avis ON review_details (avis);

    CREATE TABLE review_admissibility (
      review_id    INTEGER NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
      finding_key  TEXT NOT NULL,
      decision     TEXT CHECK (decision IS NULL OR decision IN ('confirmed', 'overridden')),
      reason       TEXT NOT NULL DEFAULT '',
      PRIMARY KEY (review_id, finding_key)
    ) STRICT;

    CREATE TABLE review_eligibility (
      review_id      INTEGER NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
      criterion_key  TEXT NOT NULL,
      answer         TEXT CHECK (answer IS NULL OR answer IN ('oui', 'en_perspective', 'non')),
      note           TEXT NOT NULL DEFAULT '',
      PRIMARY KEY (review_id, criterion_key)
    ) STRICT;

    CREATE TABLE review_scores (
      review_id      INTEGER NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
      criterion_key  TEXT NOT NULL,
      score          INTEGER,
      justification  TEXT NOT NULL DEFAULT '',
      PRIMARY KEY (review_id, criterion_key)
    ) STRICT;

    CREATE TABLE audit_journal (
      seq                 INTEGER PRIMARY KEY,
      at                  TEXT NOT NULL,
      member_id           INTEGER,
      keyboard_member_id  INTEGER,
      entity              TEXT NOT NULL,
      entity_id           TEXT NOT NULL,
      dossier_id          INTEGER,
      action              TEXT NOT NULL,
      before_json         TEXT CHECK (before_json IS NULL OR json_valid(before_json)),
      after_json          TEXT CHECK (after_json IS NULL OR json_valid(after_json)),
      prev_hash           TEXT NOT NULL CHECK (length(prev_hash) = 64),
      hash                TEXT NOT NULL CHECK (length(hash) = 64)
    ) STRICT;
    CREATE INDEX audit_journal_by_dossier ON audit_journal (dossier_id, seq);
    CREATE TRIGGER audit_journal_no_update BEFORE UPDATE ON audit_journal
      BEGIN SELECT RAISE(ABORT, 'audit_journal is append-only'); END;
    CREATE TRIGGER audit_journal_no_delete BEFORE DELETE ON audit_journal
      BEGIN SELECT RAISE(ABORT, 'audit_journal is append-only'); END;

    CREATE VIRTUAL TABLE dossier_search USING fts5(
      dossier_id UNINDEXED, kind UNINDEXED, body,
      tokenize = "unicode61 remove_diacritics 2"
    );

    CREATE TRIGGER dossier_search_rubric_ai AFTER INSERT ON dossier_rubrics BEGIN
      INSERT INTO dossier_search (rowid, dossier_id, kind, body)
      VALUES (new.dossier_id * 32 + new.position, new.dossier_id, new.rubric_key, new.content);
    END;
    CREATE TRIGGER dossier_search_rubric_au AFTER UPDATE OF content, position, rubric_key ON dossier_rubrics BEGIN
      DELETE FROM dossier_search WHERE rowid = old.dossier_id * 32 + old.position;
      INSERT INTO dossier_search (rowid, dossier_id, kind, body)
      VALUES (new.dossier_id * 32 + new.position, new.dossier_id, new.rubric_key, new.content);
    END;
    CREATE TRIGGER dossier_search_rubric_ad AFTER DELETE ON dossier_rubrics BEGIN
      DELETE FROM dossier_search WHERE rowid = old.dossier_id * 32 + old.position;
    END;
    CREATE TRIGGER dossier_search_dossier_ai AFTER INSERT ON dossiers BEGIN
      INSERT INTO dossier_search (rowid, dossier_id, kind, body)
      VALUES (new.id * 32 + 31, new.id, 'identification', new.project_name || char(10) || new.structure_name);
    END;
    CREATE TRIGGER dossier_search_dossier_au AFTER UPDATE OF project_name, structure_name ON dossiers BEGIN
      DELETE FROM dossier_search WHERE rowid = old.id * 32 + 31;
      INSERT INTO dossier_search (rowid, dossier_id, kind, body)
      VALUES (new.id * 32 + 31, new.id, 'identification', new.project_name || char(10) || new.structure_name);
    END;
    CREATE TRIGGER dossier_search_dossier_ad AFTER DELETE ON dossiers BEGIN
      DELETE FROM dossier_search WHERE rowid = old.id * 32 + 31;
    END;

    INSERT INTO dossier_search (rowid, dossier_id, kind, body)
      SELECT id * 32 + 31, id, 'identification', project_name || char(10) || structure_name FROM dossiers;
    INSERT INTO dossier_search (rowid, dossier_id, kind, body)
      SELECT dossier_id * 32 + position, dossier_id, rubric_key, content FROM dossier_rubrics;
  `);
}
