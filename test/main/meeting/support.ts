import type { Database } from 'better-sqlite3';
import { createMember } from '../../../main/core/review/members';
import { createMeeting, endMeeting, enterDossier, setAttendance } from '../../../main/core/meeting/meetings';
import { recordConsensus, recordDecision } from '../../../main/core/meeting/consensus';
import { freshStore, NOW } from '../review/setup';

export { NOW };
const CRITERIA = ['V1', 'V2', 'V3', 'V4', 'V5', 'O1', 'O2', 'O3', 'E1', 'E2'];

/** A submitted review written directly (the review rules are tested elsewhere). */
export function submittedReview(db: Database, dossierId: number, memberId: number, scores: Record<string, number>): void {
  const at = NOW.toISOString();
  const reviewId = Number(
    db
      .prepare("INSERT INTO reviews (dossier_id, member_id, status, created_at, updated_at, submitted_at) VALUES (?, ?, 'submitted', ?, ?, ?)")
      .run(dossierId, memberId, at, at, at).lastInsertRowid,
  );
  const put = db.prepare('INSERT INTO review_scores (review_id, criterion_key, score, justification) VALUES (?, ?, ?, ?)');
  for (const key of CRITERIA) put.run(reviewId, key, scores[key] ?? 2, `j ${key}`);
  // Targets a and b hold (phase 2 possible).
  db.prepare('INSERT INTO review_details (review_id, target_a, target_b, target_c) VALUES (?, 1, 1, 0)').run(reviewId);
}

export function confirmConflict(db: Database, memberId: number, dossierId: number): void {
  db.prepare("INSERT INTO conflicts (member_id, dossier_id, source, status, created_at) VALUES (?, ?, 'declared', 'confirmed', ?)").run(
    memberId,
    dossierId,
    NOW.toISOString(),
  );
}

/**
 * The demo dossiers and three members: alice (correspondent), bob (expert), carol (CRESS).
 * Dossiers 0..2 reviewed by alice and bob; dossier 1 diverges on V1 (0 vs 3); carol is recused
 * on dossier 2.
 */
export function meetingStore() {
  const s = freshStore();
  const carol = createMember(s.db, { name: 'Carol Test', role: 'cress' }, { now: NOW }).id;
  const [d0, d1, d2] = s.dossierIds as [number, number, number];
  submittedReview(s.db, d0, s.alice, {});
  submittedReview(s.db, d0, s.bob, { V1: 3 });
  submittedReview(s.db, d1, s.alice, { V1: 0, O1: 1 });
  submittedReview(s.db, d1, s.bob, { V1: 3, O1: 3 });
  submittedReview(s.db, d2, s.alice, {});
  submittedReview(s.db, d2, s.bob, {});
  confirmConflict(s.db, carol, d2);
  return { ...s, carol, d0, d1, d2 };
}

/** A complete séance on the three reviewed dossiers: attendance, recusal, consensus, avis, ended. */
export function runMeeting(s: ReturnType<typeof meetingStore>) {
  const { db, alice, bob, carol, d0, d1, d2 } = s;
  const t = (minutes: number) => new Date(Date.parse('2021-07-05T07:30:00.000Z') + minutes * 60_000);
  const campaignId = (db.prepare('SELECT id FROM campaigns').get() as { id: number }).id;
  const m = createMeeting(db, campaignId, { heldOn: '2021-07-05', place: 'Lyon, DREETS, salle 3', keyboardMemberId: alice, chairMemberId: bob }, t(0));
  for (const who of [alice, bob, carol]) setAttendance(db, m.id, who, true, t(1));
  const all = (score: number) => Object.fromEntries(CRITERIA.map((k) => [k, { score, note: '' }]));
  enterDossier(db, m.id, d0, t(5));
  recordConsensus(db, m.id, d0, { ...all(2), V1: { score: 3, note: 'Expérience confirmée en séance.' } }, t(10));
  recordDecision(db, m.id, d0, { avis: 'favorable', motivation: 'Dynamique de coopération avérée.', phase2: true, votes: 'Unanimité.' }, t(12));
  enterDossier(db, m.id, d1, t(15));
  recordConsensus(db, m.id, d1, { ...all(1), V1: { score: 1, note: 'Compétences à démontrer.' }, O1: { score: 2, note: 'Plan crédible à un an.' } }, t(25));
  recordDecision(db, m.id, d1, { avis: 'favorable_reserves', motivation: 'Sous réserve d’un plan de financement.', votes: 'Une objection (Bob Test).' }, t(27));
  enterDossier(db, m.id, d2, t(30));
  recordConsensus(db, m.id, d2, all(2), t(35));
  // The committee records its view of target b only (c stays the reviews').
  recordDecision(db, m.id, d2, { avis: 'defavorable', motivation: 'Ancrage territorial insuffisant.', targetB: true }, t(38));
  endMeeting(db, m.id, t(45));
  return { meetingId: m.id, campaignId };
}
