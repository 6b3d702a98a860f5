import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { AppFailure } from '../../../shared/errors';
import { majority, median, rank, stats } from '../../../main/core/synthesis/stats';
import { getSynthesis } from '../../../main/core/synthesis/synthesis';
import { reorderPhase2 } from '../../../main/core/synthesis/phase2';
import { exportSynthesisXlsx, synthesisXlsx } from '../../../main/core/synthesis/xlsx';
import { verifyJournal } from '../../../main/core/review/audit';
import { setActiveMember } from '../../../main/core/review/members';
import { meetingStore, runMeeting, submittedReview, NOW } from '../meeting/support';
import { tempDir } from '../../support/tmp';

let cleanup = () => {};
afterEach(() => cleanup());

const CRITERIA = ['V1', 'V2', 'V3', 'V4', 'V5', 'O1', 'O2', 'O3', 'E1', 'E2'];
const all = (score: number) => Object.fromEntries(CRITERIA.map((k) => [k, score]));

/**
 * The séance of test/main/meeting/support.ts (consensus on d0 = 21, d1 = 11, d2 = 20; d0 recommended
 * for phase 2), plus: d3 reviewed by alice only (all 1) and never discussed; carol, recused on d2,
 * submitted all 0 there anyway (must not count); targets: d0 b split 1–1 (no majority), c 2–0;
 * the committee recommends d1 (no target) and d2 (committee says b) for phase 2 as well.
 */
function setup() {
  const s = meetingStore();
  cleanup = s.cleanup;
  const d3 = s.dossierIds[3]!;
  submittedReview(s.db, d3, s.alice, all(1));
  submittedReview(s.db, s.d2, s.carol, all(0));
  const { campaignId } = runMeeting(s);
  // The meeting fixture answers the targets in every submitted review; this scenario sets its own.
  s.db.prepare('UPDATE review_details SET target_a = NULL, target_b = NULL, target_c = NULL').run();
  const details = s.db.prepare(
    `INSERT INTO review_details (review_id, target_b, target_c) VALUES ((SELECT id FROM reviews WHERE dossier_id = ? AND member_id = ?), ?, ?)
     ON CONFLICT (review_id) DO UPDATE SET target_b = excluded.target_b, target_c = excluded.target_c`,
  );
  details.run(s.d0, s.alice, 1, 1);
  details.run(s.d0, s.bob, 0, 1);
  s.db.prepare('UPDATE committee_decisions SET phase2 = 1 WHERE dossier_id IN (?, ?)').run(s.d1, s.d2);
  s.db.prepare('UPDATE committee_decisions SET target_b = 1 WHERE dossier_id = ?').run(s.d2);
  const number = (id: number) => (s.db.prepare('SELECT number FROM dossiers WHERE id = ?').get(id) as { number: number }).number;
  return { ...s, d3, campaignId, number };
}

describe('statistics', () => {
  it('computes the median of odd and even counts, and none of nothing', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
    expect(stats([20, 21, 17])).toEqual({ count: 3, mean: 19.333, median: 20, min: 17, max: 21 });
    expect(stats([])).toEqual({ count: 0, mean: null, median: null, min: null, max: null });
  });

  it('takes a strict majority for targets (a tie is no, no answer is unknown)', () => {
    expect(majority([true, true, false])).toBe(true);
    expect(majority([true, false])).toBe(false);
    expect(majority([null, true])).toBe(true);
    expect(majority([null])).toBeNull();
  });

  it('ranks by consensus, then mean, then number, with ex aequo and unranked dossiers', () => {
    const r = rank([
      { number: 5, consensusTotal: null, mean: 25 },
      { number: 4, consensusTotal: 20, mean: 18 },
      { number: 3, consensusTotal: 20, mean: 18 },
      { number: 2, consensusTotal: 20, mean: 19 },
      { number: 1, consensusTotal: null, mean: null },
      { number: 6, consensusTotal: 22, mean: null },
    ]);
    expect(r.map((x) => [x.number, x.rank, x.exAequo])).toEqual([
      [6, 1, false],
      [2, 2, false],
      [3, 3, true],
      [4, 3, true],
      [5, 5, false],
      [1, null, false],
    ]);
  });
});

