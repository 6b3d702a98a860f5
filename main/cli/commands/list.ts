import type { Database } from 'better-sqlite3';
import { listCampaigns } from '../../core/store/campaigns';
import { t } from '../messages';

interface Row {
  number: number;
  region_code: string;
  project_name: string;
  deposited_at: string | null;
  version: number;
  status: string | null;
  flags_json: string | null;
}

/** `list [--json]`: campaigns and their dossiers with the admissibility status. */
export function listCommand(db: Database, json: boolean): number {
  const campaigns = listCampaigns(db).map((c) => {
    const rows = db
      .prepare(
        `SELECT d.number, d.region_code, d.project_name, d.deposited_at, d.version, f.status, f.flags_json
         FROM dossiers d LEFT JOIN dossier_findings f ON f.dossier_id = d.id
         WHERE d.campaign_id = ? ORDER BY d.deposited_at, d.number`,
      )
      .all(c.id) as Row[];
    return {
      id: c.id,
      name: c.name,
      regionCode: c.regionCode,
      deadline: c.deadline,
      dossiers: rows.map((r) => ({
        number: r.number,
        region: r.region_code,
        projectName: r.project_name,
        depositedAt: r.deposited_at,
        version: r.version,
        status: r.status,
        flags: r.flags_json ? (JSON.parse(r.flags_json) as string[]) : [],
      })),
    };
  });
  if (json) {
    process.stdout.write(JSON.stringify({ campaigns }, null, 2) + '\n');
    return 0;
  }
  if (campaigns.length === 0) process.stdout.write(t('cli.list.empty') + '\n');
  for (const c of campaigns) {
    process.stdout.write(t('cli.list.campaign', { id: c.id, name: c.name, region: c.regionCode, count: c.dossiers.length }) + '\n');
    for (const d of c.dossiers) {
      const status = d.status ? t(`cli.status.${d.status}`) : '—';
      const project = d.projectName.length > 48 ? `${d.projectName.slice(0, 47)}…` : d.projectName;
      const flags = d.flags.length ? `  [${d.flags.join(', ')}]` : '';
      process.stdout.write(`  ${d.number}  ${d.region}  v${d.version}  ${status.padEnd(16)} ${project}${flags}\n`);
    }
  }
  return 0;
}
