import type { Database } from 'better-sqlite3';

/**
 * Each review keeps its weighted total and its count of eligibility criteria met (« oui » or « en
 * perspective »), written with every save, so the dossier list aggregates one row per review
 * instead of every score row. The weights come from the campaign's grid version, which is
 * immutable, so a stored total never goes stale. Existing reviews are backfilled here.
 */
export function up(db: Database): void {
  db.exec(`
    ALTER TABLE reviews ADD COLUMN weighted_total REAL;
    ALTER TABLE reviews ADD COLUMN eligible_met INTEGER NOT NULL DEFAULT 0 CHECK (eligible_met >= 0);

    WITH weights AS (
      SELECT d.id AS dossier_id, json_extract(c.value, '$.key') AS criterion_key,
             coalesce(json_extract(c.value, '$.weight'), 1) AS weight
      FROM dossiers d
      JOIN campaigns ca ON ca.id = d.campaign_id
      JOIN grids g ON g.id = ca.grid_id AND g.version = ca.grid_version,
           json_each(g.document, '$.selection.sections') s,
           json_each(s.value, '$.criteria') c
    )
    UPDATE reviews SET
      weighted_total = (
        SELECT sum(rs.score * coalesce(
          (SELECT w.weight FROM weights w WHERE w.dossier_id = reviews.dossier_id AND w.criterion_key = rs.criterion_key), 0))
        FROM review_scores rs WHERE rs.review_id = reviews.id AND rs.score IS NOT NULL),
      eligible_met = (
        SELECT count(*) FROM review_eligibility re
        WHERE re.review_id = reviews.id AND re.answer IN ('oui', 'en_perspective'));
  `);
}