describe('regional synthesis', () => {
  it('ranks the dossiers by consensus total, then individual mean; recused reviews do not count', () => {
    const s = setup();
    const v = getSynthesis(s.db, s.campaignId);
    expect(v.maxTotal).toBe(30);
    expect(v.threshold).toBe(2);
    const top = v.dossiers.slice(0, 4).map((d) => [d.dossierId, d.rank, d.consensusTotal, d.individual.mean, d.individual.median]);
    expect(top).toEqual([
      [s.d0, 1, 21, 20.5, 20.5],
      [s.d2, 2, 20, 20, 20],
      [s.d1, 3, 11, 19.5, 19.5],
      [s.d3, 4, null, 10, 10],
    ]);
    // Carol (recused on d2) is not counted.
    expect(v.dossiers.find((d) => d.dossierId === s.d2)!.individual).toEqual({ count: 2, mean: 20, median: 20, min: 20, max: 20 });
    // Never reviewed nor discussed: not ranked, at the end in number order.
    const rest = v.dossiers.slice(4);
    expect(rest.every((d) => d.rank === null && d.individual.count === 0 && d.committee === null)).toBe(true);
    expect(rest.map((d) => d.number)).toEqual([...rest.map((d) => d.number)].sort((a, b) => a - b));
    expect(v.dossiers.find((d) => d.dossierId === s.d3)!.committee).toBeNull();
    expect(v.dossiers[0]!.committee).toMatchObject({ avis: 'favorable', phase2: true, heldOn: '2021-07-05' });
  });

  it('holds the consensus total back until every criterion has a consensus', () => {
    const s = setup();
    s.db.prepare("DELETE FROM consensus_scores WHERE dossier_id = ? AND criterion_key = 'E2'").run(s.d0);
    const v = getSynthesis(s.db, s.campaignId);
    const d0 = v.dossiers.find((d) => d.dossierId === s.d0)!;
    expect(d0.consensusTotal).toBeNull();
    // Without consensus it ranks after those with one (d2, d1), before d3 by its mean.
    expect(v.dossiers.slice(0, 4).map((d) => d.dossierId)).toEqual([s.d2, s.d1, s.d0, s.d3]);
  });

  it('flags criteria whose submitted scores spread past the threshold', () => {
    const s = setup();
    const d1 = getSynthesis(s.db, s.campaignId).dossiers.find((d) => d.dossierId === s.d1)!;
    expect(d1.criteria.filter((c) => c.divergent).map((c) => [c.key, c.min, c.max, c.spread, c.consensus])).toEqual([
      ['V1', 0, 3, 3, 1],
      ['O1', 1, 3, 2, 2],
    ]);
    expect(d1.divergentCount).toBe(2);
    const d0 = getSynthesis(s.db, s.campaignId).dossiers.find((d) => d.dossierId === s.d0)!;
    expect(d0.criteria.find((c) => c.key === 'V1')).toMatchObject({ spread: 1, divergent: false });
    // One review only: no spread.
    const d3 = getSynthesis(s.db, s.campaignId).dossiers.find((d) => d.dossierId === s.d3)!;
    expect(d3.criteria[0]).toMatchObject({ min: 1, max: 1, spread: null, divergent: false });
  });

  it('counts each scale value per criterion among submitted and consensus scores', () => {
    const s = setup();
    const v1 = getSynthesis(s.db, s.campaignId).distributions.find((d) => d.key === 'V1')!;
    // d0: 2, 3 · d1: 0, 3 · d2: 2, 2 (carol's 0 excluded) · d3: 1.
    expect(v1.counts).toEqual([1, 1, 3, 2]);
    expect(v1.consensusCounts).toEqual([0, 1, 1, 1]);
    expect(v1.mean).toBe(1.857);
    expect(v1.label.fr).toMatch(/Crédibilité/);
  });

  it('takes targets from the committee when recorded, else the majority of reviews', () => {
    const s = setup();
    const v = getSynthesis(s.db, s.campaignId);
    const t = (id: number) => v.dossiers.find((d) => d.dossierId === id)!.targets;
    expect(t(s.d0)).toEqual({ b: false, c: true, source: 'reviews' });
    expect(t(s.d2)).toEqual({ b: true, c: null, source: 'committee' });
    expect(t(s.d1)).toEqual({ b: null, c: null, source: 'none' });
  });

  it('shortlists for phase 2 only recommended dossiers meeting b and/or c, in the committee order', () => {
    const s = setup();
    setActiveMember(s.db, s.alice, NOW);
    const v = getSynthesis(s.db, s.campaignId);
    // d1 is recommended but meets neither b nor c; default order = ranking.
    expect(v.phase2.map((p) => [p.dossierId, p.position, p.stored])).toEqual([
      [s.d0, 1, false],
      [s.d2, 2, false],
    ]);
    const after = reorderPhase2(s.db, s.campaignId, [s.d2, s.d0], NOW);
    expect(after.phase2.map((p) => [p.dossierId, p.position, p.stored])).toEqual([
      [s.d2, 1, true],
      [s.d0, 2, true],
    ]);
    const entry = s.db.prepare("SELECT member_id, before_json, after_json FROM audit_journal WHERE entity = 'synthesis.phase2Order'").get();
    expect(entry).toEqual({ member_id: s.alice, before_json: '[]', after_json: JSON.stringify([s.d2, s.d0]) });
    expect(verifyJournal(s.db)).toMatchObject({ ok: true });
    // The same order again changes nothing.
    reorderPhase2(s.db, s.campaignId, [s.d2, s.d0], NOW);
    expect(s.db.prepare("SELECT count(*) AS n FROM audit_journal WHERE entity = 'synthesis.phase2Order'").get()).toEqual({ n: 1 });
    // Only the shortlist, each once.
    for (const bad of [[s.d2], [s.d2, s.d0, s.d1], [s.d2, s.d2]]) {
      expect(() => reorderPhase2(s.db, s.campaignId, bad, NOW)).toThrow(AppFailure);
    }
    // A dossier leaving the shortlist drops out; a new one is appended in ranking order.
    s.db.prepare('UPDATE committee_decisions SET phase2 = 0 WHERE dossier_id = ?').run(s.d2);
    s.db
      .prepare(
        `INSERT INTO review_details (review_id, target_c) VALUES ((SELECT id FROM reviews WHERE dossier_id = ? AND member_id = ?), 1)
         ON CONFLICT (review_id) DO UPDATE SET target_c = 1`,
      )
      .run(s.d1, s.alice);
    expect(getSynthesis(s.db, s.campaignId).phase2.map((p) => [p.dossierId, p.stored])).toEqual([
      [s.d0, true],
      [s.d1, false],
    ]);
  });

  it('refuses an unknown campaign', () => {
    const s = setup();
    expect(() => getSynthesis(s.db, 999)).toThrow(AppFailure);
  });
});

