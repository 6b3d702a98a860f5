import type { AvisKey, MemberInfo } from './review';

/**
 * Meeting mode (séance): what main computes and the « Séance » page shows. Mirrors
 * main/core/meeting/* structurally.
 *
 * Quorum rule (documented in resources/docs/meeting.md): 'majority' — more than half of the
 * active committee members must be present (required = floor(active / 2) + 1); 'fixed' — at
 * least `quorumValue` members present. « Present » = arrived and not departed.
 */
export const QUORUM_RULE_LIST = ['majority', 'fixed'] as const;
export type QuorumRule = (typeof QUORUM_RULE_LIST)[number];
export const DIVERGENT_PLACEMENT_LIST = ['first', 'last', 'none'] as const;
export type DivergentPlacement = (typeof DIVERGENT_PLACEMENT_LIST)[number];

export interface Label {
  fr: string;
  en?: string;
}

export interface QuorumView {
  rule: QuorumRule;
  present: number;
  required: number;
  /** Active committee members (the base of the 'majority' rule). */
  active: number;
  met: boolean;
}

export interface AttendanceView {
  member: MemberInfo;
  present: boolean;
  arrivedAt: string | null;
  departedAt: string | null;
}

export interface OrderItemView {
  dossierId: number;
  number: number;
  project: string;
  position: number;
  /** Members with a confirmed conflict of interest on this dossier (they leave the room). */
  recused: number[];
  /** Criteria whose submitted individual scores spread past the grid's threshold. */
  divergent: number;
  /** The largest per-criterion spread (0 when fewer than two scores). */
  maxSpread: number;
  /** A committee avis has been recorded. */
  decided: boolean;
}

export interface MeetingSummary {
  id: number;
  campaignId: number;
  heldOn: string;
  place: string;
  startedAt: string | null;
  endedAt: string | null;
}

export interface MeetingView extends MeetingSummary {
  quorumRule: QuorumRule;
  quorumValue: number | null;
  chairMemberId: number | null;
  keyboardMemberId: number | null;
  currentDossierId: number | null;
  attendance: AttendanceView[];
  quorum: QuorumView;
  order: OrderItemView[];
}

export interface ProposedOrder {
  dossierIds: number[];
  /** How many times a member leaves the room over the whole order (lower is better). */
  exits: number;
}

export interface CriterionRowView {
  key: string;
  section: string;
  label: Label;
  weight: number;
  /** memberId → submitted score (null when not scored). */
  scores: Record<number, number | null>;
  spread: number | null;
  divergent: boolean;
  consensus: { score: number; note: string } | null;
}

export interface DepartureView {
  memberId: number;
  name: string;
  leftAt: string;
  returnedAt: string | null;
}

export interface CommitteeDecisionView {
  avis: AvisKey | null;
  motivation: string;
  phase2: boolean;
  votes: string;
  decidedAt: string;
  /** The committee's own view of targets b and c (null = not recorded: the reviews' view applies). */
  targetB: boolean | null;
  targetC: boolean | null;
}

/** A phase-1 target (b or c) as the séance shows it: the grid's label, the reviews' majority, the committee's view. */
export interface MeetingTargetView {
  key: 'b' | 'c';
  label: Label;
  /** Majority of the submitted reviews (recused members excluded); null = no review answered or a tie. */
  reviews: boolean | null;
  committee: boolean | null;
}

export interface MeetingDossierView {
  meetingId: number;
  dossierId: number;
  number: number;
  project: string;
  structure: string;
  position: number;
  count: number;
  /** Members whose submitted review is shown, in member order. */
  reviewers: MemberInfo[];
  criteria: CriterionRowView[];
  scale: { min: number; max: number };
  threshold: number;
  consensusTotal: { total: number; max: number; complete: boolean };
  departures: DepartureView[];
  decision: CommitteeDecisionView | null;
  /**
   * The committee may recommend phase 2: the targets it recorded meet the grid's phase-2 rule
   * (default b and/or c) or, when it recorded none, at least one submitted review finds them.
   */
  phase2Allowed: boolean;
  /** Targets b and c with the reviews' majority and the committee's view. */
  targets: MeetingTargetView[];
  /** The grid's phase-2 rule: any of these targets (default ['b', 'c']). */
  phase2Targets: string[];
  /** The keyboard member is recused on this dossier: nothing can be recorded. */
  keyboardRecused: boolean;
  readOnly: boolean;
}
