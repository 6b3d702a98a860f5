import { syncDossierText } from './store/dossier-text';
import type { Database } from 'better-sqlite3';
import demoData from '../../resources/demo/dossiers.json';
import { DEFAULT_GRID } from './grid';
import { createCampaign } from './store/campaigns';
import { insertDossier } from './store/dossiers';
import { parseDsTimestamp } from './time';
import { RUBRIC_KEYS } from '../../shared/domain/rubrics';
import { createMember, setActiveMember } from './review/members';
import { saveReviewPatch, submitReview, type ReviewPatch } from './review/reviews';
import { getSetting, setSetting } from './store/settings';
import { assign } from './committee/assignments';
import { detectConflicts } from './committee/conflicts';

export const DEMO_CAMPAIGN_NAME = 'AMI PTCE émergents 2021 — phase 1';

/**
 * Creates the demo campaign « AMI PTCE émergents 2021 — phase 1 » for Bourgogne-Franche-Comté
 * (wave 1 deadline: 23 June 2021 midnight, Paris = 22:00 UTC) with dossiers modelled on the
 * synthetic démarches-simplifiées fixtures. Idempotent: a second call changes nothing.
 */
export function seedDemo(db: Database, now: Date): { campaignId: number; created: boolean; dossiers: number } {
  const result = seedDemoDossiers(db, now);
  seedDemoReviews(db, result.campaignId, now);
  seedDemoCommittee(db, result.campaignId, now);
  return result;
}

/** The demo campaign and its dossiers only (no members, no reviews). Idempotent. */
export function seedDemoDossiers(db: Database, now: Date): { campaignId: number; created: boolean; dossiers: number } {
  const existing = db.prepare('SELECT id FROM campaigns WHERE name = ?').get(DEMO_CAMPAIGN_NAME) as
    | { id: number }
    | undefined;
  if (existing) {
    const n = (db.prepare('SELECT count(*) AS n FROM dossiers WHERE campaign_id = ?').get(existing.id) as { n: number }).n;
    return { campaignId: existing.id, created: false, dossiers: n };
  }
  return db.transaction(() => {
    const importedAt = now.toISOString();
    const campaignId = createCampaign(db, {
      name: DEMO_CAMPAIGN_NAME,
      ami: 'PTCE émergents',
      wave: 1,
      phase: 1,
      regionCode: '27',
      deadline: '2021-06-23T22:00:00.000Z',
      grid: DEFAULT_GRID,
      createdAt: importedAt,
    });
    for (const d of demoData.dossiers) {
      const rubrics: Partial<Record<(typeof RUBRIC_KEYS)[number], string>> = {};
      for (const key of RUBRIC_KEYS) rubrics[key] = (d.rubrics as Record<string, string>)[key] ?? '';
      insertDossier(db, {
        campaignId,
        number: d.number,
        projectName: d.projectName,
        structureName: d.structureName,
        structureAddress: d.structureAddress,
        legalForm: d.legalForm,
        esus: d.esus,
        siret: d.siret,
        contactName: d.contactName,
        contactFunction: d.contactFunction,
        contactEmail: d.contactEmail,
        contactPhone: d.contactPhone,
        regionCode: d.regionCode,
        commune: d.commune,
        communeInsee: d.communeInsee,
        fragileTerritories: d.fragileTerritories,
        depositedAt: parseDsTimestamp(d.depositedAt),
        dsState: d.dsState,
        source: 'demo',
        raw: d,
        importedAt,
      rubrics,
      });
    }
    syncDossierText(db);
    return { campaignId, created: true, dossiers: demoData.dossiers.length };
  })();
}

const DEMO_REVIEWS_KEY = 'demo.reviews';

const ALL_CRITERIA = ['V1', 'V2', 'V3', 'V4', 'V5', 'O1', 'O2', 'O3', 'E1', 'E2'] as const;
const ELIGIBILITY = ['E-1', 'E-2', 'E-3', 'E-4', 'E-5', 'E-6', 'E-7'] as const;

