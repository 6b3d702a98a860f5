import { afterEach, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openRuntime, type Runtime } from '../../main/core/runtime';
import { nullLogger } from '../../main/core/log';
import type { Events } from '../../shared/ipc/contract';
import type { ImportReportData, StagedFile } from '../../shared/domain/import';
import { tempDir } from '../support/tmp';
import { DEFAULT_GRID } from '../../main/core/grid';
import { campaignGrid } from '../../main/core/store/campaigns';

const BFC = resolve(__dirname, '../../../shared/fixtures/ds/ami-2021-bourgogne-franche-comte');
const XLSX = join(BFC, 'dossiers_ami-ptce-emergents_2021-07-08_09-30.xlsx');
const ZIP = join(BFC, 'dossiers_ami-ptce-emergents_2021-07-08_09-30.zip');
const CSV = join(BFC, 'dossiers_ami-ptce-emergents_2021-07-08_09-30.csv');

let runtime: Runtime | undefined;
let cleanup = () => {};
afterEach(() => {
  runtime?.close();
  runtime = undefined;
  cleanup();
});

type Emitted = { [E in keyof Events]: { event: E; payload: Events[E] } }[keyof Events];

function open(pick: string[] | null = null) {
  const t = tempDir();
  cleanup = t.cleanup;
  const events: Emitted[] = [];
  const waiters: (() => void)[] = [];
  runtime = openRuntime({
    dbPath: join(t.dir, 'store.sqlite'),
    log: nullLogger,
    now: () => new Date('2021-07-08T09:30:00Z'),
    dialogs: {
      chooseArchiveDestination: async () => null,
      chooseArchiveToRestore: async () => null,
      chooseImportFiles: async () => pick,
    },
    emit: (event, payload) => {
      events.push({ event, payload } as Emitted);
      waiters.splice(0).forEach((w) => w());
    },
  });
  const done = async (runId: string): Promise<Events['import:done']> => {
    for (;;) {
      const hit = events.find((e) => e.event === 'import:done' && e.payload.runId === runId);
      if (hit) return hit.payload as Events['import:done'];
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  return { rt: runtime, dir: t.dir, events, done };
}

async function campaign(rt: Runtime) {
  return rt.dispatch('campaign:create', { wave: 1, phase: 1, regionCode: '27', deadline: '2021-06-23T22:00:00.000Z' });
}

const dossierRows = (rt: Runtime) => (rt.store.db.prepare('SELECT count(*) AS n FROM dossiers').get() as { n: number }).n;

describe('campaign:create', () => {
  it('creates a campaign on the default grid, named after the region', async () => {
    const { rt } = open();
    const result = await campaign(rt);
    expect(result).toMatchObject({
      ok: true,
      value: { regionCode: '27', wave: 1, phase: 1, deadline: '2021-06-23T22:00:00.000Z', gridId: 'ami-ptce-emergents-2021-phase1', dossierCount: 0 },
    });
    expect((result as { value: { name: string } }).value.name).toContain('Bourgogne-Franche-Comté');
  });

  it('refuses an unknown region, a bad deadline and extra keys', async () => {
    const { rt } = open();
    const base = { wave: 1, phase: 1, regionCode: '27', deadline: '2021-06-23T22:00:00.000Z' };
    for (const bad of [{ ...base, regionCode: '99' }, { ...base, deadline: '23/06/2021' }, { ...base, extra: 1 }, { ...base, wave: 0 }]) {
      expect(await rt.dispatch('campaign:create', bad)).toEqual({ ok: false, error: { code: 'validation' } });
    }
    expect(await rt.handlers['campaign:list']({})).toEqual([]);
  });
});

describe('campaign:create with an imported grid', () => {
  const base = { wave: 1, phase: 1, regionCode: '27', deadline: '2021-06-23T22:00:00.000Z' };
  const other = { ...DEFAULT_GRID, id: 'pessii-2026-phase1', version: 2, label: { fr: 'PESSII 2026 — phase 1', en: 'PESSII 2026 — phase 1' } };

  it('creates the campaign on the grid file it was given (named after it) and stores that grid version', async () => {
    const { rt } = open();
    const result = await rt.dispatch('campaign:create', { ...base, grid: JSON.stringify(other) });
    expect(result).toMatchObject({ ok: true, value: { gridId: 'pessii-2026-phase1', gridVersion: 2, gridLabel: 'PESSII 2026 — phase 1' } });
    expect((result as { value: { name: string } }).value.name).toBe('PESSII 2026 — phase 1 — Bourgogne-Franche-Comté');
    const id = (result as { value: { id: number } }).value.id;
    expect(campaignGrid(rt.store.db, id)).toEqual(other);
    // The same grid file again reuses the stored version.
    expect(await rt.dispatch('campaign:create', { ...base, grid: JSON.stringify(other) })).toMatchObject({ ok: true });
    expect(rt.store.db.prepare('SELECT count(*) FROM grids WHERE id = ?').pluck().get('pessii-2026-phase1')).toBe(1);
  });

  it('refuses a file that is not a grid, and a changed grid under a stored id and version; nothing is written', async () => {
    const { rt } = open();
    const { rubrics: _omitted, ...noRubrics } = DEFAULT_GRID;
    void _omitted;
    for (const [grid, params] of [
      ['not json {', { reason: 'not_json' }],
      [JSON.stringify({ id: 'x' }), { reason: 'schema' }],
      [JSON.stringify(noRubrics), { reason: 'schema', path: 'rubrics' }],
      [JSON.stringify([1, 2]), { reason: 'schema' }],
    ] as const) {
      const result = await rt.dispatch('campaign:create', { ...base, grid });
      expect(result).toMatchObject({ ok: false, error: { code: 'grid_invalid', params } });
    }
    // A grid version used by a campaign is immutable: the same id and version with other content is refused.
    const changed = { ...DEFAULT_GRID, label: { fr: 'Grille modifiée', en: 'Changed grid' } };
    await rt.dispatch('campaign:create', base);
    expect(await rt.dispatch('campaign:create', { ...base, grid: JSON.stringify(changed) })).toMatchObject({
      ok: false,
      error: { code: 'grid_conflict', params: { id: DEFAULT_GRID.id, version: DEFAULT_GRID.version } },
    });
    expect((await rt.handlers['campaign:list']({})).length).toBe(1);
    expect(rt.store.db.prepare('SELECT count(*) FROM grids').pluck().get()).toBe(1);
    // Too large for the contract: refused before it reaches the handler.
    expect(await rt.dispatch('campaign:create', { ...base, grid: ' '.repeat(1_000_001) })).toEqual({ ok: false, error: { code: 'validation' } });
  });
});

describe('staging files', () => {
  it('import:pickFiles stages the chosen files by id, with format and size, never the path', async () => {
    const { rt } = open([XLSX, ZIP]);
    const result = await rt.dispatch('import:pickFiles', {});
    expect(result.ok).toBe(true);
    const files = (result as { value: StagedFile[] }).value;
    expect(files.map((f) => [f.name, f.format])).toEqual([
      ['dossiers_ami-ptce-emergents_2021-07-08_09-30.xlsx', 'xlsx'],
      ['dossiers_ami-ptce-emergents_2021-07-08_09-30.zip', 'zip'],
    ]);
    expect(files.every((f) => /^[0-9a-f]{32}$/.test(f.id) && f.size > 0)).toBe(true);
    expect(JSON.stringify(files)).not.toContain(BFC);
  });

  it('import:pickFiles answers null when the dialog is cancelled (and by default outside Electron)', async () => {
    expect(await open(null).rt.dispatch('import:pickFiles', {})).toEqual({ ok: true, value: null });
    const t = tempDir();
    const plain = openRuntime({ dbPath: join(t.dir, 's.sqlite'), log: nullLogger });
    try {
      expect(await plain.dispatch('import:pickFiles', {})).toEqual({ ok: true, value: null });
    } finally {
      plain.close();
      t.cleanup();
    }
  });

  it('import:stagePaths refuses directories, symbolic links, relative paths and a content that lies about its extension', async () => {
    const { rt, dir } = open();
    mkdirSync(join(dir, 'folder.xlsx'));
    symlinkSync(XLSX, join(dir, 'link.xlsx'));
    writeFileSync(join(dir, 'fake.xlsx'), 'Nom du projet;Région\nA;B\n');
    const refused = async (path: string) => (await rt.dispatch('import:stagePaths', { paths: [path] })) as { ok: false; error: unknown };
    expect((await refused(join(dir, 'folder.xlsx'))).error).toMatchObject({ code: 'import_refused', params: { reason: 'special_file' } });
    expect((await refused(join(dir, 'link.xlsx'))).error).toMatchObject({ code: 'import_refused', params: { reason: 'special_file' } });
    expect((await refused(join(dir, 'fake.xlsx'))).error).toMatchObject({ code: 'import_refused', params: { reason: 'magic_mismatch' } });
    expect((await refused('relative.xlsx')).error).toEqual({ code: 'validation' });
    expect((await refused(join(dir, 'missing.csv'))).error).toEqual({ code: 'not_found' });
    expect(await rt.dispatch('import:stagePaths', { paths: Array(21).fill(CSV) })).toEqual({ ok: false, error: { code: 'validation' } });
    const ok = await rt.dispatch('import:stagePaths', { paths: [CSV] });
    expect(ok).toMatchObject({ ok: true, value: [{ format: 'csv' }] });
  });
});

describe('import:preview and import:run', () => {
  async function stagedFixture(rt: Runtime, paths = [XLSX, ZIP]) {
    const c = (await campaign(rt)) as { value: { id: number } };
    const files = (await rt.dispatch('import:stagePaths', { paths })) as { value: StagedFile[] };
    return { campaignId: c.value.id, fileIds: files.value.map((f) => f.id) };
  }

  it('preview tells what would happen and writes nothing (no rows, no attachment in the store folder)', async () => {
    const { rt } = open();
    const req = await stagedFixture(rt);
    const result = await rt.dispatch('import:preview', req);
    expect(result.ok).toBe(true);
    const report = (result as { value: ImportReportData }).value;
    expect(report.created).toBe(12);
    expect(report.dossiers).toHaveLength(12);
    expect(report.dossiers.filter((d) => !d.onTime)).toHaveLength(2);
    expect(report.dossiers.find((d) => d.number === 5220756)!.flags).toContain('other_region');
    expect(dossierRows(rt)).toBe(0);
    expect((rt.store.db.prepare('SELECT count(*) AS n FROM import_runs').get() as { n: number }).n).toBe(0);
    const blobs = (() => {
      try {
        return readdirSync(rt.store.paths.filesDir);
      } catch {
        return [];
      }
    })();
    expect(blobs).toEqual([]);
  });

  it('run answers a run id at once, sends progress, then done with the report; findings are listed', async () => {
    const { rt, events, done } = open();
    const req = await stagedFixture(rt);
    const started = (await rt.dispatch('import:run', req)) as { ok: true; value: { runId: string } };
    expect(started.value.runId).toMatch(/^[0-9a-f]{32}$/);
    const end = await done(started.value.runId);
    expect(end.result).toMatchObject({ created: 12, updated: 0, unchanged: 0, rejected: [] });
    const progress = events.filter((e) => e.event === 'import:progress');
    expect(progress.length).toBeGreaterThan(12);
    expect(progress.every((e) => e.payload.runId === started.value.runId)).toBe(true);
    expect(dossierRows(rt)).toBe(12);

    const findings = (await rt.dispatch('dossier:findings', { campaignId: req.campaignId })) as {
      value: Record<string, { status: string; flags: string[] }>;
    };
    expect(Object.keys(findings.value)).toHaveLength(12);
    expect(Object.values(findings.value).filter((f) => f.flags.includes('late'))).toHaveLength(2);
    expect(findings.value[5220756]!.flags).toContain('other_region');
    expect(await rt.dispatch('dossier:findings', { campaignId: 999 })).toEqual({ ok: false, error: { code: 'not_found' } });

    // The same files again: everything unchanged.
    const again = (await rt.dispatch('import:run', req)) as { value: { runId: string } };
    expect((await done(again.value.runId)).result).toMatchObject({ created: 0, updated: 0, unchanged: 12 });
  });

  it('cancel stops a run: done carries the cancelled code and nothing is written', async () => {
    const { rt, events, done } = open();
    const req = await stagedFixture(rt);
    const started = (await rt.dispatch('import:run', req)) as { value: { runId: string } };
    expect(await rt.dispatch('import:cancel', { runId: started.value.runId })).toEqual({ ok: true, value: { cancelled: true } });
    expect((await done(started.value.runId)).result).toEqual({ error: { code: 'cancelled' } });
    expect(dossierRows(rt)).toBe(0);
    expect(events.some((e) => e.event === 'import:progress' && e.payload.phase === 'write')).toBe(false);
    // A finished (or unknown) run cannot be cancelled.
    expect(await rt.dispatch('import:cancel', { runId: started.value.runId })).toEqual({ ok: true, value: { cancelled: false } });
  });

  it('a hostile file (text renamed .zip, passing the extension check) ends with import_refused and no row', async () => {
    const { rt, dir, done } = open();
    const evil = join(dir, 'evil.zip');
    writeFileSync(evil, Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(64, 0xff)]));
    const req = await stagedFixture(rt, [XLSX, evil]);
    const preview = await rt.dispatch('import:preview', req);
    expect(preview).toMatchObject({ ok: false, error: { code: 'import_refused' } });
    const started = (await rt.dispatch('import:run', req)) as { value: { runId: string } };
    expect((await done(started.value.runId)).result).toMatchObject({ error: { code: 'import_refused' } });
    expect(dossierRows(rt)).toBe(0);
  });

  it('asks for a mapping when a required column is missing, and uses the mapping given', async () => {
    const { rt, dir, done } = open();
    const renamed = join(dir, 'renamed.csv');
    copyFileSync(CSV, renamed);
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(renamed, 'utf8');
    const firstLine = text.slice(0, text.indexOf('\n'));
    const header = 'Mode de gouvernance';
    const column = firstLine.split(/[;,]/).find((h) => h.replace(/"/g, '').startsWith(header))!.replace(/"/g, '');
    writeFileSync(renamed, text.replace(column, 'Gouvernance (colonne renommée)'));
    const req = await stagedFixture(rt, [renamed]);
    const preview = (await rt.dispatch('import:preview', req)) as { ok: true; value: { needsMapping: { missing: string[]; candidates: string[] }[] } };
    expect(preview.ok).toBe(true);
    const need = preview.value.needsMapping[0]!;
    expect(need.missing).toEqual(['rubric:gouvernance']);
    expect(need.candidates).toContain('Gouvernance (colonne renommée)');
    const mapping = { 'rubric:gouvernance': 'Gouvernance (colonne renommée)' };
    expect(await rt.dispatch('import:preview', { ...req, mapping })).toMatchObject({ ok: true, value: { created: 12 } });
    expect(await rt.dispatch('import:preview', { ...req, mapping: { bogus: 'x' } })).toEqual({ ok: false, error: { code: 'validation' } });
    const started = (await rt.dispatch('import:run', { ...req, mapping })) as { value: { runId: string } };
    expect((await done(started.value.runId)).result).toMatchObject({ created: 12 });
    // Saved for the campaign: the next import of the same file needs no mapping.
    expect(await rt.dispatch('import:preview', req)).toMatchObject({ ok: true, value: { unchanged: 12 } });
  });

  it('refuses unknown file ids and campaigns', async () => {
    const { rt } = open();
    const req = await stagedFixture(rt);
    expect(await rt.dispatch('import:preview', { ...req, fileIds: ['0'.repeat(32)] })).toEqual({ ok: false, error: { code: 'not_found' } });
    expect(await rt.dispatch('import:run', { ...req, campaignId: 999 })).toEqual({ ok: false, error: { code: 'not_found' } });
    expect(await rt.dispatch('import:preview', { ...req, fileIds: ['../etc/passwd'] })).toEqual({ ok: false, error: { code: 'validation' } });
  });
});
