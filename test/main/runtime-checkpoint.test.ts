import { describe, expect, it } from 'vitest';
import { statSync } from 'node:fs';
import { runtimeFixture } from '../support/runtime';

const openRuntime = runtimeFixture();

/** Writes ~2 MB through the store; with WAL it lands in the -wal file until a checkpoint. */
function writeBlob(runtime: ReturnType<typeof openRuntime>['runtime']): void {
  runtime.store.db.prepare("INSERT OR REPLACE INTO settings (key, value) VALUES ('test.blob', ?)").run('x'.repeat(2_000_000));
}
const mainFileSize = (runtime: ReturnType<typeof openRuntime>['runtime']) => statSync(runtime.store.paths.dbPath).size;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('idle WAL checkpoints', () => {
  it('copies committed pages into the database file between requests, not inside a commit', async () => {
    const { runtime } = openRuntime({ checkpointEveryMs: 40 });
    const before = mainFileSize(runtime);
    writeBlob(runtime);
    // The commit itself did not checkpoint (2 MB is far below the 10 000-page safety net)…
    expect(mainFileSize(runtime)).toBe(before);
    // …the idle timer did, shortly after.
    await expect.poll(() => mainFileSize(runtime), { timeout: 5_000, interval: 20 }).toBeGreaterThan(before + 1_900_000);
  });

  it('leaves the pages in the WAL when disabled (the CLI and one-off tools checkpoint on close)', async () => {
    const { runtime } = openRuntime({ checkpointEveryMs: 0 });
    const before = mainFileSize(runtime);
    writeBlob(runtime);
    await sleep(200);
    expect(mainFileSize(runtime)).toBe(before);
  });
});
