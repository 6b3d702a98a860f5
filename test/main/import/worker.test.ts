import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../../main/core/db/open';
import { DEFAULT_GRID } from '../../../main/core/grid';
import { createCampaign } from '../../../main/core/store/campaigns';
import { runImportInWorker, type ImportProgress } from '../../../main/core/import/run-in-worker';
import type { ImportReport } from '../../../main/core/import/pipeline';
import { runImportJob } from '../../../main/core/import/worker';
import { searchDossiers } from '../../../main/core/review/search';
import { AppFailure } from '../../../shared/errors';
import { tempDir } from '../../support/tmp';
import { FIXTURES } from './fixtures';

const BFC = join(FIXTURES, 'ami-2021-bourgogne-franche-comte');
const XLSX = join(BFC, 'dossiers_ami-ptce-emergents_2021-07-08_09-30.xlsx');
const ZIP = join(BFC, 'dossiers_ami-ptce-emergents_2021-07-08_09-30.zip');
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function setup() {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  const dbPath = join(dir, 'store.sqlite');
  const db = openDatabase(dbPath);
  const campaignId = createCampaign(db, {
    name: 'test', ami: 'PTCE émergents', wave: 1, phase: 1, regionCode: '27',
    deadline: '2021-06-23T22:00:00.000Z', grid: DEFAULT_GRID, createdAt: '2021-07-08T00:00:00.000Z',
  });
  cleanups.unshift(() => db.close());
  const count = () => (db.prepare('SELECT count(*) AS n FROM dossiers').get() as { n: number }).n;
  return { dir, dbPath, db, campaignId, count };
}

const base = (dbPath: string, campaignId: number, files: string[], filesDir: string) => ({
  dbPath, campaignId, files, filesDir, now: '2026-01-01T00:00:00.000Z', dryRun: false,
});

describe('the import worker', () => {
  it('imports the XLSX and ZIP in a worker thread, reporting progress, visible from the main connection', async () => {
    const { dir, dbPath, campaignId, count } = setup();
    const progress: ImportProgress[] = [];
    const job = runImportInWorker(base(dbPath, campaignId, [XLSX, ZIP], join(dir, 'files')), (p) => progress.push(p));
    const report = (await job.result) as ImportReport;
    expect(report.created).toBe(12);
    expect(report.rejected).toEqual([]);
    expect(count()).toBe(12);
    expect(progress.some((p) => p.phase === 'parse')).toBe(true);
    expect(progress.filter((p) => p.phase === 'write')).toHaveLength(12);
    expect(progress.at(-1)).toMatchObject({ phase: 'write', total: 12 });
  });

  it('a dry run reports the same outcome and leaves no row', async () => {
    const { dir, dbPath, campaignId, count, db } = setup();
    const report = (await runImportInWorker({ ...base(dbPath, campaignId, [XLSX], join(dir, 'files')), dryRun: true }).result) as ImportReport;
    expect(report.created).toBe(12);
    expect(report.dossiers.filter((d) => !d.onTime)).toHaveLength(2);
    expect(count()).toBe(0);
    expect((db.prepare('SELECT count(*) AS n FROM import_runs').get() as { n: number }).n).toBe(0);
  });

  it('a cancelled import writes nothing and ends with the cancelled code', async () => {
    const { dir, dbPath, campaignId, count } = setup();
    let job: ReturnType<typeof runImportInWorker> | undefined = undefined;
    // Cancel as soon as the worker reports it started: the pipeline checks the signal before each step.
    job = runImportInWorker(base(dbPath, campaignId, [XLSX, ZIP], join(dir, 'files')), () => job?.cancel());
    await expect(job.result).rejects.toMatchObject({ code: 'cancelled' });
    expect(count()).toBe(0);
  });

  it('maps a hostile file to a stable AppFailure code and writes nothing', async () => {
    const { dir, dbPath, campaignId, count } = setup();
    const evil = join(dir, 'evil.zip');
    writeFileSync(evil, Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(64, 0xff)]));
    const error = await runImportInWorker(base(dbPath, campaignId, [evil], join(dir, 'files'))).result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppFailure);
    expect((error as AppFailure).code).toBe('import_refused');
    expect(count()).toBe(0);
    expect(existsSync(join(dir, 'files')) ? readdirSync(join(dir, 'files')).filter((f) => f !== '.staging') : []).toEqual([]);
  });
});

describe('the import job', () => {
  it('reports done once the import is durable, then search-indexes it and checkpoints the WAL into the store itself', async () => {
    const { dir, dbPath, campaignId, db, count } = setup();
    db.pragma('wal_checkpoint(TRUNCATE)');
    const before = statSync(dbPath).size;
    const scalar = (sql: string) => db.prepare(sql).pluck().get() as number;
    let atDone: { main: number; wal: number; dossiers: number; pending: number; indexed: number } | null = null;
    const messages: string[] = [];
    await runImportJob(
      base(dbPath, campaignId, [XLSX, ZIP], join(dir, 'files')),
      (m) => {
        if (m.type !== 'progress') messages.push(m.type === 'indexed' ? `indexed ${m.dossiers}` : m.type);
        if (m.type !== 'done') return;
        atDone = {
          main: statSync(dbPath).size,
          wal: statSync(`${dbPath}-wal`).size,
          dossiers: count(),
          pending: scalar('SELECT count(*) FROM dossier_text_pending'),
          indexed: scalar('SELECT count(*) FROM dossier_text_docsize'),
        };
      },
      new AbortController().signal,
    );
    // At 'done' the dossiers are committed (readable from another connection) but still only in the WAL, and
    // noted for the search index, not yet in it…
    expect(atDone).toEqual({ main: before, wal: expect.any(Number), dossiers: 12, pending: 12, indexed: 0 });
    expect(atDone!.wal).toBeGreaterThan(0);
    // …and the job indexed them and copied everything into the store file before it ended.
    expect(statSync(dbPath).size).toBeGreaterThan(before);
    expect(count()).toBe(12);
    expect(messages).toEqual(['done', 'indexed 12']);
    expect(scalar('SELECT count(*) FROM dossier_text_pending')).toBe(0);
    expect(scalar('SELECT count(*) FROM dossier_text_docsize')).toBe(12);
    expect(() => db.exec("INSERT INTO dossier_text (dossier_text, rank) VALUES ('integrity-check', 1)")).not.toThrow();
  });

  it('a search made before the job has indexed the import finds its dossiers all the same', async () => {
    const { dir, dbPath, campaignId, db } = setup();
    let found: number[] = [];
    await runImportJob(
      base(dbPath, campaignId, [XLSX], join(dir, 'files')),
      (m) => {
        // Another connection searches as soon as the report comes: it indexes the noted dossiers itself.
        if (m.type === 'done') found = searchDossiers(db, campaignId, 'Beaucourt').map((r) => r.number);
      },
      new AbortController().signal,
    );
    expect(found.length).toBeGreaterThan(0);
    expect(found).toEqual(searchDossiers(db, campaignId, 'Beaucourt').map((r) => r.number));
    expect(db.prepare('SELECT count(*) FROM dossier_text_pending').pluck().get()).toBe(0);
  });
});
