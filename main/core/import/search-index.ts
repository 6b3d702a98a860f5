import type { Database } from 'better-sqlite3';
import { syncDossierText } from '../store/dossier-text';

/**
 * Search indexing during an import. Migration 12's triggers only note the dossiers whose text an
 * import writes (`dossier_text_pending`); each noted dossier is indexed once, with its final text,
 * when the import calls `indexUpTo` (while a workbook is still being read) or `finish` (before it
 * commits). A throw rolls the notes back with everything else.
 */
export interface SearchDeferral {
  /** Indexes the dossiers noted so far (their rows and rubrics are written); later changes are noted again. */
  indexUpTo(upTo: number): void;
  /** Indexes the rest (call it before committing). */
  finish(): void;
}

/** The import's indexing steps, inside its transaction. */
export function deferSearchIndex(db: Database): SearchDeferral {
  if (!db.inTransaction) throw new Error('deferSearchIndex needs a transaction');
  return {
    indexUpTo: () => void syncDossierText(db),
    finish: () => void syncDossierText(db),
  };
}
