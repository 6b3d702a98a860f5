import type { Database } from 'better-sqlite3';
import demoData from '../../resources/demo/dossiers.json';
import { DEFAULT_GRID } from './grid';
import { createCampaign } from './store/campaigns';
import { insertDossier } from './store/dossiers';
import { parseDsTimestamp } from './time';
import { RUBRIC_KEYS } from '../../shared/domain/rubrics';

export const DEMO_CAMPAIGN_NAME = 'AMI PTCE émergents 2021 — phase 1';

/**
 * Creates the demo campaign « AMI PTCE émergents 2021 — phase 1 » for Bourgogne-Franche-Comté
 * (wave 1 deadline: 23 June 2021 midnight, Paris = 22:00 UTC) with dossiers modelled on the
 * synthetic démarches-simplifiées fixtures. Idempotent: a second call changes nothing.
 */
export function seedDemo(db: Database, now: Date): { campaignId: number; created: boolean; dossiers: number } {
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
    return { campaignId, created: true, dossiers: demoData.dossiers.length };
  })();
}
