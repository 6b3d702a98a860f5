/**
 * npm run bench:package — the signed review package at scale (issue 5 targets: export ≤ 1.5 × and
 * verify ≤ 1.3 × the command-line tools on the same files, measured in the same run). Generates, in
 * a temporary store, 200 dossiers each with two submitted reviews, and 200 MB of attachments
 * (200 × 1 MB of random bytes, incompressible like scanned PDFs) in a temporary folder.
 *
 * The package format 1 does not carry the attachments (only the avis, PDFs, synthesis and journal),
 * so two things are measured and reported separately:
 *  1. the real export and verification of the package as built (`exportPackage`, `verifyPackage`),
 *     against `zip -0 -r` + `openssl dgst -sha256`, and `sha256sum -c SHA256SUMS`, on the same
 *     (extracted) files;
 *  2. the same code paths over the package's files plus the 200 MB of attachments (the files
 *     hashed, listed in a signed manifest and stored in a deterministic ZIP, written atomically;
 *     then verified by `verifyPackageBytes`), against the same tools on the same files — what
 *     export and verify would cost once attachments are included.
 * Prints figures; no asserts. BENCH_DOSSIERS / BENCH_ATTACHMENT_MB / BENCH_RUNS override the sizes.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes, sign } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../main/core/db/open';
import { DEFAULT_GRID } from '../../main/core/grid';
import { campaignGrid, createCampaign } from '../../main/core/store/campaigns';
import { insertDossier } from '../../main/core/store/dossiers';
import { RUBRIC_KEYS } from '../../shared/domain/rubrics';
import { createMember } from '../../main/core/review/members';
import { refreshReviewTotals } from '../../main/core/review/reviews';
import { createMemberKey, loadSigningKey } from '../../main/core/keys/keys';
import { passphraseProtector } from '../../main/core/keys/protector';
import { exportPackage } from '../../main/core/package/build';
import { renderAvisPdf } from '../../main/core/package/pdf/avis-pdf';
import { cachedAvisPdfRenderer } from '../../main/core/package/pdf/avis-pdf-cache';
import { verifyPackage, verifyPackageBytes } from '../../main/core/package/verify';
import { MANIFEST, MANIFEST_SIG, SUMS, byteOrder, canonicalBytes, type Manifest } from '../../main/core/package/format';
import { deterministicZip, writeFileAtomic } from '../../main/core/package/zip';

const DOSSIERS = Number(process.env.BENCH_DOSSIERS || 200);
const ATTACHMENT_MB = Number(process.env.BENCH_ATTACHMENT_MB || 200);
const RUNS = Number(process.env.BENCH_RUNS || 3);
/** The full export renders every avis PDF (the bulk of its time): one run unless told otherwise. */
const EXPORT_RUNS = Number(process.env.BENCH_EXPORT_RUNS || 1);
const CRITERIA = ['V1', 'V2', 'V3', 'V4', 'V5', 'O1', 'O2', 'O3', 'E1', 'E2'];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
async function measure(name: string, fn: () => unknown | Promise<unknown>, runs = RUNS): Promise<{ name: string; ms: number }> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { name, ms: median(samples) };
}
const sh = (cmd: string, args: string[], cwd?: string) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 1 << 30 });
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const walk = (dir: string, base = ''): string[] =>
  readdirSync(join(dir, base), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(dir, join(base, e.name)) : [join(base, e.name)],
  );

