/**
 * npm run bench — measures, in one run on this machine, the import path against baselines
 * (never timing asserts in tests). Prints a table of medians and ratios.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import ExcelJS from 'exceljs';
import { generateDossiers, toCsv, writeXlsx } from './generate';
import { openDatabase } from '../../main/core/db/open';
import { createCampaign } from '../../main/core/store/campaigns';
import { DEFAULT_GRID } from '../../main/core/grid';
import { importFiles } from '../../main/core/import/pipeline';

const COUNT = Number(process.env.BENCH_DOSSIERS || 5000);
const RUNS = Number(process.env.BENCH_RUNS || 3);

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
      const text = execFileSync('cat', [csvPath], { maxBuffer: 1 << 30 }).toString('utf8');
      Papa.parse(text, { skipEmptyLines: true });
    }),
  );

  const importInto = async (file: string) => {
    const dbPath = join(dir, `import-${Math.random()}.sqlite`);
    const db = openDatabase(dbPath);
    const campaignId = createCampaign(db, {
      name: 'bench', ami: 'PTCE émergents', wave: 1, phase: 1, regionCode: '27',
      deadline: '2021-06-23T22:00:00.000Z', grid: DEFAULT_GRID, createdAt: new Date().toISOString(),
    });
    const report = await importFiles(db, { campaignId, files: [file], filesDir: join(dir, 'files'), now: () => new Date() });
    if (!('created' in report) || report.created !== COUNT) throw new Error(`import gave ${JSON.stringify(report).slice(0, 200)}`);
    db.close();
    rmSync(dbPath, { force: true });
    rmSync(`${dbPath}-wal`, { force: true });
    rmSync(`${dbPath}-shm`, { force: true });
  };
  results.push(await measure('Comité PTCE import (CSV)', () => importInto(csvPath)));

  const xlsxPath = join(dir, 'dossiers.xlsx');
  await writeXlsx(generated, xlsxPath);
  console.log(`XLSX ${(statSync(xlsxPath).size / 1e6).toFixed(1)} MB`);
  const xlsxResults = [
    await measure('baseline: exceljs readFile alone (XLSX)', async () => {
      await new ExcelJS.Workbook().xlsx.readFile(xlsxPath);
    }),
    await measure('Comité PTCE import (XLSX)', () => importInto(xlsxPath)),
  ];

  const floor = results[0]!.ms;
  console.log('\n| step | median ms | ratio to floor |\n|---|---:|---:|');
  for (const r of results) console.log(`| ${r.name} | ${r.ms.toFixed(0)} | ${(r.ms / floor).toFixed(2)} |`);
  const xlsxBase = xlsxResults[0]!.ms;
  console.log('\n| step | median ms | ratio to exceljs alone |\n|---|---:|---:|');
  for (const r of xlsxResults) console.log(`| ${r.name} | ${r.ms.toFixed(0)} | ${(r.ms / xlsxBase).toFixed(2)} |`);
  console.log(`\npeak RSS of this process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
