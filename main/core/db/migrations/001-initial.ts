import type { Database } from 'better-sqlite3';

/**
 * Initial schema. Reviews are keyed by (dossier, member) so several reviewers score the same
 * dossier independently; dossiers keep the raw imported row as JSON and a version number.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE settings (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;

    CREATE TABLE grids (
      id        TEXT NOT NULL,
      version   INTEGER NOT NULL CHECK (version > 0),
      label     TEXT NOT NULL,
      document  TEXT NOT NULL CHECK (json_valid(document)),
      PRIMARY KEY (id, version)
    ) STRICT;

    CREATE TABLE campaigns (
      id            INTEGER PRIMARY KEY,
      name          TEXT NOT NULL,
      ami           TEXT NOT NULL,
      wave          INTEGER NOT NULL CHECK (wave > 0),
      phase         INTEGER NOT NULL CHECK (phase IN (1, 2)),
      region_code   TEXT NOT NULL,
      deadline      TEXT NOT NULL,
      grid_id       TEXT NOT NULL,
      grid_version  INTEGER NOT NULL,
      created_at    TEXT NOT NULL,
      FOREIGN KEY (grid_id, grid_version) REFERENCES grids (id, version)
    ) STRICT;

    CREATE TABLE dossiers (
      id                 INTEGER PRIMARY KEY,
      campaign_id        INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
      number             INTEGER NOT NULL CHECK (number > 0),
      version            INTEGER NOT NULL DEFAULT 1 CHECK (version > 0),
      project_name       TEXT NOT NULL,
      structure_name     TEXT NOT NULL,
      structure_address  TEXT NOT NULL DEFAULT '',
      legal_form         TEXT NOT NULL DEFAULT '',
      esus               TEXT NOT NULL DEFAULT '',
      siret              TEXT NOT NULL DEFAULT '',
      contact_name       TEXT NOT NULL DEFAULT '',
      contact_function   TEXT NOT NULL DEFAULT '',
      contact_email      TEXT NOT NULL DEFAULT '',
      contact_phone      TEXT NOT NULL DEFAULT '',
      region_code        TEXT NOT NULL DEFAULT '',
      commune            TEXT NOT NULL DEFAULT '',
      commune_insee      TEXT NOT NULL DEFAULT '',
      fragile_territories TEXT NOT NULL DEFAULT '',
      deposited_at       TEXT,
      ds_state           TEXT NOT NULL DEFAULT '',
      source             TEXT NOT NULL,
      raw_json           TEXT NOT NULL CHECK (json_valid(raw_json)),
      imported_at        TEXT NOT NULL,
      UNIQUE (campaign_id, number)
    ) STRICT;

    CREATE TABLE dossier_versions (
      dossier_id   INTEGER NOT NULL REFERENCES dossiers (id) ON DELETE CASCADE,
      version      INTEGER NOT NULL,
      raw_json     TEXT NOT NULL CHECK (json_valid(raw_json)),
      imported_at  TEXT NOT NULL,
      PRIMARY KEY (dossier_id, version)
    ) STRICT;

    CREATE TABLE dossier_rubrics (
      dossier_id  INTEGER NOT NULL REFERENCES dossiers (id) ON DELETE CASCADE,
      rubric_key  TEXT NOT NULL,
      label       TEXT NOT NULL,
      position    INTEGER NOT NULL,
      content     TEXT NOT NULL,
      PRIMARY KEY (dossier_id, rubric_key)
    ) STRICT;

    CREATE TABLE attachments (
      id           INTEGER PRIMARY KEY,
      dossier_id   INTEGER NOT NULL REFERENCES dossiers (id) ON DELETE CASCADE,
      sha256       TEXT NOT NULL CHECK (length(sha256) = 64),
      filename     TEXT NOT NULL,
      size         INTEGER NOT NULL CHECK (size >= 0),
      media_type   TEXT NOT NULL,
      kind         TEXT NOT NULL,
      champ_label  TEXT,
      UNIQUE (dossier_id, sha256, filename)
    ) STRICT;
    CREATE INDEX attachments_by_sha ON attachments (sha256);

    CREATE TABLE members (
      id            INTEGER PRIMARY KEY,
      name          TEXT NOT NULL,
      role          TEXT NOT NULL CHECK (role IN ('correspondant', 'cress', 'compagnon', 'expert')),
      organisation  TEXT NOT NULL DEFAULT '',
      created_at    TEXT NOT NULL
    ) STRICT;

    CREATE TABLE reviews (
      id          INTEGER PRIMARY KEY,
      dossier_id  INTEGER NOT NULL REFERENCES dossiers (id) ON DELETE CASCADE,
      member_id   INTEGER NOT NULL REFERENCES members (id),
      status      TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted')),
      created_at  TEXT NOT NULL,
      updated_at  TEXT NOT NULL,
      UNIQUE (dossier_id, member_id)
    ) STRICT;
    CREATE INDEX reviews_by_member ON reviews (member_id);
  `);
}
