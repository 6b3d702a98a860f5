import { afterEach, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { openDatabase } from '../../../main/core/db/open';
import { DEFAULT_GRID } from '../../../main/core/grid';
import { createCampaign } from '../../../main/core/store/campaigns';
import { importFiles, type ImportReport } from '../../../main/core/import/pipeline';
import { contentOf, readStoredRaw, storedRaw, storedRawJson } from '../../../main/core/import/store';
import { parseExportFile } from '../../../main/core/import/parse';
import { AppFailure } from '../../../shared/errors';
import { tempDir } from '../../support/tmp';
import ExcelJS from 'exceljs';
import { randomBytes } from 'node:crypto';
import { MAX_CELL_CHARS } from '../../../main/core/import/record';
import { generateDossiers, toCsv, writeXlsx } from '../../bench/generate';
import { answerKey, fixtureFiles, FIXTURES } from './fixtures';

const BFC = 'ami-2021-bourgogne-franche-comte';
const CSV = join(FIXTURES, BFC, 'dossiers_ami-ptce-emergents_2021-07-08_09-30.csv');
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function setup(): { db: Database; campaignId: number; dir: string } {
  const { dir, cleanup } = tempDir();
  const db = openDatabase(join(dir, 'store.sqlite'));
  cleanups.push(() => {
    db.close();
    cleanup();
  });
  const campaignId = createCampaign(db, {
    name: 'test', ami: 'PTCE émergents', wave: 1, phase: 1, regionCode: '27',
    deadline: '2021-06-23T22:00:00.000Z', grid: DEFAULT_GRID, createdAt: '2021-07-08T00:00:00.000Z',
  });
  return { db, campaignId, dir };
}

async function run(db: Database, campaignId: number, files: string[], signal?: AbortSignal): Promise<ImportReport> {
  const out = await importFiles(db, { campaignId, files, filesDir: '/nonexistent', now: () => new Date('2026-01-01T00:00:00Z'), signal });
  if ('needsMapping' in out) throw new Error(JSON.stringify(out.needsMapping));
  return out;
}

describe.each([BFC, 'ami-2021-old-headers'])('importing every fixture of %s', (folder) => {
  const key = answerKey(folder);
  it.each(fixtureFiles(folder).map((f) => [f.split('/').pop()!, f]))('%s matches the answer key', async (_, file) => {
    const { db, campaignId } = setup();
    const report = await run(db, campaignId, [file]);
    expect(report.created).toBe(key.count);
    expect(report.rejected).toEqual([]);
    for (const d of key.dossiers) {
      const got = report.dossiers.find((x) => x.number === d.id)!;
      expect(got.region).toBe(d.region);
      expect(got.onTime).toBe(!d.late);
      expect(got.complete).toBe(!d.incomplete);
      expect(got.flags.includes('other_region')).toBe(d.region !== '27');
      expect(got.status).toBe(d.incomplete ? 'irrecevable' : d.late ? 'au_fil_de_l_eau' : 'recevable');
      const id = (db.prepare('SELECT id FROM dossiers WHERE number = ?').get(d.id) as { id: number }).id;
      const count = (t: string) => (db.prepare(`SELECT count(*) AS n FROM ${t} WHERE dossier_id = ?`).get(id) as { n: number }).n;
      if (!file.endsWith('.csv')) {
        expect(count('dossier_partners')).toBe(d.partners);
        expect(count('dossier_avis')).toBe(d.avis);
      }
      if (file.endsWith('.json')) expect(count('dossier_declared_files')).toBe(d.files);
    }
    // A second import of the same file changes nothing.
    const again = await run(db, campaignId, [file]);
    expect([again.created, again.updated, again.unchanged]).toEqual([0, 0, key.count]);
  });
});

describe('pipeline', () => {
  it('flags the commercial company without ESUS', async () => {
    const { db, campaignId } = setup();
    const report = await run(db, campaignId, [CSV]);
    expect(report.dossiers.find((d) => d.number === 4916164)!.flags).toContain('esus_missing');
    expect(report.dossiers.filter((d) => d.flags.includes('esus_missing')).map((d) => d.number)).toEqual([4916164]);
  });

  it('a modified row makes version 2 with the changed fields', async () => {
    const { db, campaignId, dir } = setup();
    await run(db, campaignId, [CSV]);
    const text = readFileSync(CSV, 'utf8').replace('PTCE activités culturelles et créatives de Beaucourt', 'PTCE Beaucourt (renommé)');
    const modified = join(dir, 'modified.csv');
    writeFileSync(modified, text);
    const report = await run(db, campaignId, [modified]);
    expect([report.created, report.updated, report.unchanged]).toEqual([0, 1, 11]);
    const row = db.prepare('SELECT id, version, project_name FROM dossiers WHERE number = 5157673').get() as {
      id: number; version: number; project_name: string;
    };
    expect(row.version).toBe(2);
    expect(row.project_name).toBe('PTCE Beaucourt (renommé)');
    const change = db.prepare('SELECT fields_json FROM dossier_version_changes WHERE dossier_id = ? AND version = 2').get(row.id) as {
      fields_json: string;
    };
    expect(JSON.parse(change.fields_json)).toEqual(['projectName']);
    expect((db.prepare('SELECT count(*) AS n FROM dossier_versions WHERE dossier_id = ?').get(row.id) as { n: number }).n).toBe(2);
  });

  it('stores each text once: rubric texts in dossier_rubrics, the rest of the raw row in the version; it reads back whole', async () => {
    const { db, campaignId, dir } = setup();
    await run(db, campaignId, [CSV]);
    const rows = db
      .prepare('SELECT d.id, d.number, d.raw_json AS onDossier, v.raw_json AS version FROM dossiers d JOIN dossier_versions v ON v.dossier_id = d.id')
      .all() as { id: number; number: number; onDossier: string; version: string }[];
    expect(rows.length).toBeGreaterThan(0);
    const rubricsOf = (id: number) =>
      Object.fromEntries(
        (db.prepare('SELECT rubric_key, content FROM dossier_rubrics WHERE dossier_id = ?').all(id) as { rubric_key: string; content: string }[]).map(
          (r) => [r.rubric_key, r.content],
        ),
      );
    let texts = 0;
    for (const row of rows) {
      expect(row.onDossier).toBe('{}');
      // The current version needs the rubric rows to read back.
      expect(() => readStoredRaw(row.version)).toThrow(/dossier_rubrics/);
      const stored = readStoredRaw(row.version, () => rubricsOf(row.id))!;
      const source = stored.source as Record<string, string>;
      // Every non-empty rubric is a cell of the source row again, and its text is not in the stored JSON.
      for (const text of Object.values(stored.content.rubrics)) {
        if (!text || text.length < 20) continue;
        texts++;
        expect(Object.values(source)).toContain(text);
        expect(row.version).not.toContain(JSON.stringify(text).slice(1, -1));
      }
    }
    expect(texts).toBeGreaterThan(rows.length);
    // Re-import compares against that stored version: nothing changes.
    const again = await run(db, campaignId, [CSV]);
    expect(again.unchanged).toBe(rows.length);
    // A new version: the previous one keeps its rubric texts inline (once), the new one refers to dossier_rubrics.
    const old = rows.find((r) => r.number === 5157673)!;
    const before = readStoredRaw(old.version, () => rubricsOf(old.id))!;
    const changedText = Object.values(before.content.rubrics).find((t) => t && t.length > 40)!;
    const modified = join(dir, 'modified.csv');
    const csv = readFileSync(CSV, 'utf8');
    const quoted = changedText.replace(/"/g, '""');
    expect(csv).toContain(quoted);
    writeFileSync(modified, csv.replace(quoted, 'Un texte entièrement réécrit.'));
    const report = await run(db, campaignId, [modified]);
    expect(report.updated).toBeGreaterThanOrEqual(1);
    const versions = db.prepare('SELECT version, raw_json FROM dossier_versions WHERE dossier_id = ? ORDER BY version').all(old.id) as {
      version: number;
      raw_json: string;
    }[];
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect(readStoredRaw(versions[0]!.raw_json)).toEqual(before);
    expect(versions[0]!.raw_json.split(JSON.stringify(changedText).slice(1, -1)).length - 1).toBe(1);
    const current = readStoredRaw(versions[1]!.raw_json, () => rubricsOf(old.id))!;
    expect(Object.values(current.content.rubrics)).toContain('Un texte entièrement réécrit.');
    expect(Object.values(current.source as Record<string, string>)).toContain('Un texte entièrement réécrit.');
    // Importing the original again makes version 3, equal to version 1's content.
    await run(db, campaignId, [CSV]);
    const third = db.prepare('SELECT raw_json FROM dossier_versions WHERE dossier_id = ? AND version = 3').pluck().get(old.id) as string;
    expect(readStoredRaw(third, () => rubricsOf(old.id))).toEqual(before);
  });

  it('search finds the imported dossiers once the import is done, and the index stays consistent across imports', async () => {
    const { db, campaignId, dir } = setup();
    const check = () => db.prepare("INSERT INTO dossier_text (dossier_text) VALUES ('integrity-check')").run();
    const found = (word: string) =>
      db.prepare('SELECT DISTINCT d.number FROM dossier_text s JOIN dossiers d ON d.id = s.rowid WHERE dossier_text MATCH ? ORDER BY 1').pluck().all(word);
    await run(db, campaignId, [CSV]);
    check();
    expect(found('beaucourt')).toEqual([5157673]);
    expect(db.prepare('SELECT count(*) FROM dossier_text_pending').pluck().get()).toBe(0);
    // Every dossier is indexed exactly once.
    expect(db.prepare('SELECT count(*) FROM dossier_text_docsize').pluck().get()).toBe(
      db.prepare('SELECT count(*) FROM dossier_text_source').pluck().get(),
    );
    // A changed row (an existing dossier, indexed again) and a second campaign (new dossiers over existing ones).
    const modified = join(dir, 'modified.csv');
    writeFileSync(modified, readFileSync(CSV, 'utf8').replace('PTCE activités culturelles et créatives de Beaucourt', 'PTCE Zorglubie (renommé)'));
    await run(db, campaignId, [modified]);
    check();
    expect(found('zorglubie')).toEqual([5157673]);
    const other = createCampaign(db, {
      name: 'other', ami: 'PTCE émergents', wave: 2, phase: 1, regionCode: '27',
      deadline: '2021-06-23T22:00:00.000Z', grid: DEFAULT_GRID, createdAt: '2021-07-08T00:00:00.000Z',
    });
    await run(db, other, [CSV]);
    check();
    expect(found('beaucourt')).toEqual([5157673]);
    expect(db.prepare("SELECT count(*) FROM dossier_text WHERE dossier_text MATCH 'zorglubie'").pluck().get()).toBe(1);
    expect(db.prepare('SELECT count(*) FROM dossier_text_docsize').pluck().get()).toBe(
      db.prepare('SELECT count(*) FROM dossier_text_source').pluck().get(),
    );
  });

  it('a file that fails validation at its last row imports nothing', async () => {
    const { db, campaignId, dir } = setup();
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, readFileSync(CSV, 'utf8') + '999,"only three",cells\n');
    await expect(run(db, campaignId, [CSV, bad])).rejects.toMatchObject({ code: 'import_refused' });
    expect((db.prepare('SELECT count(*) AS n FROM dossiers').get() as { n: number }).n).toBe(0);
    expect(db.prepare('SELECT count(*) FROM dossier_text_pending').pluck().get()).toBe(0);
  });

  it('rejects rows without a number and duplicate numbers, imports the rest', async () => {
    const { db, campaignId, dir } = setup();
    const lines = readFileSync(CSV, 'utf8').trimEnd().split('\n');
    const file = join(dir, 'dup.csv');
    // Header, then rows; the 2nd data row repeats the 1st row's number; the 3rd loses its number.
    const rows = lines.slice(1).join('\n').split(/\n(?=\d{7},)/);
    rows[1] = rows[1]!.replace(/^\d{7}/, rows[0]!.slice(0, 7));
    rows[2] = rows[2]!.replace(/^\d{7}/, '');
    writeFileSync(file, [lines[0], ...rows].join('\n') + '\n');
    const report = await run(db, campaignId, [file]);
    expect(report.created).toBe(10);
    expect(report.rejected.map((r) => r.reason).sort()).toEqual(['number_duplicate', 'number_missing']);
  });

  it('cancelling rolls back', async () => {
    const { db, campaignId } = setup();
    const controller = new AbortController();
    const out = importFiles(db, {
      campaignId, files: [CSV], filesDir: '/nonexistent', now: () => new Date(), signal: controller.signal,
      onProgress: (p) => { if (p.phase === 'write' && p.done === 5) controller.abort(); },
    });
    await expect(out).rejects.toBeInstanceOf(AppFailure);
    await expect(out).rejects.toMatchObject({ code: 'cancelled' });
    expect((db.prepare('SELECT count(*) AS n FROM dossiers').get() as { n: number }).n).toBe(0);
    // The notes rolled back with the rest: nothing is left to index.
    expect(db.prepare('SELECT count(*) FROM dossier_text_pending').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM dossier_text_docsize').pluck().get()).toBe(0);
  });

  it('returns needsMapping for unknown headers, then uses and saves a given mapping', async () => {
    const { db, campaignId, dir } = setup();
    const file = join(dir, 'renamed.csv');
    writeFileSync(file, readFileSync(CSV, 'utf8').replace('Nom du projet,', 'Intitulé de la dynamique,'));
    const first = await importFiles(db, { campaignId, files: [file], filesDir: dir, now: () => new Date() });
    expect(first).toMatchObject({ needsMapping: [{ missing: ['projectName'] }] });
    expect((first as { needsMapping: { candidates: string[] }[] }).needsMapping[0]!.candidates).toContain('Intitulé de la dynamique');
    const second = await importFiles(db, { campaignId, files: [file], filesDir: dir, now: () => new Date(), mapping: { projectName: 'Intitulé de la dynamique' } });
    expect(second).toMatchObject({ created: 12 });
    // Saved for the campaign: a later import needs no mapping.
    const third = await importFiles(db, { campaignId, files: [file], filesDir: dir, now: () => new Date() });
    expect(third).toMatchObject({ created: 0, unchanged: 12 });
  });
});

describe('XLSX read in a worker while the import writes', () => {
  const XLSX = join(FIXTURES, BFC, 'dossiers_ami-ptce-emergents_2021-07-08_09-30.xlsx');
  const check = (db: Database) => db.prepare("INSERT INTO dossier_text (dossier_text) VALUES ('integrity-check')").run();
  const count = (db: Database, table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  const ownTempFiles = () => readdirSync(tmpdir()).filter((name) => name.startsWith(`tmp-${process.pid}-`));

  /** The fixture workbook with one more Dossiers row, written by `row(headers)` (after the 12 dossiers). */
  async function withExtraRow(dir: string, row: (headers: string[]) => ExcelJS.CellValue[]): Promise<string> {
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(XLSX);
    const sheet = book.getWorksheet('Dossiers')!;
    const headers = (sheet.getRow(1).values as ExcelJS.CellValue[]).slice(1).map((v) => String(v ?? ''));
    sheet.addRow(row(headers));
    const path = join(dir, 'extra.xlsx');
    await book.xlsx.writeFile(path);
    return path;
  }

  it('a dossier written early and changed by a later file of the same import is versioned and searched right', async () => {
    const { db, campaignId, dir } = setup();
    const modified = join(dir, 'modified.csv');
    writeFileSync(modified, readFileSync(CSV, 'utf8').replace('PTCE activités culturelles et créatives de Beaucourt', 'PTCE Zorglubie (renommé)'));
    const list = [XLSX, modified];
    const preview = await importFiles(db, { campaignId, files: list, filesDir: '/nonexistent', now: () => new Date('2026-01-01T00:00:00Z'), dryRun: true });
    const report = await run(db, campaignId, list);
    expect(report).toEqual(preview);
    expect(report.created).toBe(12);
    check(db);
    const found = (word: string) =>
      db.prepare('SELECT DISTINCT d.number FROM dossier_text s JOIN dossiers d ON d.id = s.rowid WHERE dossier_text MATCH ?').pluck().all(word);
    expect(found('zorglubie')).toEqual([5157673]);
    expect(db.prepare('SELECT project_name, version FROM dossiers WHERE number = 5157673').get()).toEqual({ project_name: 'PTCE Zorglubie (renommé)', version: 2 });
    expect(count(db, 'dossier_text_pending')).toBe(0);
    expect(count(db, 'dossier_text_docsize')).toBe(count(db, 'dossier_text_source'));
    // The XLSX's partners and avis are kept (a CSV has none), and a second import of both changes nothing.
    expect(count(db, 'dossier_partners')).toBeGreaterThan(0);
    const again = await run(db, campaignId, list);
    expect(again.created).toBe(0);
    check(db);
  });

  it('past 512 new dossiers, those written early are indexed while the reading goes on; later changes reach the index', async () => {
    const { db, campaignId, dir } = setup();
    const generated = generateDossiers(600, 300);
    const xlsx = join(dir, 'many.xlsx');
    await writeXlsx(generated, xlsx);
    // The CSV of the same dossiers with two project names changed: one indexed during the reading, one after.
    const project = generated.headers.indexOf('Nom du projet');
    const id = generated.headers.indexOf('ID');
    const changed = { headers: generated.headers, rows: generated.rows.map((row) => [...row]) };
    changed.rows[3]![project] = 'Projet Zorglubie';
    changed.rows[590]![project] = 'Projet Bulgroz';
    const csv = join(dir, 'many.csv');
    writeFileSync(csv, toCsv(changed));
    const list = [xlsx, csv];
    const preview = await importFiles(db, { campaignId, files: list, filesDir: '/nonexistent', now: () => new Date('2026-01-01T00:00:00Z'), dryRun: true });
    const report = await run(db, campaignId, list);
    expect(report).toEqual(preview);
    expect(report.created).toBe(600);
    check(db);
    const found = (word: string) =>
      db.prepare('SELECT DISTINCT d.number FROM dossier_text s JOIN dossiers d ON d.id = s.rowid WHERE dossier_text MATCH ?').pluck().all(word);
    expect(found('zorglubie')).toEqual([Number(generated.rows[3]![id])]);
    expect(found('bulgroz')).toEqual([Number(generated.rows[590]![id])]);
    expect(count(db, 'dossier_text_docsize')).toBe(count(db, 'dossier_text_source'));
    expect(count(db, 'dossier_text_pending')).toBe(0);
  });

  it('stores for each dossier written early the same version as a file parsed whole would give', async () => {
    const { db, campaignId } = setup();
    await run(db, campaignId, [XLSX]);
    const parsed = await parseExportFile(XLSX, { required: [] });
    if (parsed.kind !== 'parsed') throw new Error('needs mapping');
    expect(parsed.parsed.records.length).toBe(12);
    for (const r of parsed.parsed.records) {
      const row = db.prepare('SELECT v.dossier_id AS id, v.raw_json AS json FROM dossier_versions v JOIN dossiers d ON d.id = v.dossier_id WHERE d.number = ?').get(r.number) as {
        id: number;
        json: string;
      };
      const rubrics = () =>
        Object.fromEntries(
          (db.prepare('SELECT rubric_key, content FROM dossier_rubrics WHERE dossier_id = ?').all(row.id) as { rubric_key: string; content: string }[]).map(
            (x) => [x.rubric_key, x.content],
          ),
        );
      expect(readStoredRaw(row.json, rubrics)).toEqual(storedRaw(r, contentOf(r)));
      expect(row.json).toBe(storedRawJson(r, contentOf(r), true));
    }
  });

  it('the same files in another order give the dry run’s report (numbers of an earlier file are not written early)', async () => {
    const { db, campaignId } = setup();
    const list = [CSV, XLSX];
    const preview = await importFiles(db, { campaignId, files: list, filesDir: '/nonexistent', now: () => new Date('2026-01-01T00:00:00Z'), dryRun: true });
    expect(await run(db, campaignId, list)).toEqual(preview);
    check(db);
  });

  it('a cell too large in the last row refuses the file: the dossiers already written are rolled back', async () => {
    const { db, campaignId, dir } = setup();
    const before = ownTempFiles();
    const path = await withExtraRow(dir, (headers) => headers.map((h) => (h === 'ID' ? 7000001 : h === 'Nom du projet' ? randomBytes(MAX_CELL_CHARS).toString('base64') : '')));
    await expect(run(db, campaignId, [path])).rejects.toMatchObject({ code: 'import_refused', params: { reason: 'cell_too_large' } });
    for (const table of ['dossiers', 'dossier_rubrics', 'dossier_versions', 'import_runs', 'dossier_text_pending', 'dossier_text_docsize']) {
      expect(count(db, table), table).toBe(0);
    }
    await expect.poll(() => ownTempFiles().filter((f) => !before.includes(f)), { timeout: 10_000 }).toEqual([]);
    // The connection is usable and the next import is indexed.
    expect((await run(db, campaignId, [XLSX])).created).toBe(12);
    check(db);
  });

  it('cancelling while the workbook is read rolls back what was written, and leaves no temporary file', async () => {
    const { db, campaignId, dir } = setup();
    // Shared strings after the sheets, as DS writes them (a reader taking parts in archive order would park the sheet).
    const path = join(dir, 'many.xlsx');
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true, useStyles: true });
    const generated = generateDossiers(2000, 300);
    const sheet = writer.addWorksheet('Dossiers');
    sheet.addRow(generated.headers).commit();
    for (const row of generated.rows) sheet.addRow(row).commit();
    sheet.commit();
    await writer.commit();
    const before = ownTempFiles();
    const controller = new AbortController();
    // Abort as the 100th dossier row is written, while the worker still reads (2 000 rows come in many batches):
    // from inside the import, so the moment does not depend on how fast the workbook is read.
    let aborts = 0;
    db.function('abort_import', () => {
      aborts++;
      controller.abort();
      return null;
    });
    db.exec(`CREATE TEMP TRIGGER abort_at_100 AFTER INSERT ON main.dossiers WHEN (SELECT count(*) FROM main.dossiers) = 100
             BEGIN SELECT abort_import(); END`);
    const out = importFiles(db, { campaignId, files: [path], filesDir: '/nonexistent', now: () => new Date(), signal: controller.signal });
    await expect(out).rejects.toMatchObject({ code: 'cancelled' });
    db.exec('DROP TRIGGER temp.abort_at_100');
    expect(aborts).toBe(1);
    expect(db.inTransaction).toBe(false);
    expect(count(db, 'dossiers')).toBe(0);
    expect(count(db, 'dossier_text_pending')).toBe(0);
    // The reader stopped and closed its file; nothing of it is left in the temporary folder.
    await expect.poll(() => ownTempFiles().filter((f) => !before.includes(f)), { timeout: 10_000 }).toEqual([]);
  });
});

describe('preview (dry run)', () => {
  const files = (name: string) => join(FIXTURES, BFC, `dossiers_ami-ptce-emergents_2021-07-08_09-30.${name}`);
  const rowCount = (db: Database) =>
    ['dossiers', 'dossier_versions', 'dossier_rubrics', 'dossier_findings', 'import_runs', 'attachments', 'column_mappings']
      .map((t) => db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number)
      .join(',');
  const importWith = (db: Database, campaignId: number, list: string[], dir: string, dryRun: boolean) =>
    importFiles(db, { campaignId, files: list, filesDir: join(dir, 'files'), now: () => new Date('2026-01-01T00:00:00Z'), dryRun });

  it('gives the report the import then gives, writing nothing — several files, same numbers twice, ZIP, then changes', async () => {
    const { db, campaignId, dir } = setup();
    const first = [files('xlsx'), files('csv'), files('graphql.json'), files('zip')];
    const before = rowCount(db);
    const preview = await importWith(db, campaignId, first, dir, true);
    expect(rowCount(db)).toBe(before);
    expect(preview).toMatchObject({ created: 12 });
    expect(await importWith(db, campaignId, first, dir, false)).toEqual(preview);

    // A later file with one renamed project: the preview says so, and nothing moves.
    const text = readFileSync(CSV, 'utf8').replace('PTCE activités culturelles et créatives de Beaucourt', 'PTCE Beaucourt (renommé)');
    const modified = join(dir, 'modified.csv');
    writeFileSync(modified, text);
    const stored = rowCount(db);
    const again = await importWith(db, campaignId, [modified, files('zip')], dir, true);
    expect(rowCount(db)).toBe(stored);
    expect(again).toMatchObject({ created: 0, updated: 1, unchanged: 11 });
    expect(await importWith(db, campaignId, [modified, files('zip')], dir, false)).toEqual(again);
  });

  it('a ZIP whose dossiers are in no file and not in the store is reported the same way', async () => {
    const { db, campaignId, dir } = setup();
    const preview = (await importWith(db, campaignId, [files('zip')], dir, true)) as ImportReport;
    expect(preview.rejected.length).toBe(12);
    expect(preview.rejected.every((r) => r.reason.startsWith('zip_unknown_dossier:'))).toBe(true);
    expect(await importWith(db, campaignId, [files('zip')], dir, false)).toEqual(preview);
  });
});

describe('ZIP attachments', () => {
  it('attaches ZIP files to their dossier and links a champ by the MD5 the API declared', async () => {
    const { db, campaignId, dir } = setup();
    // The fixture's API checksums are placeholders: give dossier 5157673's « Statuts » its real MD5.
    const json = readFileSync(join(FIXTURES, BFC, 'dossiers_ami-ptce-emergents_2021-07-08_09-30.graphql.json'), 'utf8');
    const file = join(dir, 'api.json');
    writeFileSync(file, json.replaceAll('rL0Y20zC+Fzt72VPzMSk2A==', 'XBg88DXTF7ddJx/0rvw45Q=='));
    const zip = join(FIXTURES, BFC, 'dossiers_ami-ptce-emergents_2021-07-08_09-30.zip');
    const out = await importFiles(db, { campaignId, files: [file, zip], filesDir: join(dir, 'files'), now: () => new Date() });
    expect(out).toMatchObject({ created: 12, rejected: [] });
    const rows = db
      .prepare(
        `SELECT d.number, a.kind, a.champ_label, a.sha256 FROM attachments a JOIN dossiers d ON d.id = a.dossier_id ORDER BY d.number, a.kind`,
      )
      .all() as { number: number; kind: string; champ_label: string | null; sha256: string }[];
    expect(rows.filter((r) => r.kind === 'dossier_pdf')).toHaveLength(12);
    expect(rows.filter((r) => r.champ_label !== null)).toEqual([
      expect.objectContaining({ number: 5157673, kind: 'piece_justificative', champ_label: 'Statuts de la structure porteuse' }),
    ]);
  });
});
