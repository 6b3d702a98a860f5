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
  /** Reviews submitted here because the member submitted them. */
  submitted: number;
  /** Reviews reopened here because the member reopened them. */
  reopened: number;
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
  /** Signed contribution: the signing key's fingerprint, and whether it was created by this export. */
  keyFingerprint?: string;
  keyCreated?: boolean;
}

/** How « Exporter mes évaluations » signs for a member on this machine. */
export interface ContributionSigning {
  memberId: number;
  /** The member's local signing key, or null (created on the first export when no passphrase is needed). */
  keyFingerprint: string | null;
  /**
   * A passphrase must be typed: no key protector in this app (no OS keystore), or the member's key
   * was sealed with a passphrase (the CLI's `key create`).
   */
  passphrase: boolean;
}
