/**
 * One import in its own process, so its peak RSS is its own: `tsx test/bench/import-child.ts DIR EXPECTED FILE...`.
 * Creates a fresh store in DIR, imports FILE... into a new campaign, checks EXPECTED dossiers were created,
 * and prints one JSON line: `{ "ms": <import time>, "cpuMs": <CPU time of the import>, "rssMB": <peak RSS of this process> }`
 * (CPU time is steadier than wall time on a shared machine; both are reported).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../main/core/db/open';
import { DEFAULT_GRID } from '../../main/core/grid';
import { importFiles } from '../../main/core/import/pipeline';
import { createCampaign } from '../../main/core/store/campaigns';

const [dirArg, expectedArg, ...files] = process.argv.slice(2);
if (!dirArg || !expectedArg || files.length === 0) throw new Error('usage: import-child.ts DIR EXPECTED FILE...');
const expected = Number(expectedArg);
const dir = mkdtempSync(join(dirArg, 'import-'));
try {
  const db = openDatabase(join(dir, 'store.sqlite'));
  const campaignId = createCampaign(db, {
    name: 'bench', ami: 'PTCE émergents', wave: 1, phase: 1, regionCode: '27',
    deadline: '2021-06-23T22:00:00.000Z', grid: DEFAULT_GRID, createdAt: new Date().toISOString(),
  });
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const report = await importFiles(db, { campaignId, files, filesDir: join(dir, 'files'), now: () => new Date() });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  if (!('created' in report) || report.created !== expected || report.rejected.length) {
    throw new Error(`import gave ${JSON.stringify(report).slice(0, 300)}`);
  }
  db.close();
  console.log(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, rssMB: process.resourceUsage().maxRSS / 1024 }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
