import { resolve } from 'node:path';
import type { Database } from 'better-sqlite3';
import { resolveCampaignId } from '../../core/package/collect';
import { getSynthesis } from '../../core/synthesis/synthesis';
import { exportSynthesisXlsx } from '../../core/synthesis/xlsx';
import { t } from '../messages';

export interface SynthesisArgs {
  campaign?: string;
  json: boolean;
  out?: string;
}

const num = (n: number | null): string => (n === null ? '—' : String(n));

/**
 * `synthesis [--campaign ID] [--json] [--out FILE.xlsx]`: the regional synthesis of the campaign
 * (default: the latest); `--json` prints the whole view, `--out` also writes the XLSX atomically.
 */
export async function synthesisCommand(db: Database, args: SynthesisArgs, now: () => Date): Promise<number> {
  const campaignId = resolveCampaignId(db, args.campaign !== undefined && /^\d+$/.test(args.campaign) ? Number(args.campaign) : undefined);
  const view = getSynthesis(db, campaignId);
  const written = args.out ? await exportSynthesisXlsx(view, resolve(args.out), now()) : null;
  if (args.json) {
    process.stdout.write(JSON.stringify(written ? { ...view, written } : view, null, 2) + '\n');
    return 0;
  }
  const lines = [t('synthesis.cli.header', { name: view.campaignName, count: view.dossiers.length, max: view.maxTotal })];
  for (const d of view.dossiers) {
    const rank = d.rank === null ? t('synthesis.ranking.unranked') : d.exAequo ? t('synthesis.ranking.exAequo', { rank: d.rank }) : String(d.rank);
    lines.push(
      t('synthesis.cli.row', {
        rank,
        number: d.number,
        consensus: num(d.consensusTotal),
        mean: num(d.individual.mean),
        median: num(d.individual.median),
        count: d.individual.count,
        avis: d.committee ? (d.committee.avis ? t(`synthesis.avis.${d.committee.avis}`) : '—') : t('synthesis.ranking.pending'),
        project: d.project.length > 48 ? `${d.project.slice(0, 47)}…` : d.project,
      }),
    );
  }
  lines.push(
    view.phase2.length ? t('synthesis.cli.phase2', { list: view.phase2.map((p) => `${p.position}. ${p.number}`).join(', ') }) : t('synthesis.cli.phase2None'),
  );
  if (written) lines.push(t('synthesis.cli.written', { file: written.path, size: written.size }));
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}
