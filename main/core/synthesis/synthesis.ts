import type { Database } from 'better-sqlite3';
import { AppFailure } from '../../../shared/errors';
import type { AvisKey } from '../../../shared/domain/review';
import type {
  Phase2Item,
  SynthesisCriterionSpread,
  SynthesisDistribution,
  SynthesisDossier,
  SynthesisView,
} from '../../../shared/domain/synthesis';
import { campaignGrid, getCampaign } from '../store/campaigns';
import { gridScale, phase2Allowed, selectionCriteria } from '../review/scoring';
import type { Grid } from '../grid';
import { majority, rank, round3, stats } from './stats';

/**
 * The regional synthesis of one campaign, read in a handful of queries (no per-dossier review
 * views): per dossier the consensus total, the individual totals of the submitted reviews
 * (members with a confirmed conflict on the dossier excluded), the committee's avis and phase-2
 * recommendation, targets b/c, and the spread per criterion; per criterion the distribution of
 * the scores; the phase-2 shortlist in the committee's order. The rules are stated in
 * shared/domain/synthesis.ts.
 */

interface DossierRow {
  id: number;
  number: number;
  project_name: string;
  structure_name: string;
}

interface ScoreRow {
  review_id: number;
  dossier_id: number;
  criterion_key: string;
  score: number | null;
}

interface DecisionRow {
  dossier_id: number;
  avis: AvisKey | null;
  phase2: number;
  target_b: number | null;
  target_c: number | null;
  meeting_id: number;
  held_on: string;
}

const bool = (v: number | null): boolean | null => (v === null ? null : v === 1);

export function synthesisGrid(db: Database, campaignId: number): Grid {
  const grid = campaignGrid(db, campaignId);
  if (!grid) throw new AppFailure('not_found', { entity: 'campaign', id: campaignId });
  return grid;
}

