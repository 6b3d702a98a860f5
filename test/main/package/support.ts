import { join } from 'node:path';
import { Store } from '../../../main/core/store/store';
import { seedDemo } from '../../../main/core/demo';
import { getActiveMember } from '../../../main/core/review/members';
import { createMemberKey, loadSigningKey } from '../../../main/core/keys/keys';
import { passphraseProtector, type KeyProtector } from '../../../main/core/keys/protector';
import { tempDir } from '../../support/tmp';

export const CLOCK = new Date('2026-06-15T08:30:00.000Z');
export const SEED_TIME = new Date('2026-05-01T09:00:00.000Z');

/** A demo store with the active member's key: the real data a committee would export. */
export function demoStore(): {
  dir: string;
  dbPath: string;
  store: Store;
  memberId: number;
  protector: KeyProtector;
  signer: ReturnType<typeof loadSigningKey> & { memberId: number };
  cleanup: () => void;
} {
  const t = tempDir();
  const dbPath = join(t.dir, 'store.sqlite');
  const store = Store.open(dbPath);
  seedDemo(store.db, SEED_TIME);
  const memberId = getActiveMember(store.db)!.id;
  // Cheap protector for tests that don't test protection itself (scrypt is slow on purpose).
  const protector = passphraseProtector('demo passphrase');
  createMemberKey(store.db, memberId, protector, SEED_TIME);
  const signer = { ...loadSigningKey(store.db, memberId, protector), memberId };
  return {
    dir: t.dir,
    dbPath,
    store,
    memberId,
    protector,
    signer,
    cleanup: () => {
      store.close();
      t.cleanup();
    },
  };
}
