import { createPublicKey } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { AppFailure } from '../../../shared/errors';
import { formatFingerprint, publicKeyFingerprint } from '../keys/keys';
import { appendAudit } from '../review/audit';
import { getMember, requireMember } from '../review/members';

/**
 * Public keys of members who contribute from another machine. The correspondent registers a key
 * once (PEM pasted or read from a file) after reading the fingerprint back with the member by
 * phone. A member's own local signing key (`member_keys`) counts as registered for that member.
 */
export interface RegisteredKey {
  memberId: number;
  fingerprint: string;
  publicPem: string;
  registeredAt: string;
  /** 'registered' (member_public_keys) or 'local' (the member's key on this machine). */
  source: 'registered' | 'local';
}

/** Parses an Ed25519 public key PEM; private keys and other key types are refused. */
export function parsePublicPem(pem: string): { publicPem: string; fingerprint: string } {
  if (pem.length > 10_000 || /PRIVATE KEY/.test(pem)) throw new AppFailure('validation', { reason: 'public_pem' });
  let key;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch {
    throw new AppFailure('validation', { reason: 'public_pem' });
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new AppFailure('validation', { reason: 'not_ed25519' });
  return { publicPem: key.export({ type: 'spki', format: 'pem' }).toString(), fingerprint: publicKeyFingerprint(key) };
}

/** Who holds this fingerprint: a registered key first, then a local member key. */
export function findKeyByFingerprint(db: Database, fingerprint: string): RegisteredKey | undefined {
  const r = db
    .prepare('SELECT member_id, fingerprint, public_pem, registered_at FROM member_public_keys WHERE fingerprint = ?')
    .get(fingerprint) as { member_id: number; fingerprint: string; public_pem: string; registered_at: string } | undefined;
  if (r) return { memberId: r.member_id, fingerprint: r.fingerprint, publicPem: r.public_pem, registeredAt: r.registered_at, source: 'registered' };
  const l = db.prepare('SELECT member_id, fingerprint, public_pem, created_at FROM member_keys WHERE fingerprint = ?').get(fingerprint) as
    | { member_id: number; fingerprint: string; public_pem: string; created_at: string }
    | undefined;
  return l && { memberId: l.member_id, fingerprint: l.fingerprint, publicPem: l.public_pem, registeredAt: l.created_at, source: 'local' };
}

export function listRegisteredKeys(db: Database): RegisteredKey[] {
  const registered = (
    db.prepare('SELECT member_id, fingerprint, public_pem, registered_at FROM member_public_keys ORDER BY member_id, registered_at').all() as {
      member_id: number;
      fingerprint: string;
      public_pem: string;
      registered_at: string;
    }[]
  ).map((r): RegisteredKey => ({ memberId: r.member_id, fingerprint: r.fingerprint, publicPem: r.public_pem, registeredAt: r.registered_at, source: 'registered' }));
  const local = (
    db.prepare('SELECT member_id, fingerprint, public_pem, created_at FROM member_keys ORDER BY member_id').all() as {
      member_id: number;
      fingerprint: string;
      public_pem: string;
      created_at: string;
    }[]
  ).map((r): RegisteredKey => ({ memberId: r.member_id, fingerprint: r.fingerprint, publicPem: r.public_pem, registeredAt: r.created_at, source: 'local' }));
  return [...local, ...registered];
}

/**
 * Registers `pem` for `memberId` (journaled). Registering the same key again for the same member
 * is a no-op; a key already registered to another member is refused (`contribution_key_other_member`).
 */
export function registerPublicKey(
  db: Database,
  input: { memberId: number; pem: string; now: Date; registeredBy?: number | null },
): RegisteredKey & { created: boolean } {
  const { publicPem, fingerprint } = parsePublicPem(input.pem);
  return db
    .transaction(() => {
      requireMember(db, input.memberId);
      const existing = findKeyByFingerprint(db, fingerprint);
      if (existing && existing.memberId !== input.memberId)
        throw new AppFailure('contribution_key_other_member', {
          fingerprint: formatFingerprint(fingerprint),
          member: getMember(db, existing.memberId)?.name ?? String(existing.memberId),
        });
      if (existing) return { ...existing, created: false };
      const at = input.now.toISOString();
      const by = input.registeredBy ?? null;
      db.prepare(
        'INSERT INTO member_public_keys (member_id, fingerprint, public_pem, registered_at, registered_by) VALUES (?, ?, ?, ?, ?)',
      ).run(input.memberId, fingerprint, publicPem, at, by);
      appendAudit(db, [
        {
          at,
          memberId: input.memberId,
          keyboardMemberId: by !== null && by !== input.memberId ? by : null,
          entity: 'member_public_key',
          entityId: fingerprint,
          dossierId: null,
          action: 'register',
          before: null,
          after: { fingerprint },
        },
      ]);
      return { memberId: input.memberId, fingerprint, publicPem, registeredAt: at, source: 'registered' as const, created: true };
    })
    .immediate();
}
