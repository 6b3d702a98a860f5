import type { Grid } from '../grid';

/**
 * Pure review arithmetic, driven by the grid document: eligibility majority rule, section subtotals
 * and weighted total, which scores need a justification, the phase-2 rule, divergence between
 * members, and the list of what is missing before a review can be submitted.
 */

export const ELIGIBILITY_ANSWERS = ['oui', 'en_perspective', 'non'] as const;
export type EligibilityAnswer = (typeof ELIGIBILITY_ANSWERS)[number];
export const AVIS_VALUES = ['favorable', 'favorable_reserves', 'defavorable'] as const;
export type Avis = (typeof AVIS_VALUES)[number];
export const MATURITY_VALUES = ['intention', 'emergente', 'structuree'] as const;
export type Maturity = (typeof MATURITY_VALUES)[number];
export const ADMISSIBILITY_DECISIONS = ['confirmed', 'overridden'] as const;
export type AdmissibilityDecision = (typeof ADMISSIBILITY_DECISIONS)[number];
export const TARGET_KEYS = ['a', 'b', 'c'] as const;
export type TargetKey = (typeof TARGET_KEYS)[number];
export const FRAGILE_KEYS = ['qpv', 'zrr', 'deindustrialised'] as const;
export type FragileKey = (typeof FRAGILE_KEYS)[number];

/** When a score needs a written justification: at the bottom/top of the scale (default), always, or never. */
export type JustificationPolicy = 'extremes' | 'always' | 'never';

export interface ScoreValue {
  score: number | null;
  justification: string;
}

export interface ReviewContent {
  admissibility: Record<string, { decision: AdmissibilityDecision | null; reason: string }>;
  eligibility: Record<string, { answer: EligibilityAnswer | null; note: string }>;
  scores: Record<string, ScoreValue>;
  details: {
    maturity: Maturity | null;
    targets: Record<TargetKey, boolean | null>;
    fragile: Record<FragileKey, boolean | null>;
    avis: Avis | null;
    motivation: string;
    phase2: boolean;
    support: string[];
  };
}

const DEFAULT_SCALE = { min: 0, max: 3 };

export function gridScale(grid: Grid): { min: number; max: number } {
  return grid.scale ? { min: grid.scale.min, max: grid.scale.max } : DEFAULT_SCALE;
}

/** The grid's justification policy, default 'extremes' (bottom and top of the scale). */
export function justificationPolicy(grid: Grid): JustificationPolicy {
  return grid.justificationPolicy ?? 'extremes';
}

export function selectionCriteria(grid: Grid): { key: string; section: string; weight: number }[] {
  return (grid.selection?.sections ?? []).flatMap((s) =>
    s.criteria.map((c) => ({ key: c.key, section: s.key, weight: c.weight })),
  );
}

export function eligibilityCriteria(grid: Grid): string[] {
  return (grid.eligibility?.criteria ?? []).map((c) => c.key);
}

export function isValidScore(grid: Grid, score: number): boolean {
  const { min, max } = gridScale(grid);
  return Number.isInteger(score) && score >= min && score <= max;
}

export function needsJustification(grid: Grid, score: number | null, policy = justificationPolicy(grid)): boolean {
  if (score === null || policy === 'never') return false;
  if (policy === 'always') return true;
  const { min, max } = gridScale(grid);
  return score === min || score === max;
}

/** Grid eligibility statuses ('met' / 'perspective' / 'not_met') for the review answers. */
const ANSWER_STATUS: Record<EligibilityAnswer, string> = { oui: 'met', en_perspective: 'perspective', non: 'not_met' };

export interface EligibilityOutcome {
  /** Criteria answered « Oui » or « En perspective » (both count as met, per the AMI). */
  met: number;
  answered: number;
  total: number;
  /** Criteria needed for a majority: floor(total / 2) + 1. */
  needed: number;
  /** 'majority' once `met` reaches `needed`; 'no_majority' once it can no longer; else 'undecided'. */
  outcome: 'majority' | 'no_majority' | 'undecided';
}

export function eligibilityOutcome(grid: Grid, answers: ReviewContent['eligibility']): EligibilityOutcome {
  const keys = eligibilityCriteria(grid);
  const countsAsMet = new Set(grid.eligibility?.countsAsMet ?? ['met', 'perspective']);
  let met = 0;
  let answered = 0;
  for (const key of keys) {
    const answer = answers[key]?.answer ?? null;
    if (answer === null) continue;
    answered += 1;
    if (countsAsMet.has(ANSWER_STATUS[answer])) met += 1;
  }
  const total = keys.length;
  const needed = Math.floor(total / 2) + 1;
  const outcome = met >= needed ? 'majority' : met + (total - answered) < needed ? 'no_majority' : 'undecided';
  return { met, answered, total, needed, outcome };
}

