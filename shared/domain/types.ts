/** Domain types shared by main and renderer. Plain data, JSON-safe (they cross IPC). */

export const MEMBER_ROLES = ['correspondant', 'cress', 'compagnon', 'expert'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

export const LANGUAGES = ['fr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export interface CampaignSummary {
  id: number;
  name: string;
  ami: string;
  wave: number;
  phase: number;
  regionCode: string;
  /** ISO 8601 instant (UTC, with Z). */
  deadline: string;
  gridId: string;
  gridVersion: number;
  gridLabel: string;
  /** The grid's stated equivalence, shown to users next to length gauges. */
  charactersPerPage: number;
  charactersPerLine: number;
  dossierCount: number;
}

export interface DossierSummary {
  id: number;
  number: number;
  projectName: string;
  structureName: string;
  legalForm: string;
  regionCode: string;
  commune: string;
  /** ISO 8601 instant. */
  depositedAt: string;
  dsState: string;
  rubricCount: number;
  attachmentCount: number;
}

export interface DossierRubric {
  key: string;
  label: string;
  position: number;
  content: string;
  /** Length in characters (Unicode code points). */
  length: number;
  /** The grid's limit for this rubric, in characters; null when the grid sets none. */
  limitChars: number | null;
  required: boolean;
}

export interface DossierAttachment {
  id: number;
  filename: string;
  size: number;
  sha256: string;
  mediaType: string;
  kind: string;
}

export interface DossierDetail extends DossierSummary {
  campaignId: number;
  version: number;
  contactFunction: string;
  fragileTerritories: string;
  rubrics: DossierRubric[];
  attachments: DossierAttachment[];
}

export interface Member {
  id: number;
  name: string;
  role: MemberRole;
  organisation: string;
}

export interface StoreInfo {
  appVersion: string;
  schemaVersion: number;
  campaigns: number;
  dossiers: number;
  members: number;
  integrity: string;
  dbPath: string;
  lastBackupAt: string | null;
}

export interface BackupEntry {
  file: string;
  createdAt: string;
  size: number;
}

export interface Preferences {
  language: Language;
}
