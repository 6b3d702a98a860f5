import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openDatabase } from '../../../main/core/db/open';
import { checkCrashInvariants, spawnCrashWriter } from '../../support/crash-check';
import { tempDir } from '../../support/tmp';

let cleanup = () => {};
afterEach(() => cleanup());

const KILLS = 20;

describe('kill -9 during writes (security.md §2.1, §2.2 case 2)', () => {
  it(`after ${KILLS} SIGKILLs at random points, every reopen passes integrity_check, has no partial batch and keeps every ACKed batch`, async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const dbPath = join(t.dir, 'store.sqlite');
    let previous = 0;
    let killedMidRun = 0;
    for (let i = 0; i < KILLS; i++) {
      const writer = spawnCrashWriter(dbPath);
      // Let it commit at least one batch so the kill lands inside the write loop, not in start-up.
      await writer.waitForAcks(previous + 1);
      await new Promise((r) => setTimeout(r, Math.random() * 120));
      writer.child.kill('SIGKILL');
      const code = await writer.exited;
      if (code === null) killedMidRun++;
      const acked = writer.state.lastAck;

      const db = openDatabase(dbPath);
      try {
        const committed = checkCrashInvariants(db);
        expect(committed).toBeGreaterThanOrEqual(acked);
        // At most the one batch whose COMMIT finished before its ACK reached us is ahead.
        expect(committed).toBeLessThanOrEqual(acked + 1);
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        previous = committed;
      } finally {
        db.close();
      }
    }
    expect(killedMidRun).toBe(KILLS);
    expect(previous).toBeGreaterThan(KILLS);
  });

  it('the invariant checker fails on a partial batch (it can fail)', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const dbPath = join(t.dir, 'store.sqlite');
    return (async () => {
      const writer = spawnCrashWriter(dbPath, 2);
      await writer.exited;
      const db = openDatabase(dbPath);
      try {
        expect(checkCrashInvariants(db)).toBe(2);
        db.prepare("DELETE FROM dossiers WHERE id = (SELECT max(id) FROM dossiers)").run();
        expect(() => checkCrashInvariants(db)).toThrow(/partial batch/);
      } finally {
        db.close();
      }
    })();
  });
});
