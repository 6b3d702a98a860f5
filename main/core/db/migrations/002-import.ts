import type { Database } from 'better-sqlite3';

/**
 * DS import: admissibility findings per dossier, partners and avis read from the export, the
 * files the API declared (to link ZIP attachments to their champ by MD5), import runs with their
 * report, the changed fields of each new dossier version, and saved column mappings per campaign.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE dossier_findings (
      dossier_id   INTEGER PRIMARY KEY REFERENCES dossiers (id) ON DELETE CASCADE,
      complete     INTEGER NOT NULL CHECK (complete IN (0, 1)),
      on_time      INTEGER NOT NULL CHECK (on_time IN (0, 1)),
      status       TEXT NOT NULL CHECK (status IN ('recevable', 'au_fil_de_l_eau', 'irrecevable')),
      flags_json   TEXT NOT NULL CHECK (json_valid(flags_json)),
      assessed_at  TEXT NOT NULL
    ) STRICT;

    CREATE TABLE dossier_partners (
      dossier_id   INTEGER NOT NULL REFERENCES dossiers (id) ON DELETE CASCADE,
      position     INTEGER NOT NULL,
      name         TEXT NOT NULL,
      siret        TEXT NOT NULL,
      kind         TEXT NOT NULL,
      role         TEXT NOT NULL,
      fields_json  TEXT NOT NULL CHECK (json_valid(fields_json)),
      PRIMARY KEY (dossier_id, position)
    ) STRICT;

    CREATE TABLE dossier_avis (
      dossier_id       INTEGER NOT NULL REFERENCES dossiers (id) ON DELETE CASCADE,
      position         INTEGER NOT NULL,
      introduction     TEXT NOT NULL,
      answer           TEXT NOT NULL,
      question         TEXT NOT NULL,
      question_answer  TEXT NOT NULL,
      asked_at         TEXT,
      answered_at      TEXT,
      claimant         TEXT NOT NULL,
      expert           TEXT NOT NULL,
      PRIMARY KEY (dossier_id, position)
    ) STRICT;

    CREATE TABLE dossier_declared_files (
      dossier_id    INTEGER NOT NULL REFERENCES dossiers (id) ON DELETE CASCADE,
      position      INTEGER NOT NULL,
      champ_label   TEXT NOT NULL,
      filename      TEXT NOT NULL,
      md5_base64    TEXT NOT NULL,
      size          INTEGER NOT NULL CHECK (size >= 0),
      content_type  TEXT NOT NULL,
      PRIMARY KEY (dossier_id, position)
    ) STRICT;

    CREATE TABLE import_runs (
      id           INTEGER PRIMARY KEY,
      campaign_id  INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
      started_at   TEXT NOT NULL,
      files_json   TEXT NOT NULL CHECK (json_valid(files_json)),
      report_json  TEXT NOT NULL CHECK (json_valid(report_json))
    ) STRICT;

    CREATE TABLE dossier_version_changes (
      dossier_id     INTEGER NOT NULL REFERENCES dossiers (id) ON DELETE CASCADE,
      version        INTEGER NOT NULL,
      import_run_id  INTEGER REFERENCES import_runs (id) ON DELETE SET NULL,
      fields_json    TEXT NOT NULL CHECK (json_valid(fields_json)),
      PRIMARY KEY (dossier_id, version)
    ) STRICT;

    CREATE TABLE column_mappings (
      campaign_id  INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
      target       TEXT NOT NULL,
      header       TEXT NOT NULL,
      updated_at   TEXT NOT NULL,
      PRIMARY KEY (campaign_id, target)
    ) STRICT;
  `);
}
