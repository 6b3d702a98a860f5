import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatFingerprint } from '../../core/keys/keys';
import { verifyPackage } from '../../core/package/verify';
import { t } from '../messages';

export interface VerifyArgs {
  file?: string;
  pubkey?: string;
  ca?: string;
  json: boolean;
}

/** `verify FILE [--pubkey PEM | --ca PEM] [--json]`: exit 0 only when the package is valid, 1 otherwise. */
export async function verifyCommand(args: VerifyArgs): Promise<number> {
  if (!args.file) {
    process.stderr.write(t('package.cli.noFile') + '\n');
    return 2;
  }
  const r = await verifyPackage(resolve(args.file), {
    pubkeyPem: args.pubkey ? readFileSync(resolve(args.pubkey), 'utf8') : undefined,
    caPem: args.ca ? readFileSync(resolve(args.ca), 'utf8') : undefined,
  });
  if (args.json) process.stdout.write(JSON.stringify(r, null, 2) + '\n');
  else if (r.ok) {
    const lines = [
      t('package.cli.verifyOk', {
        dossiers: r.manifest?.dossiers.length ?? 0,
        signer: r.signer.name ?? '?',
        fingerprint: formatFingerprint(r.signer.keyFingerprint ?? ''),
      }),
    ];
    if (r.signer.certificate) lines.push(t('package.cli.certificate', { subject: r.signer.certificate.subject }));
    if (!r.signer.authenticated) lines.push(t('package.cli.unauthenticated'));
    process.stdout.write(lines.join('\n') + '\n');
  } else {
    const lines = [t('package.cli.verifyFailed')];
    for (const reason of r.reasons)
      lines.push(`  - ${reason.code}: ${t(`package.cli.reason.${reason.code}`)}${reason.path ? ` (${reason.path})` : ''}`);
    process.stdout.write(lines.join('\n') + '\n');
  }
  return r.ok ? 0 : 1;
}
