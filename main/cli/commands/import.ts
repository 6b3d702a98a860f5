import type { Database } from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppFailure } from '../../../shared/errors';
import { importFiles } from '../../core/import/pipeline';
import type { ColumnMapping } from '../../core/import/types';
import { listCampaigns } from '../../core/store/campaigns';
import { t } from '../messages';

export interface ImportArgs {
  files: string[];
  campaign?: string;
  mapping?: string;
  json: boolean;
}

/** The campaign given, or the only one; otherwise an error. */
export function pickCampaign(db: Database, campaign: string | undefined): number | null {
  if (campaign !== undefined) {
    const id = Number(campaign);
    return listCampaigns(db).some((c) => c.id === id) ? id : null;
  }
  const all = listCampaigns(db);
  return all.length === 1 ? all[0]!.id : null;
}

/** `import FILE... [--campaign ID] [--mapping FILE] [--json]`: exit 1 when a file is refused, 3 when a mapping is needed. */
export async function importCommand(db: Database, filesDir: string, args: ImportArgs): Promise<number> {
  if (args.files.length === 0) {
    process.stderr.write(t('cli.import.noFiles') + '\n');
    return 2;
  }
  const campaignId = pickCampaign(db, args.campaign);
  if (campaignId === null) {
    process.stderr.write(t('cli.import.noCampaign') + '\n');
    return 2;
  }
  const mapping = args.mapping ? (JSON.parse(readFileSync(args.mapping, 'utf8')) as ColumnMapping) : undefined;
  const out = await importFiles(db, {
    campaignId,
    files: args.files.map((f) => resolve(f)),
    mapping,
    filesDir,
    now: () => new Date(),
  });
  if ('needsMapping' in out) {
    if (args.json) process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    for (const n of out.needsMapping) {
      process.stderr.write(
        t('errors.import_needs_mapping', { missing: n.missing.join(', ') }) + `\n  ${n.file}: ${n.candidates.join(' | ')}\n`,
      );
    }
    return 3;
  }
  if (args.json) process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  else {
    process.stdout.write(
      t('cli.import.summary', { created: out.created, updated: out.updated, unchanged: out.unchanged, rejected: out.rejected.length }) + '\n',
    );
    for (const d of out.dossiers) {
      process.stdout.write(`  ${d.number}  ${d.region}  ${t(`cli.status.${d.status}`)}${d.flags.length ? `  [${d.flags.join(', ')}]` : ''}\n`);
    }
    for (const r of out.rejected) process.stdout.write(`  ${t('cli.import.rejectedRow', { file: r.file, row: r.row ?? '', reason: r.reason })}\n`);
  }
  return 0;
}

export function failureExit(error: unknown): number {
  return error instanceof AppFailure && error.code === 'import_needs_mapping' ? 3 : 1;
}
