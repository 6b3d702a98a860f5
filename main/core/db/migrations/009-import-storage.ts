import type { Database } from 'better-sqlite3';

/**
 * Import storage (issue 3): each text is stored once.
 *
 * - `dossier_search` becomes an FTS5 *external-content* index over the view `dossier_search_source`
 *   (the rubrics of `dossier_rubrics` and the identification of `dossiers`), so the index no longer
 *   keeps its own copy of every rubric. Row ids keep migration 3's encoding (dossier_id * 32 +
 *   rubric position, dossier_id * 32 + 31 for the identification), so `rowid >> 5` is still the
 *   dossier; expression indexes let FTS5 fetch one source row by that id (snippets).
 *   Triggers keep it in sync: an external-content index is told what it indexed ('delete' with the
 *   old values) before the new values are inserted.
 * - The raw imported row lives once, in `dossier_versions` at `dossiers.version`: the copies older
 *   versions of the app kept in `dossiers.raw_json` are emptied (`{}`) where that version row exists.
 */
export function up(db: Database): void {
  db.exec(`
    DROP TRIGGER dossier_search_rubric_ai;
    DROP TRIGGER dossier_search_rubric_au;
    DROP TRIGGER dossier_search_rubric_ad;
    DROP TRIGGER dossier_search_dossier_ai;
    DROP TRIGGER dossier_search_dossier_au;
    DROP TRIGGER dossier_search_dossier_ad;
    DROP TABLE dossier_search;

    CREATE INDEX dossier_rubrics_by_search_id ON dossier_rubrics (dossier_id * 32 + position);
    CREATE INDEX dossiers_by_search_id ON dossiers (id * 32 + 31);
    CREATE VIEW dossier_search_source (search_id, dossier_id, kind, body) AS
      SELECT dossier_id * 32 + position, dossier_id, rubric_key, content FROM dossier_rubrics
      UNION ALL
      SELECT id * 32 + 31, id, 'identification', project_name || char(10) || structure_name FROM dossiers;

    CREATE VIRTUAL TABLE dossier_search USING fts5(
      dossier_id UNINDEXED, kind UNINDEXED, body,
      content = 'dossier_search_source', content_rowid = 'search_id',
      tokenize = "unicode61 remove_diacritics 2"
    );

    CREATE TRIGGER dossier_search_rubric_ai AFTER INSERT ON dossier_rubrics BEGIN
      INSERT INTO dossier_search (rowid, dossier_id, kind, body)
      VALUES (new.dossier_id * 32 + new.position, new.dossier_id, new.rubric_key, new.content);
    END;
    CREATE TRIGGER dossier_search_rubric_au AFTER UPDATE OF content, position, rubric_key, dossier_id ON dossier_rubrics BEGIN
      INSERT INTO dossier_search (dossier_search, rowid, dossier_id, kind, body)
      VALUES ('delete', old.dossier_id * 32 + old.position, old.dossier_id, old.rubric_key, old.content);
      INSERT INTO dossier_search (rowid, dossier_id, kind, body)
      VALUES (new.dossier_id * 32 + new.position, new.dossier_id, new.rubric_key, new.content);
    END;
    CREATE TRIGGER dossier_search_rubric_ad AFTER DELETE ON dossier_rubrics BEGIN
      INSERT INTO dossier_search (dossier_search, rowid, dossier_id, kind, body)
      VALUES ('delete', old.dossier_id * 32 + old.position, old.dossier_id, old.rubric_key, old.content);
    END;
    CREATE TRIGGER dossier_search_dossier_ai AFTER INSERT ON dossiers BEGIN
      INSERT INTO dossier_search (rowid, dossier_id, kind, body)
      VALUES (new.id * 32 + 31, new.id, 'identification', new.project_name || char(10) || new.structure_name);
    END;
    CREATE TRIGGER dossier_search_dossier_au AFTER UPDATE OF project_name, structure_name, id ON dossiers BEGIN
      INSERT INTO dossier_search (dossier_search, rowid, dossier_id, kind, body)
      VALUES ('delete', old.id * 32 + 31, old.id, 'identification', old.project_name || char(10) || old.structure_name);
      INSERT INTO dossier_search (rowid, dossier_id, kind, body)
      VALUES (new.id * 32 + 31, new.id, 'identification', new.project_name || char(10) || new.structure_name);
    END;
    CREATE TRIGGER dossier_search_dossier_ad AFTER DELETE ON dossiers BEGIN
      INSERT INTO dossier_search (dossier_search, rowid, dossier_id, kind, body)
      VALUES ('delete', old.id * 32 + 31, old.id, 'identification', old.project_name || char(10) || old.structure_name);
    END;

    INSERT INTO dossier_search (dossier_search) VALUES ('rebuild');

    UPDATE dossiers SET raw_json = '{}'
      WHERE raw_json <> '{}'
        AND EXISTS (SELECT 1 FROM dossier_versions v WHERE v.dossier_id = dossiers.id AND v.version = dossiers.version);
  `);
}
