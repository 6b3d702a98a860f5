/**
 * npm run bench — measures, in one run on this machine, the import path against baselines
 * (never timing asserts in tests): the sqlite3 CLI floor, the parse alone, the floor's own work done in Node
 * (papaparse + better-sqlite3 into one table), and the floor with search (parse, rubric texts and their FTS5 index:
 * what any import that keeps search must do). Prints a table of medians and ratios, the peak RSS of each import (each runs
 * in its own process) and a ~1 GB ZIP export streamed through the importer (BENCH_ZIP_MB, 0 to skip).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import ExcelJS from 'exceljs';
import Database from 'better-sqlite3';
import { streamXlsxSheets } from '../../main/core/import/xlsx-reader';
import { generateDossiers, toCsv, writeDsZip, writeXlsx } from './generate';

const COUNT = Number(process.env.BENCH_DOSSIERS || 5000);
const RUNS = Number(process.env.BENCH_RUNS || 3);
/** Size of the streamed ZIP case (0 skips it). */
const ZIP_MB = Number(process.env.BENCH_ZIP_MB ?? 1024);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function time(fn: () => unknown | Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

async function measure(name: string, fn: () => unknown | Promise<unknown>) {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) samples.push(await time(fn));
  return { name, ms: median(samples) };
}

const dir = mkdtempSync(join(tmpdir(), 'comite-ptce-bench-'));
try {
  const generated = generateDossiers(COUNT);
  const csvPath = join(dir, 'dossiers.csv');
  writeFileSync(csvPath, toCsv(generated));
  const mb = statSync(csvPath).size / 1e6;
  console.log(`dataset: ${COUNT} dossiers, CSV ${mb.toFixed(1)} MB, ${RUNS} runs each (median)`);

  // The CSV as papaparse gives it, and a scratch store set up like the app's (WAL, synchronous=FULL), for the baselines.
  const csvRows = () => Papa.parse<string[]>(execFileSync('cat', [csvPath], { maxBuffer: 1 << 30 }).toString('utf8'), { skipEmptyLines: true }).data;
  const scratchStore = (name: string) => {
    const path = join(dir, `${name}-${Math.random()}.sqlite`);
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    return { db, path };
  };
  const removeStore = ({ db, path }: { db: Database.Database; path: string }) => {
    db.close();
    rmSync(path);
    rmSync(`${path}-wal`, { force: true });
    rmSync(`${path}-shm`, { force: true });
  };

  const results = [];
  results.push(
    await measure('floor: sqlite3 .import (CLI)', () => {
      const db = join(dir, `floor-${Math.random()}.sqlite`);
      execFileSync('sqlite3', [db, '-cmd', '.mode csv', `.import ${csvPath} t`]);
      rmSync(db);
    }),
  );
  results.push(
    await measure('parse alone: papaparse', () => {
      csvRows();
    }),
  );

  const nodeFloorStores: ReturnType<typeof scratchStore>[] = [];
  // The floor's own work done in Node: papaparse, then better-sqlite3 inserting every row into one table of as many
  // columns, in one transaction, WAL and synchronous=FULL like the store. No import can be faster than this in Node.
  results.push(
    await measure('floor in Node: papaparse + better-sqlite3 into one table', () => {
      const [headers = [], ...body] = csvRows();
      const store = scratchStore('node-floor');
      store.db.exec(`CREATE TABLE t (${headers.map((_, i) => `c${i}`).join(', ')})`);
      const insert = store.db.prepare(`INSERT INTO t VALUES (${headers.map(() => '?').join(', ')})`);
      store.db.transaction(() => {
        for (const row of body) insert.run(row);
      })();
      // Closed after the measure: closing checkpoints the WAL, which the import's time does not include either.
      nodeFloorStores.push(store);
    }),
  );
  nodeFloorStores.splice(0).forEach(removeStore);

  // What keeping the text searchable costs at least: the rubric texts alone (papaparse) written into one table
  // with the app's FTS5 index (external content, unicode61 remove_diacritics 2) in one transaction, WAL and
  // synchronous=FULL like the store, indexed in one statement in id order (the cheapest way FTS5 offers).
  const rubricColumns = generated.headers
    .map((h, i) => ({ h, i }))
    .filter(({ h }) => /^(Description|Identification|Mode de gouvernance|Actions|Plan d'action|Implication|Mise en réseau|Perspectives)/.test(h))
    .map(({ i }) => i);
  results.push(
    await measure('floor with search: rubric texts + FTS5 index (better-sqlite3)', () => {
      const rows = csvRows().slice(1);
      const store = scratchStore('fts');
      const { db } = store;
      db.exec(`CREATE TABLE r (id INTEGER PRIMARY KEY, body TEXT NOT NULL) STRICT;
        CREATE VIRTUAL TABLE s USING fts5(body, content = 'r', content_rowid = 'id', tokenize = "unicode61 remove_diacritics 2");`);
      const insert = db.prepare('INSERT INTO r (id, body) VALUES (?, ?)');
      db.transaction(() => {
        rows.forEach((row, d) => rubricColumns.forEach((c, p) => insert.run(d * 32 + p + 1, row[c] ?? '')));
        db.exec("INSERT INTO s (s) VALUES ('rebuild')");
      })();
      removeStore(store);
    }),
  );

  // Each import runs in its own process (test/bench/import-child.ts) so its peak RSS is its own.
  const child = join(import.meta.dirname, 'import-child.ts');
  const importIn = (expected: number, ...files: string[]) => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', child, dir, String(expected), ...files], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    return JSON.parse(out.trim().split('\n').pop()!) as { ms: number; cpuMs: number; indexedMs: number; checkpointMs: number; rssMB: number };
  };
  const measureImport = (name: string, expected: number, ...files: string[]) => {
    const samples = Array.from({ length: RUNS }, () => importIn(expected, ...files));
    return {
      name,
      ms: median(samples.map((s) => s.ms)),
      cpuMs: median(samples.map((s) => s.cpuMs)),
      untilIndexedMs: median(samples.map((s) => s.indexedMs)),
      checkpointMs: median(samples.map((s) => s.checkpointMs)),
      rssMB: Math.max(...samples.map((s) => s.rssMB)),
    };
  };
  const csvImport = measureImport('Comité PTCE import (CSV), until done', COUNT, csvPath);
  results.push(csvImport, { name: 'Comité PTCE import (CSV), until search-indexed', ms: csvImport.untilIndexedMs });

  const xlsxPath = join(dir, 'dossiers.xlsx');
  await writeXlsx(generated, xlsxPath);
  console.log(`XLSX ${(statSync(xlsxPath).size / 1e6).toFixed(1)} MB`);
  const xlsxBaseline = await measure('baseline: exceljs readFile alone (XLSX)', async () => {
    await new ExcelJS.Workbook().xlsx.readFile(xlsxPath);
  });
  // The importer's workbook reader (main/core/import/xlsx-reader.ts) alone, every row visited, for reference;
  // exceljs's streaming reader too (what the importer used until stop 10).
  const xlsxReader = await measure('workbook reader alone: xlsx-reader.ts (XLSX)', async () => {
    let cells = 0;
    await streamXlsxSheets(xlsxPath, () => {}, (row) => {
      cells += row.cells.length;
    });
    if (cells === 0) throw new Error('no cell read');
  });
  const xlsxStream = await measure('exceljs streaming reader alone (XLSX)', async () => {
    for await (const sheet of new ExcelJS.stream.xlsx.WorkbookReader(xlsxPath, { styles: 'cache', sharedStrings: 'cache' })) {
      for await (const row of sheet) row.eachCell({ includeEmpty: true }, () => {});
    }
  });
  const xlsxImport = measureImport('Comité PTCE import (XLSX), until done', COUNT, xlsxPath);
  const xlsxResults = [
    xlsxBaseline,
    xlsxReader,
    xlsxStream,
    xlsxImport,
    { name: 'Comité PTCE import (XLSX), until search-indexed', ms: xlsxImport.untilIndexedMs },
  ];

  const floor = results[0]!.ms;
  console.log('\n| step | median ms | ratio to floor |\n|---|---:|---:|');
  for (const r of results) console.log(`| ${r.name} | ${r.ms.toFixed(0)} | ${(r.ms / floor).toFixed(2)} |`);
  const xlsxBase = xlsxResults[0]!.ms;
  console.log('\n| step | median ms | ratio to exceljs alone |\n|---|---:|---:|');
  for (const r of xlsxResults) console.log(`| ${r.name} | ${r.ms.toFixed(0)} | ${(r.ms / xlsxBase).toFixed(2)} |`);
  // "Until done": the job reports done (the data committed, WAL fsynced: the user gets the report); it then
  // search-indexes the imported dossiers ("until search-indexed") and checkpoints the WAL.
  console.log('\n| import | median CPU ms until done | WAL checkpoint after indexing, ms | peak RSS (MB) |\n|---|---:|---:|---:|');
  for (const r of [csvImport, xlsxImport]) console.log(`| ${r.name} | ${r.cpuMs.toFixed(0)} | ${r.checkpointMs.toFixed(0)} | ${r.rssMB.toFixed(0)} |`);

  // A ~1 GB DS ZIP export (PDF-like blobs) with the CSV of its dossiers: the files must stream (goal ≤ 300 MB RSS).
  if (ZIP_MB > 0) {
    const zipDossiers = 200;
    const small = generateDossiers(zipDossiers, 2_000);
    const zipCsv = join(dir, 'zip-dossiers.csv');
    writeFileSync(zipCsv, toCsv(small));
    const zipPath = join(dir, 'export.zip');
    const numbers = small.rows.map((row) => Number(row[small.headers.indexOf('ID')]));
    const tz = process.hrtime.bigint();
    await writeDsZip(numbers, ZIP_MB, zipPath);
    const genMs = Number(process.hrtime.bigint() - tz) / 1e6;
    console.log(`\nZIP ${(statSync(zipPath).size / 1e6).toFixed(0)} MB (${numbers.length * 5} PDF-like files, generated in ${genMs.toFixed(0)} ms)`);
    const zip = importIn(zipDossiers, zipCsv, zipPath);
    rmSync(zipPath);
    console.log(`| import | ms | CPU ms | peak RSS (MB) | goal |\n|---|---:|---:|---:|---|`);
    console.log(`| CSV (${zipDossiers} dossiers) + ${ZIP_MB} MB ZIP | ${zip.ms.toFixed(0)} | ${zip.cpuMs.toFixed(0)} | ${zip.rssMB.toFixed(0)} | ≤ 300 MB |`);
  } else console.log('\n(ZIP streaming case skipped: BENCH_ZIP_MB=0)');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
