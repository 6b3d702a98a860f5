/**
 * The dossier list (issue 4): one row per dossier with its admissibility, the reviews' aggregate
 * and the active member's own progress, computed by main in one SQL query.
 */
import type { DossierStatus } from './import';

export const MY_STATUS_LIST = ['a_faire', 'en_cours', 'soumis'] as const;
export type MyStatus = (typeof MY_STATUS_LIST)[number];
/** Majority of the submitted reviews: eligible, not eligible, split evenly; null = none submitted. */
export const ELIGIBILITY_SUMMARY_LIST = ['eligible', 'ineligible', 'divided'] as const;
export type EligibilitySummary = (typeof ELIGIBILITY_SUMMARY_LIST)[number];
export const LIST_AVIS_LIST = ['favorable', 'favorable_reserves', 'defavorable'] as const;
export type ListAvis = (typeof LIST_AVIS_LIST)[number];
export const LIST_SORT_COLUMNS = [
  'number',
  'projectName',
  'structureName',
  'admissibility',
  'eligibility',
  'myStatus',
  'reviewCount',
  'meanScore',
  'avis',
  'relevance',
] as const;
export type ListSortColumn = (typeof LIST_SORT_COLUMNS)[number];

export interface DossierRow {
  id: number;
  number: number;
  projectName: string;
  structureName: string;
  commune: string;
  fragile: boolean;
  admissibility: { status: DossierStatus; flags: string[] } | null;
  eligibility: EligibilitySummary | null;
  myStatus: MyStatus;
  reviewCount: number;
  submittedCount: number;
  /** Mean of the submitted reviews' weighted totals (3 decimals); null when none is submitted. */
  meanScore: number | null;
  /** The most common avis among submitted reviews (ties go to the more cautious one); null when none. */
  avis: ListAvis | null;
  /**
   * When searching: the best-matching passage with ⟦ ⟧ around matched words (plain text). Given for
   * the first rows of the result only (the others: null; the renderer asks `dossier:snippets`).
   */
  snippet: string | null;
  /** True when the member has a confirmed conflict of interest on the dossier: the others' scores (mean, avis, eligibility) are hidden. */
  recused?: boolean;
}

export interface DossierTable {
  rows: DossierRow[];
  /** The member whose progress `myStatus` shows (the given one, else the active member). */
  memberId: number | null;
  /** The grid's maximum weighted total, for « 12 / 30 ». */
  maxScore: number;
}

/** A search snippet of one dossier (`dossier:snippets`). */
export interface DossierSnippet {
  dossierId: number;
  snippet: string;
}

export interface DossierPartner {
  position: number;
  name: string;
  siret: string;
  kind: string;
  role: string;
}

export interface DossierDsAvis {
  position: number;
  introduction: string;
  answer: string;
  question: string;
  questionAnswer: string;
  askedAt: string | null;
  answeredAt: string | null;
  claimant: string;
  expert: string;
}

export interface DossierExtras {
  dossierId: number;
  communeInsee: string;
  partners: DossierPartner[];
  avis: DossierDsAvis[];
}

export interface AttachmentBytes {
  id: number;
  filename: string;
  mediaType: 'application/pdf';
  /** The file's bytes, base64. */
  base64: string;
}
