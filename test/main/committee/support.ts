import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { openDatabase } from '../../../main/core/db/open';
import { seedDemoDossiers } from '../../../main/core/demo';
import { createMember, type NewMember } from '../../../main/core/review/members';
import { createMemberKey, loadSigningKey } from '../../../main/core/keys/keys';
import { passphraseProtector } from '../../../main/core/keys/protector';
import { buildContribution } from '../../../main/core/committee/contribution';
import { tempDir } from '../../support/tmp';

export const T0 = new Date('2026-06-01T08:00:00.000Z');
export const at = (minutes: number): Date => new Date(T0.getTime() + minutes * 60_000);

export interface Machine {
  db: Database;
  dir: string;
  campaignId: number;
  /** Dossier id by DS number. */
  dossier: (number: number) => number;
  numbers: number[];
  member: (name: string) => number;
}

const temps: { cleanup: () => void }[] = [];
export function cleanupMachines(): void {
  for (const t of temps.splice(0)) t.cleanup();
}

/** A store on its own machine, with the same demo dossiers as every other machine. */
export function machine(members: NewMember[]): Machine {
  const t = tempDir();
  const db = openDatabase(join(t.dir, 'store.sqlite'));
  temps.push({ cleanup: () => (db.close(), t.cleanup()) });
  const { campaignId } = seedDemoDossiers(db, T0);
  for (const m of members) createMember(db, m, { now: T0 });
  const rows = db.prepare('SELECT id, number FROM dossiers WHERE campaign_id = ? ORDER BY number').all(campaignId) as { id: number; number: number }[];
  return {
    db,
    dir: t.dir,
    campaignId,
    numbers: rows.map((r) => r.number),
    dossier: (n) => rows.find((r) => r.number === n)!.id,
    member: (name) => (db.prepare('SELECT id FROM members WHERE name = ?').get(name) as { id: number }).id,
  };
}

const protector = passphraseProtector('test passphrase');

/** The member's signing key on their own machine. */
export function memberKey(m: Machine, memberId: number) {
  const key = createMemberKey(m.db, memberId, protector, T0);
  const { privateKey } = loadSigningKey(m.db, memberId, protector);
  return { publicPem: key.publicPem, fingerprint: key.fingerprint, privateKey };
}

/** Exports the member's contribution to a file in the machine's folder. */
export async function exportTo(m: Machine, memberId: number, signer: ReturnType<typeof memberKey>, name: string, now = at(60)) {
  const { bytes } = await buildContribution(m.db, { memberId, campaignId: m.campaignId, now, signer });
  const path = join(m.dir, name);
  writeFileSync(path, bytes);
  return path;
}