export function getSynthesis(db: Database, campaignId: number): SynthesisView {
  const campaign = getCampaign(db, campaignId);
  if (!campaign) throw new AppFailure('not_found', { entity: 'campaign', id: campaignId });
  const grid = synthesisGrid(db, campaignId);
  const criteria = selectionCriteria(grid);
  const scale = gridScale(grid);
  const threshold = grid.divergenceThreshold ?? 2;
  const width = scale.max - scale.min + 1;

  const dossiers = db
    .prepare('SELECT id, number, project_name, structure_name FROM dossiers WHERE campaign_id = ? ORDER BY number')
    .all(campaignId) as DossierRow[];
  // Submitted reviews, minus members recused (confirmed conflict) on the dossier.
  const submitted = `
    SELECT r.id, r.dossier_id FROM reviews r JOIN dossiers d ON d.id = r.dossier_id
    WHERE d.campaign_id = ? AND r.status = 'submitted'
      AND NOT EXISTS (SELECT 1 FROM conflicts c WHERE c.dossier_id = r.dossier_id AND c.member_id = r.member_id AND c.status = 'confirmed')`;
  const scores = db
    .prepare(
      `WITH s AS (${submitted}) SELECT s.id AS review_id, s.dossier_id, rs.criterion_key, rs.score
       FROM s LEFT JOIN review_scores rs ON rs.review_id = s.id ORDER BY s.dossier_id, s.id`,
    )
    .all(campaignId) as ScoreRow[];
  const targetRows = db
    .prepare(
      `WITH s AS (${submitted}) SELECT s.dossier_id, rd.target_b, rd.target_c
       FROM s LEFT JOIN review_details rd ON rd.review_id = s.id`,
    )
    .all(campaignId) as { dossier_id: number; target_b: number | null; target_c: number | null }[];
  const consensusRows = db
    .prepare(
      `SELECT cs.dossier_id, cs.criterion_key, cs.score FROM consensus_scores cs JOIN dossiers d ON d.id = cs.dossier_id
       WHERE d.campaign_id = ?`,
    )
    .all(campaignId) as { dossier_id: number; criterion_key: string; score: number }[];
  const decisions = new Map(
    (
      db
        .prepare(
          `SELECT cd.dossier_id, cd.avis, cd.phase2, cd.target_b, cd.target_c, m.id AS meeting_id, m.held_on
           FROM committee_decisions cd JOIN meetings m ON m.id = cd.meeting_id JOIN dossiers d ON d.id = cd.dossier_id
           WHERE d.campaign_id = ?`,
        )
        .all(campaignId) as DecisionRow[]
    ).map((r) => [r.dossier_id, r]),
  );

  const weights = new Map(criteria.map((c) => [c.key, c.weight]));
  /** dossier → review → criterion → score */
  const byDossier = new Map<number, Map<number, Map<string, number>>>();
  for (const r of scores) {
    const reviews = byDossier.get(r.dossier_id) ?? new Map<number, Map<string, number>>();
    byDossier.set(r.dossier_id, reviews);
    const review = reviews.get(r.review_id) ?? new Map<string, number>();
    reviews.set(r.review_id, review);
    if (r.criterion_key !== null && r.score !== null && weights.has(r.criterion_key)) review.set(r.criterion_key, r.score);
  }
  const consensus = new Map<number, Map<string, number>>();
  for (const r of consensusRows) {
    if (!weights.has(r.criterion_key)) continue;
    const m = consensus.get(r.dossier_id) ?? new Map<string, number>();
    consensus.set(r.dossier_id, m);
    m.set(r.criterion_key, r.score);
  }
  const targets = new Map<number, { b: (boolean | null)[]; c: (boolean | null)[] }>();
  for (const r of targetRows) {
    const t = targets.get(r.dossier_id) ?? { b: [], c: [] };
    targets.set(r.dossier_id, t);
    t.b.push(bool(r.target_b));
    t.c.push(bool(r.target_c));
  }

  const weighted = (m: Map<string, number>): number => round3([...m].reduce((sum, [k, v]) => sum + v * (weights.get(k) ?? 0), 0));

  const unranked = dossiers.map((d) => {
    const reviews = [...(byDossier.get(d.id)?.values() ?? [])];
    const cons = consensus.get(d.id) ?? new Map<string, number>();
    const consensusTotal = criteria.length > 0 && criteria.every((c) => cons.has(c.key)) ? weighted(cons) : null;
    const individual = stats(reviews.map(weighted));
    const spreads: SynthesisCriterionSpread[] = criteria.map((c) => {
      const values = reviews.map((r) => r.get(c.key)).filter((v): v is number => v !== undefined);
      const min = values.length ? Math.min(...values) : null;
      const max = values.length ? Math.max(...values) : null;
      const spread = values.length >= 2 ? max! - min! : null;
      return { key: c.key, min, max, spread, divergent: spread !== null && spread >= threshold, consensus: cons.get(c.key) ?? null };
    });
    const decision = decisions.get(d.id);
    const t = targets.get(d.id) ?? { b: [], c: [] };
    const reviewB = majority(t.b);
    const reviewC = majority(t.c);
    const committeeB = decision ? bool(decision.target_b) : null;
    const committeeC = decision ? bool(decision.target_c) : null;
    const b = committeeB ?? reviewB;
    const c = committeeC ?? reviewC;
    const source = committeeB !== null || committeeC !== null ? 'committee' : b !== null || c !== null ? 'reviews' : 'none';
    const row: Omit<SynthesisDossier, 'rank' | 'exAequo'> & { mean: number | null } = {
      dossierId: d.id,
      number: d.number,
      project: d.project_name,
      structure: d.structure_name,
      consensusTotal,
      mean: individual.mean,
      individual,
      committee: decision ? { avis: decision.avis, phase2: decision.phase2 === 1, meetingId: decision.meeting_id, heldOn: decision.held_on } : null,
      targets: { b, c, source },
      criteria: spreads,
      divergentCount: spreads.filter((s) => s.divergent).length,
    };
    return row;
  });
  const ranked: SynthesisDossier[] = rank(unranked).map(({ mean: _mean, ...rest }) => rest);

  const distributions: SynthesisDistribution[] = criteria.map((c) => {
    const counts = new Array<number>(width).fill(0);
    const consensusCounts = new Array<number>(width).fill(0);
    const values: number[] = [];
    for (const reviews of byDossier.values())
      for (const r of reviews.values()) {
        const v = r.get(c.key);
        if (v === undefined || v < scale.min || v > scale.max) continue;
        counts[v - scale.min]! += 1;
        values.push(v);
      }
    for (const m of consensus.values()) {
      const v = m.get(c.key);
      if (v !== undefined && v >= scale.min && v <= scale.max) consensusCounts[v - scale.min]! += 1;
    }
    const label = (grid.selection?.sections ?? []).flatMap((s) => s.criteria).find((x) => x.key === c.key)?.label ?? { fr: c.key };
    return { key: c.key, section: c.section, label, weight: c.weight, counts, consensusCounts, mean: stats(values).mean };
  });

  const levels = (grid.scale?.levels ?? []).map((l) => ({ value: l.value, label: l.label }));
  return {
    campaignId,
    campaignName: campaign.name,
    regionCode: campaign.regionCode,
    scale: { ...scale, levels },
    threshold,
    maxTotal: round3(criteria.reduce((s, c) => s + scale.max * c.weight, 0)),
    dossiers: ranked,
    distributions,
    phase2: shortlist(db, grid, campaignId, ranked),
  };
}

/** Shortlisted: recommended for phase 2 by the committee and meeting the grid's phase-2 targets (default b and/or c). */
export function isShortlisted(grid: Grid, d: Pick<SynthesisDossier, 'committee' | 'targets'>): boolean {
  return d.committee?.phase2 === true && phase2Allowed(grid, { b: d.targets.b, c: d.targets.c });
}

export function storedPhase2Order(db: Database, campaignId: number): number[] {
  return (
    db.prepare('SELECT dossier_id FROM phase2_order WHERE campaign_id = ? ORDER BY position').all(campaignId) as { dossier_id: number }[]
  ).map((r) => r.dossier_id);
}

/** The shortlist: stored positions first (committee's order), then the other shortlisted dossiers in ranking order. */
function shortlist(db: Database, grid: Grid, campaignId: number, ranked: readonly SynthesisDossier[]): Phase2Item[] {
  const eligible = new Map(ranked.filter((d) => isShortlisted(grid, d)).map((d) => [d.dossierId, d]));
  const stored = storedPhase2Order(db, campaignId).filter((id) => eligible.has(id));
  const storedSet = new Set(stored);
  const order = [...stored.map((id) => eligible.get(id)!), ...ranked.filter((d) => eligible.has(d.dossierId) && !storedSet.has(d.dossierId))];
  return order.map((d, i) => ({
    dossierId: d.dossierId,
    number: d.number,
    project: d.project,
    position: i + 1,
    stored: storedSet.has(d.dossierId),
    consensusTotal: d.consensusTotal,
    targets: { b: d.targets.b, c: d.targets.c },
  }));
}
