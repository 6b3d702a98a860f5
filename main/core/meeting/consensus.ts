import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import { AppFailure } from '../../../shared/errors';
import type {
  CommitteeDecisionView,
  CriterionRowView,
  DepartureView,
  MeetingDossierView,
  MeetingTargetView,
} from '../../../shared/domain/meeting';
import { appendAudit, type NewAuditEntry } from '../review/audit';
import { listMembers } from '../review/members';
import { AVIS_VALUES, gridScale, isValidScore, phase2Allowed, selectionCriteria, type Avis } from '../review/scoring';
import type { Grid } from '../grid';
import { majority } from '../synthesis/stats';
import {
  divergenceThreshold,
  dossierSpread,
  invalid,
  meetingAudit,
  meetingGrid,
  meetingOrderIds,
  meetingRow,
  openMeetingRow,
  recusedMembers,
} from './meetings';

/**
 * Per dossier in a séance: every member's submitted scores side by side, the spread per criterion
 * and the divergences past the grid's threshold; the committee's consensus score per criterion
 * (a reconciliation note is required where the spread reached the threshold) and its avis,
 * motivation, its own view of targets b and c, phase-2 recommendation and votes. Phase 2 needs the
 * grid's phase-2 targets (default b and/or c): the committee's targets when it recorded them (a
 * target it left unrecorded takes the reviews' majority, as in the regional synthesis), else at
 * least one submitted review finding them (`phase2_not_allowed`). Individual scores are never changed. A member
 * recused on the dossier cannot record anything on it (`meeting_recused` when at the keyboard).
 */

export const consensusInputSchema = z
  .record(z.string().max(64), z.object({ score: z.number().int(), note: z.string().max(20_000).default('') }).strict())
  .refine((r) => Object.keys(r).length <= 100);
export type ConsensusInput = z.input<typeof consensusInputSchema>;

export const decisionInputSchema = z
  .object({
    avis: z.enum(AVIS_VALUES).nullable().optional(),
    motivation: z.string().max(50_000).optional(),
    phase2: z.boolean().optional(),
    votes: z.string().max(20_000).optional(),
    targetB: z.boolean().nullable().optional(),
    targetC: z.boolean().nullable().optional(),
  })
  .strict();
export type DecisionInput = z.input<typeof decisionInputSchema>;

interface DecisionRow {
  avis: Avis | null;
  motivation: string;
  phase2: number;
  votes: string;
  decided_at: string;
  target_b: number | null;
  target_c: number | null;
}

const bool = (v: number | null): boolean | null => (v === null ? null : v === 1);
const bit = (v: boolean | null): number | null => (v === null ? null : v ? 1 : 0);

function decisionOf(db: Database, dossierId: number): CommitteeDecisionView | null {
  const r = db
    .prepare('SELECT avis, motivation, phase2, votes, decided_at, target_b, target_c FROM committee_decisions WHERE dossier_id = ?')
    .get(dossierId) as DecisionRow | undefined;
  return r
    ? {
        avis: r.avis,
        motivation: r.motivation,
        phase2: r.phase2 === 1,
        votes: r.votes,
        decidedAt: r.decided_at,
        targetB: bool(r.target_b),
        targetC: bool(r.target_c),
      }
    : null;
}

type Reviews = ReturnType<typeof dossierSpread>['reviews'];

/** Targets b and c: the grid's labels, the submitted reviews' majority, the committee's view. */
function targetViews(grid: Grid, reviews: Reviews, decision: CommitteeDecisionView | null): MeetingTargetView[] {
  return (['b', 'c'] as const).map((key) => ({
    key,
    label: grid.targets?.find((t) => t.key === key)?.label ?? { fr: key },
    reviews: majority(reviews.map((r) => r.content.details.targets[key] ?? null)),
    committee: decision ? (key === 'b' ? decision.targetB : decision.targetC) : null,
  }));
}

/**
 * The phase-2 rule in séance: the committee's targets when it recorded any (an unrecorded one takes
 * the reviews' majority), else at least one submitted review meeting the grid's rule.
 */
function phase2AllowedFor(grid: Grid, reviews: Reviews, committee: { b: boolean | null; c: boolean | null }): boolean {
  if (committee.b === null && committee.c === null) return reviews.some((r) => r.phase2Allowed);
  const t = targetViews(grid, reviews, null);
  return phase2Allowed(grid, { b: committee.b ?? t[0]!.reviews, c: committee.c ?? t[1]!.reviews });
}

export function consensusOf(db: Database, dossierId: number): Map<string, { score: number; note: string; spread: number | null }> {
  const rows = db.prepare('SELECT criterion_key, score, note, spread FROM consensus_scores WHERE dossier_id = ?').all(dossierId) as {
    criterion_key: string;
    score: number;
    note: string;
    spread: number | null;
  }[];
  return new Map(rows.map((r) => [r.criterion_key, { score: r.score, note: r.note, spread: r.spread }]));
}

