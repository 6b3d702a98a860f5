import type { Database } from 'better-sqlite3';

/**
 * The dossier list at scale (issue 4, Performance: 5 000 dossiers, 20 000 reviews, a list request
 * in ≤ 30 ms at the handler).
 *
 * `dossier_review_stats` holds, per dossier with reviews, what the list shows of them: the review
 * count, the submitted count, the mean of the submitted reviews' weighted totals (3 decimals), the
 * eligibility majority (a submitted review is « eligible » when it meets more than half of its
 * grid's eligibility criteria) and the avis majority (ties go to the more cautious avis). Triggers
 * recompute a dossier's row from its reviews whenever a review or its avis changes, so the list
 * reads one row per dossier instead of aggregating every review on each request. A dossier without
 * reviews has no row. There is no foreign key: deleting a dossier deletes its reviews (cascade),
 * whose triggers remove the row.
 *
 * A covering index holds the list's dossier columns in number order: dossier rows carry the DS
 * export's raw JSON (the whole dossier), so reading them is costly.
 */

/** Recomputes the stats rows of the dossiers `ids` (an SQL expression: a subquery or a value). */
function refresh(ids: string): string {
  return `
    DELETE FROM dossier_review_stats WHERE dossier_id IN (${ids});
    INSERT INTO dossier_review_stats (dossier_id, review_count, submitted_count, mean_score, eligibility, avis)
    SELECT dossier_id, review_count, submitted_count, mean_score,
      CASE WHEN elig_yes + elig_no = 0 THEN NULL
           WHEN elig_yes > elig_no THEN 'eligible' WHEN elig_no > elig_yes THEN 'ineligible' ELSE 'divided' END,
      CASE WHEN fav + res + def = 0 THEN NULL
           WHEN def >= res AND def >= fav THEN 'defavorable'
           WHEN res >= fav THEN 'favorable_reserves' ELSE 'favorable' END
    FROM (
      SELECT r.dossier_id,
        count(*) AS review_count,
        sum(r.status = 'submitted') AS submitted_count,
        round(avg(CASE WHEN r.status = 'submitted' THEN coalesce(r.weighted_total, 0) END), 3) AS mean_score,
        sum(r.status = 'submitted' AND r.eligible_met >= coalesce(json_array_length(g.document, '$.eligibility.criteria'), 0) / 2 + 1) AS elig_yes,
        sum(r.status = 'submitted' AND r.eligible_met < coalesce(json_array_length(g.document, '$.eligibility.criteria'), 0) / 2 + 1) AS elig_no,
        sum(r.status = 'submitted' AND rd.avis = 'favorable') AS fav,
        sum(r.status = 'submitted' AND rd.avis = 'favorable_reserves') AS res,
        sum(r.status = 'submitted' AND rd.avis = 'defavorable') AS def
      FROM reviews r
      JOIN dossiers d ON d.id = r.dossier_id
      JOIN campaigns c ON c.id = d.campaign_id
      JOIN grids g ON g.id = c.grid_id AND g.version = c.grid_version
      LEFT JOIN review_details rd ON rd.review_id = r.id
      WHERE r.dossier_id IN (${ids})
      GROUP BY r.dossier_id
    );`;
}

export function up(db: Database): void {
  db.exec(`
    CREATE INDEX dossiers_list ON dossiers (campaign_id, number, project_name, structure_name, commune, fragile_territories);

    CREATE TABLE dossier_review_stats (
      dossier_id       INTEGER PRIMARY KEY,
      review_count     INTEGER NOT NULL CHECK (review_count > 0),
      submitted_count  INTEGER NOT NULL CHECK (submitted_count >= 0),
      mean_score       REAL,
      eligibility      TEXT CHECK (eligibility IS NULL OR eligibility IN ('eligible', 'ineligible', 'divided')),
      avis             TEXT CHECK (avis IS NULL OR avis IN ('favorable', 'favorable_reserves', 'defavorable'))
    ) STRICT;

    CREATE TRIGGER dossier_review_stats_review_ai AFTER INSERT ON reviews BEGIN
      ${refresh('new.dossier_id')}
    END;
    CREATE TRIGGER dossier_review_stats_review_au
    AFTER UPDATE OF dossier_id, status, weighted_total, eligible_met ON reviews BEGIN
      ${refresh('old.dossier_id, new.dossier_id')}
    END;
    CREATE TRIGGER dossier_review_stats_review_ad AFTER DELETE ON reviews BEGIN
      ${refresh('old.dossier_id')}
    END;
    CREATE TRIGGER dossier_review_stats_details_ai AFTER INSERT ON review_details BEGIN
      ${refresh('SELECT dossier_id FROM reviews WHERE id = new.review_id')}
    END;
    CREATE TRIGGER dossier_review_stats_details_au AFTER UPDATE OF review_id, avis ON review_details BEGIN
      ${refresh('SELECT dossier_id FROM reviews WHERE id IN (old.review_id, new.review_id)')}
    END;
    CREATE TRIGGER dossier_review_stats_details_ad AFTER DELETE ON review_details BEGIN
      ${refresh('SELECT dossier_id FROM reviews WHERE id = old.review_id')}
    END;
    CREATE TRIGGER dossier_review_stats_campaign_au AFTER UPDATE OF grid_id, grid_version ON campaigns BEGIN
      ${refresh('SELECT id FROM dossiers WHERE campaign_id = new.id')}
    END;

    ${refresh('SELECT DISTINCT dossier_id FROM reviews')}
  `);
}
