import type { Database } from 'better-sqlite3';
import { searchDossiers } from '../../core/review/search';
import { t } from '../messages';

/** `search "words" [--campaign ID] [--json]`: --json prints an array of {number, project, snippet}. */
export function searchCommand(db: Database, args: { words: string[]; campaign?: string; json: boolean }): number {
  const query = args.words.join(' ').trim();
  if (!query) {
    process.stderr.write(t('review.cli.noQuery') + '\n');
    return 2;
  }
  const campaignId = args.campaign === undefined ? undefined : Number(args.campaign);
  const hits = searchDossiers(db, Number.isInteger(campaignId) ? campaignId : undefined, query);
  if (args.json) {
    process.stdout.write(JSON.stringify(hits.map((h) => ({ number: h.number, project: h.project, snippet: h.snippet }))) + '\n');
    return 0;
  }
  if (hits.length === 0) process.stdout.write(t('review.cli.noResults') + '\n');
  for (const h of hits) process.stdout.write(`${h.number}  ${h.project}\n    ${h.snippet}\n`);
  return 0;
}