describe('synthesis XLSX', () => {
  it('has the four sheets with frozen headers, numbers as numbers, and inert imported text', async () => {
    const s = setup();
    s.db.prepare('UPDATE dossiers SET project_name = ? WHERE id = ?').run('=HYPERLINK("http://evil.example","x")', s.d0);
    s.db.prepare('UPDATE dossiers SET structure_name = ? WHERE id = ?').run('@SUM(1+1)', s.d0);
    const view = getSynthesis(s.db, s.campaignId);
    const bytes = await synthesisXlsx(view, NOW);
    expect(Buffer.compare(bytes, await synthesisXlsx(view, NOW))).toBe(0);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Classement', 'Critères', 'Divergences', 'Phase 2']);
    for (const ws of wb.worksheets) {
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(ws.getRow(1).font?.bold).toBe(true);
      expect(ws.getColumn(1).width).toBeGreaterThan(5);
    }
    const ranking = wb.getWorksheet('Classement')!;
    expect(ranking.getRow(1).getCell(6).value).toBe('Total consensus');
    const first = ranking.getRow(2);
    expect(first.getCell(1).value).toBe(1);
    expect(first.getCell(3).value).toBe(s.number(s.d0));
    expect(first.getCell(4).value).toBe('\'=HYPERLINK("http://evil.example","x")');
    expect(first.getCell(4).type).toBe(ExcelJS.ValueType.String);
    expect(first.getCell(5).value).toBe("'@SUM(1+1)");
    expect(first.getCell(6).value).toBe(21);
    expect(first.getCell(6).numFmt).toBe('0.###');
    expect(first.getCell(9).value).toBe(20.5);
    expect(first.getCell(13).value).toBe('Favorable');
    // d3 never went to séance.
    const d3Row = ranking.getRow(5);
    expect(d3Row.getCell(3).value).toBe(s.number(s.d3));
    expect(d3Row.getCell(6).value).toBeNull();
    expect(d3Row.getCell(13).value).toBe('Pas encore en séance');
    for (let r = 2; r <= ranking.rowCount; r += 1)
      for (const c of [3, 8]) expect(typeof ranking.getRow(r).getCell(c).value).toBe('number');

    const criteria = wb.getWorksheet('Critères')!;
    expect(criteria.getRow(2).values).toEqual([undefined, 'V1', expect.any(String), expect.stringMatching(/Crédibilité/), 1, 1, 1, 3, 2, 1.857, 0, 1, 1, 1]);

    const div = wb.getWorksheet('Divergences')!;
    const rows = div.getSheetValues().slice(2) as unknown[][];
    expect(rows.filter((r) => r[7] === 'oui').map((r) => [r[1], r[3], r[6]])).toEqual([
      [s.number(s.d1), 'V1', 3],
      [s.number(s.d1), 'O1', 2],
    ]);

    const p2 = wb.getWorksheet('Phase 2')!;
    expect(p2.getSheetValues().slice(2).map((r) => (r as unknown[]).slice(1, 4))).toEqual([
      [1, s.number(s.d0), '\'=HYPERLINK("http://evil.example","x")'],
      [2, s.number(s.d2), expect.any(String)],
    ]);
  });

  it('is written atomically, leaving no temporary file', async () => {
    const s = setup();
    const t = tempDir();
    const prev = cleanup;
    cleanup = () => {
      prev();
      t.cleanup();
    };
    const path = join(t.dir, 'synthese.xlsx');
    const r = await exportSynthesisXlsx(getSynthesis(s.db, s.campaignId), path, NOW);
    expect(r.path).toBe(path);
    expect(readdirSync(t.dir)).toEqual(['synthese.xlsx']);
  });
});