function requireInOrder(db: Database, meetingId: number, dossierId: number): void {
  if (!meetingOrderIds(db, meetingId).includes(dossierId)) throw new AppFailure('not_found', { entity: 'dossier', id: dossierId });
}

export function getMeetingDossier(db: Database, meetingId: number, dossierId: number): MeetingDossierView {
  const row = meetingRow(db, meetingId);
  const order = meetingOrderIds(db, meetingId);
  const position = order.indexOf(dossierId) + 1;
  if (position === 0) throw new AppFailure('not_found', { entity: 'dossier', id: dossierId });
  const grid = meetingGrid(db, row.campaign_id);
  const d = db.prepare('SELECT number, project_name, structure_name FROM dossiers WHERE id = ?').get(dossierId) as {
    number: number;
    project_name: string;
    structure_name: string;
  };
  const recused = recusedMembers(db, dossierId);
  const { reviews, spreads } = dossierSpread(db, grid, dossierId, recused);
  const members = new Map(listMembers(db).map((m) => [m.id, m]));
  const threshold = divergenceThreshold(grid);
  const consensus = consensusOf(db, dossierId);
  const decision = decisionOf(db, dossierId);
  const labels = new Map(
    (grid.selection?.sections ?? []).flatMap((s) => s.criteria.map((c) => [c.key, c.label] as const)),
  );
  const criteria: CriterionRowView[] = selectionCriteria(grid).map((c) => {
    const spread = spreads.get(c.key) ?? null;
    const cons = consensus.get(c.key);
    return {
      key: c.key,
      section: c.section,
      label: labels.get(c.key) ?? { fr: c.key },
      weight: c.weight,
      scores: Object.fromEntries(reviews.map((r) => [r.memberId, r.content.scores[c.key]?.score ?? null])),
      spread,
      divergent: spread !== null && spread >= threshold,
      consensus: cons ? { score: cons.score, note: cons.note } : null,
    };
  });
  const scale = gridScale(grid);
  let total = 0;
  let max = 0;
  for (const c of criteria) {
    max += scale.max * c.weight;
    if (c.consensus) total += c.consensus.score * c.weight;
  }
  const departures: DepartureView[] = (
    db
      .prepare('SELECT member_id, left_at, returned_at FROM meeting_departures WHERE meeting_id = ? AND dossier_id = ? ORDER BY member_id')
      .all(meetingId, dossierId) as { member_id: number; left_at: string; returned_at: string | null }[]
  ).map((r) => ({ memberId: r.member_id, name: members.get(r.member_id)?.name ?? `#${r.member_id}`, leftAt: r.left_at, returnedAt: r.returned_at }));
  return {
    meetingId,
    dossierId,
    number: d.number,
    project: d.project_name,
    structure: d.structure_name,
    position,
    count: order.length,
    reviewers: reviews.map((r) => members.get(r.memberId)!).filter(Boolean),
    criteria,
    scale,
    threshold,
    consensusTotal: { total: Math.round(total * 1000) / 1000, max: Math.round(max * 1000) / 1000, complete: criteria.every((c) => c.consensus) },
    departures,
    decision,
    phase2Allowed: phase2AllowedFor(grid, reviews, { b: decision?.targetB ?? null, c: decision?.targetC ?? null }),
    targets: targetViews(grid, reviews, decision),
    phase2Targets: grid.phase2Rule?.targetsAnyOf ?? ['b', 'c'],
    keyboardRecused: row.keyboard_member_id !== null && recused.includes(row.keyboard_member_id),
    readOnly: row.ended_at !== null,
  };
}

/** Refuses a write when the keyboard member is recused on the dossier (or nobody is at the keyboard). */
function requireKeyboard(db: Database, keyboard: number | null, dossierId: number): void {
  if (keyboard === null) invalid('keyboardMemberId');
  if (recusedMembers(db, dossierId).includes(keyboard)) throw new AppFailure('meeting_recused', { dossier: dossierId });
}

/**
 * Records consensus scores for some criteria of a dossier. Where the submitted individual scores
 * spread by the grid's divergence threshold or more, a reconciliation note is required
 * (`consensus_note_required`). Journaled per criterion (before → after).
 */
