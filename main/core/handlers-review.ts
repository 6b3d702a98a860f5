import type { Database } from 'better-sqlite3';
import { AppFailure } from '../../shared/errors';
import type { Handlers } from '../../shared/ipc/api';
import type { ActiveMembers, ReviewGridView, ReviewState } from '../../shared/domain/review';
import type { Grid } from './grid';
import { campaignGrid } from './store/campaigns';
import { getSetting, setSetting } from './store/settings';
import { createMember, getActiveMember, getMember, listMembers, requireMember, setActiveMember } from './review/members';
import { findDossierId, getReview, reopenReview, saveReviewPatch, submitReview, type ReviewView } from './review/reviews';
import {
  computeTotals,
  eligibilityOutcome,
  findingKeys,
  gridScale,
  justificationPolicy,
  missingForSubmit,
  phase2Allowed,
  type ReviewContent,
} from './review/scoring';
import { dossierHistory } from './review/audit';
import { hasConfirmedConflict } from './committee/conflicts';
import type { HandlerContext } from './handlers';

type ReviewHandlers = Pick<
  Handlers,
  | 'member:list'
  | 'member:create'
  | 'member:getActive'
  | 'member:setActive'
  | 'review:get'
  | 'review:save'
  | 'review:submit'
  | 'review:reopen'
  | 'audit:history'
>;

/** The person at the keyboard when it is not the active member (settings; cleared when the same). */
export const KEYBOARD_MEMBER_KEY = 'review.keyboardMember';

function gridView(grid: Grid): ReviewGridView {
  const scale = gridScale(grid);
  return {
    eligibility: (grid.eligibility?.criteria ?? []).map((c) => ({ key: c.key, label: c.label })),
    sections: (grid.selection?.sections ?? []).map((s) => ({
      key: s.key,
      label: s.label,
      criteria: s.criteria.map((c) => ({ key: c.key, label: c.label, weight: c.weight })),
    })),
    scale: {
      min: scale.min,
      max: scale.max,
      levels:
        grid.scale?.levels ??
        Array.from({ length: scale.max - scale.min + 1 }, (_, i) => ({ value: scale.min + i, label: { fr: String(scale.min + i) } })),
    },
    justificationPolicy: justificationPolicy(grid),
    targets: grid.targets ?? [],
    phase2TargetsAnyOf: grid.phase2Rule?.targetsAnyOf ?? ['b', 'c'],
  };
}

interface DossierInfo {
  dossierId: number;
  grid: Grid;
  findings: { status: string; flags: string[] } | null;
}

function dossierInfo(db: Database, dossierId: number): DossierInfo {
  const row = db
    .prepare(
      `SELECT d.campaign_id AS campaignId, f.status, f.flags_json AS flags
       FROM dossiers d LEFT JOIN dossier_findings f ON f.dossier_id = d.id WHERE d.id = ?`,
    )
    .get(dossierId) as { campaignId: number; status: string | null; flags: string | null } | undefined;
  const grid = row && campaignGrid(db, row.campaignId);
  if (!row || !grid) throw new AppFailure('not_found', { entity: 'dossier', id: dossierId });
  const findings = row.status === null ? null : { status: row.status, flags: JSON.parse(row.flags ?? '[]') as string[] };
  return { dossierId, grid, findings };
}

const emptyContent = (): ReviewContent => ({
  admissibility: {},
  eligibility: {},
  scores: {},
  details: {
    maturity: null,
    targets: { a: null, b: null, c: null },
    fragile: { qpv: null, zrr: null, deindustrialised: null },
    avis: null,
    motivation: '',
    phase2: false,
    support: [],
  },
});

/** The member's review as the form shows it; an empty draft (revision 0) before their first save. */
function reviewState(db: Database, dossierId: number, memberId: number): ReviewState {
  requireMember(db, memberId);
  const info = dossierInfo(db, dossierId);
  const view: ReviewView | undefined = getReview(db, dossierId, memberId);
  const base = { grid: gridView(info.grid), findingStatus: info.findings?.status ?? null };
  if (view) {
    const { reviewId, status, revision, submittedAt, updatedAt, content, totals, eligibility, missing } = view;
    return {
      ...base,
      dossierId,
      memberId,
      reviewId,
      status,
      revision,
      submittedAt,
      updatedAt,
      content,
      findingKeys: view.findingKeys,
      totals,
      eligibility,
      phase2Allowed: view.phase2Allowed,
      missing,
    };
  }
  const content = emptyContent();
  const keys = findingKeys(info.findings);
  return {
    ...base,
    dossierId,
    memberId,
    reviewId: null,
    status: 'draft',
    revision: 0,
    submittedAt: null,
    updatedAt: null,
    content,
    findingKeys: keys,
    totals: computeTotals(info.grid, content.scores),
    eligibility: eligibilityOutcome(info.grid, content.eligibility),
    phase2Allowed: phase2Allowed(info.grid, content.details.targets),
    missing: missingForSubmit(info.grid, keys, content),
  };
}

