/**
 * npm run bench:package — the signed review package at scale (issue 5: export ≤ 1.5 × and verify
 * ≤ 1.3 × the command-line tools on the same files, measured in the same run). Builds, in a
 * temporary store, 200 dossiers each with two submitted reviews, and 200 MB of attachments
 * (200 × 1 MB of random bytes, incompressible like scanned PDFs) stored in the store's
 * content-addressed blob store and linked to the dossiers, as the import does.
 *
 * Measured, each with its wall time and CPU time (user + system, this process and its worker
 * threads; the command-line tools' children via /usr/bin/time):
 *  - cold export: `exportPackage(..., { attachments })` — the real `--with-attachments` path —
 *    with an empty avis PDF cache (every PDF rendered on a fresh 2-worker pool, started inside the
 *    measure), and once with the PDFs rendered on this thread for comparison;
 *  - warm-up: what the app does in idle time (`startAvisPdfWarmup` slices until settled), not on
 *    the export path;
 *  - warm export: the same export once the cache is warm (the app's case);
 *  - verify: `verifyPackage` of the written file;
 *  - baselines on the same files (the package unzipped): `zip -0 -r` + `openssl dgst -sha256`
 *    over every file, and `sha256sum -c SHA256SUMS`.
 * The same without attachments is reported for reference. Prints figures; no asserts.
 * BENCH_DOSSIERS / BENCH_ATTACHMENT_MB / BENCH_RUNS override the sizes (runs: median).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { openDatabase } from '../../main/core/db/open';
import { DEFAULT_GRID } from '../../main/core/grid';
import { campaignGrid, createCampaign } from '../../main/core/store/campaigns';
import { insertDossier } from '../../main/core/store/dossiers';
import { storePaths } from '../../main/core/store/paths';
import { storeBlobStream } from '../../main/core/import/blobs';
import { RUBRIC_KEYS } from '../../shared/domain/rubrics';
import { createMember } from '../../main/core/review/members';
import { refreshReviewTotals } from '../../main/core/review/reviews';
import { createMemberKey, loadSigningKey } from '../../main/core/keys/keys';
import { passphraseProtector } from '../../main/core/keys/protector';
import { exportPackage, type BuildOptions } from '../../main/core/package/build';
import {
  avisPdfStore,
  storedAvisPdfRenderer,
  storedSynthesePdfRenderer,
  synthesePdfStore,
} from '../../main/core/package/pdf/avis-pdf-store';
import { avisPdfPool, DEFAULT_PDF_WORKERS } from '../../main/core/package/pdf/pool';
import { renderAvisPdf } from '../../main/core/package/pdf/avis-pdf';
import { renderSynthesePdf } from '../../main/core/package/pdf/synthese-pdf';
import { startAvisPdfWarmup } from '../../main/core/package/pdf/warm';
import { verifyPackage } from '../../main/core/package/verify';

const DOSSIERS = Number(process.env.BENCH_DOSSIERS || 200);
const ATTACHMENT_MB = Number(process.env.BENCH_ATTACHMENT_MB || 200);
const RUNS = Number(process.env.BENCH_RUNS || 3);
const CRITERIA = ['V1', 'V2', 'V3', 'V4', 'V5', 'O1', 'O2', 'O3', 'E1', 'E2'];

interface Sample {
  wall: number;
  cpu: number;
}
interface Figure extends Sample {
  name: string;
  /** Highest resident-memory growth seen during a run (sampled every 5 ms), MB. */
  rss?: number;
}
const median = (xs: Sample[]): Sample => {
  const by = (k: keyof Sample) => [...xs].map((x) => x[k]).sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { wall: by('wall'), cpu: by('cpu') };
};
/** Wall and CPU ms of `fn` in this process (worker threads included). */
async function ours(name: string, fn: () => unknown, runs = RUNS, before?: () => unknown): Promise<Figure> {
  const samples: Sample[] = [];
  let rss = 0;
  for (let i = 0; i < runs; i++) {
    await before?.();
    const rss0 = process.memoryUsage.rss();
    let peak = rss0;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    await fn();
    const wall = Number(process.hrtime.bigint() - t0) / 1e6;
    const c = process.cpuUsage(c0);
    clearInterval(sampler);
    rss = Math.max(rss, (Math.max(peak, process.memoryUsage.rss()) - rss0) / 1e6);
    samples.push({ wall, cpu: (c.user + c.system) / 1000 });
  }
  return { name, ...median(samples), rss };
}
/** Wall and CPU ms (children's user + system, from /usr/bin/time) of a shell command. */
function tool(name: string, script: string, cwd: string, runs = RUNS, before?: () => void): Figure {
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    before?.();
    const t0 = process.hrtime.bigint();
    const r = spawnSync('/usr/bin/time', ['-f', '%U %S', 'sh', '-c', script], { cwd, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    const wall = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`${script}: ${r.stderr}`);
    const [u, sys] = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
    samples.push({ wall, cpu: (u! + sys!) * 1000 });
  }
  return { name, ...median(samples) };
}
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

