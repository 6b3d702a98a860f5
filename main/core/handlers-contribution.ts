import { extname } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { Handlers } from '../../shared/ipc/api';
import type { RegisteredKeyInfo } from '../../shared/domain/contribution';
import { buildContribution, importContribution } from './committee/contribution';
import { listRegisteredKeys, registerPublicKey, type RegisteredKey } from './committee/contribution-keys';
import { exportGridXlsx, importGridXlsx } from './committee/grid-xlsx';
import { listOpenConflicts, resolveConflict } from './committee/merge';
import { formatFingerprint, loadSigningKey } from './keys/keys';
import { passphraseProtector } from './keys/protector';
import { writeFileAtomic } from './package/zip';
import { getActiveMember, getMember } from './review/members';
import { slugify } from './package/format';
import type { HandlerContext } from './handlers';

type ContributionHandlers = Pick<
  Handlers,
  | 'contribution:keys'
  | 'contribution:registerKey'
  | 'contribution:export'
  | 'contribution:exportGrid'
  | 'contribution:pickFile'
  | 'contribution:import'
  | 'contribution:conflicts'
  | 'contribution:resolve'
>;

const keyInfo = (db: Database, k: RegisteredKey): RegisteredKeyInfo => ({
  memberId: k.memberId,
  memberName: getMember(db, k.memberId)?.name ?? '',
  fingerprint: k.fingerprint,
  fingerprintGroups: formatFingerprint(k.fingerprint),
  registeredAt: k.registeredAt,
  source: k.source,
});

/** The person at the keyboard: the one named, else the active member. */
const keyboard = (db: Database, named: number | null | undefined): number | null => named ?? getActiveMember(db)?.id ?? null;

const day = (d: Date) => d.toISOString().slice(0, 10);

/** Offline contributions (issue 6): keys, signed « mes évaluations », XLSX grids, merge and conflicts. */
export function createContributionHandlers(ctx: HandlerContext): ContributionHandlers {
  const db = () => ctx.store.db;
  return {
    'contribution:keys': () => listRegisteredKeys(db()).map((k) => keyInfo(db(), k)),
    'contribution:registerKey': ({ memberId, pem, keyboardMemberId }) => {
      const r = registerPublicKey(db(), { memberId, pem, now: ctx.now(), registeredBy: keyboard(db(), keyboardMemberId) });
      ctx.log.info('contribution.key_registered', { memberId, created: r.created });
      return keyInfo(db(), r);
    },
    'contribution:export': async ({ memberId, campaignId, passphrase }) => {
      const { key, privateKey } = loadSigningKey(db(), memberId, passphraseProtector(passphrase));
      const now = ctx.now();
      const member = getMember(db(), memberId);
      const file = await ctx.dialogs.chooseContributionDestination?.(`contribution_${slugify(member?.name ?? String(memberId))}_${day(now)}.zip`);
      if (!file) return null;
      const { bytes, document } = await buildContribution(db(), { memberId, campaignId, now, signer: { privateKey, fingerprint: key.fingerprint } });
      writeFileAtomic(file, bytes);
      ctx.log.info('contribution.exported', { memberId, campaignId, dossiers: document.dossiers.length });
      return { file, count: document.dossiers.length };
    },
    'contribution:exportGrid': async ({ memberId, campaignId }) => {
      const now = ctx.now();
      const member = getMember(db(), memberId);
      const file = await ctx.dialogs.chooseContributionDestination?.(`grille_${slugify(member?.name ?? String(memberId))}_${day(now)}.xlsx`);
      if (!file) return null;
      const { bytes, rows } = await exportGridXlsx(db(), { memberId, campaignId, now });
      writeFileAtomic(file, bytes);
      ctx.log.info('contribution.grid_exported', { memberId, campaignId, rows });
      return { file, count: rows };
    },
    'contribution:pickFile': async () => (await ctx.dialogs.chooseContributionFile?.()) ?? null,
    'contribution:import': async ({ path, expectedMemberId, keyboardMemberId }) => {
      const opts = { now: ctx.now(), importerId: keyboard(db(), keyboardMemberId), expectedMemberId };
      const report =
        extname(path).toLowerCase() === '.xlsx' ? await importGridXlsx(db(), path, opts) : await importContribution(db(), path, opts);
      ctx.log.info('contribution.imported', {
        kind: report.kind,
        memberId: report.memberId,
        applied: report.applied,
        unchanged: report.unchanged,
        conflicts: report.conflicts,
        skipped: report.skipped.length,
      });
      return report;
    },
    'contribution:conflicts': ({ campaignId }) => listOpenConflicts(db(), campaignId),
    'contribution:resolve': ({ conflictId, choice, keyboardMemberId }) =>
      resolveConflict(db(), { conflictId, choice, now: ctx.now(), keyboardMemberId: keyboard(db(), keyboardMemberId) }),
  };
}
