/**
 * What the review UI receives from main: members, one member's review with its computed totals,
 * the parts of the campaign's grid the form is built from, and the dossier's audit history.
 * Mirrors main/core/review/* structurally (main's values are assignable to these types).
 */
export const MEMBER_ROLE_LIST = ['correspondant', 'cress', 'compagnon', 'expert'] as const;
export type MemberRoleKey = (typeof MEMBER_ROLE_LIST)[number];
export const ELIGIBILITY_ANSWER_LIST = ['oui', 'en_perspective', 'non'] as const;
export type EligibilityAnswerKey = (typeof ELIGIBILITY_ANSWER_LIST)[number];
export const AVIS_LIST = ['favorable', 'favorable_reserves', 'defavorable'] as const;
export type AvisKey = (typeof AVIS_LIST)[number];
export const MATURITY_LIST = ['intention', 'emergente', 'structuree'] as const;
export type MaturityKey = (typeof MATURITY_LIST)[number];
export const ADMISSIBILITY_DECISION_LIST = ['confirmed', 'overridden'] as const;
export type AdmissibilityDecisionKey = (typeof ADMISSIBILITY_DECISION_LIST)[number];
export const TARGET_LIST = ['a', 'b', 'c'] as const;
export const FRAGILE_LIST = ['qpv', 'zrr', 'deindustrialised'] as const;
export type FragileKeyName = (typeof FRAGILE_LIST)[number];

export interface MemberInfo {
  id: number;
  name: string;
  role: MemberRoleKey;
  organisation: string;
}

export interface ActiveMembers {
  /** Whose review the form edits. */
  active: MemberInfo | null;
  /** The person at the keyboard, when different from the active member. */
  keyboard: MemberInfo | null;
}

export interface ReviewContentView {
  admissibility: Record<string, { decision: AdmissibilityDecisionKey | null; reason: string }>;
  eligibility: Record<string, { answer: EligibilityAnswerKey | null; note: string }>;
  scores: Record<string, { score: number | null; justification: string }>;
  details: {
    maturity: MaturityKey | null;
    targets: Record<'a' | 'b' | 'c', boolean | null>;
    fragile: Record<FragileKeyName, boolean | null>;
    avis: AvisKey | null;
    motivation: string;
    phase2: boolean;
    support: string[];
  };
}

export interface MissingItemView {
  kind: string;
  key?: string;
}

export interface ReviewTotalsView {
  sections: { key: string; subtotal: number; max: number; scored: number; criteria: number }[];
  total: number;
  max: number;
  complete: boolean;
}

export interface EligibilityOutcomeView {
  met: number;
  answered: number;
  total: number;
  needed: number;
  outcome: 'majority' | 'no_majority' | 'undecided';
}

type Label = { fr: string; en?: string };

/** The grid as the form needs it (labels in grid order). */
export interface ReviewGridView {
  eligibility: { key: string; label: Label }[];
  sections: { key: string; label: Label; criteria: { key: string; label: Label; weight: number }[] }[];
  scale: { min: number; max: number; levels: { value: number; label: Label }[] };
  justificationPolicy: 'extremes' | 'always' | 'never';
  targets: { key: string; label: Label }[];
  phase2TargetsAnyOf: string[];
}

export interface ReviewState {
  dossierId: number;
  memberId: number;
  /** null until the member's first save. */
  reviewId: number | null;
  status: 'draft' | 'submitted';
  /** 0 before the first save; every save bumps it. */
  revision: number;
  submittedAt: string | null;
  updatedAt: string | null;
  content: ReviewContentView;
  /** The admissibility findings to confirm or override: `status`, then each import flag. */
  findingKeys: string[];
  /** The import's admissibility status, when the dossier was assessed. */
  findingStatus: string | null;
  totals: ReviewTotalsView;
  eligibility: EligibilityOutcomeView;
  phase2Allowed: boolean;
  missing: MissingItemView[];
  grid: ReviewGridView;
}

export type SubmitOutcome = { ok: true; review: ReviewState } | { ok: false; missing: MissingItemView[] };

export interface HistoryItem {
  seq: number;
  at: string;
  memberId: number | null;
  keyboardMemberId: number | null;
  entity: string;
  entityId: string;
  action: string;
  before: unknown;
  after: unknown;
}
