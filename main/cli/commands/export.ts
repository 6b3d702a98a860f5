import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Database } from 'better-sqlite3';
import { loadSigningKey } from '../../core/keys/keys';
import { importPkcs12 } from '../../core/keys/pkcs12';
import { exportPackage, type PdfRenderer, type SyntheseRenderer } from '../../core/package/build';
import { t } from '../messages';
import { cliProtector, resolveMember } from './key';

export interface ExportArgs {
  out?: string;
  member?: string;
  campaign?: string;
  dossiers?: string;
  p12?: string;
  passwordEnv?: string;
  /** The blob store's folder when the attachments go into the package (`--with-attachments`). */
  withAttachments?: string;
  json: boolean;
}

/**
 * `export --out FILE|FOLDER [--member M] [--campaign ID] [--dossiers ready|all] [--with-attachments] [--p12 FILE --password-env VAR]`:
 * writes the signed avis package. The clock is injected (the CLI passes the real time).
 */
export async function exportCommand(
  db: Database,
  args: ExportArgs,
  now: () => Date,
  renderPdf?: PdfRenderer | null,
  renderSynthese?: SyntheseRenderer | null,
): Promise<number> {
  if (!args.out) {
    process.stderr.write(t('package.cli.noOut') + '\n');
    return 2;
  }
  const dossiers = args.dossiers ?? 'ready';
  if (dossiers !== 'ready' && dossiers !== 'all') {
    process.stderr.write(t('package.cli.badDossiers') + '\n');
    return 2;
  }
  const member = resolveMember(db, args.member);
  let identity;
  if (args.p12) {
    const password = args.passwordEnv ? process.env[args.passwordEnv] : undefined;
    if (password === undefined) {
      process.stderr.write(t('package.cli.noPasswordEnv') + '\n');
      return 2;
    }
    identity = importPkcs12(readFileSync(resolve(args.p12)), password, now());
  }
  const protector = await cliProtector();
  if (!protector) {
    process.stderr.write(t('package.cli.noPassphrase') + '\n');
    return 2;
  }
  const signer = { ...loadSigningKey(db, member.id, protector), memberId: member.id };
  const campaignId = args.campaign !== undefined && /^\d+$/.test(args.campaign) ? Number(args.campaign) : undefined;
  const out = resolve(args.out);
  const { path, built } = await exportPackage(db, out, {
    campaignId,
    dossiers,
    signer,
    identity,
    now,
    renderPdf,
    renderSynthese,
    attachments: args.withAttachments ? { filesDir: args.withAttachments } : null,
  });
  if (args.json)
    process.stdout.write(
      JSON.stringify({
        path,
        dossiers: built.manifest.dossiers,
        draft: built.manifest.draft,
        fingerprint: built.manifest.signer.keyFingerprint,
        attachments: built.attachments.length,
        size: built.size,
        sha256: built.sha256,
      }) +
        '\n',
    );
  else
    process.stdout.write(
      t('package.cli.exported', {
        path,
        count: built.manifest.dossiers.length,
        draft: built.manifest.draft ? t('package.cli.draftSuffix') : '',
      }) + '\n',
    );
  return existsSync(path) ? 0 : 1;
}
