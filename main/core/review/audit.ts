import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { getSetting, setSetting } from '../store/settings';
import type { HistoryItem } from '../../../shared/domain/review';

/**
 * The audit journal: append-only (SQL triggers refuse UPDATE/DELETE) and hash-chained.
 *
 * Each entry's hash = SHA-256( prev_hash + "\n" + canonical JSON of the entry without `hash` ),
 * hex-encoded; the first entry's prev_hash is 64 zeros. Canonical JSON = keys sorted, no spaces,
 * UTF-8; `before_json` / `after_json` are included as the exact stored strings. Anyone can
 * recompute the chain from the table with sqlite3 + sha256sum (see `canonicalEntry`).
 *
 * The newest (seq, hash) is also kept in settings (`audit.head`) so that deleting the tail of the
 * journal is detected as `truncated` unless the attacker also rewrites that setting.
 */
export const GENESIS_HASH = '0'.repeat(64);
const HEAD_KEY = 'audit.head';

export interface AuditEntry {
  seq: number;
  at: string;
  member_id: number | null;
  keyboard_member_id: number | null;
  entity: string;
  entity_id: string;
  dossier_id: number | null;
  action: string;
  before_json: string | null;
  after_json: string | null;
  prev_hash: string;
  hash: string;
}

export interface NewAuditEntry {
  at: string;
  memberId: number | null;
  keyboardMemberId: number | null;
  entity: string;
  entityId: string;
  dossierId: number | null;
  action: string;
  before: unknown;
  after: unknown;
}

/** Canonical JSON: object keys sorted (recursively), no whitespace. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The entry as hashed: every column except `hash`. */
export function canonicalEntry(e: Omit<AuditEntry, 'hash'> & { hash?: string }): string {
  const { hash: _hash, ...rest } = e;
  return canonicalJson(rest);
}

export function entryHash(e: Omit<AuditEntry, 'hash'>): string {
  return createHash('sha256').update(`${e.prev_hash}\n${canonicalEntry(e)}`, 'utf8').digest('hex');
}

const toJson = (v: unknown): string | null => (v === undefined ? null : canonicalJson(v));

/** Appends entries after the current head. Call inside the caller's (immediate) transaction. */
export function appendAudit(db: Database, entries: readonly NewAuditEntry[]): AuditEntry[] {
  if (entries.length === 0) return [];
  const head = db.prepare('SELECT seq, hash FROM audit_journal ORDER BY seq DESC LIMIT 1').get() as
    | { seq: number; hash: string }
    | undefined;
  let seq = head?.seq ?? 0;
  let prev = head?.hash ?? GENESIS_HASH;
  const insert = db.prepare(
    `INSERT INTO audit_journal (seq, at, member_id, keyboard_member_id, entity, entity_id, dossier_id, action,
       before_json, after_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const written: AuditEntry[] = [];
  for (const n of entries) {
    seq += 1;
    const base: Omit<AuditEntry, 'hash'> = {
      seq,
      at: n.at,
      member_id: n.memberId,
      keyboard_member_id: n.keyboardMemberId,
      entity: n.entity,
      entity_id: n.entityId,
      dossier_id: n.dossierId,
      action: n.action,
      before_json: toJson(n.before),
      after_json: toJson(n.after),
      prev_hash: prev,
    };
    const hash = entryHash(base);
    insert.run(
      base.seq, base.at, base.member_id, base.keyboard_member_id, base.entity, base.entity_id, base.dossier_id,
      base.action, base.before_json, base.after_json, base.prev_hash, hash,
    );
    written.push({ ...base, hash });
    prev = hash;
  }
  setSetting(db, HEAD_KEY, `${seq}:${prev}`);
  return written;
}

export type VerifyResult =
  | { ok: true; entries: number }
  | { ok: false; seq: number; reason: 'hash_mismatch' | 'broken_link' | 'gap' | 'truncated' };

/**
 * Walks the whole journal in seq order and recomputes the chain. Detects an edited entry
 * (hash_mismatch, or broken_link at the next entry when the attacker also rewrote the hash),
 * a deleted entry (gap, or broken_link), reordered entries (broken_link) and a deleted tail
 * (truncated, against the head recorded in settings).
 */
export function verifyJournal(db: Database): VerifyResult {
  let expectedSeq = 1;
  let prev = GENESIS_HASH;
  let count = 0;
  for (const row of db.prepare('SELECT * FROM audit_journal ORDER BY seq').iterate() as IterableIterator<AuditEntry>) {
    if (row.seq !== expectedSeq) return { ok: false, seq: expectedSeq, reason: 'gap' };
    if (row.prev_hash !== prev) return { ok: false, seq: row.seq, reason: 'broken_link' };
    if (entryHash(row) !== row.hash) return { ok: false, seq: row.seq, reason: 'hash_mismatch' };
    prev = row.hash;
    expectedSeq += 1;
    count += 1;
  }
  const head = getSetting(db, HEAD_KEY);
  if (head) {
    const [seqText, hash] = head.split(':');
    const headSeq = Number(seqText);
    if (headSeq > count) return { ok: false, seq: count + 1, reason: 'truncated' };
    if (headSeq === count && count > 0 && hash !== prev) return { ok: false, seq: count, reason: 'broken_link' };
  }
  return { ok: true, entries: count };
}

export type HistoryEntry = HistoryItem;

/** The journal entries of one dossier, oldest first. */
export function dossierHistory(db: Database, dossierId: number): HistoryEntry[] {
  const rows = db
    .prepare('SELECT * FROM audit_journal WHERE dossier_id = ? ORDER BY seq')
    .all(dossierId) as AuditEntry[];
  return rows.map((r) => ({
    seq: r.seq,
    at: r.at,
    memberId: r.member_id,
    keyboardMemberId: r.keyboard_member_id,
    entity: r.entity,
    entityId: r.entity_id,
    action: r.action,
    before: r.before_json === null ? null : (JSON.parse(r.before_json) as unknown),
    after: r.after_json === null ? null : (JSON.parse(r.after_json) as unknown),
  }));
}
