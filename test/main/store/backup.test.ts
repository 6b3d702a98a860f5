import { afterEach, describe, expect, it, vi } from 'vitest';
import Database from 'better-sqlite3';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../../main/core/db/open';
import { seedDemo } from '../../../main/core/demo';
import type { Logger } from '../../../main/core/log';
import { backupNow, listBackups, pruneBackups, startAutomaticBackups } from '../../../main/core/store/backup';
import { storePaths } from '../../../main/core/store/paths';
import { Store } from '../../../main/core/store/store';
import { checkCrashInvariants, spawnCrashWriter } from '../../support/crash-check';
import { tempDir } from '../../support/tmp';

const cleanups: (() => void)[] = [];
afterEach(() => {
  vi.useRealTimers();
  cleanups.splice(0).reverse().forEach((c) => c());
});

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 2, 1, 8, 0, 0);

function demoStore(): Store {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const store = Store.open(join(t.dir, 'store.sqlite'));
  cleanups.push(() => store.close());
  seedDemo(store.db, new Date(T0));
  return store;
}

function recordingLog() {
  const events: { level: string; event: string; data?: Record<string, unknown> }[] = [];
  const log: Logger = {
    info: (event, data) => events.push({ level: 'info', event, data }),
    warn: (event, data) => events.push({ level: 'warn', event, data }),
    error: (event, data) => events.push({ level: 'error', event, data }),
  };
  return { log, events };
}

function inspect(file: string) {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return {
      integrity: db.pragma('integrity_check', { simple: true }),
      journal: db.pragma('journal_mode', { simple: true }),
      dossiers: (db.prepare('SELECT count(*) AS n FROM dossiers').get() as { n: number }).n,
    };
  } finally {
    db.close();
  }
}

describe('backupNow / pruneBackups', () => {
  it('writes a single-file copy (journal_mode=delete) that passes integrity_check and holds the data', async () => {
    const store = demoStore();
    const expected = (store.db.prepare('SELECT count(*) AS n FROM dossiers').get() as { n: number }).n;
    expect(expected).toBeGreaterThan(0);
    const entry = await backupNow(store.db, store.paths, new Date(T0), 14);
    expect(inspect(entry.file)).toEqual({ integrity: 'ok', journal: 'delete', dossiers: expected });
    // No -wal/-shm/-journal or temporary file is left beside it.
    expect(readdirSync(store.paths.backupDir)).toEqual([entry.file.split(/[\\/]/).pop()]);
  });

  it('keeps copies within the retention days, and always the newest even when it is older', async () => {
    const store = demoStore();
    for (let d = 0; d < 6; d++) await backupNow(store.db, store.paths, new Date(T0 + d * DAY), 100);
    expect(listBackups(store.paths)).toHaveLength(6);
    const removed = pruneBackups(store.paths, new Date(T0 + 5 * DAY), 2);
    expect(removed).toHaveLength(3);
    expect(listBackups(store.paths).map((b) => b.createdAt)).toEqual(
      [5, 4, 3].map((d) => new Date(T0 + d * DAY).toISOString()),
    );
    pruneBackups(store.paths, new Date(T0 + 365 * DAY), 2);
    expect(listBackups(store.paths).map((b) => b.createdAt)).toEqual([new Date(T0 + 5 * DAY).toISOString()]);
  });

  it('copies one point in time while another process commits big transactions (security.md §2.2 case 4)', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const dbPath = join(t.dir, 'store.sqlite');
    const writer = spawnCrashWriter(dbPath);
    cleanups.push(() => writer.child.kill('SIGKILL'));
    await writer.waitForAcks(2);
    const db = openDatabase(dbPath);
    cleanups.push(() => db.close());
    const paths = storePaths(dbPath);
    const seen: number[] = [];
    for (let i = 0; i < 6; i++) {
      const before = writer.state.lastAck;
      const entry = await backupNow(db, paths, new Date(T0 + i * 1000), 100);
      const copy = new Database(entry.file, { readonly: true });
      try {
        const batch = checkCrashInvariants(copy); // integrity_check ok + no partial batch
        expect(batch).toBeGreaterThanOrEqual(before);
        seen.push(batch);
      } finally {
        copy.close();
      }
      await writer.waitForAcks(writer.state.lastAck + 1);
    }
    writer.child.kill('SIGKILL');
    await writer.exited;
    // The writer really was committing between the copies.
    expect(new Set(seen).size).toBeGreaterThan(1);
  });
});

describe('startAutomaticBackups', () => {
  it('backs up at start when the newest copy is stale, then every interval, rotating by retention', async () => {
    const store = demoStore();
    let clock = T0;
    const { log, events } = recordingLog();
    const stop = startAutomaticBackups(store, { intervalMs: 5, retentionDays: 3, now: () => new Date(clock), log });
    cleanups.push(stop);
    // Each backup reads the clock once; move a day forward per backup.
    await vi.waitFor(
      () => {
        const done = events.filter((e) => e.event === 'backup.auto').length;
        clock = T0 + done * DAY;
        expect(done).toBeGreaterThanOrEqual(7);
      },
      { timeout: 20_000, interval: 2 },
    );
    stop();
    const backups = listBackups(store.paths);
    const newest = Date.parse(backups[0]!.createdAt);
    expect(backups.length).toBeGreaterThanOrEqual(2);
    for (const b of backups) {
      expect(newest - Date.parse(b.createdAt)).toBeLessThanOrEqual(3 * DAY);
      expect(inspect(b.file).integrity).toBe('ok');
    }
    expect(events.filter((e) => e.level === 'error')).toEqual([]);
  });

  it('skips the start backup when the newest copy is recent, and runs on the interval', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const store = demoStore();
    await backupNow(store.db, store.paths, new Date(T0), 14);
    let clock = T0 + 1000; // newest is 1 s old, interval is 1 h
    const { log, events } = recordingLog();
    const stop = startAutomaticBackups(store, { intervalMs: 3_600_000, retentionDays: 14, now: () => new Date(clock), log });
    cleanups.push(stop);
    clock = T0 + 3_600_000;
    vi.advanceTimersByTime(3_600_000);
    await vi.waitFor(() => expect(events.map((e) => e.event)).toEqual(['backup.auto']));
    // Had a start backup run, it would carry the first clock value.
    expect(listBackups(store.paths).map((b) => b.createdAt)).toEqual(
      [T0 + 3_600_000, T0].map((t) => new Date(t).toISOString()),
    );
    stop();
    vi.advanceTimersByTime(10 * 3_600_000);
    expect(events.map((e) => e.event)).toEqual(['backup.auto']);
  });

  it('logs a failure (store closed) instead of throwing, and keeps going', async () => {
    const store = demoStore();
    store.close();
    const { log, events } = recordingLog();
    const stop = startAutomaticBackups(store, { intervalMs: 5, retentionDays: 14, now: () => new Date(T0), log });
    cleanups.push(stop);
    await vi.waitFor(() => expect(events.filter((e) => e.event === 'backup.auto_failed').length).toBeGreaterThanOrEqual(2));
    stop();
    expect(listBackups(store.paths)).toEqual([]);
  });
});
