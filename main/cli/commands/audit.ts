import type { Database } from 'better-sqlite3';
import { verifyJournal } from '../../core/review/audit';
import { t } from '../messages';

/** `audit verify [--json]`: exit 0 only when the journal's hash chain holds, 1 otherwise. */
export function auditCommand(db: Database, args: { sub?: string; json: boolean }): number {
  if (args.sub !== 'verify') {
    process.stderr.write(t('cli.unknownCommand', { command: `audit ${args.sub ?? ''}`.trim() }) + '\n');
    return 2;
  }
  const r = verifyJournal(db);
  if (args.json) process.stdout.write(JSON.stringify(r) + '\n');
  else if (r.ok) process.stdout.write(t('review.cli.auditOk', { entries: r.entries }) + '\n');
  else process.stdout.write(t('review.cli.auditBroken', { seq: r.seq, reason: t(`review.audit.${r.reason}`) }) + '\n');
  return r.ok ? 0 : 1;
}
