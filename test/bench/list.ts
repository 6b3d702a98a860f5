/**
 * npm run bench:list — the dossier list (issue 4, Performance: « with 5 000 dossiers and 20 000
 * reviews, full-text search and filter median ≤ 30 ms at the handler »). Seeds the store of
 * test/bench/list-seed.ts, then calls `dossier:table` through the dispatcher (validation +
 * handler, as Electron's ipcMain and the bridge do) for the default list, every filter, search
 * and sort variant. Prints median / p95 wall time and median CPU time in ms, rows and payload
 * size; no asserts.
 * BENCH_RUNS (default 25) sets the calls per case.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { nullLogger } from '../../main/core/log';
import { openRuntime } from '../../main/core/runtime';
import type { DossierTable } from '../../shared/domain/list';
import { listCases, quantiles, seedListBench } from './list-seed';

const RUNS = Number(process.env.BENCH_RUNS || 25);

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'comite-ptce-bench-list-'));
  const runtime = openRuntime({ dbPath: join(dir, 'store.sqlite'), log: nullLogger });
  try {
    const t0 = performance.now();
    const seeded = seedListBench(runtime.store.db);
    console.log(`seeded ${seeded.dossiers} dossiers, ${seeded.reviews} reviews in ${(performance.now() - t0).toFixed(0)} ms; ${RUNS} calls per case`);
    // CPU time (this process's user + system) is also given: the machine may be shared, and a
    // handler call is synchronous, so it is what the call costs when nothing else runs.
    console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores`);
    console.log('\n| dossier:table | median ms | p95 ms | CPU median ms | rows | payload KB |\n|---|---:|---:|---:|---:|---:|');
    let worst = 0;
    for (const [label, input] of listCases(seeded.campaignId, seeded.members)) {
      const times: number[] = [];
      const cpu: number[] = [];
      let table: DossierTable | null = null;
      for (let i = 0; i < RUNS; i++) {
        const start = performance.now();
        const cpuStart = process.cpuUsage();
        const result = await runtime.dispatch('dossier:table', input);
        const used = process.cpuUsage(cpuStart);
        times.push(performance.now() - start);
        cpu.push((used.user + used.system) / 1000);
        if (!result.ok) throw new Error(`dossier:table failed: ${result.error.code}`);
        table = result.value as DossierTable;
      }
      const { median, p95 } = quantiles(times);
      worst = Math.max(worst, median);
      const kb = Buffer.byteLength(JSON.stringify(table)) / 1024;
      console.log(
        `| ${label} | ${median.toFixed(1)} | ${p95.toFixed(1)} | ${quantiles(cpu).median.toFixed(1)} | ${table!.rows.length} | ${kb.toFixed(0)} |`,
      );
    }
    console.log(`\nworst median: ${worst.toFixed(1)} ms (goal ≤ 30 ms)`);
  } finally {
    runtime.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
