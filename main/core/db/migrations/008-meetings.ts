import type { Database } from 'better-sqlite3';

/**
 * Meeting mode (issue 6): a séance of the committee, one laptop on a projector.
 *
 * - `meetings`: one séance of a campaign — date (YYYY-MM-DD, Paris calendar), place, quorum rule
 *   ('majority' of the active committee members, or a 'fixed' number), the chair (signs the
 *   procès-verbal beside the correspondent), who is at the keyboard, the dossier on screen, and
 *   when it started and ended. An ended séance is read-only.
 * - `meeting_attendance`: who is present, arrival and departure times.
 * - `meeting_order`: the discussion order (position 1..n per séance).
 * - `meeting_departures`: a recused member leaving the room for one dossier (left_at), and coming
 *   back (returned_at).
 * - `consensus_scores`: the committee's score per dossier × criterion, with the spread of the
 *   submitted individual scores at the time and the reconciliation note. Individual scores
 *   (`review_scores`) are never touched.
 * - `committee_decisions`: per dossier, the committee's avis, motivation, phase-2 recommendation
 *   and the votes or objections as written down.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE meetings (
      id                  INTEGER PRIMARY KEY,
      campaign_id         INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
      held_on             TEXT NOT NULL CHECK (held_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
      place               TEXT NOT NULL DEFAULT '',
      quorum_rule         TEXT NOT NULL DEFAULT 'majority' CHECK (quorum_rule IN ('majority', 'fixed')),
      quorum_value        INTEGER CHECK (quorum_value IS NULL OR quorum_value >= 1),
      chair_member_id     INTEGER REFERENCES members (id),
      keyboard_member_id  INTEGER REFERENCES members (id),
      current_dossier_id  INTEGER REFERENCES dossiers (id) ON DELETE SET NULL,
      created_at          TEXT NOT NULL,
      started_at          TEXT,
      ended_at            TEXT,
      CHECK (quorum_rule <> 'fixed' OR quorum_value IS NOT NULL),
      CHECK (ended_at IS NULL OR started_at IS NOT NULL)
    ) STRICT;
    CREATE INDEX meetings_by_campaign ON meetings (campaign_id, held_on);

    CREATE TABLE meeting_attendance (
      meeting_id   INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
      member_id    INTEGER NOT NULL REFERENCES members (id),
      arrived_at   TEXT,
      departed_at  TEXT,
      PRIMARY KEY (meeting_id, member_id)
    ) STRICT;

    CREATE TABLE meeting_order (
      meeting_id  INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
      dossier_id  INTEGER NOT NULL REFERENCES dossiers (id) ON DELETE CASCADE,
      position    INTEGER NOT NULL CHECK (position >= 1),
      PRIMARY KEY (meeting_id, dossier_id),
      UNIQUE (meeting_id, position)
    ) STRICT;

    CREATE TABLE meeting_departures (
      meeting_id   INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
      dossier_id   INTEGER NOT NULL REFERENCES dossiers (id) ON DELETE CASCADE,
      member_id    INTEGER NOT NULL REFERENCES members (id),
      left_at      TEXT NOT NULL,
      returned_at  TEXT,
      PRIMARY KEY (meeting_id, dossier_id, member_id),
      CHECK (returned_at IS NULL OR returned_at >= left_at)
    ) STRICT;
    CREATE INDEX meeting_departures_by_dossier ON meeting_departures (dossier_id);

    CREATE TABLE consensus_scores (
      dossier_id     INTEGER NOT NULL REFERENCES dossiers (id) ON DELETE CASCADE,
      criterion_key  TEXT NOT NULL,
      score          INTEGER NOT NULL,
      spread         INTEGER CHECK (spread IS NULL OR spread >= 0),
      note           TEXT NOT NULL DEFAULT '',
      meeting_id     INTEGER NOT NULL REFERENCES meetings (id),
      decided_at     TEXT NOT NULL,
      decided_by     INTEGER REFERENCES members (id),
      PRIMARY KEY (dossier_id, criterion_key)
    ) STRICT;
    CREATE INDEX consensus_scores_by_meeting ON consensus_scores (meeting_id);

    CREATE TABLE committee_decisions (
      dossier_id   INTEGER PRIMARY KEY REFERENCES dossiers (id) ON DELETE CASCADE,
      meeting_id   INTEGER NOT NULL REFERENCES meetings (id),
      avis         TEXT CHECK (avis IS NULL OR avis IN ('favorable', 'favorable_reserves', 'defavorable')),
      motivation   TEXT NOT NULL DEFAULT '',
      phase2       INTEGER NOT NULL DEFAULT 0 CHECK (phase2 IN (0, 1)),
      votes        TEXT NOT NULL DEFAULT '',
      decided_at   TEXT NOT NULL,
      decided_by   INTEGER REFERENCES members (id)
    ) STRICT;
    CREATE INDEX committee_decisions_by_meeting ON committee_decisions (meeting_id);
  `);
}
