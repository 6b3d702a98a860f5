import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { AppFailure } from '../../../shared/errors';
import { requireMember } from '../review/members';
import { appendAudit } from '../review/audit';
import type { KeyProtector } from './protector';

/**
 * Ed25519 signing keys, one per committee member. The public key is stored as PEM with its
 * fingerprint; the private key only as PKCS#8 DER sealed by a KeyProtector.
 */
export interface MemberKey {
  memberId: number;
  publicPem: string;
  /** 64 hex chars: SHA-256 of the raw 32-byte public key. */
  fingerprint: string;
  protection: string;
  createdAt: string;
}

/** SHA-256 of the raw 32-byte Ed25519 public key, lowercase hex. */
export function publicKeyFingerprint(publicKey: KeyObject | string): string {
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  return createHash('sha256').update(rawEd25519(key)).digest('hex');
}

/** The raw 32-byte public key (the last 32 bytes of its SPKI DER). */
export function rawEd25519(publicKey: KeyObject): Buffer {
  if (publicKey.asymmetricKeyType !== 'ed25519') throw new AppFailure('validation', { reason: 'not_ed25519' });
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return der.subarray(der.length - 32);
}

/** Groups of 4 hex chars, uppercase, for reading over the phone: "1A2B 3C4D …". */
export function formatFingerprint(hex: string): string {
  return (hex.toUpperCase().match(/.{1,4}/g) ?? []).join(' ');
}

interface Row {
  member_id: number;
  public_pem: string;
  fingerprint: string;
  protected_private: Buffer;
  protection: string;
  created_at: string;
}

const toKey = (r: Row): MemberKey => ({
  memberId: r.member_id,
  publicPem: r.public_pem,
  fingerprint: r.fingerprint,
  protection: r.protection,
  createdAt: r.created_at,
});

export function getMemberKey(db: Database, memberId: number): MemberKey | undefined {
  const row = db.prepare('SELECT * FROM member_keys WHERE member_id = ?').get(memberId) as Row | undefined;
  return row && toKey(row);
}

/** Creates the member's key pair; refuses (`key_exists`) when the member already has one. */
export function createMemberKey(db: Database, memberId: number, protector: KeyProtector, now: Date): MemberKey {
  requireMember(db, memberId);
  if (getMemberKey(db, memberId)) throw new AppFailure('key_exists', { member: memberId });
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const sealed = protector.protect(privateKey.export({ type: 'pkcs8', format: 'der' }));
  const row: Row = {
    member_id: memberId,
    public_pem: publicPem,
    fingerprint: publicKeyFingerprint(publicKey),
    protected_private: sealed,
    protection: protector.kind,
    created_at: now.toISOString(),
  };
  db.transaction(() => {
    db.prepare(
      `INSERT INTO member_keys (member_id, public_pem, fingerprint, protected_private, protection, created_at)
       VALUES (@member_id, @public_pem, @fingerprint, @protected_private, @protection, @created_at)`,
    ).run(row);
    // Journaled (fingerprint only), so a package's journal shows when each signing key appeared.
    appendAudit(db, [
      {
        at: row.created_at,
        memberId,
        keyboardMemberId: null,
        entity: 'member_key',
        entityId: String(memberId),
        dossierId: null,
        action: 'create',
        before: null,
        after: { fingerprint: row.fingerprint, protection: row.protection },
      },
    ]);
  }).immediate();
  return toKey(row);
}

/** The member's private key, unsealed in memory only. */
export function loadSigningKey(
  db: Database,
  memberId: number,
  protector: KeyProtector,
): { key: MemberKey; privateKey: KeyObject } {
  const row = db.prepare('SELECT * FROM member_keys WHERE member_id = ?').get(memberId) as Row | undefined;
  if (!row) throw new AppFailure('key_missing', { member: memberId });
  if (row.protection !== protector.kind) throw new AppFailure('key_passphrase');
  const der = protector.unprotect(row.protected_private);
  try {
    const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    if (publicKeyFingerprint(createPublicKey(privateKey)) !== row.fingerprint) throw new AppFailure('key_passphrase');
    return { key: toKey(row), privateKey };
  } finally {
    der.fill(0);
  }
}

/**
 * The member's signing key, created on first use and sealed by `protector` (the package export
 * and « Exporter mes évaluations » in the app: the protector of the handler context).
 */
export function ensureSigningKey(
  db: Database,
  memberId: number,
  protector: KeyProtector,
  now: Date,
): { key: MemberKey; privateKey: KeyObject; created: boolean } {
  const created = !getMemberKey(db, memberId);
  if (created) createMemberKey(db, memberId, protector, now);
  return { ...loadSigningKey(db, memberId, protector), created };
}
