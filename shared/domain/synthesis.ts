import type { AvisKey } from './review';

/**
 * The regional synthesis of a campaign: what main/core/synthesis computes and the « Synthèse
 * régionale » page, the XLSX export and the CLI show.
 *
 * Rules (also in main/core/synthesis/synthesis.ts):
 * - Individual totals are the weighted totals of the submitted reviews (recused members excluded).
 * - The consensus total is the weighted sum of the committee's consensus scores, null until the
 *   committee has recorded a consensus on every criterion.
 * - Ranking: consensus total (desc, missing last), then mean of the individual totals (desc,
 *   missing last), then dossier number (asc). Dossiers equal on both totals share a rank
 *   (ex aequo); a dossier with neither is not ranked.
 * - Targets b and c: the committee's view when it recorded one, else the strict majority of the
 *   submitted reviews that answered (a tie or no answer is « no »; no answer at all is null).
 * - Phase-2 shortlist: dossiers the committee recommended for phase 2 and meeting target b and/or
 *   c, in the committee's stored order (dossiers without a stored position follow, in ranking order).
 */
export interface SynthesisLabel {
  fr: string;
  en?: string;
}

export interface SynthesisStats {
  count: number;
  mean: number | null;
  median: number | null;
  min: number | null;
  max: number | null;
}

export type TargetSource = 'committee' | 'reviews' | 'none';

export interface SynthesisCriterionSpread {
  key: string;
  min: number | null;
  max: number | null;
  /** max − min of the submitted individual scores; null with fewer than two scores. */
  spread: number | null;
  divergent: boolean;
  consensus: number | null;
}

export interface SynthesisDossier {
  dossierId: number;
  number: number;
  project: string;
  structure: string;
  /** 1-based rank; equal ranks are ex aequo; null when the dossier has no total at all. */
  rank: number | null;
  exAequo: boolean;
  consensusTotal: number | null;
  individual: SynthesisStats;
  /** The committee's decision, or null: « pas encore en séance ». */
  committee: { avis: AvisKey | null; phase2: boolean; meetingId: number; heldOn: string } | null;
  targets: { b: boolean | null; c: boolean | null; source: TargetSource };
  criteria: SynthesisCriterionSpread[];
  divergentCount: number;
}

export interface SynthesisDistribution {
  key: string;
  section: string;
  label: SynthesisLabel;
  weight: number;
  /** counts[i] = how many submitted individual scores equal scale.min + i. */
  counts: number[];
  /** Same for the consensus scores. */
  consensusCounts: number[];
  mean: number | null;
}

export interface Phase2Item {
  dossierId: number;
  number: number;
  project: string;
  position: number;
  /** The position is stored by the committee (false: appended in ranking order). */
  stored: boolean;
  consensusTotal: number | null;
  targets: { b: boolean | null; c: boolean | null };
}

export interface SynthesisView {
  campaignId: number;
  campaignName: string;
  regionCode: string;
  scale: { min: number; max: number; levels: { value: number; label: SynthesisLabel }[] };
  threshold: number;
  /** Highest possible weighted total. */
  maxTotal: number;
  dossiers: SynthesisDossier[];
  distributions: SynthesisDistribution[];
  phase2: Phase2Item[];
}
