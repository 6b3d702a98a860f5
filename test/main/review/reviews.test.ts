import { afterEach, describe, expect, it } from 'vitest';
import { AppFailure } from '../../../shared/errors';
import { dossierHistory, verifyJournal } from '../../../main/core/review/audit';
import { getActiveMember, setActiveMember } from '../../../main/core/review/members';
import {
  filterReviews,
  getDossierReviews,
  getReview,
  reopenReview,
  saveReviewPatch,
  submitReview,
  type ReviewPatch,
} from '../../../main/core/review/reviews';
import { freshStore, NOW } from './setup';

let cleanup = () => {};
afterEach(() => cleanup());

function store() {
  const s = freshStore();
  cleanup = s.cleanup;
  return s;
}

const ALL = ['V1', 'V2', 'V3', 'V4', 'V5', 'O1', 'O2', 'O3', 'E1', 'E2'];
const fullPatch: ReviewPatch = {
  scores: Object.fromEntries(ALL.map((k) => [k, { score: 2 }])),
  eligibility: Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((i) => [`E-${i}`, { answer: i <= 4 ? 'oui' : 'non' }])),
  details: { maturity: 'emergente', targets: { a: true, b: true, c: false }, avis: 'favorable', motivation: 'Dynamique réelle.' },
};

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppFailure) return e.code;
    throw e;
  }
  return undefined;
}

describe('saveReviewPatch', () => {
  it('creates the member’s own review, journals each changed field before → after, bumps the revision', () => {
    const { db, dossierIds, alice, bob } = store();
    const d = dossierIds[0]!;
    const r1 = saveReviewPatch(db, { dossierId: d, memberId: alice, patch: { scores: { V1: { score: 1 } } }, now: NOW });
    expect(r1).toMatchObject({ revision: 1, changed: 1 });
    const r2 = saveReviewPatch(db, {
      dossierId: d,
      memberId: alice,
      keyboardMemberId: bob,
      patch: { scores: { V1: { score: 3, justification: 'Équipe expérimentée.' } } },
      now: new Date('2021-07-01T08:05:00Z'),
    });
    expect(r2).toMatchObject({ revision: 2, changed: 2 });
    // Saving the same values again changes nothing and writes nothing.
    expect(saveReviewPatch(db, { dossierId: d, memberId: alice, patch: { scores: { V1: { score: 3 } } }, now: NOW })).toMatchObject({
      revision: 2,
      changed: 0,
    });
    const history = dossierHistory(db, d);
    expect(history.map((h) => [h.entity, h.action, h.before, h.after, h.memberId, h.keyboardMemberId])).toEqual([
      ['review', 'create', null, { dossierId: d, memberId: alice }, alice, null],
      ['review.score', 'update', { score: null }, { score: 1 }, alice, null],
      ['review.score', 'update', { score: 1 }, { score: 3 }, alice, bob],
      ['review.score', 'update', { justification: '' }, { justification: 'Équipe expérimentée.' }, alice, bob],
    ]);
    expect(getReview(db, d, alice)!.content.scores.V1).toEqual({ score: 3, justification: 'Équipe expérimentée.' });
    expect(verifyJournal(db).ok).toBe(true);
  });

  it('keeps each member’s review separate: nobody overwrites another member’s', () => {
    const { db, dossierIds, alice, bob } = store();
    const d = dossierIds[1]!;
    saveReviewPatch(db, { dossierId: d, memberId: alice, patch: { scores: { V1: { score: 0 } } }, now: NOW });
    saveReviewPatch(db, { dossierId: d, memberId: bob, patch: { scores: { V1: { score: 3 } } }, now: NOW });
    expect(getReview(db, d, alice)!.content.scores.V1!.score).toBe(0);
    expect(getReview(db, d, bob)!.content.scores.V1!.score).toBe(3);
    const both = getDossierReviews(db, d);
    expect(both.reviews.map((r) => r.memberId)).toEqual([alice, bob]);
    expect(both.divergent).toEqual([{ key: 'V1', min: 0, max: 3 }]);
  });

  it('rejects unknown criteria, off-scale scores and unknown findings without writing anything', () => {
    const { db, dossierIds, alice } = store();
    const d = dossierIds[0]!;
    expect(code(() => saveReviewPatch(db, { dossierId: d, memberId: alice, patch: { scores: { X9: { score: 1 } } }, now: NOW }))).toBe(
      'validation',
    );
    expect(code(() => saveReviewPatch(db, { dossierId: d, memberId: alice, patch: { scores: { V1: { score: 4 } } }, now: NOW }))).toBe(
      'validation',
    );
    expect(
      code(() => saveReviewPatch(db, { dossierId: d, memberId: alice, patch: { admissibility: { late: { decision: 'confirmed' } } }, now: NOW })),
    ).toBe('validation');
    expect(code(() => saveReviewPatch(db, { dossierId: 999999, memberId: alice, patch: {}, now: NOW }))).toBe('not_found');
    expect(getReview(db, d, alice)).toBeUndefined();
  });

  it('refuses phase 2 without target b or c, and stale revisions', () => {
    const { db, dossierIds, alice } = store();
    const d = dossierIds[0]!;
    saveReviewPatch(db, { dossierId: d, memberId: alice, patch: { details: { targets: { a: true, b: false } } }, now: NOW });
    expect(code(() => saveReviewPatch(db, { dossierId: d, memberId: alice, patch: { details: { phase2: true } }, now: NOW }))).toBe(
      'phase2_not_allowed',
    );
    expect(getReview(db, d, alice)!.content.details.phase2).toBe(false);
    const ok = saveReviewPatch(db, { dossierId: d, memberId: alice, patch: { details: { targets: { c: true }, phase2: true } }, now: NOW });
    expect(ok.revision).toBe(2);
    expect(
      code(() => saveReviewPatch(db, { dossierId: d, memberId: alice, patch: { expectedRevision: 1, details: { motivation: 'x' } }, now: NOW })),
    ).toBe('review_conflict');
  });

  it('admissibility findings from the import must be confirmed or overridden with a reason', () => {
    const { db, dossierIds, alice } = store();
    const d = dossierIds[0]!;
    db.prepare(
      `INSERT INTO dossier_findings (dossier_id, complete, on_time, status, flags_json, assessed_at) VALUES (?, 1, 0, 'au_fil_de_l_eau', '["late"]', ?)`,
    ).run(d, NOW.toISOString());
    saveReviewPatch(db, { dossierId: d, memberId: alice, patch: { ...fullPatch, admissibility: { status: { decision: 'confirmed' } } }, now: NOW });
    saveReviewPatch(db, { dossierId: d, memberId: alice, patch: { admissibility: { late: { decision: 'overridden' } } }, now: NOW });
    expect(getReview(db, d, alice)!.missing).toEqual([{ kind: 'override_reason', key: 'late' }]);
    saveReviewPatch(db, {
      dossierId: d,
      memberId: alice,
      patch: { admissibility: { late: { reason: 'Dépôt reçu à 23 h 58, accusé de réception joint.' } } },
      now: NOW,
    });
    expect(getReview(db, d, alice)!.missing).toEqual([]);
  });
});

