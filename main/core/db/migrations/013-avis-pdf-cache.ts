import type { Database } from 'better-sqlite3';

/**
 * Rendered avis PDFs (issue 5, package performance): one row per dossier (campaign and number),
 * keyed by `input_sha256` = SHA-256 of the canonical avis document, the render options and the
 * renderer's version (main/core/package/pdf/avis-pdf-cache.ts `avisPdfCacheKey`). A package only
 * uses a row whose key is the key of the avis it exports, so a changed avis is never served an
 * old PDF; the runtime warms the table in idle time. Rebuilt at will: deleting rows only costs
 * renders. `synthese_pdf_cache` does the same for the synthesis PDF of a campaign's package (one
 * per campaign, keyed by the SHA-256 of every exported avis document, the options and the
 * renderer's version).
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE avis_pdf_cache (
      campaign_id     INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
      dossier_number  INTEGER NOT NULL,
      input_sha256    TEXT NOT NULL CHECK (length(input_sha256) = 64),
      pdf             BLOB NOT NULL,
      rendered_at     TEXT NOT NULL,
      PRIMARY KEY (campaign_id, dossier_number)
    ) STRICT;
    CREATE TABLE synthese_pdf_cache (
      campaign_id     INTEGER PRIMARY KEY REFERENCES campaigns (id) ON DELETE CASCADE,
      input_sha256    TEXT NOT NULL CHECK (length(input_sha256) = 64),
      pdf             BLOB NOT NULL,
      rendered_at     TEXT NOT NULL
    ) STRICT;
  `);
}
