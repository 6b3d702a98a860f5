/**
 * npx tsx test/bench/list.ts — the dossier list (issue 4) at scale: BENCH_DOSSIERS (default 5 000)
 * synthetic dossiers, 4 members, 3 reviews per dossier (scores, eligibility, avis; 2 of 3 submitted),
 * then `dossier:table` as the list calls it: default order, sorted by mean score, filtered, and
 * searched. Prints figures (median / p95 in ms, rows); no asserts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../main/core/db/open';
import { createMember } from '../../main/core/review/members';
import { dossierTable } from '../../main/core/list/table';
import type { ParsedInput } from '../../shared/ipc/contract';
import { seedBulkCampaign } from '../support/bulk';
import { campaignGrid } from '../../main/core/store/campaigns';
import { refreshReviewTotals } from '../../main/core/review/reviews';

const DOSSIERS = Number(process.env.BENCH_DOSSIERS || 5000);
const RUNS = 25;
const CRITERIA = ['V1', 'V2', 'V3', 'V4', 'V5', 'O1', 'O2', 'O3', 'E1', 'E2'];
const ELIGIBILITY = ['E-1', 'E-2', 'E-3', 'E-4', 'E-5', 'E-6', 'E-7'];
const AVIS = ['favorable', 'favorable_reserves', 'defavorable'];

const dir = mkdtempSync(join(tmpdir(), 'comite-ptce-bench-list-'));
try {
  const db = openDatabase(join(dir, 'store.sqlite'));
  const t0 = performance.now();
  const campaignId = seedBulkCampaign(db, DOSSIERS);
  const now = new Date('2021-07-09T08:00:00Z');
  const members = [1, 2, 3, 4].map((i) => createMember(db, { name: `Membre ${i}`, role: 'expert', organisation: '' }, { now }).id);
  const ids = (db.prepare('SELECT id FROM dossiers WHERE campaign_id = ?').all(campaignId) as { id: number }[]).map((r) => r.id);
  db.transaction(() => {
    const review = db.prepare(
      "INSERT INTO reviews (dossier_id, member_id, status, created_at, updated_at, revision, submitted_at) VALUES (?, ?, ?, ?, ?, 1, ?)",
    );
    const score = db.prepare('INSERT INTO review_scores (review_id, criterion_key, score) VALUES (?, ?, ?)');
    const elig = db.prepare('INSERT INTO review_eligibility (review_id, criterion_key, answer) VALUES (?, ?, ?)');
    const details = db.prepare('INSERT INTO review_details (review_id, avis) VALUES (?, ?)');
    ids.forEach((dossierId, i) => {
      for (let k = 0; k < 3; k++) {
        const submitted = k < 2;
        const at = now.toISOString();
        const r = Number(review.run(dossierId, members[(i + k) % 4], submitted ? 'submitted' : 'draft', at, at, submitted ? at : null).lastInsertRowid);
        CRITERIA.forEach((c, j) => score.run(r, c, (i + j + k) % 4));
        ELIGIBILITY.forEach((c, j) => elig.run(r, c, (i + j + k) % 3 === 0 ? 'non' : 'oui'));
        details.run(r, AVIS[(i + k) % 3]);
      }
    });
  })();
  // Rows inserted directly: store each review's total as saveReviewPatch does.
  const benchGrid = campaignGrid(db, campaignId)!;
  db.transaction(() => {
    for (const { id } of db.prepare('SELECT id FROM reviews').all() as { id: number }[]) refreshReviewTotals(db, id, benchGrid);
  })();
  console.log(`seeded ${DOSSIERS} dossiers, ${ids.length * 3} reviews in ${(performance.now() - t0).toFixed(0)} ms`);

  const cases: [string, ParsedInput<'dossier:table'>][] = [
    ['default order', { campaignId, filters: {} }],
    ['sort by mean score', { campaignId, filters: {}, sort: { column: 'meanScore', direction: 'desc' } }],
    ['sort by project name', { campaignId, filters: {}, sort: { column: 'projectName', direction: 'asc' } }],
    ['filter status + avis', { campaignId, memberId: members[0], filters: { status: 'soumis', avis: 'defavorable' } }],
    ['filter reviewer + fragile', { campaignId, filters: { reviewer: members[1], fragile: true } }],
    ['search « mobilite » (1/6)', { campaignId, filters: {}, query: 'mobilite' }],
    ['search « besancon 12 »', { campaignId, filters: {}, query: 'besancon 12' }],
  ];
  for (const [label, input] of cases) {
    const times: number[] = [];
    let rows = 0;
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      rows = dossierTable(db, input).rows.length;
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    const p95 = times[Math.min(times.length - 1, Math.floor(times.length * 0.95))]!;
    console.log(`${label.padEnd(28)} median ${median.toFixed(1).padStart(6)} ms  p95 ${p95.toFixed(1).padStart(6)} ms  rows ${rows}`);
  }
  db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
