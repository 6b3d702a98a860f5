/**
 * The avis document: what a regional committee sends to the PESSII for one dossier (package
 * format version 1, file `avis/<number>.json`, and the PDF rendering `avis/<number>.pdf`).
 *
 * Every field is plain JSON (no Date, no undefined) so the document is written as canonical JSON
 * and rendered deterministically. Texts are the members' own words, untranslated; codes (avis,
 * answers, decisions, maturity) are stable keys the renderer translates.
 */
export const AVIS_DOCUMENT_VERSION = 1;

export type AvisValue = 'favorable' | 'favorable_reserves' | 'defavorable';
export type EligibilityAnswerValue = 'oui' | 'en_perspective' | 'non';
export type AdmissibilityStatus = 'recevable' | 'au_fil_de_l_eau' | 'irrecevable';

export interface LocalizedLabel {
  fr: string;
  en?: string;
}

export interface AvisMemberRef {
  id: number;
  name: string;
  role: 'correspondant' | 'cress' | 'compagnon' | 'expert';
  organisation: string;
}

export interface AvisRecusal {
  memberId: number;
  reason: string;
  /** The declared link's kind (membre, salarie, administrateur, financeur, elu, autre); null for a detected conflict. */
  linkKind: 'membre' | 'salarie' | 'administrateur' | 'financeur' | 'elu' | 'autre' | null;
  /** 'declared' by the member, or 'detected' from the data and confirmed by a person. */
  source: 'declared' | 'detected';
  /** When the conflict was confirmed (ISO instant). */
  decidedAt: string | null;
}

export interface AvisAdmissibility {
  /** Import findings (null when the dossier has none). */
  findings: { status: AdmissibilityStatus; complete: boolean; onTime: boolean; flags: string[] } | null;
  /** Each member's decision on each finding key ('status' then every flag). */
  decisions: { memberId: number; findingKey: string; decision: 'confirmed' | 'overridden' | null; reason: string }[];
}

export interface AvisEligibility {
  criteria: { key: string; label: LocalizedLabel }[];
  /** One entry per member who reviewed: their answers by criterion key, and the majority outcome. */
  members: {
    memberId: number;
    answers: Record<string, { answer: EligibilityAnswerValue | null; note: string }>;
    met: number;
    total: number;
    needed: number;
    outcome: 'majority' | 'no_majority' | 'undecided';
  }[];
}

export interface AvisMemberScores {
  memberId: number;
  status: 'draft' | 'submitted';
  submittedAt: string | null;
  /** By selection criterion key. */
  scores: Record<string, { score: number | null; justification: string }>;
  sections: { key: string; subtotal: number; max: number; scored: number; criteria: number }[];
  total: number;
  max: number;
  complete: boolean;
  /** The member's own proposed avis and motivation (the committee avis is `avis` below). */
  avis: AvisValue | null;
  motivation: string;
  phase2: boolean;
}

export interface AvisDocument {
  /** Document schema version (AVIS_DOCUMENT_VERSION). */
  documentVersion: number;
  /** 'ready' when at least one member submitted a review; 'draft' otherwise (exported with --dossiers all). */
  state: 'ready' | 'draft';
  dossier: {
    number: number;
    version: number;
    project: string;
    structure: string;
    legalForm: string;
    commune: string;
    depositedAt: string | null;
  };
  region: { code: string; name: string };
  campaign: { id: number; name: string; ami: string; wave: number; phase: number; deadline: string };
  grid: {
    id: string;
    version: number;
    label: LocalizedLabel;
    scale: { min: number; max: number };
    /** Selection sections and criteria, in grid order (labels for the renderer). */
    sections: { key: string; label: LocalizedLabel; criteria: { key: string; label: LocalizedLabel; weight: number }[] }[];
  };
  members: AvisMemberRef[];
  admissibility: AvisAdmissibility;
  eligibility: AvisEligibility;
  scores: AvisMemberScores[];
  /** The committee's consensus from a séance (issue 6), next to every member's scores; null when none. */
  consensus: AvisConsensus | null;
  /**
   * The committee avis: the committee's decision in séance when there is one (`consensus` not
   * null), else the correspondant's submitted review avis, else the first submitted one; null when none.
   */
  avis: AvisValue | null;
  motivation: string;
  /** Recommended for the phase-2 invitation. */
  phase2Recommendation: boolean;
  /**
   * Members recused from the dossier (a confirmed conflict of interest, issue 6), by member id.
   * `reason` is the evidence (what matched) or the declared link; each recused member is also
   * listed in `members`.
   */
  recusals: AvisRecusal[];
}

/** The committee's decision in séance: consensus per criterion (individual scores stay in `scores`). */
export interface AvisConsensus {
  meeting: { id: number; heldOn: string; place: string };
  /** By selection criterion key: the consensus score, the reconciliation note and the spread of the submitted individual scores. */
  scores: Record<string, { score: number; note: string; spread: number | null }>;
  total: number;
  max: number;
  /** Every criterion has a consensus score. */
  complete: boolean;
  /** Votes or objections as written in the procès-verbal. */
  votes: string;
  /**
   * The committee's own view of the phase-1 targets b and c, recorded with its decision; null =
   * not recorded (the phase-2 rule then took the submitted reviews' view).
   */
  targets: { b: boolean | null; c: boolean | null };
}
