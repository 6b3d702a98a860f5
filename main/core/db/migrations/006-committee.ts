import type { Database } from 'better-sqlite3';

/**
 * The committee (issue 6): who reviews which dossier, and conflicts of interest.
 *
 * - `members` gain an active flag and the SIREN (or SIRET) of their organisation, used to detect
 *   likely conflicts against a dossier's structure porteuse and partners.
 * - `assignments`: which member reviews which dossier (bulk assignment, load balancing).
 * - `member_links`: what a member declares (member, employee, board seat, funder, elected office,
 *   other) with a structure (name and/or SIREN) or directly with a dossier.
 * - `conflicts`: one row per (member, dossier), either declared or detected from the data. A
 *   detected conflict starts as 'proposed' and is confirmed or dismissed (with a reason) by a
 *   person — never silently. A 'confirmed' conflict is a recusal: the member cannot be assigned,
 *   cannot see the others' scores on that dossier and cannot score it; it travels in the export.
 */
export function up(db: Database): void {
  db.exec(`
    ALTER TABLE members ADD COLUMN organisation_siren TEXT NOT NULL DEFAULT ''
      CHECK (organisation_siren = '' OR (length(organisation_siren) IN (9, 14) AND organisation_siren NOT GLOB '*[^0-9]*'));
    ALTER TABLE members ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1));

    CREATE TABLE assignments (
      dossier_id   INTEGER NOT NULL REFERENCES dossiers (id) ON DELETE CASCADE,
      member_id    INTEGER NOT NULL REFERENCES members (id),
      assigned_at  TEXT NOT NULL,
      PRIMARY KEY (dossier_id, member_id)
    ) STRICT;
    CREATE INDEX assignments_by_member ON assignments (member_id, dossier_id);

    CREATE TABLE member_links (
      id              INTEGER PRIMARY KEY,
      member_id       INTEGER NOT NULL REFERENCES members (id),
      link_kind       TEXT NOT NULL CHECK (link_kind IN ('membre', 'salarie', 'administrateur', 'financeur', 'elu', 'autre')),
      structure_name  TEXT NOT NULL DEFAULT '',
      siren           TEXT NOT NULL DEFAULT '' CHECK (siren = '' OR (length(siren) IN (9, 14) AND siren NOT GLOB '*[^0-9]*')),
      dossier_id      INTEGER REFERENCES dossiers (id) ON DELETE CASCADE,
      note            TEXT NOT NULL DEFAULT '',
      created_at      TEXT NOT NULL,
      CHECK (dossier_id IS NOT NULL OR structure_name <> '' OR siren <> '')
    ) STRICT;
    CREATE INDEX member_links_by_member ON member_links (member_id);

    CREATE TABLE conflicts (
      member_id   INTEGER NOT NULL REFERENCES members (id),
      dossier_id  INTEGER NOT NULL REFERENCES dossiers (id) ON DELETE CASCADE,
      source      TEXT NOT NULL CHECK (source IN ('declared', 'detected')),
      link_id     INTEGER REFERENCES member_links (id) ON DELETE SET NULL,
      link_kind   TEXT CHECK (link_kind IS NULL OR link_kind IN ('membre', 'salarie', 'administrateur', 'financeur', 'elu', 'autre')),
      evidence    TEXT NOT NULL DEFAULT '',
      status      TEXT NOT NULL CHECK (status IN ('proposed', 'confirmed', 'dismissed')),
      reason      TEXT NOT NULL DEFAULT '',
      created_at  TEXT NOT NULL,
      decided_at  TEXT,
      decided_by  INTEGER REFERENCES members (id),
      PRIMARY KEY (member_id, dossier_id),
      CHECK (status <> 'dismissed' OR reason <> '')
    ) STRICT;
    CREATE INDEX conflicts_by_dossier ON conflicts (dossier_id, status);
  `);
}
