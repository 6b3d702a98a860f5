import type { Database } from 'better-sqlite3';

/**
 * Bulk search indexing for imports (issue 3, Performance).
 *
 * Migration 9's triggers index every row as it is written. An import writes a dossier (its
 * identification, index id `id * 32 + 31`) and then its rubrics (`id * 32 + position`): FTS5 must
 * flush its pending terms to a new segment whenever an index id is not above the previous one, so
 * a 5 000-dossier import made thousands of tiny segments and merged them (most of its CPU time).
 *
 * `dossier_search_deferral` holds at most one row, written by an import inside its transaction:
 * while it exists, the triggers leave alone the dossiers whose id is above `after_dossier_id` (the
 * ones the import creates), and the import indexes them in one statement, in index-id order, before
 * removing the row and committing (main/core/import/search-index.ts). Outside an import the table
 * is empty and the triggers behave as before. A failed import rolls the row back with the rest.
 */
export function up(db: Database): void {
  const notDeferred = (...ids: string[]) =>
    `NOT EXISTS (SELECT 1 FROM dossier_search_deferral WHERE ${ids.map((id) => `${id} > after_dossier_id`).join(' OR ')})`;
  db.exec(`
    CREATE TABLE dossier_search_deferral (
      id                INTEGER PRIMARY KEY CHECK (id = 1),
      after_dossier_id  INTEGER NOT NULL
    ) STRICT;

    DROP TRIGGER dossier_search_rubric_ai;
    DROP TRIGGER dossier_search_rubric_au;
    DROP TRIGGER dossier_search_rubric_ad;
    DROP TRIGGER dossier_search_dossier_ai;
    DROP TRIGGER dossier_search_dossier_au;
    DROP TRIGGER dossier_search_dossier_ad;

    CREATE TRIGGER dossier_search_rubric_ai AFTER INSERT ON dossier_rubrics
    WHEN ${notDeferred('new.dossier_id')} BEGIN
      INSERT INTO dossier_search (rowid, dossier_id, kind, body)
      VALUES (new.dossier_id * 32 + new.position, new.dossier_id, new.rubric_key, new.content);
    END;
    CREATE TRIGGER dossier_search_rubric_au AFTER UPDATE OF content, position, rubric_key, dossier_id ON dossier_rubrics
    WHEN ${notDeferred('old.dossier_id', 'new.dossier_id')} BEGIN
      INSERT INTO dossier_search (dossier_search, rowid, dossier_id, kind, body)
      VALUES ('delete', old.dossier_id * 32 + old.position, old.dossier_id, old.rubric_key, old.content);
      INSERT INTO dossier_search (rowid, dossier_id, kind, body)
      VALUES (new.dossier_id * 32 + new.position, new.dossier_id, new.rubric_key, new.content);
    END;
    CREATE TRIGGER dossier_search_rubric_ad AFTER DELETE ON dossier_rubrics
    WHEN ${notDeferred('old.dossier_id')} BEGIN
      INSERT INTO dossier_search (dossier_search, rowid, dossier_id, kind, body)
      VALUES ('delete', old.dossier_id * 32 + old.position, old.dossier_id, old.rubric_key, old.content);
    END;
    CREATE TRIGGER dossier_search_dossier_ai AFTER INSERT ON dossiers
    WHEN ${notDeferred('new.id')} BEGIN
      INSERT INTO dossier_search (rowid, dossier_id, kind, body)
      VALUES (new.id * 32 + 31, new.id, 'identification', new.project_name || char(10) || new.structure_name);
    END;
    CREATE TRIGGER dossier_search_dossier_au AFTER UPDATE OF project_name, structure_name, id ON dossiers
    WHEN ${notDeferred('old.id', 'new.id')} BEGIN
      INSERT INTO dossier_search (dossier_search, rowid, dossier_id, kind, body)
      VALUES ('delete', old.id * 32 + 31, old.id, 'identification', old.project_name || char(10) || old.structure_name);
      INSERT INTO dossier_search (rowid, dossier_id, kind, body)
      VALUES (new.id * 32 + 31, new.id, 'identification', new.project_name || char(10) || new.structure_name);
    END;
    CREATE TRIGGER dossier_search_dossier_ad AFTER DELETE ON dossiers
    WHEN ${notDeferred('old.id')} BEGIN
      INSERT INTO dossier_search (dossier_search, rowid, dossier_id, kind, body)
      VALUES ('delete', old.id * 32 + 31, old.id, 'identification', old.project_name || char(10) || old.structure_name);
    END;
  `);
}
