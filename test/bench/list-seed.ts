/**
 * The list benchmarks' store (issue 4, Performance): BENCH_DOSSIERS (default 5 000) synthetic
 * dossiers with their admissibility findings, 6 members and BENCH_REVIEWS_PER_DOSSIER (default 4,
 * so 20 000) reviews per dossier — random scores, eligibility answers and avis; all but one
 * submitted — inserted directly; BENCH_RUBRICS (default 12) rubrics of ~1 000 characters of
 * French-like text per dossier for the search, and a raw_json as big,
 * with each review's stored totals written as saveReviewPatch does.
 */
import { syncDossierText } from '../../main/core/store/dossier-text';
import type { Database } from 'better-sqlite3';
import { createMember } from '../../main/core/review/members';
import { refreshReviewTotals } from '../../main/core/review/reviews';
import { campaignGrid } from '../../main/core/store/campaigns';
import type { Input } from '../../shared/ipc/contract';
import { RUBRIC_KEYS } from '../../shared/domain/rubrics';
import { seedBulkCampaign } from '../support/bulk';

export const BENCH_DOSSIERS = Number(process.env.BENCH_DOSSIERS || 5000);
export const REVIEWS_PER_DOSSIER = Number(process.env.BENCH_REVIEWS_PER_DOSSIER || 4);
const MEMBERS = 6;
const CRITERIA = ['V1', 'V2', 'V3', 'V4', 'V5', 'O1', 'O2', 'O3', 'E1', 'E2'];
const ELIGIBILITY = ['E-1', 'E-2', 'E-3', 'E-4', 'E-5', 'E-6', 'E-7'];
const AVIS = ['favorable', 'favorable_reserves', 'defavorable'];
const FINDINGS: [string, string[]][] = [
  ['recevable', []],
  ['recevable', ['esus_missing']],
  ['au_fil_de_l_eau', ['late']],
  ['irrecevable', ['incomplete', 'missing:budget']],
  ['recevable', ['over_length:objectifs']],
];

/** Deterministic pseudo-random numbers in [0, 1) (xorshift32), so every run seeds the same store. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

/** Text of ~`chars` characters: French glue words, a common vocabulary, Zipf-like rare words (as test/bench/review.ts). */
const GLUE = 'le la les des du de et à en pour avec sur dans un une par au aux qui que'.split(' ');
const COMMON =
  'coopération territoriale économie sociale solidaire emploi durable insertion mutualisation acteurs locaux collectivités entreprises associations recherche innovation gouvernance partagée ancrage transition écologique circuits courts formation financement animation réseau partenaires filière quartier prioritaire ruralité revitalisation industrie'.split(
    ' ',
  );
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
function text(rand: () => number, chars: number): string {
  const out: string[] = [];
  for (let n = 0; n < chars; ) {
    const r = rand();
    const w =
      r < 0.45 ? GLUE[Math.floor(rand() * GLUE.length)]! : r < 0.8 ? COMMON[Math.floor(rand() * COMMON.length)]! : RARE[Math.floor(RARE.length * rand() ** 3)]!;
    out.push(w);
    n += w.length + 1;
  }
  return out.join(' ') + '.';
}
/** Rubrics given text per bulk dossier (besides the bulk's own short « objectifs »). */
const RUBRICS = Number(process.env.BENCH_RUBRICS ?? 12);
const RUBRIC_CHARS = 1000;

export interface ListBenchStore {
  campaignId: number;
  members: number[];
  dossiers: number;
  reviews: number;
}