function fullPatch(
  scores: readonly number[],
  eligibility: readonly ('oui' | 'en_perspective' | 'non')[],
  details: NonNullable<ReviewPatch['details']>,
): ReviewPatch {
  return {
    scores: Object.fromEntries(
      ALL_CRITERIA.map((k, i) => {
        const score = scores[i]!;
        const justification =
          score === 3 ? 'Point fort clairement étayé dans le dossier.' : score === 0 ? 'Élément absent du dossier.' : '';
        return [k, { score, justification }];
      }),
    ),
    eligibility: Object.fromEntries(ELIGIBILITY.map((k, i) => [k, { answer: eligibility[i]! }])),
    details,
  };
}

/**
 * Two demo members — a regional correspondent and a CRESS member — and their reviews of the demo
 * dossiers, written through saveReviewPatch so the audit journal is populated: some submitted,
 * one draft, and one pair of reviews that diverges (V2 and O2 on the second dossier).
 * Idempotent (settings key `demo.reviews`).
 */
export function seedDemoReviews(db: Database, campaignId: number, now: Date): void {
  if (getSetting(db, DEMO_REVIEWS_KEY)) return;
  const dossiers = (
    db.prepare('SELECT id FROM dossiers WHERE campaign_id = ? ORDER BY deposited_at, number').all(campaignId) as { id: number }[]
  ).map((r) => r.id);
  if (dossiers.length < 4) return;
  db.transaction(() => {
    let minute = 0;
    const at = () => new Date(now.getTime() + ++minute * 60_000);
    const camille = createMember(db, { name: 'Camille Rousseau', role: 'correspondant', organisation: 'DREETS Bourgogne-Franche-Comté' }, { now: at() }).id;
    const yann = createMember(db, { name: 'Yann Leroy', role: 'cress', organisation: 'CRESS Bourgogne-Franche-Comté' }, { now: at() }).id;
    setActiveMember(db, camille, at());
    const save = (dossierId: number, memberId: number, patch: ReviewPatch, keyboardMemberId: number | null = memberId) =>
      saveReviewPatch(db, { dossierId, memberId, keyboardMemberId, patch, now: at() });
    const submit = (dossierId: number, memberId: number) => {
      const r = submitReview(db, { dossierId, memberId, now: at() });
      if (!r.ok) throw new Error(`demo review incomplete: ${JSON.stringify(r.missing)}`);
    };
    const [d1, d2, d3, d4] = dossiers as [number, number, number, number];

    save(d1, camille, fullPatch([3, 2, 2, 2, 2, 2, 2, 1, 2, 2], ['oui', 'oui', 'en_perspective', 'oui', 'oui', 'en_perspective', 'oui'], {
      maturity: 'emergente',
      targets: { a: true, b: true, c: true },
      fragile: { qpv: false, zrr: false, deindustrialised: true },
      avis: 'favorable',
      motivation: 'Dynamique de coopération émergente sur un bassin d’emploi désindustrialisé ; partenaires engagés.',
      phase2: true,
      support: ['Accompagnement individuel à la structuration de la gouvernance'],
    }));
    submit(d1, camille);
    // Yann's review of the first dossier was typed in by Camille during a call (keyboard ≠ member).
    save(d1, yann, fullPatch([2, 2, 2, 2, 1, 2, 1, 1, 1, 2], ['oui', 'oui', 'en_perspective', 'oui', 'en_perspective', 'oui', 'oui'], {
      maturity: 'emergente',
      targets: { a: true, b: true, c: true },
      fragile: { qpv: false, zrr: false, deindustrialised: true },
      avis: 'favorable_reserves',
      motivation: 'Projet pertinent ; le modèle économique reste à consolider.',
      phase2: false,
      support: ['Atelier collectif sur le modèle économique'],
    }), camille);
    submit(d1, yann);

    save(d2, camille, fullPatch([2, 3, 2, 2, 2, 2, 3, 2, 2, 2], ['oui', 'oui', 'oui', 'oui', 'en_perspective', 'oui', 'oui'], {
      maturity: 'emergente',
      targets: { a: true, b: true, c: true },
      fragile: { qpv: true, zrr: false, deindustrialised: false },
      avis: 'favorable',
      motivation: 'Ancrage fort en quartier prioritaire, plan de financement crédible.',
      phase2: true,
    }));
    submit(d2, camille);
    // Divergent draft: V2 and O2 far from Camille's scores.
    save(d2, yann, {
      scores: { V1: { score: 2 }, V2: { score: 1 }, O2: { score: 0, justification: 'Aucun cofinancement confirmé.' } },
      details: { maturity: 'intention', avis: 'favorable_reserves' },
    });

    save(d3, camille, { scores: { V1: { score: 2 }, V2: { score: 2 } }, eligibility: { 'E-1': { answer: 'oui' } } });

    save(d4, camille, fullPatch([1, 1, 1, 1, 0, 1, 1, 0, 1, 1], ['oui', 'non', 'non', 'en_perspective', 'non', 'non', 'oui'], {
      maturity: 'intention',
      targets: { a: true, b: false, c: false },
      fragile: { qpv: false, zrr: false, deindustrialised: false },
      avis: 'defavorable',
      motivation: 'Intention de coopérer encore peu étayée ; critères d’éligibilité majoritairement non remplis.',
      phase2: false,
    }));
    submit(d4, camille);
    setSetting(db, DEMO_REVIEWS_KEY, '1');
  })();
}

