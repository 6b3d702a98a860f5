/** What the « Exporter le paquet » and « Vérifier un paquet » screens exchange with main. */

export const PACKAGE_SELECTIONS = ['ready', 'all'] as const;
export type PackageSelection = (typeof PACKAGE_SELECTIONS)[number];

/** Why a dossier is not ready to export (no member submitted a review of it). */
export type NotReadyReason = 'no_review' | 'drafts_only';

export interface PackagePlanDossier {
  number: number;
  project: string;
  state: 'ready' | 'draft';
  /** Null when ready. */
  reason: NotReadyReason | null;
  /** Reviews begun but not submitted (drafts_only). */
  drafts: number;
}

export interface PackagePlan {
  campaignId: number;
  /** The file name the save dialog proposes (region, campaign, date). */
  defaultFileName: string;
  signer: {
    memberId: number;
    name: string;
    role: string;
    /** Null when the member has no key yet (it is created at export). */
    keyFingerprint: string | null;
  } | null;
  dossiers: PackagePlanDossier[];
  ready: number;
}

export interface PackageExportResult {
  path: string;
  fileName: string;
  size: number;
  /** SHA-256 of the whole ZIP file, lowercase hex. */
  sha256: string;
  dossiers: number;
  draft: boolean;
  keyFingerprint: string;
  keyCreated: boolean;
}

export const PACKAGE_REASON_CODES = [
  'zip_unreadable',
  'file_duplicate',
  'manifest_missing',
  'manifest_invalid',
  'format_version_unknown',
  'signature_missing',
  'signature_invalid',
  'pubkey_invalid',
  'pubkey_mismatch',
  'cms_missing',
  'cms_invalid',
  'cms_digest_mismatch',
  'cms_signature_invalid',
  'cms_cert_expired',
  'cms_cert_not_yet_valid',
  'cms_cert_not_signing',
  'cms_chain_invalid',
  'file_missing',
  'file_unlisted',
  'file_changed',
  'sums_mismatch',
  'journal_broken',
] as const;
export type PackageReasonCode = (typeof PACKAGE_REASON_CODES)[number];

export interface PackageVerifyView {
  file: string;
  ok: boolean;
  signer: {
    name: string | null;
    keyFingerprint: string | null;
    authenticated: boolean;
    certificate: { subject: string; sha256: string } | null;
  };
  formatVersion: number | null;
  createdAt: string | null;
  draft: boolean | null;
  dossiers: number | null;
  reasons: { code: PackageReasonCode; path?: string; detail?: string }[];
}

export const HELP_DOCS = ['package-format', 'verify-with-openssl', 'meeting', 'contribution-format'] as const;
export type HelpDoc = (typeof HELP_DOCS)[number];