export interface Totals {
  sections: { key: string; subtotal: number; max: number; scored: number; criteria: number }[];
  /** Sum over scored criteria of score × weight. */
  total: number;
  /** Sum over all criteria of scale max × weight. */
  max: number;
  /** Every criterion scored. */
  complete: boolean;
}

export function computeTotals(grid: Grid, scores: ReviewContent['scores']): Totals {
  const { max: top } = gridScale(grid);
  let total = 0;
  let max = 0;
  let complete = true;
  const sections = (grid.selection?.sections ?? []).map((s) => {
    let subtotal = 0;
    let sectionMax = 0;
    let scored = 0;
    for (const c of s.criteria) {
      const score = scores[c.key]?.score ?? null;
      sectionMax += top * c.weight;
      if (score === null) complete = false;
      else {
        subtotal += score * c.weight;
        scored += 1;
      }
    }
    total += subtotal;
    max += sectionMax;
    return { key: s.key, subtotal: round(subtotal), max: round(sectionMax), scored, criteria: s.criteria.length };
  });
  return { sections, total: round(total), max: round(max), complete };
}

const round = (n: number): number => Math.round(n * 1000) / 1000;

/** Phase 2 needs at least one of the grid's targets (default b or c) to hold. */
export function phase2Allowed(grid: Grid, targets: Record<string, boolean | null>): boolean {
  const anyOf = grid.phase2Rule?.targetsAnyOf ?? ['b', 'c'];
  return anyOf.some((k) => targets[k] === true);
}

export interface MissingItem {
  kind:
    | 'score'
    | 'justification'
    | 'eligibility'
    | 'admissibility'
    | 'override_reason'
    | 'maturity'
    | 'target'
    | 'fragile'
    | 'avis'
    | 'motivation'
    | 'phase2';
  key?: string;
}

const blank = (s: string | undefined | null): boolean => (s ?? '').trim() === '';

/**
 * What must be filled before « Soumettre »: every criterion scored (and justified where the grid
 * requires), every eligibility criterion answered, every admissibility finding confirmed or
 * overridden with a reason, maturity, targets a/b/c, a fragile-territory kind when c holds,
 * avis + motivation, and no phase-2 invitation without b/c.
 */
export function missingForSubmit(grid: Grid, findingKeys: readonly string[], review: ReviewContent): MissingItem[] {
  const missing: MissingItem[] = [];
  for (const key of findingKeys) {
    const d = review.admissibility[key];
    if (!d?.decision) missing.push({ kind: 'admissibility', key });
    else if (d.decision === 'overridden' && blank(d.reason)) missing.push({ kind: 'override_reason', key });
  }
  for (const key of eligibilityCriteria(grid)) {
    if (!review.eligibility[key]?.answer) missing.push({ kind: 'eligibility', key });
  }
  for (const c of selectionCriteria(grid)) {
    const s = review.scores[c.key];
    if (s?.score === undefined || s.score === null) missing.push({ kind: 'score', key: c.key });
    else if (needsJustification(grid, s.score) && blank(s.justification)) missing.push({ kind: 'justification', key: c.key });
  }
  const d = review.details;
  if (!d.maturity) missing.push({ kind: 'maturity' });
  const targetKeys = (grid.targets ?? []).map((t) => t.key);
  for (const key of targetKeys.length ? targetKeys : TARGET_KEYS) {
    if ((d.targets as Record<string, boolean | null>)[key] == null) missing.push({ kind: 'target', key });
  }
  if (d.targets.c === true && !FRAGILE_KEYS.some((k) => d.fragile[k] === true)) missing.push({ kind: 'fragile' });
  if (!d.avis) missing.push({ kind: 'avis' });
  if (blank(d.motivation)) missing.push({ kind: 'motivation' });
  if (d.phase2 && !phase2Allowed(grid, d.targets)) missing.push({ kind: 'phase2' });
  return missing;
}

/** Criteria whose scores across members spread by at least the grid's divergence threshold. */
export function divergentCriteria(
  grid: Grid,
  reviews: readonly { scores: ReviewContent['scores'] }[],
): { key: string; min: number; max: number }[] {
  const threshold = grid.divergenceThreshold ?? 2;
  const out: { key: string; min: number; max: number }[] = [];
  for (const c of selectionCriteria(grid)) {
    const values = reviews.map((r) => r.scores[c.key]?.score).filter((v): v is number => typeof v === 'number');
    if (values.length < 2) continue;
    const min = Math.min(...values);
    const max = Math.max(...values);
    if (max - min >= threshold) out.push({ key: c.key, min, max });
  }
  return out;
}

/** The admissibility findings a reviewer must decide on: the import status, then each flag. */
export function findingKeys(findings: { status: string; flags: readonly string[] } | null): string[] {
  if (!findings) return [];
  return ['status', ...findings.flags];
}