const DEMO_COMMITTEE_KEY = 'demo.committee';
/** The demo dossier whose partners include the expert's organisation. */
const DEMO_PARTNER_DOSSIER = 5401010;

/**
 * The committee around the demo reviews: Camille and Yann assigned to the dossiers they reviewed;
 * a third member, Inès Moreau, expert at France Active Bourgogne-Franche-Comté, which is a declared
 * partner of the « Coopérative Horizons Talant » dossier — so detection proposes a conflict of
 * interest for the correspondent to confirm or dismiss. Idempotent (settings key `demo.committee`).
 */
export function seedDemoCommittee(db: Database, campaignId: number, now: Date): void {
  if (getSetting(db, DEMO_COMMITTEE_KEY)) return;
  const camille = db.prepare("SELECT id FROM members WHERE name = 'Camille Rousseau'").get() as { id: number } | undefined;
  if (!camille) return;
  db.transaction(() => {
    let minute = 100;
    const at = () => new Date(now.getTime() + ++minute * 60_000);
    const actor = { memberId: camille.id };
    const reviewed = db
      .prepare(
        `SELECT r.dossier_id, r.member_id FROM reviews r JOIN dossiers d ON d.id = r.dossier_id
         WHERE d.campaign_id = ? ORDER BY d.number, r.member_id`,
      )
      .all(campaignId) as { dossier_id: number; member_id: number }[];
    for (const r of reviewed) assign(db, { dossierIds: [r.dossier_id], memberIds: [r.member_id], actor, now: at() });
    const dossier = db.prepare('SELECT id FROM dossiers WHERE campaign_id = ? AND number = ?').get(campaignId, DEMO_PARTNER_DOSSIER) as
      | { id: number }
      | undefined;
    if (dossier && !db.prepare('SELECT 1 FROM dossier_partners WHERE dossier_id = ?').get(dossier.id)) {
      const partner = db.prepare(
        'INSERT INTO dossier_partners (dossier_id, position, name, siret, kind, role, fields_json) VALUES (?, ?, ?, ?, ?, ?, ?)',
      );
      partner.run(dossier.id, 0, 'Association France Active Bourgogne-Franche-Comté', '', 'association', 'Financeur solidaire', '{}');
      partner.run(dossier.id, 1, 'Ville de Talant', '', 'collectivite', 'Cofinanceur', '{}');
    }
    createMember(db, { name: 'Inès Moreau', role: 'expert', organisation: 'France Active Bourgogne-Franche-Comté' }, { now: at(), keyboardMemberId: camille.id });
    detectConflicts(db, campaignId, actor, at());
    setSetting(db, DEMO_COMMITTEE_KEY, '1');
  })();
}