const dir = mkdtempSync(join(tmpdir(), 'comite-ptce-bench-package-'));
try {
  // ---- The store: DOSSIERS dossiers, two members, both reviews submitted.
  const db = openDatabase(join(dir, 'store.sqlite'));
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
  const opts = { campaignId, dossiers: 'ready' as const, signer, now: () => now };

  // ---- The attachments: ATTACHMENT_MB files of 1 MB of random bytes, one folder per dossier.
  const attachDir = join(dir, 'attachments');
  for (let i = 0; i < ATTACHMENT_MB; i++) {
    const d = join(attachDir, String(7_000_000 + (i % DOSSIERS)));
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, `piece-${i}.pdf`), randomBytes(1024 * 1024));
  }
  console.log(`dataset: ${DOSSIERS} dossiers (2 submitted reviews each), ${ATTACHMENT_MB} MB of attachments in ${ATTACHMENT_MB} files, ${RUNS} runs each (median)`);

  // ---- 1. The package as built (no attachments in format 1).
  const out = join(dir, 'package.zip');
  let built: Awaited<ReturnType<typeof exportPackage>>['built'] | undefined;
  let pdfMs = 0;
  let firstPdfMs = 0;
  // As in the app (handlers-package.ts): the avis PDFs go through the session's content-addressed
  // cache, cold for the first export, warm for the re-export below.
  const pdfCache = cachedAvisPdfRenderer(renderAvisPdf);
  const timedRenderPdf: typeof renderAvisPdf = async (avis, o) => {
    const t0 = process.hrtime.bigint();
    const pdf = await pdfCache(avis, o);
    pdfMs += Number(process.hrtime.bigint() - t0) / 1e6;
    return pdf;
  };
  const exp = await measure(
    'Comité PTCE export (exportPackage: JSON, PDFs, synthesis, journal, sign, atomic write)',
    async () => {
      pdfMs = 0;
      built = (await exportPackage(db, out, { ...opts, renderPdf: timedRenderPdf })).built;
      firstPdfMs = pdfMs;
    },
    EXPORT_RUNS,
  );
  const firstZip = readFileSync(out);
  let rePdfMs = 0;
  const reexp = await measure('Comité PTCE re-export, avis unchanged (avis PDFs from the session cache)', async () => {
    pdfMs = 0;
    await exportPackage(db, out, { ...opts, renderPdf: timedRenderPdf });
    rePdfMs = pdfMs;
  });
  if (!readFileSync(out).equals(firstZip)) throw new Error('the re-export with cached PDFs differs from the first export');
  const pkgBytes = statSync(out).size;
  const extracted = join(dir, 'extracted');
  sh('unzip', ['-q', '-o', out, '-d', extracted]);
  const pkgFiles = walk(extracted).sort();
  const baseExp = await measure('baseline: zip -0 -r + openssl dgst -sha256 (same files)', () => {
    rmSync(join(dir, 'baseline.zip'), { force: true });
    sh('zip', ['-0', '-r', '-q', join(dir, 'baseline.zip'), '.'], extracted);
    sh('openssl', ['dgst', '-sha256', ...pkgFiles], extracted);
  });
  const ver = await measure('Comité PTCE verify (verifyPackage)', async () => {
    const r = await verifyPackage(out);
    if (!r.ok) throw new Error(`verify failed: ${JSON.stringify(r.reasons)}`);
  });
  const baseVer = await measure('baseline: sha256sum -c SHA256SUMS (same files)', () => sh('sha256sum', ['-c', '--quiet', SUMS], extracted));

  // ---- 2. The same code paths with the attachments added to the files.
  const attachments = walk(attachDir).sort();
  const buildWithAttachments = async (): Promise<Buffer> => {
    const files = new Map<string, Buffer>();
    for (const [p, b] of built!.files) if (p !== MANIFEST && p !== MANIFEST_SIG && p !== SUMS) files.set(p, b);
    for (const a of attachments) files.set(`attachments/${a.split('\\').join('/')}`, readFileSync(join(attachDir, a)));
    const hashes = new Map([...files].map(([p, b]) => [p, sha256(b)]));
    const content = [...files.keys()].sort(byteOrder);
    files.set(SUMS, Buffer.from(content.map((p) => `${hashes.get(p)!}  ${p}\n`).join(''), 'utf8'));
    hashes.set(SUMS, sha256(files.get(SUMS)!));
    const manifest: Manifest = {
      ...built!.manifest,
      files: [...files.keys()].sort(byteOrder).map((p) => ({ path: p, size: files.get(p)!.length, sha256: hashes.get(p)! })),
    };
    const manifestBytes = canonicalBytes(manifest);
    files.set(MANIFEST, manifestBytes);
    files.set(MANIFEST_SIG, sign(null, manifestBytes, signer.privateKey));
    const zip = await deterministicZip(files);
    writeFileAtomic(join(dir, 'with-attachments.zip'), zip);
    return zip;
  };
  let bigZip: Buffer = Buffer.alloc(0);
  const expA = await measure('Comité PTCE code path + attachments (hash, sign, deterministic ZIP, atomic write)', async () => {
    bigZip = await buildWithAttachments();
  });
  const extractedA = join(dir, 'extracted-a');
  sh('unzip', ['-q', '-o', join(dir, 'with-attachments.zip'), '-d', extractedA]);
  const filesA = walk(extractedA).sort();
  const baseExpA = await measure('baseline: zip -0 -r + openssl dgst -sha256 (same files)', () => {
    rmSync(join(dir, 'baseline-a.zip'), { force: true });
    sh('zip', ['-0', '-r', '-q', join(dir, 'baseline-a.zip'), '.'], extractedA);
    sh('openssl', ['dgst', '-sha256', ...filesA], extractedA);
  });
  const verA = await measure('Comité PTCE verify + attachments (verifyPackage)', async () => {
    const r = await verifyPackage(join(dir, 'with-attachments.zip'));
    if (!r.ok) throw new Error(`verify failed: ${JSON.stringify(r.reasons)}`);
  });
  const baseVerA = await measure('baseline: sha256sum -c SHA256SUMS (same files)', () => sh('sha256sum', ['-c', '--quiet', SUMS], extractedA));
  // The same bytes verified from memory (no file read), for reference.
  const verMem = await measure('verifyPackageBytes (in memory, no file read)', () => verifyPackageBytes(bigZip));

  const row = (r: { name: string; ms: number }, base?: { ms: number }) =>
    `| ${r.name} | ${r.ms.toFixed(0)} | ${base ? (r.ms / base.ms).toFixed(2) : ''} |`;
  console.log(`\n1. package as built: ${pkgFiles.length} files, ${(pkgBytes / 1e6).toFixed(1)} MB`);
  console.log('| step | median ms | ratio |\n|---|---:|---:|');
  console.log(row(baseExp));
  console.log(row(exp, baseExp) + ' ← export (goal ≤ 1.5)');
  console.log(`| of which: ${DOSSIERS} avis PDFs rendered (Marianne) | ${firstPdfMs.toFixed(0)} | ${(firstPdfMs / baseExp.ms).toFixed(2)} |`);
  console.log(`| export without the PDF rendering | ${(exp.ms - firstPdfMs).toFixed(0)} | ${((exp.ms - firstPdfMs) / baseExp.ms).toFixed(2)} |`);
  console.log(row(reexp, baseExp) + ' ← re-export (same bytes)');
  console.log(`| of which: ${DOSSIERS} avis PDFs from the cache | ${rePdfMs.toFixed(0)} | ${(rePdfMs / baseExp.ms).toFixed(2)} |`);
  console.log(row(baseVer));
  console.log(row(ver, baseVer) + ' ← verify (goal ≤ 1.3)');
  console.log(`\n2. with the attachments: ${filesA.length} files, ${(bigZip.length / 1e6).toFixed(1)} MB`);
  console.log('| step | median ms | ratio |\n|---|---:|---:|');
  console.log(row(baseExpA));
  console.log(row(expA, baseExpA) + ' ← export path (goal ≤ 1.5)');
  console.log(row(baseVerA));
  console.log(row(verA, baseVerA) + ' ← verify (goal ≤ 1.3)');
  console.log(row(verMem, baseVerA));
  console.log(`\npeak RSS of this process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
