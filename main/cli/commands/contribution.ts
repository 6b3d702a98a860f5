import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Database } from 'better-sqlite3';
import { AppFailure } from '../../../shared/errors';
import { buildContribution, importContribution } from '../../core/committee/contribution';
import { registerPublicKey } from '../../core/committee/contribution-keys';
import { exportGridXlsx, importGridXlsx } from '../../core/committee/grid-xlsx';
import { listOpenConflicts, resolveConflict, type MergeReport } from '../../core/committee/merge';
import { formatFingerprint, loadSigningKey } from '../../core/keys/keys';
import { writeFileAtomic } from '../../core/package/zip';
import { getActiveMember } from '../../core/review/members';
import { t } from '../messages';
import { cliProtector, resolveMember } from './key';

export interface ContributionArgs {
  sub?: string;
  file?: string;
  member?: string;
  campaign?: string;
  out?: string;
  pem?: string;
  keep?: string;
  json: boolean;
}

const write = (s: string) => process.stdout.write(s + '\n');
const usage = (command: string): number => {
  process.stderr.write(t('cli.unknownCommand', { command }) + '\n');
  return 2;
};

/** `--campaign ID`, else the only campaign of the store. */
function resolveCampaign(db: Database, campaign: string | undefined): number {
  if (campaign !== undefined) {
    const row = db.prepare('SELECT id FROM campaigns WHERE id = ?').get(Number(campaign)) as { id: number } | undefined;
    if (!row) throw new AppFailure('not_found', { entity: 'campaign', id: campaign });
    return row.id;
  }
  const rows = db.prepare('SELECT id FROM campaigns').all() as { id: number }[];
  if (rows.length !== 1) throw new AppFailure('validation', { reason: '--campaign' });
  return rows[0]!.id;
}

function printReport(report: MergeReport & { memberName: string }, json: boolean): void {
  if (json) {
    write(JSON.stringify(report));
    return;
  }
  write(t('contribution.cli.imported', { member: report.memberName, applied: report.applied, unchanged: report.unchanged, conflicts: report.conflicts }));
  if (report.submitted + report.reopened > 0) write(t('contribution.cli.statuses', { submitted: report.submitted, reopened: report.reopened }));
  for (const s of report.skipped) write(t('contribution.cli.skipped', { number: s.number, reason: t(`contribution.skip.${s.reason}`) }));
}

/** Explains a refused XLSX grid (which rule, which cell) before the generic error line. */
async function explainXlsx<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof AppFailure && error.code === 'grid_xlsx_invalid')
      process.stderr.write(t(`contribution.xlsx.reasons.${String(error.params?.reason)}`) + '\n');
    throw error;
  }
}

/**
 * `contribution export --member M --out F [--campaign ID]` · `contribution import F [--member M]` ·
 * `contribution conflicts` · `contribution resolve ID --keep local|incoming` (all with `--json`).
 */
export async function contributionCommand(db: Database, args: ContributionArgs, now: Date): Promise<number> {
  const importer = getActiveMember(db)?.id ?? null;
  switch (args.sub) {
    case 'export': {
      if (!args.out) {
        process.stderr.write(t('package.cli.noOut') + '\n');
        return 2;
      }
      const member = resolveMember(db, args.member);
      const protector = await cliProtector();
      if (!protector) {
        process.stderr.write(t('package.cli.noPassphrase') + '\n');
        return 2;
      }
      const { key, privateKey } = loadSigningKey(db, member.id, protector);
      const { bytes, document } = await buildContribution(db, {
        memberId: member.id,
        campaignId: resolveCampaign(db, args.campaign),
        now,
        signer: { privateKey, fingerprint: key.fingerprint },
      });
      const path = resolve(args.out);
      writeFileAtomic(path, bytes);
      if (args.json) write(JSON.stringify({ path, memberId: member.id, fingerprint: key.fingerprint, dossiers: document.dossiers.length }));
      else write(t('contribution.cli.exported', { path, count: document.dossiers.length, fingerprint: formatFingerprint(key.fingerprint) }));
      return 0;
    }
    case 'import': {
      if (!args.file) return usage('contribution import');
      const expected = args.member === undefined ? undefined : resolveMember(db, args.member).id;
      const report = await importContribution(db, resolve(args.file), { now, importerId: importer, expectedMemberId: expected });
      printReport(report, args.json);
      return 0;
    }
    case 'conflicts': {
      const conflicts = listOpenConflicts(db);
      if (args.json) write(JSON.stringify(conflicts));
      else
        for (const k of conflicts)
          write(
            t('contribution.cli.conflict', {
              id: k.id,
              member: k.memberName,
              number: k.dossierNumber,
              cell: k.cell,
              local: JSON.stringify(k.local),
              incoming: JSON.stringify(k.incoming),
            }),
          );
      return 0;
    }
    case 'resolve': {
      if (!args.file || !/^\d+$/.test(args.file) || (args.keep !== 'local' && args.keep !== 'incoming')) return usage('contribution resolve');
      resolveConflict(db, { conflictId: Number(args.file), choice: args.keep, now, keyboardMemberId: importer });
      if (args.json) write(JSON.stringify({ resolved: Number(args.file), choice: args.keep }));
      else write(t('contribution.cli.resolved', { id: args.file }));
      return 0;
    }
    default:
      return usage(`contribution ${args.sub ?? ''}`.trim());
  }
}

/** `key register --member M --pem FILE [--json]`: registers a member's public key (fingerprint printed to read back). */
export function keyRegisterCommand(db: Database, args: ContributionArgs, now: Date): number {
  if (!args.pem) {
    process.stderr.write(t('contribution.cli.noPem') + '\n');
    return 2;
  }
  const member = resolveMember(db, args.member);
  const r = registerPublicKey(db, { memberId: member.id, pem: readFileSync(resolve(args.pem), 'utf8'), now, registeredBy: getActiveMember(db)?.id ?? null });
  if (args.json) write(JSON.stringify({ memberId: member.id, fingerprint: r.fingerprint, created: r.created }));
  else write(t('contribution.cli.keyRegistered', { member: member.name, fingerprint: formatFingerprint(r.fingerprint) }));
  return 0;
}

/** `grid-xlsx export --member M --out F [--campaign ID]` · `grid-xlsx import F [--member M]` (with `--json`). */
export async function gridXlsxCommand(db: Database, args: ContributionArgs, now: Date): Promise<number> {
  if (args.sub === 'export') {
    if (!args.out) {
      process.stderr.write(t('package.cli.noOut') + '\n');
      return 2;
    }
    const member = resolveMember(db, args.member);
    const { bytes, rows } = await exportGridXlsx(db, { memberId: member.id, campaignId: resolveCampaign(db, args.campaign), now });
    const path = resolve(args.out);
    writeFileAtomic(path, bytes);
    if (args.json) write(JSON.stringify({ path, memberId: member.id, rows }));
    else write(t('contribution.cli.gridExported', { path, rows, member: member.name }));
    return 0;
  }
  if (args.sub === 'import') {
    if (!args.file) return usage('grid-xlsx import');
    const expected = args.member === undefined ? undefined : resolveMember(db, args.member).id;
    const report = await explainXlsx(() =>
      importGridXlsx(db, resolve(args.file!), { now, importerId: getActiveMember(db)?.id ?? null, expectedMemberId: expected }),
    );
    printReport(report, args.json);
    return 0;
  }
  return usage(`grid-xlsx ${args.sub ?? ''}`.trim());
}
