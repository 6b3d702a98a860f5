import type { Database } from 'better-sqlite3';
import { cached } from '../db/statements';

/**
 * Runs `write` (inside the caller's transaction) with search indexing deferred for the dossiers it
 * creates, then indexes them in one statement, in index-id order (migration 12): FTS5 then appends
 * to a few large segments instead of flushing one per dossier. Dossiers that existed before keep
 * being indexed row by row by the triggers. Call only inside a transaction: a throw from `write`
 * must roll back the deferral row with everything else.
 */
export function withDeferredSearchIndex<T>(db: Database, write: () => T): T {
  if (!db.inTransaction) throw new Error('withDeferredSearchIndex needs a transaction');
  const after = cached(db, 'SELECT coalesce(max(id), 0) FROM dossiers').pluck().get() as number;
  cached(db, 'INSERT INTO dossier_search_deferral (id, after_dossier_id) VALUES (1, ?)').run(after);
  const result = write();
  // The two sources merged in index-id order through their expression indexes (no sort of the texts).
  cached(
    db,
    `INSERT INTO dossier_search (rowid, dossier_id, kind, body)
     SELECT dossier_id * 32 + position, dossier_id, rubric_key, content FROM dossier_rubrics
       WHERE dossier_id * 32 + position > :after * 32 + 31
     UNION ALL
     SELECT id * 32 + 31, id, 'identification', project_name || char(10) || structure_name FROM dossiers
       WHERE id * 32 + 31 > :after * 32 + 31
     ORDER BY 1`,
  ).run({ after });
  cached(db, 'DELETE FROM dossier_search_deferral').run();
  return result;
}
