import type { Database } from 'better-sqlite3';
import { DEFAULT_GRID } from '../../main/core/grid';
import { createCampaign } from '../../main/core/store/campaigns';
import { insertDossier } from '../../main/core/store/dossiers';

export const BULK_CAMPAIGN_NAME = 'Campagne de charge';
const PLACES = ['Dijon', 'Besançon', 'Mâcon', 'Nevers', 'Auxerre', 'Dole', 'Belfort', 'Vesoul', 'Lons-le-Saunier', 'Montbéliard'];
const THEMES = ['économie circulaire', 'alimentation durable', 'mobilité solidaire', 'habitat partagé', 'culture', 'numérique'];

/**
 * A campaign of `count` small synthetic dossiers, inserted in one transaction (a few seconds for
 * 3 000): for the list's virtualisation tests and benchmarks. Idempotent by campaign name.
 */
export function seedBulkCampaign(db: Database, count: number, now = new Date('2021-07-08T09:30:00Z')): number {
  const existing = db.prepare('SELECT id FROM campaigns WHERE name = ?').get(BULK_CAMPAIGN_NAME) as { id: number } | undefined;
  if (existing) return existing.id;
  return db.transaction(() => {
    const campaignId = createCampaign(db, {
      name: BULK_CAMPAIGN_NAME,
      ami: 'PTCE émergents',
      wave: 1,
      phase: 1,
      regionCode: '27',
      deadline: '2021-06-23T22:00:00.000Z',
      grid: DEFAULT_GRID,
      createdAt: now.toISOString(),
    });
    for (let i = 1; i <= count; i++) {
      const place = PLACES[i % PLACES.length]!;
      const theme = THEMES[i % THEMES.length]!;
      insertDossier(db, {
        campaignId,
        number: 100_000 + i,
        projectName: `PTCE ${theme} ${place} ${String(i).padStart(4, '0')}`,
        structureName: `Association ${place} ${i}`,
        structureAddress: '',
        legalForm: 'Association',
        esus: '',
        siret: '',
        contactName: '',
        contactFunction: '',
        contactEmail: '',
        contactPhone: '',
        regionCode: '27',
        commune: place,
        communeInsee: '',
        fragileTerritories: i % 3 === 0 ? 'QPV' : '',
        depositedAt: now.toISOString(),
        dsState: 'en_construction',
        source: 'bulk',
        raw: { i },
        importedAt: now.toISOString(),
        rubrics: { objectifs: `Coopération autour de ${theme} à ${place}.` },
      });
    }
    return campaignId;
  })();
}
