import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import { AppFailure } from '../../../shared/errors';
import { gridSchema, type Grid } from '../grid';
import { appendAudit, type NewAuditEntry } from './audit';
import { requireMember } from './members';
import { assertNotRecused } from '../committee/conflicts';
import {
  ADMISSIBILITY_DECISIONS,
  AVIS_VALUES,
  ELIGIBILITY_ANSWERS,
  FRAGILE_KEYS,
  MATURITY_VALUES,
  TARGET_KEYS,
  computeTotals,
  divergentCriteria,
  eligibilityCriteria,
  eligibilityOutcome,
  findingKeys,
  isValidScore,
  missingForSubmit,
  phase2Allowed,
  selectionCriteria,
  type EligibilityOutcome,
  type MissingItem,
  type ReviewContent,
  type Totals,
} from './scoring';

/**
 * Each member's own review of a dossier. Every save is one immediate transaction: upsert the
 * member's review, apply the patch, append one audit entry per changed field (before → after),
 * bump `revision`. A submitted review is locked until it is reopened (which is journaled too).
 */

const text = (max: number) => z.string().max(max);
const nullableBool = z.boolean().nullable().optional();

export const reviewPatchSchema = z
  .object({
    /** When given, the save is refused with `review_conflict` unless the stored revision matches. */
    expectedRevision: z.number().int().nonnegative().optional(),
    scores: z
      .record(z.string(), z.object({ score: z.number().int().nullable().optional(), justification: text(20_000).optional() }).strict())
      .optional(),
    eligibility: z
      .record(z.string(), z.object({ answer: z.enum(ELIGIBILITY_ANSWERS).nullable().optional(), note: text(10_000).optional() }).strict())
      .optional(),
    admissibility: z
      .record(
        z.string(),
        z.object({ decision: z.enum(ADMISSIBILITY_DECISIONS).nullable().optional(), reason: text(10_000).optional() }).strict(),
      )
      .optional(),
    details: z
      .object({
        maturity: z.enum(MATURITY_VALUES).nullable().optional(),
        targets: z.object({ a: nullableBool, b: nullableBool, c: nullableBool }).strict().optional(),
        fragile: z.object({ qpv: nullableBool, zrr: nullableBool, deindustrialised: nullableBool }).strict().optional(),
        avis: z.enum(AVIS_VALUES).nullable().optional(),
        motivation: text(50_000).optional(),
        phase2: z.boolean().optional(),
        support: z.array(text(500)).max(50).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type ReviewPatch = z.input<typeof reviewPatchSchema>;

export interface SaveInput {
  dossierId: number;
  /** The member whose review this is. */
  memberId: number;
  /** The person at the keyboard (the active member); recorded when different from `memberId`. */
  keyboardMemberId?: number | null;
  patch: ReviewPatch;
  now: Date;
}

export interface SaveResult {
  reviewId: number;
  revision: number;
  /** Number of changed fields (= audit entries written for the patch). */
  changed: number;
}

export interface ReviewView {
  reviewId: number;
  dossierId: number;
  memberId: number;
  status: 'draft' | 'submitted';
  revision: number;
  submittedAt: string | null;
  updatedAt: string;
  content: ReviewContent;
  findingKeys: string[];
  totals: Totals;
  eligibility: EligibilityOutcome;
  phase2Allowed: boolean;
  missing: MissingItem[];
}

interface ReviewRow {
  id: number;
  dossier_id: number;
  member_id: number;
  status: 'draft' | 'submitted';
  revision: number;
  submitted_at: string | null;
  updated_at: string;
}

interface DetailsRow {
  maturity: string | null;
  target_a: number | null;
  target_b: number | null;
  target_c: number | null;
  fragile_qpv: number | null;
  fragile_zrr: number | null;
  fragile_deindustrialised: number | null;
  avis: string | null;
  motivation: string;
  phase2: number;
  support_json: string;
}

// Grids are immutable once stored (ensureGrid), so a parsed grid can be cached by id + version.
const gridCache = new Map<string, Grid>();

interface DossierContext {
  dossierId: number;
  campaignId: number;
  grid: Grid;
  findingKeys: string[];
}

function dossierContext(db: Database, dossierId: number): DossierContext {
  const row = db
    .prepare(
      `SELECT d.id, d.campaign_id, c.grid_id, c.grid_version, f.status, f.flags_json
       FROM dossiers d JOIN campaigns c ON c.id = d.campaign_id
       LEFT JOIN dossier_findings f ON f.dossier_id = d.id WHERE d.id = ?`,
    )
    .get(dossierId) as
    | { id: number; campaign_id: number; grid_id: string; grid_version: number; status: string | null; flags_json: string | null }
    | undefined;
  if (!row) throw new AppFailure('not_found', { entity: 'dossier', id: dossierId });
  const cacheKey = `${row.grid_id}@${row.grid_version}`;
  let grid = gridCache.get(cacheKey);
  if (!grid) {
    const doc = db.prepare('SELECT document FROM grids WHERE id = ? AND version = ?').get(row.grid_id, row.grid_version) as {
      document: string;
    };
    grid = gridSchema.parse(JSON.parse(doc.document));
    gridCache.set(cacheKey, grid);
  }
  const findings = row.status === null ? null : { status: row.status, flags: JSON.parse(row.flags_json ?? '[]') as string[] };
  return { dossierId: row.id, campaignId: row.campaign_id, grid, findingKeys: findingKeys(findings) };
}

function reviewRow(db: Database, dossierId: number, memberId: number): ReviewRow | undefined {
  return db
    .prepare(
      'SELECT id, dossier_id, member_id, status, revision, submitted_at, updated_at FROM reviews WHERE dossier_id = ? AND member_id = ?',
    )
    .get(dossierId, memberId) as ReviewRow | undefined;
}

const bool = (v: number | null): boolean | null => (v === null ? null : v === 1);
const bit = (v: boolean | null): number | null => (v === null ? null : v ? 1 : 0);

function emptyDetails(): ReviewContent['details'] {
  return {
    maturity: null,
    targets: { a: null, b: null, c: null },
    fragile: { qpv: null, zrr: null, deindustrialised: null },
    avis: null,
    motivation: '',
    phase2: false,
    support: [],
  };
}

function loadContent(db: Database, reviewId: number): ReviewContent {
  const content: ReviewContent = { admissibility: {}, eligibility: {}, scores: {}, details: emptyDetails() };
  for (const r of db
    .prepare('SELECT finding_key, decision, reason FROM review_admissibility WHERE review_id = ?')
    .all(reviewId) as { finding_key: string; decision: ReviewContent['admissibility'][string]['decision']; reason: string }[])
    content.admissibility[r.finding_key] = { decision: r.decision, reason: r.reason };
  for (const r of db
    .prepare('SELECT criterion_key, answer, note FROM review_eligibility WHERE review_id = ?')
    .all(reviewId) as { criterion_key: string; answer: ReviewContent['eligibility'][string]['answer']; note: string }[])
    content.eligibility[r.criterion_key] = { answer: r.answer, note: r.note };
  for (const r of db
    .prepare('SELECT criterion_key, score, justification FROM review_scores WHERE review_id = ?')
    .all(reviewId) as { criterion_key: string; score: number | null; justification: string }[])
    content.scores[r.criterion_key] = { score: r.score, justification: r.justification };
  const d = db.prepare('SELECT * FROM review_details WHERE review_id = ?').get(reviewId) as DetailsRow | undefined;
  if (d) content.details = detailsFromRow(d);
  return content;
}

function detailsFromRow(d: DetailsRow): ReviewContent['details'] {
  return {
    maturity: d.maturity as ReviewContent['details']['maturity'],
    targets: { a: bool(d.target_a), b: bool(d.target_b), c: bool(d.target_c) },
    fragile: { qpv: bool(d.fragile_qpv), zrr: bool(d.fragile_zrr), deindustrialised: bool(d.fragile_deindustrialised) },
    avis: d.avis as ReviewContent['details']['avis'],
    motivation: d.motivation,
    phase2: d.phase2 === 1,
    support: JSON.parse(d.support_json) as string[],
  };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Stores the review's weighted total (score × the grid's weight, summed over scored criteria; null
 * when nothing is scored) and its count of eligibility criteria met, read by the dossier list.
 */
export function refreshReviewTotals(db: Database, reviewId: number, grid: Grid): void {
  const weights = JSON.stringify(Object.fromEntries(selectionCriteria(grid).map((c) => [c.key, c.weight])));
  db.prepare(
    `UPDATE reviews SET
       weighted_total = (SELECT sum(rs.score * coalesce(w.value, 0)) FROM review_scores rs
                         LEFT JOIN json_each(@weights) w ON w.key = rs.criterion_key
                         WHERE rs.review_id = @reviewId AND rs.score IS NOT NULL),
       eligible_met = (SELECT count(*) FROM review_eligibility re
                       WHERE re.review_id = @reviewId AND re.answer IN ('oui', 'en_perspective'))
     WHERE id = @reviewId`,
  ).run({ reviewId, weights });
}

/** A per-criterion part of a review: its table, key column and its two columns (a value, a text). */
interface KeyedPart {
  table: string;
  key: string;
  fields: readonly [string, string];
}
const KEYED = {
  scores: { table: 'review_scores', key: 'criterion_key', fields: ['score', 'justification'] },
  eligibility: { table: 'review_eligibility', key: 'criterion_key', fields: ['answer', 'note'] },
  admissibility: { table: 'review_admissibility', key: 'finding_key', fields: ['decision', 'reason'] },
} as const satisfies Record<string, KeyedPart>;
const keyboardOf = (memberId: number, keyboard: number | null | undefined): number | null =>
  keyboard != null && keyboard !== memberId ? keyboard : null;

function invalid(reason: string): never {
  throw new AppFailure('validation', { reason });
}

/** Saves part of a member's review in one transaction. Throws `review_locked` once submitted. */
export function saveReviewPatch(db: Database, input: SaveInput): SaveResult {
  const parsed = reviewPatchSchema.safeParse(input.patch);
  if (!parsed.success) invalid(parsed.error.issues[0]?.path.join('.') || 'patch');
  const patch = parsed.data;
  return db.transaction((): SaveResult => {
    const ctx = dossierContext(db, input.dossierId);
    requireMember(db, input.memberId);
    if (input.keyboardMemberId != null) requireMember(db, input.keyboardMemberId);
    assertNotRecused(db, input.memberId, input.dossierId);
    const { grid } = ctx;
    const at = input.now.toISOString();
    const keyboardMemberId = keyboardOf(input.memberId, input.keyboardMemberId);
    const audit: NewAuditEntry[] = [];
    const entry = (entity: string, entityId: string, action: string, before: unknown, after: unknown) =>
      audit.push({ at, memberId: input.memberId, keyboardMemberId, entity, entityId, dossierId: ctx.dossierId, action, before, after });

    // Validate keys against the grid and the dossier's findings before writing anything.
    const scoreKeys = new Set(selectionCriteria(grid).map((c) => c.key));
    for (const [key, v] of Object.entries(patch.scores ?? {})) {
      if (!scoreKeys.has(key)) invalid(`scores.${key}`);
      if (v.score != null && !isValidScore(grid, v.score)) invalid(`scores.${key}.score`);
    }
    const eligibilityKeys = new Set(eligibilityCriteria(grid));
    for (const key of Object.keys(patch.eligibility ?? {})) if (!eligibilityKeys.has(key)) invalid(`eligibility.${key}`);
    for (const key of Object.keys(patch.admissibility ?? {}))
      if (!ctx.findingKeys.includes(key)) invalid(`admissibility.${key}`);

    let row = reviewRow(db, input.dossierId, input.memberId);
    if (!row) {
      db.prepare('INSERT INTO reviews (dossier_id, member_id, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(
        input.dossierId,
        input.memberId,
        'draft',
        at,
        at,
      );
      row = reviewRow(db, input.dossierId, input.memberId)!;
      entry('review', String(row.id), 'create', null, { dossierId: input.dossierId, memberId: input.memberId });
    }
    if (row.status === 'submitted') throw new AppFailure('review_locked', { dossier: input.dossierId });
    if (patch.expectedRevision !== undefined && patch.expectedRevision !== row.revision)
      throw new AppFailure('review_conflict', { expected: patch.expectedRevision, found: row.revision });
    const reviewId = row.id;
    const changesBefore = audit.length;

    // Scores, eligibility answers and admissibility decisions are the same shape: per key, a value
    // and a text, each change journaled as before → after.
    const applyKeyed = (part: KeyedPart, entity: string, values: Record<string, Record<string, unknown>> | undefined) => {
      if (!values) return;
      const [first, second] = part.fields;
      const get = db.prepare(`SELECT ${first}, ${second} FROM ${part.table} WHERE review_id = ? AND ${part.key} = ?`);
      const put = db.prepare(
        `INSERT INTO ${part.table} (review_id, ${part.key}, ${first}, ${second}) VALUES (?, ?, ?, ?)
         ON CONFLICT (review_id, ${part.key}) DO UPDATE SET ${first} = excluded.${first}, ${second} = excluded.${second}`,
      );
      for (const [key, v] of Object.entries(values)) {
        const cur = (get.get(reviewId, key) as Record<string, unknown> | undefined) ?? { [first]: null, [second]: '' };
        const next = {
          [first]: v[first] === undefined ? cur[first] : v[first],
          [second]: v[second] ?? cur[second],
        };
        for (const field of part.fields)
          if (next[field] !== cur[field]) entry(entity, `${reviewId}/${key}`, 'update', { [field]: cur[field] }, { [field]: next[field] });
        if (!same(cur, next)) put.run(reviewId, key, next[first], next[second]);
      }
    };
    applyKeyed(KEYED.scores, 'review.score', patch.scores);
    applyKeyed(KEYED.eligibility, 'review.eligibility', patch.eligibility);
    applyKeyed(KEYED.admissibility, 'review.admissibility', patch.admissibility);

    if (patch.details) {
      const p = patch.details;
      const stored = db.prepare('SELECT * FROM review_details WHERE review_id = ?').get(reviewId) as DetailsRow | undefined;
      const cur = stored ? detailsFromRow(stored) : emptyDetails();
      const next: ReviewContent['details'] = {
        maturity: p.maturity === undefined ? cur.maturity : p.maturity,
        targets: { ...cur.targets },
        fragile: { ...cur.fragile },
        avis: p.avis === undefined ? cur.avis : p.avis,
        motivation: p.motivation ?? cur.motivation,
        phase2: p.phase2 ?? cur.phase2,
        support: p.support ?? cur.support,
      };
      for (const k of TARGET_KEYS) if (p.targets?.[k] !== undefined) next.targets[k] = p.targets[k] ?? null;
      for (const k of FRAGILE_KEYS) if (p.fragile?.[k] !== undefined) next.fragile[k] = p.fragile[k] ?? null;
      if (p.phase2 === true && !phase2Allowed(grid, next.targets)) throw new AppFailure('phase2_not_allowed');
      const fields: [string, unknown, unknown][] = [
        ['maturity', cur.maturity, next.maturity],
        ...TARGET_KEYS.map((k): [string, unknown, unknown] => [`targets.${k}`, cur.targets[k], next.targets[k]]),
        ...FRAGILE_KEYS.map((k): [string, unknown, unknown] => [`fragile.${k}`, cur.fragile[k], next.fragile[k]]),
        ['avis', cur.avis, next.avis],
        ['motivation', cur.motivation, next.motivation],
        ['phase2', cur.phase2, next.phase2],
        ['support', cur.support, next.support],
      ];
      let changed = false;
      for (const [field, before, after] of fields) {
        if (same(before, after)) continue;
        changed = true;
        entry('review.details', String(reviewId), 'update', { [field]: before }, { [field]: after });
      }
      if (changed || !stored) {
        db.prepare(
          `INSERT INTO review_details (review_id, maturity, target_a, target_b, target_c, fragile_qpv, fragile_zrr,
             fragile_deindustrialised, avis, motivation, phase2, support_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (review_id) DO UPDATE SET maturity = excluded.maturity, target_a = excluded.target_a,
             target_b = excluded.target_b, target_c = excluded.target_c, fragile_qpv = excluded.fragile_qpv,
             fragile_zrr = excluded.fragile_zrr, fragile_deindustrialised = excluded.fragile_deindustrialised,
             avis = excluded.avis, motivation = excluded.motivation, phase2 = excluded.phase2,
             support_json = excluded.support_json`,
        ).run(
          reviewId, next.maturity, bit(next.targets.a), bit(next.targets.b), bit(next.targets.c), bit(next.fragile.qpv),
          bit(next.fragile.zrr), bit(next.fragile.deindustrialised), next.avis, next.motivation, next.phase2 ? 1 : 0,
          JSON.stringify(next.support),
        );
      }
    }

    const changed = audit.length - changesBefore;
    let revision = row.revision;
    if (audit.length > 0) {
      revision += 1;
      db.prepare('UPDATE reviews SET revision = ?, updated_at = ? WHERE id = ?').run(revision, at, reviewId);
      if (patch.scores || patch.eligibility) refreshReviewTotals(db, reviewId, grid);
      appendAudit(db, audit);
    }
    return { reviewId, revision, changed };
  }).immediate();
}

function view(db: Database, ctx: DossierContext, row: ReviewRow): ReviewView {
  const content = loadContent(db, row.id);
  return {
    reviewId: row.id,
    dossierId: row.dossier_id,
    memberId: row.member_id,
    status: row.status,
    revision: row.revision,
    submittedAt: row.submitted_at,
    updatedAt: row.updated_at,
    content,
    findingKeys: ctx.findingKeys,
    totals: computeTotals(ctx.grid, content.scores),
    eligibility: eligibilityOutcome(ctx.grid, content.eligibility),
    phase2Allowed: phase2Allowed(ctx.grid, content.details.targets),
    missing: missingForSubmit(ctx.grid, ctx.findingKeys, content),
  };
}

/** A member's review of a dossier with its computed totals, or undefined when they have none yet. */
export function getReview(db: Database, dossierId: number, memberId: number): ReviewView | undefined {
  const ctx = dossierContext(db, dossierId);
  const row = reviewRow(db, dossierId, memberId);
  return row && view(db, ctx, row);
}

/** Every member's review of a dossier, and the criteria on which their scores diverge. */
export function getDossierReviews(
  db: Database,
  dossierId: number,
): { reviews: ReviewView[]; divergent: { key: string; min: number; max: number }[] } {
  const ctx = dossierContext(db, dossierId);
  const rows = db
    .prepare(
      'SELECT id, dossier_id, member_id, status, revision, submitted_at, updated_at FROM reviews WHERE dossier_id = ? ORDER BY member_id',
    )
    .all(dossierId) as ReviewRow[];
  const reviews = rows.map((r) => view(db, ctx, r));
  return { reviews, divergent: divergentCriteria(ctx.grid, reviews.map((r) => r.content)) };
}

export type SubmitResult = { ok: true; submittedAt: string; revision: number } | { ok: false; missing: MissingItem[] };

/** « Soumettre »: returns what is missing, or locks the review (journaled). */
export function submitReview(
  db: Database,
  input: { dossierId: number; memberId: number; keyboardMemberId?: number | null; now: Date; expectedRevision?: number },
): SubmitResult {
  return db.transaction((): SubmitResult => {
    const ctx = dossierContext(db, input.dossierId);
    requireMember(db, input.memberId);
    assertNotRecused(db, input.memberId, input.dossierId);
    const row = reviewRow(db, input.dossierId, input.memberId);
    if (!row) {
      const empty: ReviewContent = { admissibility: {}, eligibility: {}, scores: {}, details: emptyDetails() };
      return { ok: false, missing: missingForSubmit(ctx.grid, ctx.findingKeys, empty) };
    }
    if (row.status === 'submitted') throw new AppFailure('review_locked', { dossier: input.dossierId });
    if (input.expectedRevision !== undefined && input.expectedRevision !== row.revision)
      throw new AppFailure('review_conflict', { expected: input.expectedRevision, found: row.revision });
    const missing = missingForSubmit(ctx.grid, ctx.findingKeys, loadContent(db, row.id));
    if (missing.length > 0) return { ok: false, missing };
    const { at, revision } = setReviewStatus(db, row, input, 'submitted');
    return { ok: true, submittedAt: at, revision };
  }).immediate();
}

/** Unlocks a submitted review for changes again; the reopening is journaled. */
export function reopenReview(
  db: Database,
  input: { dossierId: number; memberId: number; keyboardMemberId?: number | null; now: Date },
): { revision: number } {
  return db.transaction(() => {
    dossierContext(db, input.dossierId);
    const row = reviewRow(db, input.dossierId, input.memberId);
    if (!row) throw new AppFailure('not_found', { entity: 'review', id: input.dossierId });
    if (row.status !== 'submitted') throw new AppFailure('review_not_submitted');
    const { revision } = setReviewStatus(db, row, input, 'draft');
    return { revision };
  }).immediate();
}

export interface ReviewFilter {
  campaignId: number;
  status?: 'draft' | 'submitted';
  avis?: (typeof AVIS_VALUES)[number];
  memberId?: number;
  limit?: number;
}

export interface ReviewListRow {
  number: number;
  project: string;
  memberId: number;
  status: 'draft' | 'submitted';
  avis: string | null;
  phase2: boolean;
}

/** The reviews of a campaign, filtered by status / avis / member, in dossier-number order. */
export function filterReviews(db: Database, f: ReviewFilter): ReviewListRow[] {
  const rows = db
    .prepare(
      `SELECT d.number, d.project_name AS project, r.member_id AS memberId, r.status, rd.avis, coalesce(rd.phase2, 0) AS phase2
       FROM reviews r JOIN dossiers d ON d.id = r.dossier_id
       LEFT JOIN review_details rd ON rd.review_id = r.id
       WHERE d.campaign_id = @campaignId
         AND (@status IS NULL OR r.status = @status)
         AND (@avis IS NULL OR rd.avis = @avis)
         AND (@memberId IS NULL OR r.member_id = @memberId)
       ORDER BY d.number, r.member_id LIMIT @limit`,
    )
    .all({
      campaignId: f.campaignId,
      status: f.status ?? null,
      avis: f.avis ?? null,
      memberId: f.memberId ?? null,
      limit: f.limit ?? 500,
    }) as (Omit<ReviewListRow, 'phase2'> & { phase2: number })[];
  return rows.map((r) => ({ ...r, phase2: r.phase2 === 1 }));
}

/** The dossier id for a campaign's dossier number (or the only campaign holding that number). */
export function findDossierId(db: Database, number: number, campaignId?: number): number | undefined {
  const rows = (
    campaignId === undefined
      ? db.prepare('SELECT id FROM dossiers WHERE number = ?').all(number)
      : db.prepare('SELECT id FROM dossiers WHERE number = ? AND campaign_id = ?').all(number, campaignId)
  ) as { id: number }[];
  return rows.length === 1 ? rows[0]!.id : undefined;
}

/**
 * Submits (status 'submitted', stamped now) or reopens (status 'draft') a review row: one revision
 * more, and the change journaled as 'submit' or 'reopen'.
 */
function setReviewStatus(
  db: Database,
  row: { id: number; revision: number; submitted_at: string | null },
  input: { dossierId: number; memberId: number; keyboardMemberId?: number | null; now: Date },
  status: 'submitted' | 'draft',
): { at: string; revision: number } {
  const at = input.now.toISOString();
  const revision = row.revision + 1;
  const submittedAt = status === 'submitted' ? at : null;
  db.prepare('UPDATE reviews SET status = ?, submitted_at = ?, revision = ?, updated_at = ? WHERE id = ?').run(
    status,
    submittedAt,
    revision,
    at,
    row.id,
  );
  appendAudit(db, [
    {
      at,
      memberId: input.memberId,
      keyboardMemberId: keyboardOf(input.memberId, input.keyboardMemberId),
      entity: 'review',
      entityId: String(row.id),
      dossierId: input.dossierId,
      action: status === 'submitted' ? 'submit' : 'reopen',
      before: status === 'submitted' ? { status: 'draft' } : { status: 'submitted', submittedAt: row.submitted_at },
      after: status === 'submitted' ? { status: 'submitted', submittedAt: at } : { status: 'draft' },
    },
  ]);
  return { at, revision };
}
