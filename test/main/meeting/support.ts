import type { Database } from 'better-sqlite3';
import { createMember } from '../../../main/core/review/members';
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
