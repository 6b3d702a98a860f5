import type { RubricKey } from '../../../shared/domain/rubrics';

/** The identification fields of a phase-1 dossier an import resolves through the header mapping. */
export const IDENTIFICATION_FIELDS = [
  'number',
  'email',
  'dsState',
  'depositedAt',
  'projectName',
  'regionName',
  'regionCode',
  'structureName',
  'structureAddress',
  'legalForm',
  'esus',
  'contactName',
  'contactFunction',
  'contactEmail',
  'contactPhone',
  'commune',
  'communeInsee',
  'fragileTerritories',
  'siret',
  'companyLegalForm',
] as const;
export type IdentificationField = (typeof IDENTIFICATION_FIELDS)[number];

/** A mapping target: an identification field or `rubric:<key>`. */
export type MappingTarget = IdentificationField | `rubric:${RubricKey}`;

/** target → header (a duplicate header's n-th occurrence is written `header#n`, n ≥ 2). */
export type ColumnMapping = Partial<Record<MappingTarget, string>>;

export type SourceFormat = 'csv' | 'xlsx' | 'json';

export interface DsPartner {
  name: string;
  siret: string;
  kind: string;
  role: string;
  /** Every column of the repetition row, in order. */
  fields: { header: string; value: string }[];
}

export interface DsAvis {
  introduction: string;
  answer: string;
  question: string;
  questionAnswer: string;
  askedAt: string | null;
  answeredAt: string | null;
  claimant: string;
  expert: string;
}

export interface DsFile {
  champLabel: string;
  filename: string;
  /** ActiveStorage checksum: base64 of the MD5. */
  checksum: string;
  size: number;
  contentType: string;
}

/** The normalised record every format produces. */
export interface DsDossierRecord {
  number: number;
  format: SourceFormat;
  /** Every column of the source row, in order; duplicates kept. */
  fields: { header: string; value: string }[];
  identification: Partial<Record<IdentificationField, string>>;
  rubrics: Partial<Record<RubricKey, string>>;
  /** ISO instant (UTC, Z), or null when absent or unreadable. */
  depositedAt: string | null;
  dsState: string;
  regionCode: string;
  legalForm: string;
  esus: string;
  commune: string;
  communeInsee: string;
  fragileTerritories: string[];
  /** null when the format cannot carry them (CSV). */
  partners: DsPartner[] | null;
  avis: DsAvis[] | null;
  files: DsFile[] | null;
  raw: unknown;
}

export interface RejectedRow {
  file: string;
  row?: number;
  reason: string;
}

export interface ParsedFile {
  file: string;
  format: SourceFormat;
  records: DsDossierRecord[];
  rejected: RejectedRow[];
}
