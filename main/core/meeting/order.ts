import type { DivergentPlacement, ProposedOrder } from '../../../shared/domain/meeting';

/**
 * The proposed discussion order (pure). Dossiers are grouped by the set of members recused on
 * them, so a recused member leaves the room once for all the dossiers they cannot hear:
 *
 * 1. dossiers nobody is recused on come first;
 * 2. then the recusal groups in lexicographic order of their sorted member ids — {1}, {1,2}, {2}
 *    — so consecutive groups share members and a member who stays out for the next group does
 *    not come back in between;
 * 3. inside each group, the most divergent dossiers first ('first'), last ('last'), or by
 *    dossier number ('none'). Divergence = number of criteria past the grid's threshold, then
 *    the largest spread.
 */
export interface OrderCandidate {
  dossierId: number;
  number: number;
  recused: readonly number[];
  divergent: number;
  maxSpread: number;
}

const groupKey = (recused: readonly number[]): number[] => [...new Set(recused)].sort((a, b) => a - b);

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** How many times members leave the room when the dossiers are discussed in this order. */
export function countExits(order: readonly { recused: readonly number[] }[]): number {
  let out = new Set<number>();
  let exits = 0;
  for (const item of order) {
    const now = new Set(item.recused);
    for (const m of now) if (!out.has(m)) exits += 1;
    out = now;
  }
  return exits;
}

export function proposeOrder(candidates: readonly OrderCandidate[], divergent: DivergentPlacement = 'none'): ProposedOrder {
  const groups = new Map<string, { key: number[]; items: OrderCandidate[] }>();
  for (const c of candidates) {
    const key = groupKey(c.recused);
    const id = key.join(',');
    const g = groups.get(id) ?? { key, items: [] };
    g.items.push(c);
    groups.set(id, g);
  }
  const byDivergence = (a: OrderCandidate, b: OrderCandidate) =>
    b.divergent - a.divergent || b.maxSpread - a.maxSpread || a.number - b.number;
  const leastFirst = (a: OrderCandidate, b: OrderCandidate) =>
    a.divergent - b.divergent || a.maxSpread - b.maxSpread || a.number - b.number;
  const within = divergent === 'first' ? byDivergence : divergent === 'last' ? leastFirst : (a: OrderCandidate, b: OrderCandidate) => a.number - b.number;
  const ordered = [...groups.values()].sort((a, b) => compareKeys(a.key, b.key)).flatMap((g) => g.items.sort(within));
  return { dossierIds: ordered.map((c) => c.dossierId), exits: countExits(ordered) };
}
