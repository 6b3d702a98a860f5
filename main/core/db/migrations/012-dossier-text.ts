import type { Database } from 'better-sqlite3';

/**
 * One full-text row per dossier (issue 4, search performance).
 *
 * Migration 9 indexed each rubric as its own FTS5 row, so « every word, in any rubric » meant one
 * lookup per word and an intersection of tens of thousands of rubric rows in SQL (≈ 12 ms for two
 * common words on 5 000 dossiers). `dossier_text` indexes each dossier once — its project and
 * structure names, then each rubric in its own column (positions 0–9, the rest together in `more`),
 * so all-words matching, counting and bm25 ranking are single FTS5 queries over 5 000 rows, and a
 * snippet (`snippet(dossier_text, -1, …)`) stays within one rubric. It is an external-content index
 * over the view `dossier_text_source` (no second copy of the text); snippets read the text from it.
 *
 * An external-content index must be told the exact text it indexed before that text changes. A
 * dossier's text spans many rows (its rubrics), and re-indexing the whole dossier on every rubric
 * write would tokenize it once per rubric. So triggers only *note* a dossier the first time its text
 * is about to change, with the text indexed until then (`old_text`: a JSON array of the columns,
 * NULL for a new dossier), in
 * `dossier_text_pending`; `syncDossierText` (main/core/review/search.ts) then removes the old text and
 * indexes the new one, once per dossier. The importer calls it before committing; every search
 * calls it first when notes are pending, so results never miss a change.
 * Invariant: a dossier without a pending note is indexed with exactly its current view text.
 */
const RUBRIC_COLUMNS = 10;
const rubric = (i: number) => `r${i}`;
/** The index's columns, in order (the identification, then the rubrics by position, then the rest). */
export const DOSSIER_TEXT_COLUMNS = ['names', ...Array.from({ length: RUBRIC_COLUMNS }, (_, i) => rubric(i)), 'more'];

export function up(db: Database): void {
  const rubricColumns = Array.from(
    { length: RUBRIC_COLUMNS },
    (_, i) => `(SELECT r.content FROM dossier_rubrics r WHERE r.dossier_id * 32 + r.position = d.id * 32 + ${i})`,
  );
  const oldText = `json_array(${DOSSIER_TEXT_COLUMNS.join(', ')})`;
  const note = (id: string) =>
    `INSERT INTO dossier_text_pending (dossier_id, old_text) SELECT id, ${oldText} FROM dossier_text_source WHERE id = ${id};`;
  db.exec(`
    DROP TRIGGER dossier_search_rubric_ai;
    DROP TRIGGER dossier_search_rubric_au;
    DROP TRIGGER dossier_search_rubric_ad;
    DROP TRIGGER dossier_search_dossier_ai;
    DROP TRIGGER dossier_search_dossier_au;
    DROP TRIGGER dossier_search_dossier_ad;
    DROP TABLE dossier_search;
    DROP VIEW dossier_search_source;
    DROP INDEX dossiers_by_search_id;

    -- Each rubric by migration 9's expression index (dossier_id * 32 + position).
    CREATE VIEW dossier_text_source (id, ${DOSSIER_TEXT_COLUMNS.join(', ')}) AS
      SELECT d.id, d.project_name || char(10) || d.structure_name, ${rubricColumns.join(', ')}, (
        SELECT group_concat(t.content, char(10)) FROM (
          SELECT content FROM dossier_rubrics r
          WHERE r.dossier_id * 32 + r.position BETWEEN d.id * 32 + ${RUBRIC_COLUMNS} AND d.id * 32 + 31
          ORDER BY r.dossier_id * 32 + r.position) t)
      FROM dossiers d;

    CREATE VIRTUAL TABLE dossier_text USING fts5(
      ${DOSSIER_TEXT_COLUMNS.join(', ')}, content = 'dossier_text_source', content_rowid = 'id',
      tokenize = "unicode61 remove_diacritics 2"
    );

    -- No foreign key: a deleted dossier's note is what removes its text from the index.
    CREATE TABLE dossier_text_pending (
      dossier_id INTEGER PRIMARY KEY,
      old_text   TEXT
    ) STRICT;

    CREATE TRIGGER dossier_text_dossier_ai AFTER INSERT ON dossiers BEGIN
      INSERT OR IGNORE INTO dossier_text_pending (dossier_id, old_text) VALUES (new.id, NULL);
    END;
    CREATE TRIGGER dossier_text_dossier_bu BEFORE UPDATE OF project_name, structure_name ON dossiers
    WHEN NOT EXISTS (SELECT 1 FROM dossier_text_pending WHERE dossier_id = old.id) BEGIN
      ${note('old.id')}
    END;
    CREATE TRIGGER dossier_text_dossier_bd BEFORE DELETE ON dossiers
    WHEN NOT EXISTS (SELECT 1 FROM dossier_text_pending WHERE dossier_id = old.id) BEGIN
      ${note('old.id')}
    END;
    CREATE TRIGGER dossier_text_rubric_bi BEFORE INSERT ON dossier_rubrics
    WHEN NOT EXISTS (SELECT 1 FROM dossier_text_pending WHERE dossier_id = new.dossier_id) BEGIN
      ${note('new.dossier_id')}
    END;
    CREATE TRIGGER dossier_text_rubric_bu_old BEFORE UPDATE OF content, position, dossier_id ON dossier_rubrics
    WHEN NOT EXISTS (SELECT 1 FROM dossier_text_pending WHERE dossier_id = old.dossier_id) BEGIN
      ${note('old.dossier_id')}
    END;
    CREATE TRIGGER dossier_text_rubric_bu_new BEFORE UPDATE OF dossier_id ON dossier_rubrics
    WHEN NOT EXISTS (SELECT 1 FROM dossier_text_pending WHERE dossier_id = new.dossier_id) BEGIN
      ${note('new.dossier_id')}
    END;
    CREATE TRIGGER dossier_text_rubric_bd BEFORE DELETE ON dossier_rubrics
    WHEN NOT EXISTS (SELECT 1 FROM dossier_text_pending WHERE dossier_id = old.dossier_id) BEGIN
      ${note('old.dossier_id')}
    END;

    INSERT INTO dossier_text (dossier_text) VALUES ('rebuild');
  `);
}
