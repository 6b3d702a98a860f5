import grid from '../../../../resources/grids/ami-ptce-emergents-2021-phase1.json';
import type { AvisDocument, AvisMemberScores } from '../../../../main/core/package/avis';

const LONG =
  'Le porteur, une SCIC implantée de longue date sur le territoire, démontre une réelle capacité à fédérer des acteurs ' +
  'hétérogènes : associations d’insertion, entreprises industrielles du bassin, collectivités et organismes de formation. ' +
  'L’analyse du positionnement reste toutefois inégale selon les filières ; la partie consacrée au réemploi est très ' +
  'documentée, celle sur l’alimentation durable l’est beaucoup moins et mériterait d’être étayée par des engagements écrits. ';

const sections = grid.selection.sections.map((s) => ({
  key: s.key,
  label: s.label,
  criteria: s.criteria.map((c) => ({ key: c.key, label: c.label, weight: c.weight })),
}));

function memberScores(memberId: number, base: number, submitted: boolean, long: boolean): AvisMemberScores {
  const scores: AvisMemberScores['scores'] = {};
  let total = 0;
  let max = 0;
  const sectionTotals = sections.map((s) => {
    let subtotal = 0;
    let sectionMax = 0;
    s.criteria.forEach((c, i) => {
      const score = (base + i) % 5;
      scores[c.key] = { score, justification: long && i % 2 === 0 ? LONG.repeat(1 + (i % 3)) : `Appréciation ${c.key} : éléments probants, à préciser.` };
      subtotal += score * c.weight;
      sectionMax += 4 * c.weight;
    });
    total += subtotal;
    max += sectionMax;
    return { key: s.key, subtotal, max: sectionMax, scored: s.criteria.length, criteria: s.criteria.length };
  });
  // One justification longer than a page: the table must split it across pages.
  if (long) {
    const e2 = scores.E2;
    if (e2) e2.justification = `${LONG.repeat(12)}Fin de la justification E2.`;
  }
  return {
    memberId,
    status: submitted ? 'submitted' : 'draft',
    submittedAt: submitted ? '2021-07-08T14:30:00.000Z' : null,
    scores,
    sections: sectionTotals,
    total,
    max,
    complete: true,
    avis: submitted ? 'favorable_reserves' : null,
    motivation: '',
    phase2: submitted,
  };
}

/** A realistic avis: 2 members, long French justifications, every section filled. */
export function sampleAvis(state: 'ready' | 'draft' = 'ready'): AvisDocument {
  const submitted = state === 'ready';
  return {
    documentVersion: 1,
    state,
    dossier: {
      number: 4217,
      version: 2,
      project: 'Pôle territorial de coopération « Vallée de l’Ondaine solidaire » — réemploi, alimentation et mobilités',
      structure: 'SCIC Ondaine Coopérations',
      legalForm: 'Société coopérative d’intérêt collectif (SCIC SAS)',
      commune: 'Firminy',
      depositedAt: '2021-06-21T09:12:00.000Z',
    },
    region: { code: '84', name: 'Auvergne-Rhône-Alpes' },
    campaign: { id: 1, name: 'AMI PTCE émergents 2021', ami: 'ptce-emergents', wave: 1, phase: 1, deadline: '2021-06-23T23:59:59+02:00' },
    grid: { id: grid.id, version: grid.version, label: grid.label, scale: { min: 0, max: 4 }, sections },
    members: [
      { id: 1, name: 'Camille Rousseau', role: 'correspondant', organisation: 'DREETS Auvergne-Rhône-Alpes' },
      { id: 2, name: 'Yann Leroy', role: 'cress', organisation: 'CRESS Auvergne-Rhône-Alpes' },
    ],
    admissibility: {
      findings: { status: 'recevable', complete: true, onTime: true, flags: ['over_length:acteurs', 'legal_form_unknown'] },
      decisions: [
        { memberId: 1, findingKey: 'status', decision: 'confirmed', reason: '' },
        { memberId: 1, findingKey: 'over_length:acteurs', decision: 'overridden', reason: 'Le dépassement tient à un tableau des partenaires ; le texte lui-même respecte les deux pages.' },
        { memberId: 2, findingKey: 'status', decision: submitted ? 'confirmed' : null, reason: '' },
      ],
    },
    eligibility: {
      criteria: grid.eligibility.criteria.map((c) => ({ key: c.key, label: c.label })),
      members: [1, 2].map((memberId) => ({
        memberId,
        answers: Object.fromEntries(
          grid.eligibility.criteria.map((c, i) => [
            c.key,
            { answer: (['oui', 'en_perspective', 'oui', 'non'] as const)[(i + memberId) % 4] ?? null, note: i === 2 && memberId === 2 ? 'Partenariat avec l’université Jean-Monnet en cours de formalisation.' : '' },
          ]),
        ),
        met: 5,
        total: 7,
        needed: 4,
        outcome: 'majority' as const,
      })),
    },
    scores: [memberScores(1, 2, submitted, true), memberScores(2, 3, submitted, false)],
    consensus: null,
    avis: submitted ? 'favorable_reserves' : null,
    motivation: submitted
      ? 'Le comité émet un avis favorable assorti de réserves. La dynamique de coopération est réelle et ancrée dans un territoire fragile (quartier prioritaire de la politique de la ville et bassin désindustrialisé), mais le modèle économique du pôle reste à construire : les contributions des entreprises privées sont annoncées sans engagement chiffré et la gouvernance, encore portée par la seule SCIC, devra s’ouvrir aux autres catégories de membres avant la phase 2.'
      : '',
    phase2Recommendation: submitted,
    recusals: [],
  };
}
