import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { buildPackage } from '../../../main/core/package/build';
import { CLOCK, demoStore } from './support';

let s: ReturnType<typeof demoStore>;
beforeAll(() => {
  s = demoStore();
  s.store.db.pragma('wal_checkpoint(TRUNCATE)');
});
afterAll(() => s.cleanup());

const ROOT = join(__dirname, '../../..');

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
});