const dir = mkdtempSync(join(tmpdir(), 'comite-ptce-bench-package-'));
try {
  // ---- The store: DOSSIERS dossiers, two members, both reviews submitted.
  const dbPath = join(dir, 'store.sqlite');
  const db = openDatabase(dbPath);
  const { filesDir } = storePaths(dbPath);
  const now = new Date('2021-07-10T08:00:00Z');
  const campaignId = createCampaign(db, {
    name: 'AMI PTCE émergents 2021 — bench',
    ami: 'PTCE émergents',
    wave: 1,
    phase: 1,
    regionCode: '27',
    deadline: '2021-06-23T22:00:00.000Z',
    grid: DEFAULT_GRID,
    createdAt: now.toISOString(),
  });
  const members = [
    createMember(db, { name: 'Camille Rousseau', role: 'correspondant', organisation: 'DREETS' }, { now }).id,
    createMember(db, { name: 'Yann Leroy', role: 'cress', organisation: 'CRESS' }, { now }).id,
  ];
  const lorem = 'Coopération territoriale entre acteurs de l’économie sociale et solidaire, collectivités et entreprises locales ; ';
  db.transaction(() => {
    for (let k = 0; k < DOSSIERS; k++) {
      const rubrics: Partial<Record<(typeof RUBRIC_KEYS)[number], string>> = {};
      for (const key of RUBRIC_KEYS) rubrics[key] = lorem.repeat(8);
      const id = insertDossier(db, {
        campaignId,
        number: 7_000_000 + k,
        projectName: `PTCE bench n° ${k}`,
        structureName: `Association bench ${k}`,
        structureAddress: '1 rue de la Paix',
        legalForm: 'Association',
        esus: 'non',
        siret: '',
        contactName: 'X',
        contactFunction: 'Y',
        contactEmail: 'x@example.org',
        contactPhone: '0600000000',
        regionCode: '27',
        commune: 'Dijon',
        communeInsee: '21231',
        fragileTerritories: '',
        depositedAt: '2021-06-20T10:00:00.000Z',
        dsState: 'en_construction',
        source: 'bench',
        raw: {},
        importedAt: now.toISOString(),
        rubrics,
      });
      for (const m of members) {
        const at = now.toISOString();
        const r = Number(
          db
            .prepare("INSERT INTO reviews (dossier_id, member_id, status, created_at, updated_at, revision, submitted_at) VALUES (?, ?, 'submitted', ?, ?, 1, ?)")
            .run(id, m, at, at, at).lastInsertRowid,
        );
        CRITERIA.forEach((c, i) =>
          db.prepare('INSERT INTO review_scores (review_id, criterion_key, score, justification) VALUES (?, ?, ?, ?)').run(r, c, (k + i) % 4, i % 3 === 0 ? lorem : ''),
        );
        for (let e = 1; e <= 7; e++) db.prepare("INSERT INTO review_eligibility (review_id, criterion_key, answer, note) VALUES (?, ?, 'oui', '')").run(r, `E-${e}`);
        db.prepare(
          `INSERT INTO review_details (review_id, maturity, target_a, target_b, target_c, avis, motivation, phase2)
           VALUES (?, 'emergente', 1, 1, 0, ?, ?, 1)`,
        ).run(r, ['favorable', 'favorable_reserves', 'defavorable'][k % 3], lorem.repeat(3));
      }
    }
  })();
  const grid = campaignGrid(db, campaignId)!;
  db.transaction(() => {
    for (const { id } of db.prepare('SELECT id FROM reviews').all() as { id: number }[]) refreshReviewTotals(db, id, grid);
  })();
  const protector = passphraseProtector('bench');
  createMemberKey(db, members[0]!, protector, now);
  const signer = { ...loadSigningKey(db, members[0]!, protector), memberId: members[0]! };

  // ---- The attachments, in the blob store, linked to the dossiers (ATTACHMENT_MB files of 1 MB).
  const dossierIds = db.prepare('SELECT id FROM dossiers ORDER BY number').pluck().all() as number[];
  const link = db.prepare(
    "INSERT INTO attachments (dossier_id, sha256, filename, size, media_type, kind) VALUES (?, ?, ?, ?, 'application/pdf', 'piece')",
  );
  for (let i = 0; i < ATTACHMENT_MB; i++) {
    const blob = await storeBlobStream(filesDir, Readable.from([randomBytes(1024 * 1024)]), { maxBytes: 1 << 30 });
    link.run(dossierIds[i % dossierIds.length]!, blob.sha256, `Pièce justificative ${i}.pdf`, blob.size);
  }
  console.log(
    `dataset: ${DOSSIERS} dossiers (2 submitted reviews each), ${ATTACHMENT_MB} MB of attachments in ${ATTACHMENT_MB} files; ${RUNS} runs (median); load average at start: ${load()}`,
  );

  const cache = avisPdfStore(() => db);
  const syntheseCache = synthesePdfStore(() => db);
  const base: BuildOptions = { campaignId, dossiers: 'ready', signer, now: () => now };
  const withPieces: BuildOptions = { ...base, attachments: { filesDir } };
  const out = join(dir, 'package.zip');
  const clearCache = () => db.exec('DELETE FROM avis_pdf_cache; DELETE FROM synthese_pdf_cache;');

  // ---- Cold: nothing cached, a fresh pool (its start-up counted).
  let rendered = 0;
  // The app's pool: as many workers as cores but one (at most 2), this thread rendering too.
  const cold = await ours(
    `cold export, with attachments (every avis PDF and the synthesis rendered by the app's export renderer: this thread, a fresh pool of ${DEFAULT_PDF_WORKERS} worker(s) not started for it)`,
    async () => {
      const pool = avisPdfPool();
      try {
        const render = storedAvisPdfRenderer(cache, pool.renderWithThisThread);
        await exportPackage(db, out, { ...withPieces, renderPdf: render, renderSynthese: storedSynthesePdfRenderer(syntheseCache, pool.renderSynthese) });
        rendered = render.stats.misses;
      } finally {
        await pool.close();
      }
    },
    RUNS,
    clearCache,
  );
  if (rendered !== DOSSIERS) throw new Error(`cold export rendered ${rendered} PDFs`);
  // For comparison, the cold export rendering on this thread (what the export did before the pool).
  const coldHere = await ours(
    'cold export, with attachments, PDFs rendered on this thread (no pool)',
    () =>
      exportPackage(db, out, {
        ...withPieces,
        renderPdf: storedAvisPdfRenderer(cache, renderAvisPdf),
        renderSynthese: storedSynthesePdfRenderer(syntheseCache, renderSynthesePdf),
      }),
    1,
    clearCache,
  );
  const coldBytes = readFileSync(out);

  // ---- Warm-up as the app does it in idle time (slices on the app's pool), then the warm exports.
  clearCache();
  const pool = avisPdfPool();
  const warmup = await ours(
    'idle-time warm-up of the PDF cache (not on the export path)',
    async () => {
      const warmer = startAvisPdfWarmup({
        db: () => db,
        store: cache,
        render: pool.render,
        synthese: { store: syntheseCache, render: pool.renderSynthese },
        options: { lang: 'fr' },
        everyMs: 0,
      });
      while ((await warmer.slice()) > 0);
    },
    1,
  );
  const noRender = () => Promise.reject(new Error('the warm export rendered a PDF'));
  const warm = await ours('warm export, with attachments (exportPackage, PDFs from the cache)', () =>
    exportPackage(db, out, {
      ...withPieces,
      renderPdf: storedAvisPdfRenderer(cache, noRender),
      renderSynthese: storedSynthesePdfRenderer(syntheseCache, noRender),
    }),
  );
  if (!readFileSync(out).equals(coldBytes)) throw new Error('the warm export differs from the cold one');
  const ver = await ours('verify, with attachments (verifyPackage)', async () => {
    const r = await verifyPackage(out);
    if (!r.ok) throw new Error(`verify failed: ${JSON.stringify(r.reasons)}`);
  });
  const x = join(dir, 'x');
  execFileSync('unzip', ['-q', '-o', out, '-d', x]);
  const zipBase = tool(
    'baseline: zip -0 -r + openssl dgst -sha256 (same files)',
    'zip -0 -r -q ../baseline.zip . && find . -type f -print0 | xargs -0 openssl dgst -sha256 > /dev/null',
    x,
    RUNS,
    () => rmSync(join(dir, 'baseline.zip'), { force: true }),
  );
  const sumsBase = tool('baseline: sha256sum -c SHA256SUMS (same files)', 'sha256sum -c --quiet SHA256SUMS', x);
  const size = readFileSync(out).length;

  // ---- For reference: the package without the attachments (warm).
  const outSmall = join(dir, 'small.zip');
  const warmSmall = await ours('warm export, without attachments', () =>
    exportPackage(db, outSmall, {
      ...base,
      renderPdf: storedAvisPdfRenderer(cache, noRender),
      renderSynthese: storedSynthesePdfRenderer(syntheseCache, noRender),
    }),
  );
  const verSmall = await ours('verify, without attachments', () => verifyPackage(outSmall));
  const xs = join(dir, 'xs');
  execFileSync('unzip', ['-q', '-o', outSmall, '-d', xs]);
  const zipSmall = tool(
    'baseline: zip -0 -r + openssl dgst -sha256',
    'zip -0 -r -q ../baseline-small.zip . && find . -type f -print0 | xargs -0 openssl dgst -sha256 > /dev/null',
    xs,
    RUNS,
    () => rmSync(join(dir, 'baseline-small.zip'), { force: true }),
  );
  const sumsSmall = tool('baseline: sha256sum -c SHA256SUMS', 'sha256sum -c --quiet SHA256SUMS', xs);
  await pool.close();

  const row = (f: Figure, b?: Figure, note = '') =>
    `| ${f.name} | ${f.wall.toFixed(0)} | ${f.cpu.toFixed(0)} | ${b ? (f.wall / b.wall).toFixed(2) : ''} | ${b ? (f.cpu / b.cpu).toFixed(2) : ''} | ${f.rss === undefined ? '' : f.rss.toFixed(0)} |${note}`;
  const head = '| step | wall ms | CPU ms | wall ratio | CPU ratio | RSS growth MB |\n|---|---:|---:|---:|---:|---:|';
  console.log(`\nwith attachments: ${(size / 1e6).toFixed(1)} MB package`);
  console.log(head);
  console.log(row(zipBase));
  console.log(row(warm, zipBase, ' ← export, PDFs warm (goal ≤ 1.5)'));
  console.log(row(cold, zipBase, ` ← export, cold (${DOSSIERS} PDFs rendered)`));
  console.log(row(coldHere, zipBase, ' ← export, cold, single thread (1 run)'));
  console.log(row(warmup, zipBase, ' (idle time, off the export path)'));
  console.log(row(sumsBase));
  console.log(row(ver, sumsBase, ' ← verify (goal ≤ 1.3)'));
  console.log(`\nwithout attachments: ${(readFileSync(outSmall).length / 1e6).toFixed(1)} MB package`);
  console.log(head);
  console.log(row(zipSmall));
  console.log(row(warmSmall, zipSmall, ' ← export, PDFs warm'));
  console.log(row(sumsSmall));
  console.log(row(verSmall, sumsSmall, ' ← verify'));
  console.log(`\nload average at end: ${load()}; peak RSS of this process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
