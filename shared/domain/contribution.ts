/** Offline contributions, as the renderer sees them (resources/docs/contribution-format.md). */
export const CONTRIBUTION_SKIP_REASONS = ['unknown_dossier', 'conflict_of_interest', 'locked', 'invalid'] as const;
export type ContributionSkipReason = (typeof CONTRIBUTION_SKIP_REASONS)[number];

export interface ContributionReport {
  importId: number;
  kind: 'contribution' | 'xlsx';
  memberId: number;
  memberName: string;
  campaignId: number;
  applied: number;
  unchanged: number;
  conflicts: number;
  skipped: { number: number; reason: ContributionSkipReason }[];
}

export interface ContributionConflict {
  id: number;
  memberId: number;
  memberName: string;
  dossierId: number;
  dossierNumber: number;
  projectName: string;
  /** `scores/<key>`, `eligibility/<key>`, `admissibility/<finding>` or `details/<field>`. */
  cell: string;
  local: unknown;
  incoming: unknown;
  createdAt: string;
}

export interface RegisteredKeyInfo {
  memberId: number;
  memberName: string;
  fingerprint: string;
  /** Groups of 4 uppercase hex digits, to read back by phone. */
  fingerprintGroups: string;
  registeredAt: string;
  source: 'registered' | 'local';
}

export interface ContributionExported {
  file: string;
  /** Dossiers (signed contribution) or rows (XLSX grid) written. */
  count: number;
}
