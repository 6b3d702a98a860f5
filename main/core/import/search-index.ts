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
  const deferral = deferSearchIndex(db);
  const result = write();
  deferral.finish();
  return result;
}

/** A deferral of search indexing, open in a transaction (deferSearchIndex). */
export interface SearchDeferral {
  /**
   * Indexes the dossiers created since the deferral began, up to id `upTo`, whose rows and rubrics are
   * final; from then on the triggers keep those up to date again (the deferral now starts above `upTo`).
   */
  indexUpTo(upTo: number): void;
  /** Indexes the rest and ends the deferral (call it before committing). */
  finish(): void;
}

/** The same in steps, for a transaction that spans awaits and indexes as it goes. */
export function deferSearchIndex(db: Database): SearchDeferral {
  if (!db.inTransaction) throw new Error('deferSearchIndex needs a transaction');
  let after = cached(db, 'SELECT coalesce(max(id), 0) FROM dossiers').pluck().get() as number;
  cached(db, 'INSERT INTO dossier_search_deferral (id, after_dossier_id) VALUES (1, ?)').run(after);
  return {
    indexUpTo(upTo) {
      if (upTo <= after) return;
      indexRange(db, after, upTo);
      cached(db, 'UPDATE dossier_search_deferral SET after_dossier_id = ?').run(upTo);
      after = upTo;
    },
    finish() {
      indexRange(db, after, Math.floor(Number.MAX_SAFE_INTEGER / 32));
      cached(db, 'DELETE FROM dossier_search_deferral').run();
    },
  };
}

/** Indexes the dossiers with `after < id <= upTo`. */
function indexRange(db: Database, after: number, upTo: number): void {
  // The two sources merged in index-id order through their expression indexes (no sort of the texts).
  cached(
    db,
    `INSERT INTO dossier_search (rowid, dossier_id, kind, body)
     SELECT dossier_id * 32 + position, dossier_id, rubric_key, content FROM dossier_rubrics
       WHERE dossier_id * 32 + position > :after * 32 + 31 AND dossier_id * 32 + position <= :upTo * 32 + 31
     UNION ALL
     SELECT id * 32 + 31, id, 'identification', project_name || char(10) || structure_name FROM dossiers
       WHERE id * 32 + 31 > :after * 32 + 31 AND id * 32 + 31 <= :upTo * 32 + 31
     ORDER BY 1`,
  ).run({ after, upTo });
}
