import type { Input } from '../../../shared/ipc/contract';
import type { ReviewContentView, ReviewGridView } from '../../../shared/domain/review';

export type ReviewPatch = Input<'review:save'>['patch'];
type Details = NonNullable<ReviewPatch['details']>;

/** Merges `next` over `base` field by field (newer values win), so unsaved edits accumulate into one patch. */
export function mergePatch(base: ReviewPatch, next: ReviewPatch): ReviewPatch {
  const out: ReviewPatch = { ...base };
  for (const part of ['scores', 'eligibility', 'admissibility'] as const) {
    const b = base[part] as Record<string, object> | undefined;
    const n = next[part] as Record<string, object> | undefined;
    if (!n) continue;
    const merged: Record<string, object> = { ...(b ?? {}) };
    for (const [k, v] of Object.entries(n)) merged[k] = { ...(merged[k] ?? {}), ...v };
    (out as Record<string, unknown>)[part] = merged;
  }
  if (next.details) {
    const b: Details = base.details ?? {};
    const n = next.details;
    out.details = {
      ...b,
      ...n,
      ...(b.targets || n.targets ? { targets: { ...b.targets, ...n.targets } } : {}),
      ...(b.fragile || n.fragile ? { fragile: { ...b.fragile, ...n.fragile } } : {}),
    };
  }
  return out;
}

export const isEmptyPatch = (p: ReviewPatch): boolean => Object.keys(p).length === 0;

/** Applies a patch to the content shown, as main will store it. */
export function applyPatch(c: ReviewContentView, p: ReviewPatch): ReviewContentView {
  const out: ReviewContentView = {
    admissibility: { ...c.admissibility },
    eligibility: { ...c.eligibility },
    scores: { ...c.scores },
    details: { ...c.details, targets: { ...c.details.targets }, fragile: { ...c.details.fragile } },
  };
  for (const [k, v] of Object.entries(p.scores ?? {})) {
    const cur = out.scores[k] ?? { score: null, justification: '' };
    out.scores[k] = { score: v.score === undefined ? cur.score : v.score, justification: v.justification ?? cur.justification };
  }
  for (const [k, v] of Object.entries(p.eligibility ?? {})) {
    const cur = out.eligibility[k] ?? { answer: null, note: '' };
    out.eligibility[k] = { answer: v.answer === undefined ? cur.answer : v.answer, note: v.note ?? cur.note };
  }
  for (const [k, v] of Object.entries(p.admissibility ?? {})) {
    const cur = out.admissibility[k] ?? { decision: null, reason: '' };
    out.admissibility[k] = { decision: v.decision === undefined ? cur.decision : v.decision, reason: v.reason ?? cur.reason };
  }
  const d = p.details;
  if (d) {
    if (d.maturity !== undefined) out.details.maturity = d.maturity;
    if (d.avis !== undefined) out.details.avis = d.avis;
    if (d.motivation !== undefined) out.details.motivation = d.motivation;
    if (d.phase2 !== undefined) out.details.phase2 = d.phase2;
    if (d.support !== undefined) out.details.support = d.support;
    for (const k of ['a', 'b', 'c'] as const) if (d.targets?.[k] !== undefined) out.details.targets[k] = d.targets[k] ?? null;
    for (const k of ['qpv', 'zrr', 'deindustrialised'] as const)
      if (d.fragile?.[k] !== undefined) out.details.fragile[k] = d.fragile[k] ?? null;
  }
  return out;
}

/** Live display arithmetic (main recomputes and is the authority on submit). */
export function liveTotals(grid: ReviewGridView, scores: ReviewContentView['scores']) {
  const top = grid.scale.max;
  const sections = grid.sections.map((s) => {
    let subtotal = 0;
    let max = 0;
    let scored = 0;
    for (const c of s.criteria) {
      max += top * c.weight;
      const v = scores[c.key]?.score;
      if (typeof v === 'number') {
        subtotal += v * c.weight;
        scored += 1;
      }
    }
    return { key: s.key, subtotal, max, scored, criteria: s.criteria.length };
  });
  return {
    sections,
    total: sections.reduce((n, s) => n + s.subtotal, 0),
    max: sections.reduce((n, s) => n + s.max, 0),
  };
}

export function liveEligibility(grid: ReviewGridView, answers: ReviewContentView['eligibility']) {
  const total = grid.eligibility.length;
  let met = 0;
  let answered = 0;
  for (const c of grid.eligibility) {
    const a = answers[c.key]?.answer ?? null;
    if (a === null) continue;
    answered += 1;
    if (a === 'oui' || a === 'en_perspective') met += 1;
  }
  const needed = Math.floor(total / 2) + 1;
  const outcome = met >= needed ? 'majority' : met + (total - answered) < needed ? 'noMajority' : 'undecided';
  return { met, answered, total, needed, outcome } as const;
}

export function needsJustification(grid: ReviewGridView, score: number | null | undefined): boolean {
  if (score === null || score === undefined || grid.justificationPolicy === 'never') return false;
  if (grid.justificationPolicy === 'always') return true;
  return score === grid.scale.min || score === grid.scale.max;
}

/** A DOM id from a grid or finding key (`over_length:structure` → `over_length-structure`). */
export const fieldId = (...parts: string[]): string => `rv-${parts.join('-').replace(/[^a-zA-Z0-9_-]/g, '-')}`;