function activeMembers(db: Database): ActiveMembers {
  const active = getActiveMember(db) ?? null;
  const keyboardId = getSetting(db, KEYBOARD_MEMBER_KEY);
  const keyboard = keyboardId ? getMember(db, Number(keyboardId)) ?? null : null;
  return { active, keyboard: keyboard && active && keyboard.id !== active.id ? keyboard : null };
}

export function createReviewHandlers(ctx: HandlerContext): ReviewHandlers {
  const db = () => ctx.store.db;

  return {
    'member:list': () => listMembers(db()),
    'member:create': ({ name, role, organisation, activate, keyboardMemberId }) => {
      const d = db();
      const member = createMember(d, { name, role, organisation }, { now: ctx.now(), keyboardMemberId: keyboardMemberId ?? null });
      if (activate) {
        setActiveMember(d, member.id, ctx.now());
        setSetting(d, KEYBOARD_MEMBER_KEY, '');
      }
      ctx.log.info('member.created', { memberId: member.id });
      return member;
    },
    'member:getActive': () => activeMembers(db()),
    'member:setActive': ({ memberId, keyboardMemberId }) => {
      const d = db();
      if (keyboardMemberId != null) requireMember(d, keyboardMemberId);
      setActiveMember(d, memberId, ctx.now());
      setSetting(d, KEYBOARD_MEMBER_KEY, keyboardMemberId != null && keyboardMemberId !== memberId ? String(keyboardMemberId) : '');
      return activeMembers(d);
    },
    'review:get': ({ dossierId, campaignId, number, memberId }) => {
      const d = db();
      const idOf = dossierId ?? (number !== undefined ? findDossierId(d, number, campaignId) : undefined);
      if (idOf === undefined) throw new AppFailure('not_found', { entity: 'dossier' });
      // A recused active member cannot read another member's review of that dossier (issue 6).
      const viewer = getActiveMember(d);
      if (viewer && viewer.id !== memberId && hasConfirmedConflict(d, viewer.id, idOf))
        throw new AppFailure('conflict_of_interest', { member: viewer.id, dossier: idOf });
      return reviewState(d, idOf, memberId);
    },
    'review:save': ({ dossierId, memberId, keyboardMemberId, patch, baseRevision }) => {
      const d = db();
      saveReviewPatch(d, {
        dossierId,
        memberId,
        keyboardMemberId: keyboardMemberId ?? null,
        patch: baseRevision === undefined ? patch : { ...patch, expectedRevision: baseRevision },
        now: ctx.now(),
      });
      return reviewState(d, dossierId, memberId);
    },
    'review:submit': ({ dossierId, memberId, keyboardMemberId, baseRevision }) => {
      const d = db();
      const result = submitReview(d, { dossierId, memberId, keyboardMemberId: keyboardMemberId ?? null, now: ctx.now(), expectedRevision: baseRevision });
      if (!result.ok) return { ok: false, missing: result.missing };
      ctx.log.info('review.submitted', { dossierId, memberId });
      return { ok: true, review: reviewState(d, dossierId, memberId) };
    },
    'review:reopen': ({ dossierId, memberId, keyboardMemberId }) => {
      const d = db();
      reopenReview(d, { dossierId, memberId, keyboardMemberId: keyboardMemberId ?? null, now: ctx.now() });
      ctx.log.info('review.reopened', { dossierId, memberId });
      return reviewState(d, dossierId, memberId);
    },
    'audit:history': ({ dossierId }) => {
      const d = db();
      dossierInfo(d, dossierId);
      const history = dossierHistory(d, dossierId);
      // A recused active member does not see the others' review changes (their scores) in the history.
      const viewer = getActiveMember(d);
      if (!viewer || !hasConfirmedConflict(d, viewer.id, dossierId)) return history;
      return history.filter((h) => !h.entity.startsWith('review') || h.memberId === viewer.id);
    },
  };
}
