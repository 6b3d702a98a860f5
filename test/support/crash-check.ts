import type { Database } from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { RUBRIC_KEYS } from '../../shared/domain/rubrics';

export const CRASH_BATCH_SIZE = 20;
export const CRASH_CAMPAIGN = 'crash-writer';

/** Starts test/support/crash-writer.ts under tsx; `acks` holds every batch acknowledged so far. */
export function spawnCrashWriter(dbPath: string, maxBatches?: number) {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/support/crash-writer.ts', dbPath, ...(maxBatches ? [String(maxBatches)] : [])],
    { cwd: new URL('../..', import.meta.url).pathname, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const state = { lastAck: 0, ready: false, stderr: '' };
  let buffer = '';
  const waiters: (() => void)[] = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    for (const line of lines) {
      if (line === 'READY') state.ready = true;
      const m = /^ACK (\d+)$/.exec(line);
      if (m) state.lastAck = Number(m[1]);
    }
    waiters.splice(0).forEach((w) => w());
  });
  child.stderr!.on('data', (chunk: Buffer) => (state.stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  /** Resolves once at least `n` batches are acknowledged (or rejects if the child exits first). */
  const waitForAcks = (n: number) =>
    new Promise<void>((resolve, reject) => {
      const check = () => (state.lastAck >= n ? resolve() : waiters.push(check));
      void exited.then(() => (state.lastAck >= n ? resolve() : reject(new Error(`writer exited: ${state.stderr}`))));
      check();
    });
  return { child, state, exited, waitForAcks };
}

/**
 * The invariants a crash or a concurrent copy must never break: every committed batch is
 * whole (CRASH_BATCH_SIZE dossiers, each with one version and every rubric) and the
 * `crash.batch` setting — written in the same transaction — matches the dossiers present.
 * Returns the last committed batch.
 */
export function checkCrashInvariants(db: Database): number {
  const check = db.pragma('integrity_check', { simple: true });
  if (check !== 'ok') throw new Error(`integrity_check: ${String(check)}`);
  const setting = db.prepare("SELECT value FROM settings WHERE key = 'crash.batch'").get() as { value: string } | undefined;
  const batch = setting ? Number(setting.value) : 0;
  const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  const dossiers = count("SELECT count(*) AS n FROM dossiers WHERE source = 'crash-writer'");
  if (dossiers !== batch * CRASH_BATCH_SIZE) throw new Error(`partial batch: ${dossiers} dossiers for batch ${batch}`);
  const partial = db
    .prepare(
      `SELECT number / ${CRASH_BATCH_SIZE} AS b, count(*) AS n FROM dossiers WHERE source = 'crash-writer'
       GROUP BY b HAVING n <> ${CRASH_BATCH_SIZE}`,
    )
    .all();
  if (partial.length) throw new Error(`partial batches: ${JSON.stringify(partial)}`);
  const versions = count('SELECT count(*) AS n FROM dossier_versions');
  const rubrics = count('SELECT count(*) AS n FROM dossier_rubrics');
  if (versions !== dossiers || rubrics !== dossiers * RUBRIC_KEYS.length) {
    throw new Error(`rows out of step: ${dossiers} dossiers, ${versions} versions, ${rubrics} rubrics`);
  }
  return batch;
}