export function recordConsensus(db: Database, meetingId: number, dossierId: number, input: ConsensusInput, now: Date): MeetingDossierView {
  const parsed = consensusInputSchema.safeParse(input);
  if (!parsed.success) invalid(parsed.error.issues[0]?.path.join('.') || 'consensus');
  db.transaction(() => {
    const row = openMeetingRow(db, meetingId);
    requireInOrder(db, meetingId, dossierId);
    requireKeyboard(db, row.keyboard_member_id, dossierId);
    const grid = meetingGrid(db, row.campaign_id);
    const keys = new Set(selectionCriteria(grid).map((c) => c.key));
    const { spreads } = dossierSpread(db, grid, dossierId, recusedMembers(db, dossierId));
    const threshold = divergenceThreshold(grid);
    const current = consensusOf(db, dossierId);
    const at = now.toISOString();
    const audit: NewAuditEntry[] = [];
    const put = db.prepare(
      `INSERT INTO consensus_scores (dossier_id, criterion_key, score, spread, note, meeting_id, decided_at, decided_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (dossier_id, criterion_key) DO UPDATE SET score = excluded.score, spread = excluded.spread, note = excluded.note,
         meeting_id = excluded.meeting_id, decided_at = excluded.decided_at, decided_by = excluded.decided_by`,
    );
    for (const [key, v] of Object.entries(parsed.data)) {
      if (!keys.has(key)) invalid(`consensus.${key}`);
      if (!isValidScore(grid, v.score)) invalid(`consensus.${key}.score`);
      const spread = spreads.get(key) ?? null;
      const note = v.note.trim();
      if (spread !== null && spread >= threshold && note === '') throw new AppFailure('consensus_note_required', { criterion: key });
      const before = current.get(key);
      if (before && before.score === v.score && before.note === note) continue;
      put.run(dossierId, key, v.score, spread, note, meetingId, at, row.keyboard_member_id);
      audit.push(
        meetingAudit(
          row,
          at,
          'committee.consensus',
          `${dossierId}/${key}`,
          dossierId,
          before ? 'update' : 'create',
          before ? { score: before.score, note: before.note } : null,
          { score: v.score, note, spread, meetingId },
        ),
      );
    }
    appendAudit(db, audit);
  }).immediate();
  return getMeetingDossier(db, meetingId, dossierId);
}

/** Records the committee's avis, motivation, targets b/c, phase-2 recommendation and votes (journaled per field). */
export function recordDecision(db: Database, meetingId: number, dossierId: number, input: DecisionInput, now: Date): MeetingDossierView {
  const parsed = decisionInputSchema.safeParse(input);
  if (!parsed.success) invalid(parsed.error.issues[0]?.path.join('.') || 'decision');
  const p = parsed.data;
  db.transaction(() => {
    const row = openMeetingRow(db, meetingId);
    requireInOrder(db, meetingId, dossierId);
    requireKeyboard(db, row.keyboard_member_id, dossierId);
    const cur = decisionOf(db, dossierId);
    const before = {
      avis: cur?.avis ?? null,
      motivation: cur?.motivation ?? '',
      phase2: cur?.phase2 ?? false,
      votes: cur?.votes ?? '',
      targetB: cur?.targetB ?? null,
      targetC: cur?.targetC ?? null,
    };
    const after = {
      avis: p.avis === undefined ? before.avis : p.avis,
      motivation: p.motivation ?? before.motivation,
      phase2: p.phase2 ?? before.phase2,
      votes: p.votes ?? before.votes,
      targetB: p.targetB === undefined ? before.targetB : p.targetB,
      targetC: p.targetC === undefined ? before.targetC : p.targetC,
    };
    const changed = (Object.keys(after) as (keyof typeof after)[]).filter((k) => before[k] !== after[k]);
    if (changed.length === 0 && cur) return;
    // Phase 2 needs targets b and/or c (grid rule): the committee's when recorded, else the reviews'.
    const targetsChanged = before.targetB !== after.targetB || before.targetC !== after.targetC;
    if (after.phase2 && (!before.phase2 || targetsChanged)) {
      const grid = meetingGrid(db, row.campaign_id);
      const { reviews } = dossierSpread(db, grid, dossierId, recusedMembers(db, dossierId));
      if (!phase2AllowedFor(grid, reviews, { b: after.targetB, c: after.targetC })) throw new AppFailure('phase2_not_allowed');
    }
    const at = now.toISOString();
    db.prepare(
      `INSERT INTO committee_decisions (dossier_id, meeting_id, avis, motivation, phase2, votes, decided_at, decided_by, target_b, target_c)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (dossier_id) DO UPDATE SET meeting_id = excluded.meeting_id, avis = excluded.avis, motivation = excluded.motivation,
         phase2 = excluded.phase2, votes = excluded.votes, decided_at = excluded.decided_at, decided_by = excluded.decided_by,
         target_b = excluded.target_b, target_c = excluded.target_c`,
    ).run(
      dossierId,
      meetingId,
      after.avis,
      after.motivation,
      after.phase2 ? 1 : 0,
      after.votes,
      at,
      row.keyboard_member_id,
      bit(after.targetB),
      bit(after.targetC),
    );
    appendAudit(
      db,
      changed.map((k) =>
        meetingAudit(row, at, 'committee.decision', String(dossierId), dossierId, 'update', { [k]: before[k] }, { [k]: after[k] }),
      ),
    );
  }).immediate();
  return getMeetingDossier(db, meetingId, dossierId);
}
