import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { openDatabase } from '../../../main/core/db/open';
import { seedDemoDossiers } from '../../../main/core/demo';
import { createMember } from '../../../main/core/review/members';
import { tempDir } from '../../support/tmp';

export const NOW = new Date('2021-07-01T08:00:00.000Z');

/** A fresh store with the demo campaign (6 dossiers) and two members of our own. */
export function freshStore(opts: { demo?: boolean } = {}): {
  db: Database;
  path: string;
  cleanup: () => void;
  dossierIds: number[];
  alice: number;
  bob: number;
} {
  const t = tempDir();
  const path = join(t.dir, 'store.sqlite');
  const db = openDatabase(path);
  if (opts.demo !== false) seedDemoDossiers(db, NOW);
  const dossierIds = (db.prepare('SELECT id FROM dossiers ORDER BY id').all() as { id: number }[]).map((r) => r.id);
  const alice = createMember(db, { name: 'Alice Test', role: 'correspondant', organisation: 'DREETS' }, { now: NOW }).id;
  const bob = createMember(db, { name: 'Bob Test', role: 'expert' }, { now: NOW }).id;
  return {
    db,
    path,
    dossierIds,
    alice,
    bob,
    cleanup: () => {
      if (db.open) db.close();
      t.cleanup();
    },
  };
}
