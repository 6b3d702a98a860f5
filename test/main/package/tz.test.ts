import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { buildPackage, exportPackage } from '../../../main/core/package/build';
import { storeBlobStream } from '../../../main/core/import/blobs';
import { CLOCK, demoStore } from './support';

let s: ReturnType<typeof demoStore>;
beforeAll(() => {
  s = demoStore();
  s.store.db.pragma('wal_checkpoint(TRUNCATE)');
});
afterAll(() => s.cleanup());

const ROOT = join(__dirname, '../../..');

function inZones(mode: string[] = []): { hashes: Set<string>; offsets: Set<string> } {
  const hashes = new Set<string>();
  const offsets = new Set<string>();
  for (const tz of ['UTC', 'Europe/Paris', 'America/Cayenne', 'Pacific/Noumea']) {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'test/main/package/tz-child.ts', s.dbPath, String(s.memberId), 'demo passphrase', CLOCK.toISOString(), ...mode],
      { cwd: ROOT, env: { ...process.env, TZ: tz }, encoding: 'utf8' },
    );
    expect(r.status, r.stderr).toBe(0);
    const [hash, offset] = r.stdout.trim().split(' ');
    hashes.add(hash!);
    offsets.add(offset!);
  }
  return { hashes, offsets };
}

describe('package reproducibility across time zones', () => {
  it('the same store and clock give the same ZIP bytes in UTC, Paris, Cayenne and Nouméa', async () => {
    const here = createHash('sha256')
      .update((await buildPackage(s.store.db, { signer: s.signer, now: () => CLOCK })).zip)
      .digest('hex');
    const offsets = new Set<string>();
    for (const tz of ['UTC', 'Europe/Paris', 'America/Cayenne', 'Pacific/Noumea']) {
      const r = spawnSync(
        process.execPath,
        ['--import', 'tsx', 'test/main/package/tz-child.ts', s.dbPath, String(s.memberId), 'demo passphrase', CLOCK.toISOString()],
        { cwd: ROOT, env: { ...process.env, TZ: tz }, encoding: 'utf8' },
      );
      expect(r.status, r.stderr).toBe(0);
      const [hash, offset] = r.stdout.trim().split(' ');
      expect(hash, tz).toBe(here);
      offsets.add(offset!);
    }
    // The children really ran in different zones.
    expect(offsets.size).toBe(4);
  });

  it('with the attachments, the streamed export gives the same bytes in every zone', async () => {
    const data = Buffer.from('%PDF-1.4 pièce jointe');
    const blob = await storeBlobStream(s.store.paths.filesDir, Readable.from([data]), { maxBytes: 1 << 20 });
    const id = s.store.db.prepare('SELECT id FROM dossiers ORDER BY number LIMIT 1').pluck().get() as number;
    s.store.db
      .prepare("INSERT INTO attachments (dossier_id, sha256, filename, size, media_type, kind) VALUES (?, ?, 'Pièce été.pdf', ?, 'application/pdf', 'piece')")
      .run(id, blob.sha256, blob.size);
    s.store.db.pragma('wal_checkpoint(TRUNCATE)');
    const out = join(s.dir, 'tz.zip');
    await exportPackage(s.store.db, out, { signer: s.signer, now: () => CLOCK, dossiers: 'all', attachments: { filesDir: s.store.paths.filesDir } });
    const here = createHash('sha256').update(readFileSync(out)).digest('hex');
    const { hashes, offsets } = inZones(['attachments']);
    expect([...hashes]).toEqual([here]);
    expect(offsets.size).toBe(4);
  });
});
