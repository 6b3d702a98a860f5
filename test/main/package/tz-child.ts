/**
 * Child process for tz.test.ts: builds the package of a store with the fixed clock and prints its
 * SHA-256. With a 5th argument `attachments`, exports it (streamed, with the attachments) to a
 * temporary file and prints the file's SHA-256.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../../main/core/store/store';
import { loadSigningKey } from '../../../main/core/keys/keys';
import { passphraseProtector } from '../../../main/core/keys/protector';
import { buildPackage, exportPackage } from '../../../main/core/package/build';

const [dbPath, memberId, passphrase, clock, mode] = process.argv.slice(2);
const store = Store.open(dbPath!);
const signer = { ...loadSigningKey(store.db, Number(memberId), passphraseProtector(passphrase!)), memberId: Number(memberId) };
const opts = { signer, now: () => new Date(clock!) };

async function zipBytes(): Promise<Buffer> {
  if (mode !== 'attachments') return (await buildPackage(store.db, opts)).zip;
  const dir = mkdtempSync(join(tmpdir(), 'comite-ptce-tz-'));
  try {
    const { path } = await exportPackage(store.db, join(dir, 'p.zip'), { ...opts, dossiers: 'all', attachments: { filesDir: store.paths.filesDir } });
    return readFileSync(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

zipBytes().then(
  (zip) => {
    store.close();
    process.stdout.write(`${createHash('sha256').update(zip).digest('hex')} ${new Date(2000, 0, 1).getTimezoneOffset()}\n`);
  },
  (e: unknown) => {
    process.stderr.write(String(e));
    process.exit(1);
  },
);
