import { describe, expect, it } from 'vitest';
import { DEFAULT_GRID, type Grid } from '../../../main/core/grid';
import {
  computeTotals,
  divergentCriteria,
  eligibilityOutcome,
  findingKeys,
  missingForSubmit,
  needsJustification,
  phase2Allowed,
  type ReviewContent,
} from '../../../main/core/review/scoring';

const grid = DEFAULT_GRID;
const ALL = ['V1', 'V2', 'V3', 'V4', 'V5', 'O1', 'O2', 'O3', 'E1', 'E2'];

function empty(): ReviewContent {
  return {
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
  };
}

function complete(): ReviewContent {
  const r = empty();
  for (const k of ALL) r.scores[k] = { score: 2, justification: '' };
  for (let i = 1; i <= 7; i++) r.eligibility[`E-${i}`] = { answer: 'oui', note: '' };
  r.admissibility.status = { decision: 'confirmed', reason: '' };
  r.details = { ...r.details, maturity: 'emergente', targets: { a: true, b: true, c: false }, avis: 'favorable', motivation: 'Solide.' };
  return r;
}

describe('eligibility majority rule', () => {
  const answers = (list: ('oui' | 'en_perspective' | 'non' | null)[]) =>
    Object.fromEntries(list.map((a, i) => [`E-${i + 1}`, { answer: a, note: '' }]));

  it('counts « en perspective » as met: 2 oui + 2 en perspective of 7 is a majority', () => {
    const r = eligibilityOutcome(grid, answers(['oui', 'oui', 'en_perspective', 'en_perspective', 'non', 'non', 'non']));
    expect(r).toEqual({ met: 4, answered: 7, total: 7, needed: 4, outcome: 'majority' });
  });

  it('3 of 7 is no majority; undecided while the unanswered could still make one', () => {
    expect(eligibilityOutcome(grid, answers(['oui', 'oui', 'oui', 'non', 'non', 'non', 'non'])).outcome).toBe('no_majority');
    expect(eligibilityOutcome(grid, answers(['oui', 'oui', 'oui', 'non', null, null, null])).outcome).toBe('undecided');
    expect(eligibilityOutcome(grid, answers(['non', 'non', 'non', 'non', null, null, null])).outcome).toBe('no_majority');
  });
});

describe('totals', () => {
  it('sums section subtotals and a weighted total from the grid weights', () => {
    const weighted: Grid = structuredClone(grid);
    weighted.selection!.sections[0]!.criteria[0]!.weight = 2;
    const scores = Object.fromEntries(ALL.map((k, i) => [k, { score: i % 4, justification: '' }]));
    const t = computeTotals(weighted, scores);
    // V1..V5 = 0,1,2,3,0 with V1 weighted 2 → 6; O1..O3 = 1,2,3 → 6; E1,E2 = 0,1 → 1
    expect(t.sections.map((s) => [s.key, s.subtotal, s.max])).toEqual([
      ['vision', 6, 18],
      ['operationnalite', 6, 9],
      ['evaluation', 1, 6],
    ]);
    expect(t.total).toBe(13);
    expect(t.max).toBe(33);
    expect(t.complete).toBe(true);
    scores.V3 = { score: 3, justification: '' };
    expect(computeTotals(weighted, scores).total).toBe(14);
    delete scores.E2;
    expect(computeTotals(weighted, scores).complete).toBe(false);
  });
});

describe('justification and phase 2', () => {
  it('requires a justification at the bottom and top of the scale only (default policy)', () => {
    expect([0, 1, 2, 3].map((s) => needsJustification(grid, s))).toEqual([true, false, false, true]);
    expect(needsJustification(grid, 1, 'always')).toBe(true);
    expect(needsJustification(grid, null)).toBe(false);
  });

  it('allows phase 2 only when b or c holds', () => {
    expect(phase2Allowed(grid, { a: true, b: false, c: null })).toBe(false);
    expect(phase2Allowed(grid, { a: false, b: true, c: false })).toBe(true);
    expect(phase2Allowed(grid, { a: null, b: null, c: true })).toBe(true);
  });
});

describe('missingForSubmit', () => {
  it('lists everything on an empty review', () => {
    const m = missingForSubmit(grid, findingKeys({ status: 'recevable', flags: ['late'] }), empty());
    const kinds = m.map((x) => (x.key ? `${x.kind}:${x.key}` : x.kind));
    expect(kinds).toEqual([
      'admissibility:status',
      'admissibility:late',
      ...[1, 2, 3, 4, 5, 6, 7].map((i) => `eligibility:E-${i}`),
      ...ALL.map((k) => `score:${k}`),
      'maturity',
      'target:a',
      'target:b',
      'target:c',
      'avis',
      'motivation',
    ]);
  });

  it('is empty for a complete review, and catches extremes without justification, bare overrides, fragile and phase 2', () => {
    const r = complete();
    expect(missingForSubmit(grid, ['status'], r)).toEqual([]);
    r.scores.V2 = { score: 3, justification: '  ' };
    r.scores.V3 = { score: 0, justification: 'Aucun plan.' };
    r.admissibility.status = { decision: 'overridden', reason: '' };
    r.details.targets = { a: true, b: false, c: true };
    r.details.phase2 = true;
    expect(missingForSubmit(grid, ['status'], r)).toEqual([
      { kind: 'override_reason', key: 'status' },
      { kind: 'justification', key: 'V2' },
      { kind: 'fragile' },
    ]);
    r.details.targets = { a: true, b: false, c: false };
    expect(missingForSubmit(grid, [], r)).toContainEqual({ kind: 'phase2' });
  });
});

describe('divergence', () => {
  it('flags criteria whose spread reaches the grid threshold (2)', () => {
    const a = { scores: { V1: { score: 0, justification: '' }, V2: { score: 2, justification: '' } } };
    const b = { scores: { V1: { score: 2, justification: '' }, V2: { score: 3, justification: '' } } };
    expect(divergentCriteria(grid, [a, b])).toEqual([{ key: 'V1', min: 0, max: 2 }]);
    expect(divergentCriteria(grid, [a])).toEqual([]);
  });
});
