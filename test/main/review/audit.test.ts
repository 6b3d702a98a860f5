import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import {
  GENESIS_HASH,
  appendAudit,
  canonicalEntry,
  canonicalJson,
  verifyJournal,
  type AuditEntry,
} from '../../../main/core/review/audit';
import { saveReviewPatch } from '../../../main/core/review/reviews';
import { freshStore, NOW } from './setup';

let cleanup = () => {};
afterEach(() => cleanup());

/** A store whose journal has a few dozen entries, reopened the way an attacker with sqlite3 would. */
function journalled() {
  const s = freshStore();
  cleanup = s.cleanup;
  const d = s.dossierIds[0]!;
  for (const [i, k] of ['V1', 'V2', 'V3', 'V4'].entries()) {
    saveReviewPatch(s.db, { dossierId: d, memberId: s.alice, patch: { scores: { [k]: { score: i % 4 } } }, now: NOW });
  }
  saveReviewPatch(s.db, { dossierId: d, memberId: s.bob, patch: { details: { motivation: 'Avis très réservé' } }, now: NOW });
  expect(verifyJournal(s.db).ok).toBe(true);
  s.db.close();
  const raw = new Database(s.path);
  raw.exec('DROP TRIGGER audit_journal_no_update; DROP TRIGGER audit_journal_no_delete;');
  const count = (raw.prepare('SELECT count(*) AS n FROM audit_journal').get() as { n: number }).n;
  return { raw, count };
}

describe('canonical JSON and hashes', () => {
  it('sorts keys, has no spaces and keeps UTF-8 text as is', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 'é'], c: null } })).toBe('{"a":{"c":null,"d":[1,"é"]},"b":1}');
  });

  it('chains entries: hash = sha256(prev_hash + "\\n" + canonical entry), starting at 64 zeros', () => {
    const s = freshStore({ demo: false });
    cleanup = s.cleanup;
    const rows = s.db.prepare('SELECT * FROM audit_journal ORDER BY seq').all() as AuditEntry[];
    expect(rows[0]!.prev_hash).toBe(GENESIS_HASH);
    for (const [i, row] of rows.entries()) {
      const expected = createHash('sha256').update(`${row.prev_hash}\n${canonicalEntry(row)}`).digest('hex');
      expect(row.hash).toBe(expected);
      if (i > 0) expect(row.prev_hash).toBe(rows[i - 1]!.hash);
    }
    expect(canonicalEntry(rows[0]!)).not.toContain('"hash"');
  });
});

describe('append-only journal', () => {
  it('refuses UPDATE and DELETE through the triggers', () => {
    const s = freshStore();
    cleanup = s.cleanup;
    expect(() => s.db.prepare("UPDATE audit_journal SET action = 'x' WHERE seq = 1").run()).toThrow(/append-only/);
    expect(() => s.db.prepare('DELETE FROM audit_journal WHERE seq = 1').run()).toThrow(/append-only/);
    expect(verifyJournal(s.db).ok).toBe(true);
  });
});

describe('verifyJournal detects tampering (triggers dropped, as with sqlite3)', () => {
  it('an edited entry → hash_mismatch at that entry', () => {
    const { raw } = journalled();
    raw.prepare(`UPDATE audit_journal SET after_json = '{"score":3}' WHERE seq = 4`).run();
    expect(verifyJournal(raw)).toEqual({ ok: false, seq: 4, reason: 'hash_mismatch' });
    raw.close();
  });

  it('an edited entry whose hash was recomputed → broken_link at the next entry', () => {
    const { raw } = journalled();
    const row = raw.prepare('SELECT * FROM audit_journal WHERE seq = 4').get() as AuditEntry;
    const forged = { ...row, after_json: '{"score":3}' };
    const hash = createHash('sha256').update(`${forged.prev_hash}\n${canonicalEntry(forged)}`).digest('hex');
    raw.prepare('UPDATE audit_journal SET after_json = ?, hash = ? WHERE seq = 4').run(forged.after_json, hash);
    expect(verifyJournal(raw)).toEqual({ ok: false, seq: 5, reason: 'broken_link' });
    raw.close();
  });

  it('a deleted entry in the middle → gap', () => {
    const { raw } = journalled();
    raw.prepare('DELETE FROM audit_journal WHERE seq = 3').run();
    expect(verifyJournal(raw)).toEqual({ ok: false, seq: 3, reason: 'gap' });
    raw.close();
  });

  it('a deleted entry with the later ones renumbered → broken_link', () => {
    const { raw, count } = journalled();
    raw.prepare('DELETE FROM audit_journal WHERE seq = 3').run();
    raw.prepare('UPDATE audit_journal SET seq = seq - 1 WHERE seq > 3').run();
    expect(verifyJournal(raw)).toMatchObject({ ok: false, seq: 3 });
    expect(count).toBeGreaterThan(5);
    raw.close();
  });

  it('two entries swapped → broken_link', () => {
    const { raw } = journalled();
    raw.exec('UPDATE audit_journal SET seq = -1 WHERE seq = 5; UPDATE audit_journal SET seq = 5 WHERE seq = 6; UPDATE audit_journal SET seq = 6 WHERE seq = -1;');
    expect(verifyJournal(raw)).toEqual({ ok: false, seq: 5, reason: 'broken_link' });
    raw.close();
  });

  it('the tail deleted → truncated (against the recorded head)', () => {
    const { raw, count } = journalled();
    raw.prepare('DELETE FROM audit_journal WHERE seq > ?').run(count - 2);
    expect(verifyJournal(raw)).toEqual({ ok: false, seq: count - 1, reason: 'truncated' });
    raw.close();
  });

  it('appending after a verified journal keeps it valid', () => {
    const { raw, count } = journalled();
    appendAudit(raw, [
      { at: NOW.toISOString(), memberId: null, keyboardMemberId: null, entity: 'test', entityId: '1', dossierId: null, action: 'note', before: null, after: { ok: true } },
    ]);
    expect(verifyJournal(raw)).toEqual({ ok: true, entries: count + 1 });
    raw.close();
  });
});
