/** Child process for tz.test.ts: builds the package of a store with the fixed clock and prints its SHA-256. */
import { createHash } from 'node:crypto';
import { Store } from '../../../main/core/store/store';
import { loadSigningKey } from '../../../main/core/keys/keys';
import { passphraseProtector } from '../../../main/core/keys/protector';
import { buildPackage } from '../../../main/core/package/build';

const [dbPath, memberId, passphrase, clock] = process.argv.slice(2);
const store = Store.open(dbPath!);
const signer = { ...loadSigningKey(store.db, Number(memberId), passphraseProtector(passphrase!)), memberId: Number(memberId) };
buildPackage(store.db, { signer, now: () => new Date(clock!) }).then(
  (p) => {
    store.close();
    process.stdout.write(`${createHash('sha256').update(p.zip).digest('hex')} ${new Date(2000, 0, 1).getTimezoneOffset()}\n`);
  },
  (e: unknown) => {
    process.stderr.write(String(e));
    process.exit(1);
  },
);
