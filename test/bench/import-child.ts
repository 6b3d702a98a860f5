/**
 * One import in its own process, so its peak RSS is its own: `tsx test/bench/import-child.ts DIR EXPECTED FILE...`.
 * Creates a fresh store in DIR, imports FILE... into a new campaign with the app's import job (`runImportJob`, what
 * the import worker thread runs, here on this thread), checks EXPECTED dossiers were created, and prints one JSON
 * line: `{ "ms": <until the job reports done>, "cpuMs": <CPU time until then>, "indexedMs": <until it reports the
 * imported dossiers search-indexed, which it does after done>, "checkpointMs": <the WAL checkpoint it runs last>,
 * "rssMB": <peak RSS of this process> }` (CPU time is steadier than wall time on a shared machine; both are reported).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../main/core/db/open';
import { DEFAULT_GRID } from '../../main/core/grid';
import { runImportJob, type WorkerMessage } from '../../main/core/import/worker';
import { createCampaign } from '../../main/core/store/campaigns';

const [dirArg, expectedArg, ...files] = process.argv.slice(2);
if (!dirArg || !expectedArg || files.length === 0) throw new Error('usage: import-child.ts DIR EXPECTED FILE...');
const expected = Number(expectedArg);
const dir = mkdtempSync(join(dirArg, 'import-'));
try {
  const dbPath = join(dir, 'store.sqlite');
  const db = openDatabase(dbPath);
  const campaignId = createCampaign(db, {
    name: 'bench', ami: 'PTCE émergents', wave: 1, phase: 1, regionCode: '27',
    deadline: '2021-06-23T22:00:00.000Z', grid: DEFAULT_GRID, createdAt: new Date().toISOString(),
  });
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  let ms = 0;
  let cpu = { user: 0, system: 0 };
  const outcomes: WorkerMessage[] = [];
  const input = { dbPath, campaignId, files, filesDir: join(dir, 'files'), now: new Date().toISOString(), dryRun: false };
  let indexedMs = 0;
  await runImportJob(input, (m) => {
    if (m.type === 'progress') return;
    if (m.type === 'indexed') {
      indexedMs = Number(process.hrtime.bigint() - t0) / 1e6;
      return;
    }
    ms = Number(process.hrtime.bigint() - t0) / 1e6;
    cpu = process.cpuUsage(cpu0);
    outcomes.push(m);
  }, new AbortController().signal);
  const endMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (indexedMs === 0) throw new Error('the job did not report the search index');
  const done = outcomes.find((m) => m.type === 'done');
  const report = done?.type === 'done' ? (done.result as { created?: number; rejected?: unknown[] }) : null;
  if (!report || report.created !== expected || report.rejected?.length) {
    throw new Error(`import gave ${JSON.stringify(outcomes).slice(0, 300)}`);
  }
  db.close();
  console.log(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, indexedMs, checkpointMs: endMs - indexedMs, rssMB: process.resourceUsage().maxRSS / 1024 }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
