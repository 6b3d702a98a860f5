import type { Database } from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { regionName } from '../../../shared/domain/regions';
import { DEFAULT_GRID, parseGridDocument } from '../../core/grid';
import { createCampaign, getCampaign } from '../../core/store/campaigns';
import { parseDsDateTime } from '../../core/import/paris-time';
import { t } from '../messages';

export interface CampaignCreateArgs {
  region?: string;
  deadline?: string;
  grid?: string;
  name?: string;
  json: boolean;
}

/** `campaign create --region CODE --deadline ISO [--grid FILE] [--name …]` */
export function campaignCreate(db: Database, args: CampaignCreateArgs, now: Date): number {
  const region = args.region?.trim() ?? '';
  if (!regionName(region)) {
    process.stderr.write(t('cli.campaign.badRegion', { region }) + '\n');
    return 2;
  }
  const deadline = args.deadline ? parseDsDateTime(args.deadline) : null;
  if (!deadline) {
    process.stderr.write(t('cli.campaign.badDeadline', { deadline: args.deadline ?? '' }) + '\n');
    return 2;
  }
  let grid = DEFAULT_GRID;
  if (args.grid) {
    grid = parseGridDocument(readFileSync(args.grid, 'utf8'));
  }
  const name = args.name?.trim() || `${grid.label.fr} — ${regionName(region)}`;
  const id = db.transaction(() =>
    createCampaign(db, {
      name,
      ami: 'PTCE émergents',
      wave: 1,
      phase: 1,
      regionCode: region,
      deadline,
      grid,
      createdAt: now.toISOString(),
    }),
  )();
  const c = getCampaign(db, id)!;
  if (args.json) {
    process.stdout.write(JSON.stringify({ id: c.id, name: c.name, regionCode: c.regionCode, deadline: c.deadline, gridId: c.gridId, gridVersion: c.gridVersion }) + '\n');
  } else process.stdout.write(t('cli.campaign.created', { id, name }) + '\n');
  return 0;
}
