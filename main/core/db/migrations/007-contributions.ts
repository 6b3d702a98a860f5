import type { Database } from 'better-sqlite3';

/**
 * Offline contributions (issue 6; resources/docs/contribution-format.md).
 *
 * - `member_public_keys`: a member's Ed25519 public key registered by the correspondent (read back
 *   by phone as the fingerprint). A member's own local key (`member_keys`) counts as registered too.
 * - `review_cell_revisions`: on the author's side, one counter per review cell (a criterion's score +
 *   justification, an eligibility answer + note, an admissibility decision + reason, one detail field),
 *   bumped by triggers whenever the cell's value changes — so saveReviewPatch needs no change.
 *   Existing non-default cells are backfilled at revision 1.
 * - `contribution_sync`: on the importer's side, per (member, dossier, cell), the last author revision
 *   seen and the hash of the value both sides last agreed on.
 * - `contribution_conflicts`: a cell whose local value and incoming value both changed — both kept,
 *   until someone chooses (local / incoming).
 * - `contribution_imports`: one row per imported file (kind, sha256, report), journaled too.
 * - `grid_xlsx_exports`: each XLSX grid handed to a member without the app: its token, and the hash
 *   of its hidden base sheet (so an edited base is detected); `grid_xlsx_cells` the last value
 *   imported per (export, cell) so re-importing the same workbook changes nothing.
 */
const DETAIL_COLUMNS: [column: string, cell: string, isDefault: string][] = [
  ['maturity', 'details/maturity', 'IS NULL'],
  ['target_a', 'details/targets.a', 'IS NULL'],
  ['target_b', 'details/targets.b', 'IS NULL'],
  ['target_c', 'details/targets.c', 'IS NULL'],
  ['fragile_qpv', 'details/fragile.qpv', 'IS NULL'],
  ['fragile_zrr', 'details/fragile.zrr', 'IS NULL'],
  ['fragile_deindustrialised', 'details/fragile.deindustrialised', 'IS NULL'],
  ['avis', 'details/avis', 'IS NULL'],
  ['motivation', 'details/motivation', "= ''"],
  ['phase2', 'details/phase2', '= 0'],
  ['support_json', 'details/support', "= '[]'"],
];

const KEYED: [table: string, key: string, prefix: string, a: string, b: string][] = [
  ['review_scores', 'criterion_key', 'scores/', 'score', 'justification'],
  ['review_eligibility', 'criterion_key', 'eligibility/', 'answer', 'note'],
  ['review_admissibility', 'finding_key', 'admissibility/', 'decision', 'reason'],
];

const bump = (reviewId: string, cell: string, where: string) =>
  `INSERT INTO review_cell_revisions (review_id, cell, revision) SELECT ${reviewId}, ${cell}, 1 WHERE ${where}
     ON CONFLICT (review_id, cell) DO UPDATE SET revision = revision + 1;`;

