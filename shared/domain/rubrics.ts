/**
 * The rubrics of the phase-1 dossier (Annexe 1 of the AMI « PTCE émergents » 2021), with the
 * official labels. Limits and the page/line equivalence belong to the grid document; this list
 * is the stable key set dossiers are stored under.
 */
export const RUBRIC_KEYS = [
  'structure',
  'objectifs',
  'acteurs',
  'gouvernance',
  'perimetre',
  'actions',
  'plan_action',
  'implication',
  'mise_en_reseau',
  'financement',
] as const;
export type RubricKey = (typeof RUBRIC_KEYS)[number];

export const RUBRIC_LABELS_FR: Record<RubricKey, string> = {
  structure: 'Description de la structure porteuse du projet',
  objectifs: 'Description des objectifs et de la vision stratégique du (futur) PTCE',
  acteurs:
    'Identification et description sommaire des différents acteurs impliqués ou susceptibles de l’être',
  gouvernance: 'Mode de gouvernance en place ou en perspective pour le (futur) pôle',
  perimetre:
    'Description du périmètre géographique et de son ancrage territorial, territoires fragiles inclus',
  actions: 'Le cas échéant, actions déjà entamées ou envisagées à court, moyen et long terme',
  plan_action: 'Plan d’action prévisionnel sur 3 ans',
  implication: 'Implication des différentes catégories de membres',
  mise_en_reseau: 'Mise en réseau avec les autres dispositifs, articulation avec les politiques publiques',
  financement: 'Perspectives de financement prévisionnel (dépenses et recettes, « grandes masses »)',
};

/** Counts characters as a reader does (code points, not UTF-16 units). */
export function textLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}
