/** Import wizard data shared by main and renderer (plain data, JSON-safe). */

export const ADMISSIBILITY_STATUS_LIST = ['recevable', 'au_fil_de_l_eau', 'irrecevable'] as const;
export type DossierStatus = (typeof ADMISSIBILITY_STATUS_LIST)[number];

export const IMPORT_FORMATS = ['csv', 'xlsx', 'json', 'zip'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** A file main has checked and holds by id: the renderer never sees nor sends its path. */
export interface StagedFile {
  id: string;
  name: string;
  size: number;
  format: ImportFormat;
}

export interface ImportRejectedRow {
  file: string;
  row?: number;
  reason: string;
}

export interface ImportDossierOutcome {
  number: number;
  region: string;
  complete: boolean;
  onTime: boolean;
  status: DossierStatus;
  /** `incomplete`, `late`, `other_region`, `legal_form_unknown`, `esus_missing`, `over_length:<rubric>`, `missing:<field>`. */
  flags: string[];
}

export interface ImportReportData {
  created: number;
  updated: number;
  unchanged: number;
  rejected: ImportRejectedRow[];
  dossiers: ImportDossierOutcome[];
}

export interface ImportNeedsMappingData {
  needsMapping: { file: string; missing: string[]; candidates: string[] }[];
}

export type ImportOutcome = ImportReportData | ImportNeedsMappingData;

export function needsMapping(outcome: ImportOutcome): outcome is ImportNeedsMappingData {
  return 'needsMapping' in outcome;
}

export interface DossierFindings {
  status: DossierStatus;
  flags: string[];
}