export function up(db: Database): void {
  db.exec(`
    CREATE TABLE member_public_keys (
      member_id      INTEGER NOT NULL REFERENCES members (id),
      fingerprint    TEXT NOT NULL UNIQUE CHECK (length(fingerprint) = 64 AND fingerprint NOT GLOB '*[^0-9a-f]*'),
      public_pem     TEXT NOT NULL CHECK (public_pem LIKE '-----BEGIN PUBLIC KEY-----%'),
      registered_at  TEXT NOT NULL,
      registered_by  INTEGER REFERENCES members (id)
    ) STRICT;
    CREATE INDEX member_public_keys_by_member ON member_public_keys (member_id);

    CREATE TABLE review_cell_revisions (
      review_id  INTEGER NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
      cell       TEXT NOT NULL,
      revision   INTEGER NOT NULL CHECK (revision > 0),
      PRIMARY KEY (review_id, cell)
    ) STRICT;

    CREATE TABLE contribution_sync (
      member_id    INTEGER NOT NULL REFERENCES members (id),
      dossier_id   INTEGER NOT NULL REFERENCES dossiers (id) ON DELETE CASCADE,
      cell         TEXT NOT NULL,
      synced_rev   INTEGER NOT NULL CHECK (synced_rev >= 0),
      synced_hash  TEXT NOT NULL CHECK (length(synced_hash) = 64),
      synced_at    TEXT NOT NULL,
      PRIMARY KEY (member_id, dossier_id, cell)
    ) STRICT;

    CREATE TABLE contribution_imports (
      id           INTEGER PRIMARY KEY,
      kind         TEXT NOT NULL CHECK (kind IN ('contribution', 'xlsx')),
      member_id    INTEGER NOT NULL REFERENCES members (id),
      campaign_id  INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
      sha256       TEXT NOT NULL CHECK (length(sha256) = 64),
      imported_at  TEXT NOT NULL,
      imported_by  INTEGER REFERENCES members (id),
      report_json  TEXT NOT NULL CHECK (json_valid(report_json))
    ) STRICT;

    CREATE TABLE contribution_conflicts (
      id             INTEGER PRIMARY KEY,
      member_id      INTEGER NOT NULL REFERENCES members (id),
      dossier_id     INTEGER NOT NULL REFERENCES dossiers (id) ON DELETE CASCADE,
      cell           TEXT NOT NULL,
      local_json     TEXT NOT NULL CHECK (json_valid(local_json)),
      incoming_json  TEXT NOT NULL CHECK (json_valid(incoming_json)),
      incoming_rev   INTEGER NOT NULL,
      import_id      INTEGER NOT NULL REFERENCES contribution_imports (id),
      created_at     TEXT NOT NULL,
      resolution     TEXT CHECK (resolution IS NULL OR resolution IN ('local', 'incoming')),
      resolved_at    TEXT,
      resolved_by    INTEGER REFERENCES members (id),
      CHECK ((resolution IS NULL) = (resolved_at IS NULL))
    ) STRICT;
    CREATE INDEX contribution_conflicts_open ON contribution_conflicts (resolution, member_id, dossier_id, cell);

    CREATE TABLE grid_xlsx_exports (
      id           INTEGER PRIMARY KEY,
      token        TEXT NOT NULL UNIQUE,
      member_id    INTEGER NOT NULL REFERENCES members (id),
      campaign_id  INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
      base_sha256  TEXT NOT NULL CHECK (length(base_sha256) = 64),
      exported_at  TEXT NOT NULL
    ) STRICT;

    CREATE TABLE grid_xlsx_cells (
      export_id   INTEGER NOT NULL REFERENCES grid_xlsx_exports (id) ON DELETE CASCADE,
      dossier_id  INTEGER NOT NULL REFERENCES dossiers (id) ON DELETE CASCADE,
      cell        TEXT NOT NULL,
      value_hash  TEXT NOT NULL CHECK (length(value_hash) = 64),
      PRIMARY KEY (export_id, dossier_id, cell)
    ) STRICT;
  `);

  for (const [table, key, prefix, a, b] of KEYED) {
    db.exec(`
      CREATE TRIGGER ${table}_rev_ai AFTER INSERT ON ${table} BEGIN
        ${bump('new.review_id', `'${prefix}' || new.${key}`, 'true')}
      END;
      CREATE TRIGGER ${table}_rev_au AFTER UPDATE ON ${table}
        WHEN old.${a} IS NOT new.${a} OR old.${b} IS NOT new.${b} BEGIN
        ${bump('new.review_id', `'${prefix}' || new.${key}`, 'true')}
      END;
      INSERT INTO review_cell_revisions (review_id, cell, revision)
        SELECT review_id, '${prefix}' || ${key}, 1 FROM ${table};
    `);
  }
  db.exec(`
    CREATE TRIGGER review_details_rev_ai AFTER INSERT ON review_details BEGIN
      ${DETAIL_COLUMNS.map(([col, cell, isDefault]) => bump('new.review_id', `'${cell}'`, `NOT (new.${col} ${isDefault})`)).join('\n')}
    END;
    CREATE TRIGGER review_details_rev_au AFTER UPDATE ON review_details BEGIN
      ${DETAIL_COLUMNS.map(([col, cell]) => bump('new.review_id', `'${cell}'`, `old.${col} IS NOT new.${col}`)).join('\n')}
    END;
    ${DETAIL_COLUMNS.map(
      ([col, cell, isDefault]) =>
        `INSERT INTO review_cell_revisions (review_id, cell, revision) SELECT review_id, '${cell}', 1 FROM review_details WHERE NOT (${col} ${isDefault});`,
    ).join('\n')}
  `);
}
