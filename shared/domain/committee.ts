import type { MemberRoleKey } from './review';

/**
 * The committee (issue 6): members with their organisation, assignments, declared links and
 * conflicts of interest. Pure (shared by main and the renderer).
 */
export const LINK_KIND_LIST = ['membre', 'salarie', 'administrateur', 'financeur', 'elu', 'autre'] as const;
export type LinkKind = (typeof LINK_KIND_LIST)[number];
export const CONFLICT_STATUS_LIST = ['proposed', 'confirmed', 'dismissed'] as const;
export type ConflictStatus = (typeof CONFLICT_STATUS_LIST)[number];
export type ConflictSource = 'declared' | 'detected';

export interface CommitteeMember {
  id: number;
  name: string;
  role: MemberRoleKey;
  organisation: string;
  /** SIREN (9 digits) or SIRET (14 digits) of the organisation; '' when unknown. */
  organisationSiren: string;
  active: boolean;
}

export interface MemberLoad {
  memberId: number;
  /** Dossiers of the campaign assigned to the member. */
  assigned: number;
  /** Of those, the ones the member submitted a review for. */
  submitted: number;
}

export interface AssignmentView {
  dossierId: number;
  memberId: number;
  assignedAt: string;
}

export interface MemberLinkView {
  id: number;
  memberId: number;
  kind: LinkKind;
  structureName: string;
  siren: string;
  dossierId: number | null;
  note: string;
  createdAt: string;
}

export interface ConflictView {
  memberId: number;
  dossierId: number;
  dossierNumber: number;
  source: ConflictSource;
  linkId: number | null;
  linkKind: LinkKind | null;
  /** What matched (« organisation “X” = partenaire “Y” »); codes and names from the data, untranslated. */
  evidence: string;
  status: ConflictStatus;
  reason: string;
  createdAt: string;
  decidedAt: string | null;
  decidedBy: number | null;
}

export interface CommitteeDossier {
  id: number;
  number: number;
  projectName: string;
  structureName: string;
}

/** Everything the « Comité » page shows for one campaign. */
export interface CommitteeOverview {
  campaignId: number;
  members: CommitteeMember[];
  dossiers: CommitteeDossier[];
  assignments: AssignmentView[];
  loads: MemberLoad[];
  links: MemberLinkView[];
  conflicts: ConflictView[];
}

/** The conflict of one member on one dossier as the dossier page needs it. */
export interface DossierConflictState {
  dossierId: number;
  memberId: number;
  /** null when the member has no conflict (or a dismissed one) on the dossier. */
  status: 'proposed' | 'confirmed' | null;
  linkKind: LinkKind | null;
  evidence: string;
}

/** Luhn check (SIREN, and SIRET except La Poste's establishments). */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * A SIREN/SIRET as typed (spaces, dots and dashes allowed) → its digits, '' for empty input, or
 * null when it is not 9 or 14 digits or the SIREN part fails the Luhn check.
 */
export function normaliseSiren(input: string): string | null {
  const digits = input.replace(/[\s.\-\u00a0]/g, '');
  if (digits === '') return '';
  if (!/^\d+$/.test(digits) || (digits.length !== 9 && digits.length !== 14)) return null;
  return luhnValid(digits.slice(0, 9)) ? digits : null;
}

/** The SIREN of a SIREN or SIRET ('' when not 9/14 digits). */
export function sirenOf(value: string): string {
  const digits = value.replace(/\D/g, '');
  return digits.length === 9 || digits.length === 14 ? digits.slice(0, 9) : '';
}

/** Legal-form and filler words ignored when comparing structure names. */
const STOP_WORDS = new Set([
  'association',
  'asso',
  'assoc',
  'scic',
  'scop',
  'sas',
  'sasu',
  'sarl',
  'sa',
  'eurl',
  'sci',
  'gie',
  'gip',
  'scp',
  'sem',
  'spl',
  'cooperative',
  'cooperatif',
  'societe',
  'fondation',
  'federation',
  'union',
  'groupement',
  'mutuelle',
  'ptce',
  'la',
  'le',
  'les',
  'l',
  'de',
  'du',
  'des',
  'd',
  'et',
  'en',
  'a',
  'au',
  'aux',
]);

/**
 * A structure name for comparison: lower case, accents and punctuation removed, legal forms
 * (« association », « SCIC », « SAS »…) and articles dropped. « Association Le Lien » and
 * « LE LIEN (asso.) » both give « lien ».
 */
export function normaliseStructureName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .split(' ')
    .filter((w) => w !== '' && !STOP_WORDS.has(w))
    .join(' ');
}
