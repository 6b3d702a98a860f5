/**
 * npx tsx test/bench/review.ts — reviews, search and audit at scale (issue 4 targets: search and
 * filter median ≤ 30 ms, saving a score p99 ≤ 5 ms). Generates, directly in a temporary store,
 * 5 000 dossiers (~12 KB of rubric text each, Zipf-like vocabulary), 4 members, 20 000 reviews
 * (scores, eligibility, details) and a 100 000-entry hash-chained journal, then measures the real
 * functions. Prints figures; no asserts. BENCH_DOSSIERS / BENCH_SAVES override the sizes.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../main/core/db/open';
import { DEFAULT_GRID } from '../../main/core/grid';
import { createCampaign } from '../../main/core/store/campaigns';
import { syncDossierText } from '../../main/core/store/dossier-text';
import { insertDossier } from '../../main/core/store/dossiers';
import { RUBRIC_KEYS } from '../../shared/domain/rubrics';
import { appendAudit, verifyJournal, type NewAuditEntry } from '../../main/core/review/audit';
import { createMember } from '../../main/core/review/members';
import { filterReviews, getReview, saveReviewPatch } from '../../main/core/review/reviews';
import { searchDossiers } from '../../main/core/review/search';
import { campaignGrid } from '../../main/core/store/campaigns';
import { refreshReviewTotals } from '../../main/core/review/reviews';

const DOSSIERS = Number(process.env.BENCH_DOSSIERS || 5000);
const MEMBERS = 4;
const SAVES = Number(process.env.BENCH_SAVES || 2000);
const CRITERIA = ['V1', 'V2', 'V3', 'V4', 'V5', 'O1', 'O2', 'O3', 'E1', 'E2'];

let seed = 42;
const rand = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 4294967296;
};

const COMMON =
  'coopération territoriale économie sociale solidaire emploi durable insertion mutualisation acteurs locaux collectivités entreprises associations recherche innovation gouvernance partagée ancrage transition écologique circuits courts formation financement animation réseau partenaires filière quartier prioritaire ruralité revitalisation industrie'.split(
    ' ',
  );
const GLUE = 'le la les des du de et à en pour avec sur dans un une par au aux qui que'.split(' ');
const SYL = ['ma', 'ré', 'to', 'chan', 'vil', 'lé', 'bo', 'cour', 'sa', 'mon', 'pé', 'ri', 'gnac', 'fon', 'tai', 'ne'];
const RARE = Array.from({ length: 4000 }, (_, i) => {
  let w = '';
  let n = i + 7;
  do {
    w += SYL[n % SYL.length];
    n = Math.floor(n / SYL.length);
  } while (n > 0);
  return w + 'ique';
});

function word(): string {
  const r = rand();
  if (r < 0.45) return GLUE[Math.floor(rand() * GLUE.length)]!;
  if (r < 0.8) return COMMON[Math.floor(rand() * COMMON.length)]!;
  // Zipf-ish over the rare words.
  return RARE[Math.floor(RARE.length * rand() ** 3)]!;
}

function text(chars: number): string {
  const out: string[] = [];
  let n = 0;
  while (n < chars) {
    const w = word();
    out.push(w);
    n += w.length + 1;
  }
  return out.join(' ') + '.';
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
function time(fn: () => unknown): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const dir = mkdtempSync(join(tmpdir(), 'comite-ptce-bench-review-'));
try {
  const path = join(dir, 'store.sqlite');
  const db = openDatabase(path);
  const now = new Date('2021-07-10T08:00:00Z');
  let t0 = Date.now();
  const campaignId = db.transaction(() => {
    const id = createCampaign(db, {
      name: 'Bench',
      ami: 'PTCE émergents',
      wave: 1,
      phase: 1,
      regionCode: '27',
      deadline: '2021-06-23T22:00:00.000Z',
      grid: DEFAULT_GRID,
      createdAt: now.toISOString(),
    });
    for (let k = 0; k < DOSSIERS; k++) {
      const rubrics: Partial<Record<(typeof RUBRIC_KEYS)[number], string>> = {};
      for (const key of RUBRIC_KEYS) rubrics[key] = text(1200);
      insertDossier(db, {
        campaignId: id,
        number: 6_000_000 + k,
        projectName: `PTCE ${COMMON[k % COMMON.length]} de ${RARE[k % RARE.length]}`,
        structureName: `Association ${RARE[(k * 7) % RARE.length]}`,
        structureAddress: '1 rue de la Paix',
        legalForm: 'Association',
        esus: 'non',
        siret: '',
        contactName: 'X',
        contactFunction: 'Y',
        contactEmail: 'x@example.org',
        contactPhone: '0600000000',
        regionCode: '27',
        commune: '',
        communeInsee: '',
        fragileTerritories: '',
        depositedAt: '2021-06-20T10:00:00.000Z',
        dsState: 'en_construction',
        source: 'bench',
        raw: {},
        importedAt: now.toISOString(),
        rubrics,
      });
    }
    syncDossierText(db); // as an import does before it commits
    return id;
  })();
  const tDossiers = Date.now() - t0;

  t0 = Date.now();
  const members = Array.from({ length: MEMBERS }, (_, i) =>
    createMember(db, { name: `Membre ${i}`, role: i === 0 ? 'correspondant' : 'expert' }, { now }).id,
  );
  const dossierIds = (db.prepare('SELECT id FROM dossiers ORDER BY id').all() as { id: number }[]).map((r) => r.id);
  db.transaction(() => {
    const review = db.prepare(
      'INSERT INTO reviews (dossier_id, member_id, status, created_at, updated_at, revision, submitted_at) VALUES (?, ?, ?, ?, ?, 1, ?)',
    );
    const score = db.prepare('INSERT INTO review_scores (review_id, criterion_key, score, justification) VALUES (?, ?, ?, ?)');
    const elig = db.prepare('INSERT INTO review_eligibility (review_id, criterion_key, answer, note) VALUES (?, ?, ?, ?)');
    const details = db.prepare(
      `INSERT INTO review_details (review_id, maturity, target_a, target_b, target_c, avis, motivation, phase2)
       VALUES (?, 'emergente', 1, ?, 0, ?, ?, ?)`,
    );
    const avis = ['favorable', 'favorable_reserves', 'defavorable'];
    for (const d of dossierIds) {
      for (const m of members) {
        const submitted = rand() < 0.5;
        const at = now.toISOString();
        const id = Number(review.run(d, m, submitted ? 'submitted' : 'draft', at, at, submitted ? at : null).lastInsertRowid);
        for (const c of CRITERIA) score.run(id, c, Math.floor(rand() * 4), rand() < 0.3 ? text(200) : '');
        for (let e = 1; e <= 7; e++) elig.run(id, `E-${e}`, rand() < 0.7 ? 'oui' : 'non', '');
        const b = rand() < 0.5 ? 1 : 0;
        details.run(id, b, avis[Math.floor(rand() * 3)], text(300), b);
      }
    }
  })();
  // Rows inserted directly: store each review's total as saveReviewPatch does.
  const benchGrid = campaignGrid(db, campaignId)!;
  db.transaction(() => {
    for (const { id } of db.prepare('SELECT id FROM reviews').all() as { id: number }[]) refreshReviewTotals(db, id, benchGrid);
  })();
  const reviews = (db.prepare('SELECT count(*) AS n FROM reviews').get() as { n: number }).n;
  // A realistic journal: 5 entries per review.
  db.transaction(() => {
    const entries: NewAuditEntry[] = [];
    for (let i = 0; i < reviews * 5; i++)
      entries.push({
        at: now.toISOString(),
        memberId: members[i % MEMBERS]!,
        keyboardMemberId: null,
        entity: 'review.score',
        entityId: `${1 + (i % reviews)}/V1`,
        dossierId: dossierIds[i % dossierIds.length]!,
        action: 'update',
        before: { score: 1 },
        after: { score: 2 },
      });
    appendAudit(db, entries);
  })();
  const tReviews = Date.now() - t0;
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('ANALYZE');

  // Search: common word, rare word, accentless, two words in different rubrics, prefix as you type.
  const queries = ['cooperation', RARE[3]!, 'economie solidaire', `${RARE[10]} quartier`, 'revitali', 'ÉCONOMIE', RARE[500]!];
  const searchTimes: number[] = [];
  const perQuery: Record<string, number> = {};
  for (const q of queries) {
    const ts: number[] = [];
    for (let i = 0; i < 15; i++) ts.push(time(() => searchDossiers(db, campaignId, q)));
    perQuery[q] = median(ts);
    searchTimes.push(...ts);
  }
  const filterTimes: number[] = [];
  const filters = [
    { campaignId, status: 'submitted' as const },
    { campaignId, avis: 'favorable' as const },
    { campaignId, memberId: members[2] },
    { campaignId, status: 'draft' as const, avis: 'defavorable' as const, memberId: members[1] },
  ];
  for (let i = 0; i < 15; i++) for (const f of filters) filterTimes.push(time(() => filterReviews(db, f)));

  const getTimes: number[] = [];
  for (let i = 0; i < 300; i++) {
    const d = dossierIds[Math.floor(rand() * dossierIds.length)]!;
    getTimes.push(time(() => getReview(db, d, members[0]!)));
  }

  // Saving a score: one transaction per save (synchronous=FULL), on draft reviews.
  const drafts = db
    .prepare("SELECT dossier_id, member_id FROM reviews WHERE status = 'draft' ORDER BY random() LIMIT ?")
    .all(SAVES) as { dossier_id: number; member_id: number }[];
  const saveTimes: number[] = [];
  for (const [i, r] of drafts.entries()) {
    saveTimes.push(
      time(() =>
        saveReviewPatch(db, {
          dossierId: r.dossier_id,
          memberId: r.member_id,
          patch: { scores: { [CRITERIA[i % 10]!]: { score: i % 4, justification: `Justification ${i}` } } },
          now,
        }),
      ),
    );
  }
  const tVerify = time(() => verifyJournal(db));
  const journal = (db.prepare('SELECT count(*) AS n FROM audit_journal').get() as { n: number }).n;
  db.close();
  const f = (n: number) => n.toFixed(2).padStart(8);
  console.log(`store: ${DOSSIERS} dossiers (${tDossiers} ms incl. the search index), ${reviews} reviews + ${journal} journal entries (${tReviews} ms), ${(statSync(path).size / 1e6).toFixed(0)} MB`);
  console.log(`search   median ${f(median(searchTimes))} ms   p95 ${f(pct(searchTimes, 0.95))} ms   (${searchTimes.length} runs)`);
  for (const [q, ms] of Object.entries(perQuery)) console.log(`   ${q.padEnd(22)} median ${f(ms)} ms`);
  console.log(`filter   median ${f(median(filterTimes))} ms   p95 ${f(pct(filterTimes, 0.95))} ms`);
  console.log(`getReview median ${f(median(getTimes))} ms   p99 ${f(pct(getTimes, 0.99))} ms`);
  console.log(`save     p50 ${f(pct(saveTimes, 0.5))} ms   p99 ${f(pct(saveTimes, 0.99))} ms   max ${f(Math.max(...saveTimes))} ms   (${saveTimes.length} saves)`);
  console.log(`verifyJournal (${journal} entries) ${f(tVerify)} ms`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
