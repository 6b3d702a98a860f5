import type { Database } from 'better-sqlite3';
import { DOSSIER_TEXT_COLUMNS } from '../db/migrations/012-dossier-text';

const COLUMNS = DOSSIER_TEXT_COLUMNS.join(', ');

/**
 * Brings the index up to date with the dossiers whose text changed since the last call (migration
 * 12 notes them in `dossier_text_pending` with the text indexed until then): that text is removed,
 * the current one indexed, once per dossier. The importer calls it before committing; searches call
 * it when notes are pending. A read-only connection cannot, and searches what is indexed.
 */
export function syncDossierText(db: Database): number {
  if (db.readonly) return 0;
  // A store at an older schema (tests that build one) has no index to keep.
  if (db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'dossier_text_pending'").get() === undefined) return 0;
  const pending = db.prepare('SELECT count(*) FROM dossier_text_pending').pluck();
  return db.transaction(() => {
    const n = pending.get() as number;
    if (n === 0) return 0;
    db.prepare(
      `INSERT INTO dossier_text (dossier_text, rowid, ${COLUMNS})
       SELECT 'delete', dossier_id, ${DOSSIER_TEXT_COLUMNS.map((_, i) => `old_text ->> ${i}`).join(', ')}
       FROM dossier_text_pending WHERE old_text IS NOT NULL`,
    ).run();
    db.prepare(
      `INSERT INTO dossier_text (rowid, ${COLUMNS})
       SELECT s.id, ${DOSSIER_TEXT_COLUMNS.map((c) => `s.${c}`).join(', ')}
       FROM dossier_text_pending p JOIN dossier_text_source s ON s.id = p.dossier_id`,
    ).run();
    db.prepare('DELETE FROM dossier_text_pending').run();
    return n;
  })();
}
