import type { Database } from 'better-sqlite3';

/**
 * Regional synthesis (issue 6):
 * - `phase2_order`: the committee's order of the phase-2 shortlist of a campaign (position 1..n).
 *   Only dossiers the committee recommended for phase 2 and that meet target b and/or c are
 *   shortlisted; a shortlisted dossier without a stored position follows the stored ones in the
 *   ranking's order. Reordering is journaled (`synthesis.phase2Order`).
 * - `committee_decisions.target_b` / `target_c`: the committee's own view of targets b and c when
 *   it records one (NULL = not recorded; the synthesis then takes the majority of the submitted
 *   reviews).
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE phase2_order (
      campaign_id  INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
      dossier_id   INTEGER NOT NULL REFERENCES dossiers (id) ON DELETE CASCADE,
      position     INTEGER NOT NULL CHECK (position >= 1),
      PRIMARY KEY (campaign_id, dossier_id),
      UNIQUE (campaign_id, position)
    ) STRICT;

    ALTER TABLE committee_decisions ADD COLUMN target_b INTEGER CHECK (target_b IS NULL OR target_b IN (0, 1));
    ALTER TABLE committee_decisions ADD COLUMN target_c INTEGER CHECK (target_c IS NULL OR target_c IN (0, 1));
  `);
}