export function seedListBench(db: Database, dossiers = BENCH_DOSSIERS, perDossier = REVIEWS_PER_DOSSIER): ListBenchStore {
  const campaignId = seedBulkCampaign(db, dossiers);
  const now = new Date('2021-07-09T08:00:00Z');
  const members = Array.from({ length: MEMBERS }, (_, i) =>
    createMember(db, { name: `Membre ${i + 1}`, role: 'expert', organisation: '' }, { now }).id,
  );
  const ids = (db.prepare('SELECT id FROM dossiers WHERE campaign_id = ? ORDER BY id').all(campaignId) as { id: number }[]).map((r) => r.id);
  let reviews = 0;
  const rand = random(20_000);
  db.transaction(() => {
    const finding = db.prepare(
      'INSERT INTO dossier_findings (dossier_id, complete, on_time, status, flags_json, assessed_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const review = db.prepare(
      'INSERT INTO reviews (dossier_id, member_id, status, created_at, updated_at, revision, submitted_at) VALUES (?, ?, ?, ?, ?, 1, ?)',
    );
    const score = db.prepare('INSERT INTO review_scores (review_id, criterion_key, score) VALUES (?, ?, ?)');
    const elig = db.prepare('INSERT INTO review_eligibility (review_id, criterion_key, answer) VALUES (?, ?, ?)');
    const details = db.prepare('INSERT INTO review_details (review_id, avis) VALUES (?, ?)');
    const at = now.toISOString();
    ids.forEach((dossierId, i) => {
      const [status, flags] = FINDINGS[i % FINDINGS.length]!;
      finding.run(dossierId, flags.includes('incomplete') ? 0 : 1, flags.includes('late') ? 0 : 1, status, JSON.stringify(flags), at);
      for (let k = 0; k < perDossier; k++) {
        const submitted = k < perDossier - 1;
        const r = Number(review.run(dossierId, members[(i + k) % MEMBERS], submitted ? 'submitted' : 'draft', at, at, submitted ? at : null).lastInsertRowid);
        CRITERIA.forEach((c) => score.run(r, c, Math.floor(rand() * 4)));
        ELIGIBILITY.forEach((c) => elig.run(r, c, rand() < 0.25 ? 'non' : 'oui'));
        details.run(r, AVIS[Math.floor(rand() * AVIS.length)]);
        reviews++;
      }
    });
    // An imported dossier row keeps the DS export's row and its normalised content (raw_json):
    // the rubrics' text, ~12 KB and more. The bulk dossiers are given as much.
    // Rubric text for the search (indexed by syncDossierText below), and the dossier's raw_json as big as it.
    const raw = db.prepare('UPDATE dossiers SET raw_json = ? WHERE id = ?');
    const rubric = db.prepare("UPDATE dossier_rubrics SET content = ? WHERE dossier_id = ? AND rubric_key = ? AND content = ''");
    const keys = RUBRIC_KEYS.filter((k) => k !== 'objectifs').slice(0, RUBRICS);
    ids.forEach((id, i) => {
      const rubrics = keys.map((key) => {
        const content = text(rand, RUBRIC_CHARS);
        rubric.run(content, id, key);
        return content;
      });
      raw.run(JSON.stringify({ source: { i }, content: { rubrics } }), id);
    });
    const grid = campaignGrid(db, campaignId)!;
    for (const { id } of db.prepare('SELECT id FROM reviews').all() as { id: number }[]) refreshReviewTotals(db, id, grid);
    syncDossierText(db); // as an import does before it commits
  })();
  return { campaignId, members, dossiers: ids.length, reviews };
}

/** Every list request the benchmarks time: the default list, each sort, each filter, searches. */
export function listCases(campaignId: number, members: number[]): [string, Input<'dossier:table'>][] {
  const me = members[0]!;
  return [
    ['default (number)', { campaignId, memberId: me }],
    ['sort number desc', { campaignId, memberId: me, sort: { column: 'number', direction: 'desc' } }],
    ['sort project name', { campaignId, memberId: me, sort: { column: 'projectName', direction: 'asc' } }],
    ['sort structure name desc', { campaignId, memberId: me, sort: { column: 'structureName', direction: 'desc' } }],
    ['sort admissibility', { campaignId, memberId: me, sort: { column: 'admissibility', direction: 'asc' } }],
    ['sort eligibility', { campaignId, memberId: me, sort: { column: 'eligibility', direction: 'asc' } }],
    ['sort my status', { campaignId, memberId: me, sort: { column: 'myStatus', direction: 'asc' } }],
    ['sort review count', { campaignId, memberId: me, sort: { column: 'reviewCount', direction: 'desc' } }],
    ['sort mean score', { campaignId, memberId: me, sort: { column: 'meanScore', direction: 'desc' } }],
    ['sort avis', { campaignId, memberId: me, sort: { column: 'avis', direction: 'asc' } }],
    ['filter status a_faire', { campaignId, memberId: me, filters: { status: 'a_faire' } }],
    ['filter status en_cours', { campaignId, memberId: me, filters: { status: 'en_cours' } }],
    ['filter status soumis', { campaignId, memberId: me, filters: { status: 'soumis' } }],
    ['filter admissibility', { campaignId, memberId: me, filters: { admissibility: 'recevable' } }],
    ['filter eligibility', { campaignId, memberId: me, filters: { eligibility: 'eligible' } }],
    ['filter avis', { campaignId, memberId: me, filters: { avis: 'defavorable' } }],
    ['filter fragile', { campaignId, memberId: me, filters: { fragile: true } }],
    ['filter reviewer', { campaignId, memberId: me, filters: { reviewer: members[1]! } }],
    ['filter status + avis', { campaignId, memberId: me, filters: { status: 'soumis', avis: 'defavorable' } }],
    ['filter all six', {
      campaignId, memberId: me,
      filters: { status: 'soumis', admissibility: 'recevable', eligibility: 'eligible', avis: 'favorable', fragile: false, reviewer: members[1]! },
    }],
    ['search « mobilite » (1/6)', { campaignId, memberId: me, query: 'mobilite' }],
    ['search « cooperation » (all)', { campaignId, memberId: me, query: 'cooperation' }],
    ['search « besancon 001 »', { campaignId, memberId: me, query: 'besancon 001' }],
    ['search « economie solidaire »', { campaignId, memberId: me, query: 'economie solidaire' }],
    ['search « revitali » (prefix)', { campaignId, memberId: me, query: 'revitali' }],
    [`search « ${RARE[3]} » (rare)`, { campaignId, memberId: me, query: RARE[3]! }],
    [`search « ${RARE[10]} quartier »`, { campaignId, memberId: me, query: `${RARE[10]} quartier` }],
    ['search + filter + sort', { campaignId, memberId: me, query: 'dijon', filters: { avis: 'favorable' }, sort: { column: 'meanScore', direction: 'desc' } }],
  ];
}

/** Median and p95 (nearest rank) of some timings. */
export function quantiles(samples: number[]): { median: number; p95: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, p95: s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)]! };
}
