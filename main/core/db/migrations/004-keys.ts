import type { Database } from 'better-sqlite3';

/**
 * Signing keys (issue 5): one Ed25519 key per member. The private key is stored only sealed by a
 * KeyProtector (passphrase or OS keystore), never in clear; `protection` names the sealing kind.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE member_keys (
      member_id          INTEGER PRIMARY KEY REFERENCES members (id),
      public_pem         TEXT NOT NULL CHECK (public_pem LIKE '-----BEGIN PUBLIC KEY-----%'),
      fingerprint        TEXT NOT NULL UNIQUE CHECK (length(fingerprint) = 64),
      protected_private  BLOB NOT NULL,
      protection         TEXT NOT NULL,
      created_at         TEXT NOT NULL
    ) STRICT;
  `);
}