describe('submit / reopen', () => {
  it('lists what is missing, then locks; a locked review refuses saves until reopened (journaled)', () => {
    const { db, dossierIds, alice } = store();
    const d = dossierIds[2]!;
    const none = submitReview(db, { dossierId: d, memberId: alice, now: NOW });
    expect(none.ok).toBe(false);
    saveReviewPatch(db, { dossierId: d, memberId: alice, patch: fullPatch, now: NOW });
    const view = getReview(db, d, alice)!;
    expect(view.eligibility).toMatchObject({ met: 4, outcome: 'majority' });
    expect(view.totals).toMatchObject({ total: 20, max: 30, complete: true });
    saveReviewPatch(db, { dossierId: d, memberId: alice, patch: { scores: { V5: { score: 3 } } }, now: NOW });
    const refused = submitReview(db, { dossierId: d, memberId: alice, now: NOW });
    expect(refused).toEqual({ ok: false, missing: [{ kind: 'justification', key: 'V5' }] });
    saveReviewPatch(db, { dossierId: d, memberId: alice, patch: { scores: { V5: { justification: 'R&D avec l’université.' } } }, now: NOW });
    const submitted = submitReview(db, { dossierId: d, memberId: alice, now: NOW });
    expect(submitted.ok).toBe(true);
    expect(getReview(db, d, alice)).toMatchObject({ status: 'submitted', submittedAt: NOW.toISOString() });
    expect(code(() => saveReviewPatch(db, { dossierId: d, memberId: alice, patch: { scores: { V1: { score: 1 } } }, now: NOW }))).toBe(
      'review_locked',
    );
    expect(code(() => submitReview(db, { dossierId: d, memberId: alice, now: NOW }))).toBe('review_locked');
    reopenReview(db, { dossierId: d, memberId: alice, now: NOW });
    expect(code(() => reopenReview(db, { dossierId: d, memberId: alice, now: NOW }))).toBe('review_not_submitted');
    saveReviewPatch(db, { dossierId: d, memberId: alice, patch: { scores: { V1: { score: 1 } } }, now: NOW });
    expect(getReview(db, d, alice)).toMatchObject({ status: 'draft', submittedAt: null });
    const actions = dossierHistory(db, d).filter((h) => h.entity === 'review').map((h) => h.action);
    expect(actions).toEqual(['create', 'submit', 'reopen']);
    expect(filterReviews(db, { campaignId: 1, status: 'draft' }).map((r) => r.memberId)).toEqual([alice]);
    expect(filterReviews(db, { campaignId: 1, avis: 'defavorable' })).toEqual([]);
    expect(verifyJournal(db)).toEqual({ ok: true, entries: expect.any(Number) as number });
  });
});

describe('members', () => {
  it('records the active member (the person at the keyboard) and journals the change', () => {
    const { db, bob } = store();
    expect(getActiveMember(db)).toBeUndefined();
    setActiveMember(db, bob, NOW);
    expect(getActiveMember(db)).toMatchObject({ id: bob, role: 'expert' });
    expect(code(() => setActiveMember(db, 4242, NOW))).toBe('not_found');
    const last = db.prepare('SELECT entity, after_json FROM audit_journal ORDER BY seq DESC LIMIT 1').get();
    expect(last).toEqual({ entity: 'setting', after_json: String(bob) });
  });
});
