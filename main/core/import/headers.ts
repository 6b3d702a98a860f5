import { RUBRIC_KEYS, RUBRIC_LABELS_FR, type RubricKey } from '../../../shared/domain/rubrics';
import type { ColumnMapping, IdentificationField, MappingTarget } from './types';

/**
 * Normalises a column label for matching: NFKD without accents, lower case, typographic quotes
 * folded, « (optionnel) » removed, punctuation and spaces collapsed to single spaces.
 */
export function normalizeLabel(label: string): string {
  return label
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[’‘`´]/g, "'")
    .replace(/\(\s*optionnel(?:le)?\s*\)/g, ' ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Known header variants: the default export, older exports, export-template default labels. */
const IDENTIFICATION_VARIANTS: Record<IdentificationField, string[]> = {
  number: ['ID', 'N° dossier', 'Nº dossier', 'No dossier', 'Numéro de dossier', 'Numéro du dossier'],
  email: ['Email', 'E-mail', 'Adresse électronique'],
  dsState: ['État du dossier', 'Etat du dossier', 'Statut du dossier', 'État'],
  depositedAt: ['Déposé le', 'Date de dépôt', 'Date de dépôt du dossier', 'Déposé le (date)'],
  projectName: ['Nom du projet', 'Intitulé du projet', 'Nom du projet de PTCE'],
  regionName: ['Région', 'Région du projet'],
  regionCode: ['Région (Code)', 'Région – Code', 'Code région', 'Code de la région'],
  structureName: ['Nom de la structure porteuse', 'Structure porteuse', 'Structure porteuse (nom)', 'Structure porteuse – nom'],
  structureAddress: ['Adresse de la structure porteuse', 'Structure porteuse (adresse)', 'Structure porteuse – adresse'],
  legalForm: [
    'Forme juridique de la structure porteuse',
    'Structure porteuse (forme juridique)',
    'Structure porteuse – forme juridique',
    'Forme juridique',
  ],
  esus: ["Agrément ESUS (entreprise solidaire d'utilité sociale)", 'Agrément ESUS', 'Agrément entreprise solidaire d’utilité sociale'],
  contactName: [
    'Nom et prénom de la personne référente',
    'Personne référente',
    'Personne référente (nom/prénom)',
    'Personne référente – nom et prénom',
    'Nom prénom de la personne référente',
  ],
  contactFunction: ['Fonction au sein de la structure porteuse', 'Fonction de la personne référente', 'Personne référente (fonction)'],
  contactEmail: ['Mail de la personne référente', 'Courriel de la personne référente', 'Adresse mail de la personne référente', 'Personne référente (mail)'],
  contactPhone: ['Téléphone portable', 'Téléphone portable de la personne référente', 'Personne référente (téléphone portable)'],
  commune: ['Commune principale du périmètre', 'Commune principale', 'Commune du périmètre'],
  communeInsee: [
    'Commune principale du périmètre (Code INSEE)',
    'Commune principale (Code INSEE)',
    'Commune du périmètre (Code INSEE)',
  ],
  fragileTerritories: ['Territoires fragiles concernés', 'Territoires fragiles'],
  siret: ['Établissement SIRET', 'SIRET de la structure porteuse', 'SIRET'],
  companyLegalForm: ['Entreprise forme juridique'],
};

const RUBRIC_VARIANTS: Record<RubricKey, string[]> = {
  structure: ['Description de la structure porteuse du projet', 'Description de la structure porteuse'],
  objectifs: [
    'Description des objectifs et de la vision stratégique du (futur) PTCE',
    'Description des objectifs … et de la vision stratégique du (futur) PTCE',
    'Objectifs et vision stratégique du (futur) PTCE',
  ],
  acteurs: [
    'Identification et description sommaire des acteurs impliqués dans la dynamique collective',
    'Identification et description sommaire des différents acteurs impliqués ou susceptibles de l’être',
    'Identification et description sommaire des acteurs impliqués',
  ],
  gouvernance: ['Mode de gouvernance en place ou en perspective pour le (futur) pôle', 'Mode de gouvernance'],
  perimetre: [
    'Description du périmètre géographique et de son ancrage territorial',
    'Description du périmètre géographique et de son ancrage territorial, territoires fragiles inclus',
  ],
  actions: [
    'Actions déjà entamées ou envisagées à court, moyen et long terme',
    'Le cas échéant, actions déjà entamées ou envisagées à court, moyen et long terme',
  ],
  plan_action: ['Plan d’action prévisionnel sur 3 ans', "Plan d'action prévisionnel", 'Plan d’action sur 3 ans'],
  implication: ['Implication des différentes catégories de membres'],
  mise_en_reseau: [
    'Mise en réseau avec les autres dispositifs et articulation avec les politiques publiques',
    'Mise en réseau avec les autres dispositifs, articulation avec les politiques publiques',
  ],
  financement: [
    'Perspectives de financement prévisionnel du (futur) PTCE',
    'Perspectives de financement prévisionnel (dépenses et recettes, « grandes masses »)',
    'Perspectives de financement prévisionnel',
  ],
};

export const ALL_TARGETS: MappingTarget[] = [
  ...(Object.keys(IDENTIFICATION_VARIANTS) as IdentificationField[]),
  ...RUBRIC_KEYS.map((k) => `rubric:${k}` as const),
];

function variantsOf(target: MappingTarget): Set<string> {
  const list = target.startsWith('rubric:')
    ? [...RUBRIC_VARIANTS[target.slice(7) as RubricKey], RUBRIC_LABELS_FR[target.slice(7) as RubricKey]]
    : IDENTIFICATION_VARIANTS[target as IdentificationField];
  return new Set(list.map(normalizeLabel));
}
const VARIANTS = new Map(ALL_TARGETS.map((t) => [t, variantsOf(t)]));

/** Headers with duplicate names made distinct: the n-th occurrence (n ≥ 2) of `X` is keyed `X#n`. */
export function headerKeys(headers: string[]): string[] {
  const seen = new Map<string, number>();
  return headers.map((h) => {
    const n = (seen.get(h) ?? 0) + 1;
    seen.set(h, n);
    return n === 1 ? h : `${h}#${n}`;
  });
}

/** The mapping targets a file must provide a column for (the rest may be absent). */
export function requiredTargets(requiredRubrics: RubricKey[]): MappingTarget[] {
  return ['number', 'depositedAt', 'projectName', 'structureName', 'legalForm', ...requiredRubrics.map((k) => `rubric:${k}` as const)];
}

export interface ResolvedMapping {
  /** target → column index. */
  columns: Partial<Record<MappingTarget, number>>;
  /** Required targets with no column. */
  missing: MappingTarget[];
  /** The file's header keys not used by any target: the candidates for a manual mapping. */
  candidates: string[];
  /** The mapping actually applied (target → header key), to save for the campaign. */
  mapping: ColumnMapping;
}

/**
 * Matches header labels to targets: an explicit mapping first (a header key that is not in the
 * file is ignored), then the known variants; the first matching column wins.
 */
export function resolveMapping(headers: string[], required: MappingTarget[], explicit: ColumnMapping = {}): ResolvedMapping {
  const keys = headerKeys(headers);
  const normalized = headers.map(normalizeLabel);
  const columns: Partial<Record<MappingTarget, number>> = {};
  const used = new Set<number>();
  for (const [target, header] of Object.entries(explicit) as [MappingTarget, string][]) {
    const index = keys.indexOf(header);
    if (index >= 0 && VARIANTS.has(target)) {
      columns[target] = index;
      used.add(index);
    }
  }
  for (const target of ALL_TARGETS) {
    if (columns[target] !== undefined) continue;
    const variants = VARIANTS.get(target)!;
    const index = normalized.findIndex((n, i) => !used.has(i) && variants.has(n));
    if (index >= 0) {
      columns[target] = index;
      used.add(index);
    }
  }
  const mapping: ColumnMapping = {};
  for (const [target, index] of Object.entries(columns) as [MappingTarget, number][]) mapping[target] = keys[index]!;
  return {
    columns,
    missing: required.filter((t) => columns[t] === undefined),
    candidates: keys.filter((_, i) => !used.has(i)),
    mapping,
  };
}
