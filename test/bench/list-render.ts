/**
 * npm run bench:list-render — the dossier list's first render in Chromium (issue 4, Performance:
 * « list first render in Chromium measured »). Seeds the store of test/bench/list-seed.ts (5 000
 * dossiers, 20 000 reviews), serves the production renderer (out/renderer, built with
 * `npx electron-vite build` when missing) through the HTTP bridge over the real handlers, and opens
 * the campaign's dossier list in /usr/bin/chromium, BENCH_RUNS times (default 7, after one warm-up),
 * each in a fresh browser context. Reports medians of:
 *   - navigation → first rows in the DOM, and → the frame after (rows painted),
 *   - navigation → the `dossier:table` request sent (bundle, boot, the page's other calls),
 *   - the `dossier:table` request as the page saw it (request sent → response received),
 *   - response received → first rows in the DOM (JSON parse, React render),
 *   - the handler's own time (dispatch: validation + handler) measured in the bridge process.
 * Prints figures; no asserts. The bridge adds JSON over HTTP where Electron uses structured-clone
 * IPC, so the transport share here is an upper bound of the app's.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { nullLogger } from '../../main/core/log';
import { openRuntime } from '../../main/core/runtime';
import { createBridge, startBridgeServer, type Bridge } from '../../main/devtools/bridge';
import type { Dispatch } from '../../main/core/ipc/dispatch';
import { launchChromium } from '../support/chromium';
import { quantiles, seedListBench } from './list-seed';

const RUNS = Number(process.env.BENCH_RUNS || 7);
const ROOT = 'out/renderer';
const ROW = 'main table tbody tr[aria-rowindex]';

/** Runs in the page before its scripts: when the first list row is inserted, and the frame after. */
const PROBE = `(() => {
  const marks = (window.__listMarks = {});
  const seen = () => {
    if (marks.rowsInDom !== undefined || !document.querySelector(${JSON.stringify(ROW)})) return;
    marks.rowsInDom = performance.now();
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => (marks.rowsPainted = performance.now());
      channel.port2.postMessage(null);
    });
  };
  new MutationObserver(seen).observe(document, { childList: true, subtree: true });
})();`;

interface Marks {
  rowsInDom?: number;
  rowsPainted?: number;
  table?: { start: number; end: number; firstByte: number };
}

if (!existsSync(join(ROOT, 'index.html'))) {
  console.log('out/renderer missing: npx electron-vite build');
  execFileSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' });
}

const dir = mkdtempSync(join(tmpdir(), 'comite-ptce-bench-render-'));
const runtime = openRuntime({ dbPath: join(dir, 'store.sqlite'), log: nullLogger });
const handlerMs: number[] = [];
const timed: Dispatch = async (channel, payload) => {
  const start = performance.now();
  const result = await runtime.dispatch(channel, payload);
  if (channel === 'dossier:table') handlerMs.push(performance.now() - start);
  return result;
};
let server: Awaited<ReturnType<typeof startBridgeServer>> | null = null;
const browser = await launchChromium();
try {
  const t0 = performance.now();
  const seeded = seedListBench(runtime.store.db);
  const active = await runtime.dispatch('member:setActive', { memberId: seeded.members[0] });
  if (!active.ok) throw new Error(`member:setActive failed: ${active.error.code}`);
  console.log(`seeded ${seeded.dossiers} dossiers, ${seeded.reviews} reviews in ${(performance.now() - t0).toFixed(0)} ms`);
  const bridge: Bridge = createBridge({ dispatch: timed });
  server = await startBridgeServer({ root: ROOT, bridge });
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores; ${RUNS} runs after 1 warm-up`);

  const samples: { dom: number; painted: number; sent: number; request: number; ttfb: number; handler: number; after: number }[] = [];
  let rowCount = '';
  let domRows = 0;
  for (let run = 0; run <= RUNS; run++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript(PROBE);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const before = handlerMs.length;
    await page.goto(`${server.url}#/campaigns/${seeded.campaignId}`);
    await page.locator(ROW).first().waitFor({ state: 'visible', timeout: 60_000 });
    await page.waitForFunction(() => (window as unknown as { __listMarks: Marks }).__listMarks.rowsPainted !== undefined);
    const marks = await page.evaluate(() => {
      const m = (window as unknown as { __listMarks: Marks }).__listMarks;
      const entry = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).find((e) =>
        decodeURIComponent(e.name).includes('/__bridge/ipc/dossier:table'),
      );
      return { ...m, table: entry && { start: entry.startTime, end: entry.responseEnd, firstByte: entry.responseStart } };
    });
    rowCount = (await page.locator('main table').getAttribute('aria-rowcount')) ?? '';
    domRows = await page.locator(ROW).count();
    await context.close();
    if (errors.length) throw new Error(`page errors: ${errors.join(' | ')}`);
    if (handlerMs.length !== before + 1 || !marks.table) throw new Error(`expected one dossier:table call, got ${handlerMs.length - before}`);
    if (run === 0) continue; // warm-up: Chromium's first start of the renderer bundle
    samples.push({
      dom: marks.rowsInDom!,
      painted: marks.rowsPainted!,
      sent: marks.table.start,
      request: marks.table.end - marks.table.start,
      after: marks.rowsInDom! - marks.table.end,
      ttfb: marks.table.firstByte - marks.table.start,
      handler: handlerMs[handlerMs.length - 1]!,
    });
  }
  const med = (key: keyof (typeof samples)[number]) => quantiles(samples.map((s) => s[key]));
  const fmt = (q: { median: number; p95: number }) => `${q.median.toFixed(0)} | ${q.p95.toFixed(0)}`;
  console.log(`\naria-rowcount ${rowCount} (header + rows), ${domRows} rows in the DOM (virtualised)`);
  console.log('\n| first render of the dossier list | median ms | p95 ms |\n|---|---:|---:|');
  console.log(`| navigation → first rows in the DOM | ${fmt(med('dom'))} |`);
  console.log(`| navigation → first rows painted | ${fmt(med('painted'))} |`);
  console.log(`| navigation → dossier:table request sent (bundle, boot, other calls) | ${fmt(med('sent'))} |`);
  console.log(`| dossier:table request (sent → last byte, in the page) | ${fmt(med('request'))} |`);
  console.log(`| dossier:table request (sent → first byte) | ${fmt(med('ttfb'))} |`);
  console.log(`| dossier:table handler (dispatch, in main) | ${fmt(med('handler'))} |`);
  console.log(`| response received → first rows in the DOM (JSON, React) | ${fmt(med('after'))} |`);
  const painted = med('painted').median;
  const handler = med('handler').median;
  console.log(`\nhandler share of the first render: ${((100 * handler) / painted).toFixed(0)} % (${handler.toFixed(0)} of ${painted.toFixed(0)} ms)`);
} finally {
  await browser.close();
  await server?.close();
  runtime.close();
  rmSync(dir, { recursive: true, force: true });
}
