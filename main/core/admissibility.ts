import { RUBRIC_KEYS, textLength, type RubricKey } from '../../shared/domain/rubrics';
import { rubricLimitChars, type Grid } from './grid';

export const ADMISSIBILITY_STATUSES = ['recevable', 'au_fil_de_l_eau', 'irrecevable'] as const;
export type AdmissibilityStatus = (typeof ADMISSIBILITY_STATUSES)[number];

/** What admissibility needs to know about a dossier (a subset of the imported record). */
export interface AdmissibilityInput {
  identification: Partial<Record<string, string>>;
  rubrics: Partial<Record<RubricKey, string>>;
  /** ISO instant, or null when unknown (then the dossier cannot be shown on time). */
  depositedAt: string | null;
  regionCode: string;
  legalForm: string;
  /** 'oui' | 'non' | '' */
  esus: string;
  /** The region of the dossier's main commune (from its INSEE code), when known. */
  communeRegionCode?: string;
}

export interface AdmissibilityCampaign {
  regionCode: string;
  /** ISO instant: filed at or before it is on time. */
  deadline: string;
}

export interface AdmissibilityFindings {
  complete: boolean;
  onTime: boolean;
  status: AdmissibilityStatus;
  /** `incomplete`, `late`, `other_region`, `legal_form_unknown`, `esus_missing`, `over_length:<rubric>`, `missing:<field>`. */
  flags: string[];
  /** The blank required rubrics and identification fields. */
  missing: string[];
  /** The matched eligible legal form key, or null. */
  legalFormKey: string | null;
}

const DEFAULT_REQUIRED_IDENTIFICATION = [
  'projectName',
  'regionCode',
  'structureName',
  'structureAddress',
  'legalForm',
  'contactName',
  'contactFunction',
  'contactEmail',
  'contactPhone',
];

function normalize(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const blank = (v: string | undefined): boolean => (v ?? '').trim() === '';

/** The grid's eligible legal form a free-text legal form belongs to (word-prefix match). */
export function classifyLegalForm(grid: Grid, legalForm: string): { key: string; requiresEsus: boolean } | null {
  const text = ` ${normalize(legalForm)} `;
  if (text.trim() === '') return null;
  for (const form of grid.admissibility?.eligibleLegalForms ?? []) {
    if (form.patterns.some((p) => text.includes(` ${normalize(p)}`))) return { key: form.key, requiresEsus: form.requiresEsus };
  }
  return null;
}

/**
 * Admissibility at import (AMI « PTCE émergents »): complete and on time → recevable; complete
 * but late → instructed « au fil de l'eau »; incomplete (late or not) → irrecevable for the wave.
 * The other flags are findings for the committee; they do not change the status.
 */
export function assessAdmissibility(
  dossier: AdmissibilityInput,
  grid: Grid,
  campaign: AdmissibilityCampaign,
): AdmissibilityFindings {
  const missing: string[] = [];
  const requiredIdentification = grid.admissibility?.requiredIdentification ?? DEFAULT_REQUIRED_IDENTIFICATION;
  for (const field of requiredIdentification) {
    const value = field === 'regionCode' ? dossier.regionCode : dossier.identification[field];
    if (blank(value)) missing.push(field);
  }
  for (const rubric of grid.rubrics) {
    if (rubric.required && blank(dossier.rubrics[rubric.key])) missing.push(`rubric:${rubric.key}`);
  }
  const complete = missing.length === 0;
  const onTime = dossier.depositedAt !== null && Date.parse(dossier.depositedAt) <= Date.parse(campaign.deadline);
  const status: AdmissibilityStatus = !complete ? 'irrecevable' : onTime ? 'recevable' : 'au_fil_de_l_eau';

  const flags: string[] = [];
  if (!complete) flags.push('incomplete');
  if (!onTime) flags.push('late');
  const regions = [dossier.regionCode, dossier.communeRegionCode].filter((r): r is string => !!r && r.trim() !== '');
  if (regions.some((r) => r !== campaign.regionCode)) flags.push('other_region');
  const form = classifyLegalForm(grid, dossier.legalForm);
  if (!form) flags.push('legal_form_unknown');
  else if (form.requiresEsus && dossier.esus !== 'oui') flags.push('esus_missing');
  for (const key of RUBRIC_KEYS) {
    const limit = rubricLimitChars(grid, key);
    const content = dossier.rubrics[key];
    if (limit !== null && content && content.length > limit && textLength(content.trim()) > limit) flags.push(`over_length:${key}`);
  }
  for (const m of missing) flags.push(`missing:${m}`);
  return { complete, onTime, status, flags, missing, legalFormKey: form?.key ?? null };
}
