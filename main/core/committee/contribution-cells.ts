import { createHash } from 'node:crypto';
import { canonicalJson } from '../review/audit';
import type { ReviewPatch } from '../review/reviews';
import { FRAGILE_KEYS, TARGET_KEYS, type ReviewContent } from '../review/scoring';

/**
 * A review « cell » is the unit of merge: one criterion (score + justification), one eligibility
 * criterion (answer + note), one admissibility finding (decision + reason) or one detail field.
 * Names: `scores/<key>`, `eligibility/<key>`, `admissibility/<finding>`, `details/<field>` — the same
 * names as migration 007's triggers write into `review_cell_revisions`.
 */
export type CellValue = unknown;

export const DETAIL_FIELDS = [
  'maturity',
  ...TARGET_KEYS.map((k) => `targets.${k}` as const),
  ...FRAGILE_KEYS.map((k) => `fragile.${k}` as const),
  'avis',
  'motivation',
  'phase2',
  'support',
] as const;

export const cellHash = (value: CellValue): string => createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex');

/** The value a cell has when nothing was ever written. */
export function defaultCellValue(cell: string): CellValue {
  const [part, key = ''] = splitCell(cell);
  if (part === 'scores') return { score: null, justification: '' };
  if (part === 'eligibility') return { answer: null, note: '' };
  if (part === 'admissibility') return { decision: null, reason: '' };
  if (key === 'motivation') return '';
  if (key === 'phase2') return false;
  if (key === 'support') return [];
  return null;
}

export function splitCell(cell: string): [string, string] {
  const i = cell.indexOf('/');
  return i < 0 ? [cell, ''] : [cell.slice(0, i), cell.slice(i + 1)];
}

export function isKnownCellName(cell: string): boolean {
  const [part, key] = splitCell(cell);
  if (part === 'details') return (DETAIL_FIELDS as readonly string[]).includes(key);
  return (part === 'scores' || part === 'eligibility' || part === 'admissibility') && key.length > 0 && key.length <= 200;
}

/** The current value of a cell in a review's content (the default when absent). */
export function cellValue(content: ReviewContent | undefined, cell: string): CellValue {
  if (!content) return defaultCellValue(cell);
  const [part, key] = splitCell(cell);
  switch (part) {
    case 'scores': {
      const v = content.scores[key];
      return v ? { score: v.score, justification: v.justification } : defaultCellValue(cell);
    }
    case 'eligibility': {
      const v = content.eligibility[key];
      return v ? { answer: v.answer, note: v.note } : defaultCellValue(cell);
    }
    case 'admissibility': {
      const v = content.admissibility[key];
      return v ? { decision: v.decision, reason: v.reason } : defaultCellValue(cell);
    }
    default: {
      const d = content.details;
      if (key.startsWith('targets.')) return d.targets[key.slice(8) as keyof typeof d.targets];
      if (key.startsWith('fragile.')) return d.fragile[key.slice(8) as keyof typeof d.fragile];
      return d[key as 'maturity' | 'avis' | 'motivation' | 'phase2' | 'support'];
    }
  }
}

type DetailsPatch = NonNullable<ReviewPatch['details']>;

/** Adds `cell := value` to a review patch (values are validated by saveReviewPatch). */
export function addToPatch(patch: ReviewPatch, cell: string, value: CellValue): void {
  const [part, key] = splitCell(cell);
  if (part === 'scores' || part === 'eligibility' || part === 'admissibility') {
    const target = (patch[part] ??= {}) as Record<string, unknown>;
    target[key] = value;
    return;
  }
  const details = (patch.details ??= {}) as DetailsPatch & Record<string, unknown>;
  if (key.startsWith('targets.')) details.targets = { ...details.targets, [key.slice(8)]: value as boolean | null };
  else if (key.startsWith('fragile.')) details.fragile = { ...details.fragile, [key.slice(8)]: value as boolean | null };
  else details[key] = value;
}
