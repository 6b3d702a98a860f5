import type { SynthesisStats } from '../../../shared/domain/synthesis';

/** Pure arithmetic of the regional synthesis: summary statistics and the ranking with ex aequo. */

export const round3 = (n: number): number => Math.round(n * 1000) / 1000;

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return round3(s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2);
}

export function stats(values: readonly number[]): SynthesisStats {
  if (values.length === 0) return { count: 0, mean: null, median: null, min: null, max: null };
  return {
    count: values.length,
    mean: round3(values.reduce((a, b) => a + b, 0) / values.length),
    median: median(values),
    min: Math.min(...values),
    max: Math.max(...values),
  };
}

export interface Rankable {
  number: number;
  consensusTotal: number | null;
  mean: number | null;
}

/** null last, then descending. */
function desc(a: number | null, b: number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return b - a;
}

/**
 * Sorts by consensus total (desc, missing last), then mean of individual totals (desc, missing
 * last), then dossier number (asc). Competition ranking (1, 1, 3): items equal on both totals
 * share a rank and are marked ex aequo; an item with neither total gets no rank.
 */
export function rank<T extends Rankable>(items: readonly T[]): (T & { rank: number | null; exAequo: boolean })[] {
  const sorted = [...items].sort((a, b) => desc(a.consensusTotal, b.consensusTotal) || desc(a.mean, b.mean) || a.number - b.number);
  const key = (x: Rankable) => `${x.consensusTotal}|${x.mean}`;
  const counts = new Map<string, number>();
  for (const x of sorted) if (x.consensusTotal !== null || x.mean !== null) counts.set(key(x), (counts.get(key(x)) ?? 0) + 1);
  let current = 0;
  let previous: string | null = null;
  return sorted.map((x, i) => {
    if (x.consensusTotal === null && x.mean === null) return { ...x, rank: null, exAequo: false };
    const k = key(x);
    if (k !== previous) current = i + 1;
    previous = k;
    return { ...x, rank: current, exAequo: (counts.get(k) ?? 0) > 1 };
  });
}

/** Strict majority of the answers: null without any answer, else true only when yes > half. */
export function majority(answers: readonly (boolean | null)[]): boolean | null {
  const given = answers.filter((a): a is boolean => a !== null);
  if (given.length === 0) return null;
  return given.filter(Boolean).length * 2 > given.length;
}
