import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { importFiles } from '../../main/core/import/pipeline';
import { seedDemo } from '../../main/core/demo';
import { SNIPPET_ROWS, tableQuery } from '../../main/core/list/table';
import { seedBulkCampaign } from '../support/bulk';
import { attachmentPath } from '../../main/core/store/paths';
import { HIGHLIGHT_OPEN, RANKED_ROWS_LIMIT, splitHighlights } from '../../main/core/review/search';
import { runtimeFixture } from '../support/runtime';
import type { Runtime } from '../../main/core/runtime';

const openRuntime = runtimeFixture();

function open() {
  const { runtime } = openRuntime({ now: () => new Date('2021-07-09T08:00:00Z') });
  const { campaignId } = seedDemo(runtime.store.db, new Date('2021-07-08T09:30:00Z'));
  const ids = (runtime.store.db.prepare('SELECT id, number FROM dossiers WHERE campaign_id = ? ORDER BY deposited_at, number').all(campaignId) as {
    id: number;
    number: number;
  }[]);
  return { rt: runtime, campaignId, ordered: ids };
}

async function members(rt: Runtime) {
  const [camille, yann] = await rt.handlers['member:list']({});
  return { camille: camille!, yann: yann! };
}

describe('dossier:table', () => {
  it('one row per dossier with review aggregates computed from the reviews', async () => {
    const { rt, campaignId, ordered } = open();
    const { camille, yann } = await members(rt);
    const table = await rt.handlers['dossier:table']({ campaignId, filters: {} });
    expect(table.rows).toHaveLength(6);
    expect(table.memberId).toBe(camille.id); // the active member by default
    expect(table.rows.map((r) => r.number)).toEqual([...table.rows.map((r) => r.number)].sort((a, b) => a - b));
    const byId = new Map(table.rows.map((r) => [r.id, r]));
    const [d1, d2, d3, d4] = ordered.map((o) => byId.get(o.id)!);
    // Mean of the two submitted totals, as the review module computes them.
    const t1c = (await rt.handlers['review:get']({ dossierId: d1!.id, memberId: camille.id })).totals.total;
    const t1y = (await rt.handlers['review:get']({ dossierId: d1!.id, memberId: yann.id })).totals.total;
    expect(d1).toMatchObject({ reviewCount: 2, submittedCount: 2, eligibility: 'eligible', myStatus: 'soumis' });
    expect(d1!.meanScore).toBeCloseTo((t1c + t1y) / 2, 3);
    // favorable vs favorable_reserves tie: the more cautious one.
    expect(d1!.avis).toBe('favorable_reserves');
    // Yann's draft does not count: only Camille's submitted review.
    const t2c = (await rt.handlers['review:get']({ dossierId: d2!.id, memberId: camille.id })).totals.total;
    expect(d2).toMatchObject({ reviewCount: 2, submittedCount: 1, avis: 'favorable', eligibility: 'eligible' });
    expect(d2!.meanScore).toBeCloseTo(t2c, 3);
    expect(d3).toMatchObject({ reviewCount: 1, submittedCount: 0, avis: null, eligibility: null, meanScore: null, myStatus: 'en_cours' });
    expect(d4).toMatchObject({ avis: 'defavorable', eligibility: 'ineligible', myStatus: 'soumis' });
    expect(table.maxScore).toBeGreaterThan(0);
    expect(table.rows.every((r) => r.snippet === null)).toBe(true);
  });

  it('myStatus follows the member asked for', async () => {
    const { rt, campaignId, ordered } = open();
    const { yann } = await members(rt);
    const table = await rt.handlers['dossier:table']({ campaignId, memberId: yann.id, filters: {} });
    const status = (id: number) => table.rows.find((r) => r.id === id)!.myStatus;
    expect(status(ordered[0]!.id)).toBe('soumis');
    expect(status(ordered[1]!.id)).toBe('en_cours');
    expect(status(ordered[2]!.id)).toBe('a_faire');
    const todo = await rt.handlers['dossier:table']({ campaignId, memberId: yann.id, filters: { status: 'a_faire' } });
    expect(todo.rows.map((r) => r.id).sort()).toEqual(ordered.slice(2).map((o) => o.id).sort());
  });

  it('filters: avis, eligibility, fragile, reviewer, admissibility', async () => {
    const { rt, campaignId, ordered } = open();
    const { yann } = await members(rt);
    const ids = async (filters: object) =>
      (await rt.handlers['dossier:table']({ campaignId, filters })).rows.map((r) => r.id).sort((a, b) => a - b);
    expect(await ids({ avis: 'defavorable' })).toEqual([ordered[3]!.id]);
    expect(await ids({ avis: 'none' })).toHaveLength(3);
    expect(await ids({ eligibility: 'eligible' })).toEqual([ordered[0]!.id, ordered[1]!.id].sort((a, b) => a - b));
    expect(await ids({ reviewer: yann.id })).toEqual([ordered[0]!.id, ordered[1]!.id].sort((a, b) => a - b));
    // « Aucun » is not a fragile territory.
    const fragile = await ids({ fragile: true });
    const notFragile = await ids({ fragile: false });
    expect(fragile).toHaveLength(5);
    expect(notFragile).toHaveLength(1);
    const talant = (await rt.handlers['dossier:table']({ campaignId, filters: { fragile: false } })).rows[0]!;
    expect(talant.projectName).toContain('Talant');
    // The demo has no findings: any admissibility filter is empty.
    expect(await ids({ admissibility: 'recevable' })).toEqual([]);
    expect(await rt.dispatch('dossier:table', { campaignId, filters: { avis: 'great' } })).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(await rt.dispatch('dossier:table', { campaignId: 999, filters: {} })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('sorts by any column, both directions, ties by number', async () => {
    const { rt, campaignId } = open();
    const sorted = async (column: string, direction: 'asc' | 'desc') =>
      (await rt.handlers['dossier:table']({ campaignId, filters: {}, sort: { column: column as 'number', direction } })).rows;
    const names = (await sorted('projectName', 'asc')).map((r) => r.projectName);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'fr', { sensitivity: 'base' })));
    expect((await sorted('projectName', 'desc')).map((r) => r.projectName)).toEqual([...names].reverse());
    const scores = (await sorted('meanScore', 'desc')).map((r) => r.meanScore ?? -1);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const counts = (await sorted('reviewCount', 'asc')).map((r) => r.reviewCount);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    const avis = (await sorted('avis', 'asc')).map((r) => r.avis);
    expect(avis.slice(0, 3)).toEqual(['favorable', 'favorable_reserves', 'defavorable']);
    expect(avis.slice(3)).toEqual([null, null, null]);
    const numbers = (await sorted('number', 'desc')).map((r) => r.number);
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
    for (const column of ['structureName', 'admissibility', 'eligibility', 'myStatus']) {
      expect(await sorted(column, 'asc')).toHaveLength(6);
    }
  });

  it('search is accent- and case-insensitive and returns highlighted snippets', async () => {
    const { rt, campaignId } = open();
    const plain = await rt.handlers['dossier:table']({ campaignId, filters: {}, query: 'ENERGIES renouvelables' });
    expect(plain.rows.map((r) => r.projectName).sort()).toEqual(
      ['PTCE énergies renouvelables de Saint-Symphorien-de-Marmagne', 'PTCE énergies renouvelables du pays de Clux-Villeneuve'],
    );
    for (const row of plain.rows) {
      expect(row.snippet).toContain(HIGHLIGHT_OPEN);
      const marked = splitHighlights(row.snippet!).filter((p) => p.highlight).map((p) => p.text.toLowerCase());
      expect(marked.some((m) => m.startsWith('énergies') || m.startsWith('renouvelables'))).toBe(true);
    }
    // Combined with a filter and a sort.
    const talant = await rt.handlers['dossier:table']({ campaignId, filters: { fragile: false }, query: 'talant' });
    expect(talant.rows).toHaveLength(1);
    expect((await rt.handlers['dossier:table']({ campaignId, filters: { fragile: true }, query: 'talant' })).rows).toEqual([]);
    expect((await rt.handlers['dossier:table']({ campaignId, filters: {}, query: 'zzzqqq' })).rows).toEqual([]);
    // FTS syntax is text, never an error.
    expect((await rt.dispatch('dossier:table', { campaignId, filters: {}, query: '" OR body:* NEAR(' })).ok).toBe(true);
  });

  it('a search sends the first rows with their snippet; dossier:snippets gives the others, for its campaign only', async () => {
    const { rt, campaignId: demoId } = open();
    const bulkId = seedBulkCampaign(rt.store.db, SNIPPET_ROWS + 40);
    // Every bulk dossier says « Coopération autour de … ».
    const table = await rt.handlers['dossier:table']({ campaignId: bulkId, filters: {}, query: 'cooperation' });
    expect(table.rows).toHaveLength(SNIPPET_ROWS + 40);
    const first = table.rows.slice(0, SNIPPET_ROWS);
    const rest = table.rows.slice(SNIPPET_ROWS);
    expect(first.every((r) => r.snippet !== null && splitHighlights(r.snippet).some((p) => p.highlight && /^coopération$/i.test(p.text)))).toBe(true);
    expect(rest.every((r) => r.snippet === null)).toBe(true);
    // Sorted otherwise, the snippets follow the rows shown first.
    const byName = await rt.handlers['dossier:table']({ campaignId: bulkId, filters: {}, query: 'cooperation', sort: { column: 'number', direction: 'desc' } });
    expect(byName.rows.slice(0, SNIPPET_ROWS).every((r) => r.snippet !== null)).toBe(true);
    expect(byName.rows.slice(SNIPPET_ROWS).every((r) => r.snippet === null)).toBe(true);
    const asked = rest.slice(0, 5).map((r) => r.id);
    const demoDossier = (rt.store.db.prepare('SELECT id FROM dossiers WHERE campaign_id = ? LIMIT 1').pluck().get(demoId)) as number;
    const snippets = await rt.handlers['dossier:snippets']({ campaignId: bulkId, query: 'cooperation', dossierIds: [...asked, demoDossier] });
    expect(snippets.map((s) => s.dossierId).sort((a, b) => a - b)).toEqual(asked);
    for (const s of snippets) expect(s.snippet).toContain(HIGHLIGHT_OPEN);
    // Several words: the rubric highlighting both (« Coopération autour de … à Dijon. ») wins over the name.
    const dijon = table.rows.find((r) => r.projectName.includes('Dijon'))!;
    const [two] = await rt.handlers['dossier:snippets']({ campaignId: bulkId, query: 'cooperation dijon', dossierIds: [dijon.id] });
    expect(splitHighlights(two!.snippet).filter((p) => p.highlight).map((p) => p.text.toLowerCase())).toEqual(['coopération', 'dijon']);
    expect(await rt.handlers['dossier:snippets']({ campaignId: bulkId, query: '  ', dossierIds: asked })).toEqual([]);
    expect(await rt.dispatch('dossier:snippets', { campaignId: bulkId, query: 'x', dossierIds: Array.from({ length: 201 }, (_, i) => i + 1) })).toMatchObject({
      ok: false,
      error: { code: 'validation' },
    });
    expect(await rt.dispatch('dossier:snippets', { campaignId: 999, query: 'x', dossierIds: [1] })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('a search of common words (over RANKED_ROWS_LIMIT dossiers) lists every match in dossier order, filters applied', async () => {
    const { rt } = open();
    const bulkId = seedBulkCampaign(rt.store.db, RANKED_ROWS_LIMIT + 100);
    // « ptce » is in every name, « cooperation » in every « objectifs ».
    const matching = rt.store.db.prepare("SELECT count(*) FROM dossier_text WHERE dossier_text MATCH 'ptce cooperation'").pluck().get() as number;
    expect(matching).toBeGreaterThan(RANKED_ROWS_LIMIT);
    const ids = rt.store.db.prepare('SELECT id FROM dossiers WHERE campaign_id = ? ORDER BY id').pluck().all(bulkId) as number[];
    const table = await rt.handlers['dossier:table']({ campaignId: bulkId, filters: {}, query: 'PTCE coopération' });
    expect(table.rows.map((r) => r.id)).toEqual(ids);
    expect(table.rows.slice(0, SNIPPET_ROWS).every((r) => r.snippet?.includes(HIGHLIGHT_OPEN))).toBe(true);
    expect(table.rows.slice(SNIPPET_ROWS).every((r) => r.snippet === null)).toBe(true);
    const desc = await rt.handlers['dossier:table']({ campaignId: bulkId, filters: {}, query: 'PTCE coopération', sort: { column: 'relevance', direction: 'desc' } });
    expect(desc.rows.map((r) => r.id)).toEqual([...ids].reverse());
    const fragile = await rt.handlers['dossier:table']({ campaignId: bulkId, filters: { fragile: true }, query: 'PTCE coopération' });
    expect(fragile.rows).toHaveLength(ids.filter((_, i) => (i + 1) % 3 === 0).length);
    // A word only some dossiers have: only those.
    const dijon = await rt.handlers['dossier:table']({ campaignId: bulkId, filters: {}, query: 'PTCE coopération dijon' });
    const inDijon = rt.store.db.prepare("SELECT id FROM dossiers WHERE campaign_id = ? AND project_name LIKE '%Dijon%' ORDER BY id").pluck().all(bulkId);
    expect(inDijon.length).toBeGreaterThan(100);
    // Selective again: ranked by relevance.
    expect(dijon.rows.map((r) => r.id).sort((a, b) => a - b)).toEqual(inDijon);
  });

  it('the list query uses indexes (no full scan of dossiers or reviews)', () => {
    const { rt, campaignId } = open();
    const { sql, params } = tableQuery(rt.store.db, { campaignId, filters: { reviewer: 2 } }, 1, null);
    const plan = rt.store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[];
    const details = plan.map((p) => p.detail);
    const scans = details.filter((d) => /^SCAN (dossiers|reviews|review_\w+|dossier_\w+|d|r|s|m|x|rd|f)\b/.test(d));
    expect(scans, details.join(' | ')).toEqual([]);
    // The dossier columns come from a covering index (migration 10); the member's review by its key.
    expect(details, details.join(' | ')).toContain('SEARCH d USING COVERING INDEX dossiers_list (campaign_id=?)');
    expect(details.some((d) => /^SEARCH m USING INDEX sqlite_autoindex_reviews_1 \(dossier_id=\? AND member_id=\?\)/.test(d))).toBe(true);
    // Reviews are not aggregated per request: one stored row per dossier (dossier_review_stats).
    expect(details.some((d) => /^SEARCH s USING INTEGER PRIMARY KEY/.test(d)), details.join(' | ')).toBe(true);
    expect(details.some((d) => /review_scores|review_eligibility|review_details|\b(rs|re|rd)\b/.test(d)), details.join(' | ')).toBe(false);
    expect(details.some((d) => /TEMP B-TREE FOR GROUP BY/.test(d)), details.join(' | ')).toBe(false);
  });

  it('the aggregates follow every change to a review: save, submit, avis, deletion', async () => {
    const { rt, campaignId, ordered } = open();
    const { camille, yann } = await members(rt);
    const db = rt.store.db;
    const row = async (id: number) => (await rt.handlers['dossier:table']({ campaignId, filters: {} })).rows.find((r) => r.id === id)!;
    const d3 = ordered[2]!.id;
    expect(await row(d3)).toMatchObject({ reviewCount: 1, submittedCount: 0, meanScore: null, avis: null });
    // Camille's draft on d3 is submitted with an avis: it now counts.
    const review = db.prepare('SELECT id FROM reviews WHERE dossier_id = ? AND member_id = ?').get(d3, camille.id) as { id: number };
    db.prepare("INSERT INTO review_details (review_id, avis) VALUES (?, 'favorable') ON CONFLICT (review_id) DO UPDATE SET avis = excluded.avis").run(review.id);
    db.prepare("UPDATE reviews SET status = 'submitted', weighted_total = 12.5, eligible_met = 7 WHERE id = ?").run(review.id);
    expect(await row(d3)).toMatchObject({ reviewCount: 1, submittedCount: 1, meanScore: 12.5, avis: 'favorable', eligibility: 'eligible' });
    db.prepare("UPDATE review_details SET avis = 'defavorable' WHERE review_id = ?").run(review.id);
    expect((await row(d3)).avis).toBe('defavorable');
    // A second reviewer, submitted, ineligible: the eligibility is divided, the mean moves.
    const at = '2021-07-09T08:00:00.000Z';
    db.prepare(
      "INSERT INTO reviews (dossier_id, member_id, status, created_at, updated_at, weighted_total, eligible_met) VALUES (?, ?, 'submitted', ?, ?, 7.5, 1)",
    ).run(d3, yann.id, at, at);
    expect(await row(d3)).toMatchObject({ reviewCount: 2, submittedCount: 2, meanScore: 10, eligibility: 'divided', avis: 'defavorable' });
    const yannTable = await rt.handlers['dossier:table']({ campaignId, memberId: yann.id, filters: { reviewer: yann.id } });
    expect(yannTable.rows.find((r) => r.id === d3)?.myStatus).toBe('soumis');
    // Deleting the reviews empties the aggregate.
    db.prepare('DELETE FROM reviews WHERE dossier_id = ?').run(d3);
    expect(await row(d3)).toMatchObject({ reviewCount: 0, submittedCount: 0, meanScore: null, avis: null, eligibility: null, myStatus: 'a_faire' });
    expect(db.prepare('SELECT count(*) FROM dossier_review_stats WHERE dossier_id = ?').pluck().get(d3)).toBe(0);
  });
});

describe('dossier:extras and attachment:read', () => {
  function addAttachment(rt: Runtime, dossierId: number, bytes: Buffer, filename: string, size = bytes.length) {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const file = attachmentPath(rt.store.paths.filesDir, sha256);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, bytes);
    const info = rt.store.db
      .prepare('INSERT INTO attachments (dossier_id, sha256, filename, size, media_type, kind) VALUES (?, ?, ?, ?, ?, ?)')
      .run(dossierId, sha256, filename, size, 'application/pdf', 'annexe');
    return Number(info.lastInsertRowid);
  }

  it('partners and DS avis of a dossier', async () => {
    const { rt, campaignId, ordered } = open();
    const db = rt.store.db;
    db.prepare('INSERT INTO dossier_partners VALUES (?, 0, ?, ?, ?, ?, ?)').run(ordered[0]!.id, 'Ville de Beaucourt', '21900010200012', 'collectivite', 'Financeur', '{}');
    db.prepare('INSERT INTO dossier_partners VALUES (?, 1, ?, ?, ?, ?, ?)').run(ordered[0]!.id, 'Ressourcerie du Nord', '', 'ess', 'Membre', '{}');
    db.prepare('INSERT INTO dossier_avis VALUES (?, 0, ?, ?, ?, ?, ?, ?, ?, ?)').run(ordered[0]!.id, 'Avis DDETS', 'Favorable', 'Q', 'R', '2021-06-01T10:00:00Z', null, 'instructeur', 'expert');
    const number = ordered[0]!.number;
    const extras = await rt.handlers['dossier:extras']({ campaignId, number });
    expect(extras.partners.map((p) => [p.name, p.siret, p.role])).toEqual([
      ['Ville de Beaucourt', '21900010200012', 'Financeur'],
      ['Ressourcerie du Nord', '', 'Membre'],
    ]);
    expect(extras.avis[0]).toMatchObject({ introduction: 'Avis DDETS', answer: 'Favorable', askedAt: '2021-06-01T10:00:00Z', answeredAt: null });
    expect((await rt.handlers['dossier:extras']({ campaignId, number: ordered[1]!.number })).partners).toEqual([]);
    expect(await rt.dispatch('dossier:extras', { campaignId, number: 1 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('sends PDFs only, checked by magic bytes and size', async () => {
    const { rt, ordered } = open();
    const pdf = Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');
    const ok = addAttachment(rt, ordered[0]!.id, pdf, 'budget.pdf');
    const read = await rt.handlers['attachment:read']({ attachmentId: ok });
    expect(read).toMatchObject({ id: ok, filename: 'budget.pdf', mediaType: 'application/pdf' });
    expect(Buffer.from(read.base64, 'base64').equals(pdf)).toBe(true);
    // Named .pdf, recorded as PDF, but an HTML page: refused.
    const html = addAttachment(rt, ordered[0]!.id, Buffer.from('<html><script>alert(1)</script></html>'), 'statuts.pdf');
    expect(await rt.dispatch('attachment:read', { attachmentId: html })).toMatchObject({
      ok: false,
      error: { code: 'attachment_unavailable', params: { reason: 'not_pdf' } },
    });
    // Over 30 MB (as recorded): refused before reading.
    const big = addAttachment(rt, ordered[0]!.id, Buffer.from('%PDF-1.7 big'), 'gros.pdf', 31 * 1024 * 1024);
    expect(await rt.dispatch('attachment:read', { attachmentId: big })).toMatchObject({
      ok: false,
      error: { code: 'attachment_unavailable', params: { reason: 'too_large' } },
    });
    expect(await rt.dispatch('attachment:read', { attachmentId: 99_999 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});

const FIXTURE = resolve(__dirname, '../../../shared/fixtures/ds/ami-2021-bourgogne-franche-comte/dossiers_ami-ptce-emergents_2021-07-08_09-30');

describe.skipIf(!existsSync(`${FIXTURE}.zip`))('over an imported DS export (XLSX + ZIP fixture)', () => {
  it('lists admissibility from the import, shows partners, and serves the real PDFs', async () => {
    const rt = openRuntime({ now: () => new Date('2021-07-09T08:00:00Z') }).runtime;
    const campaign = await rt.handlers['campaign:create']({ wave: 1, phase: 1, regionCode: '27', deadline: '2021-06-23T22:00:00.000Z' });
    const report = await importFiles(rt.store.db, {
      campaignId: campaign.id,
      files: [`${FIXTURE}.xlsx`, `${FIXTURE}.zip`],
      filesDir: rt.store.paths.filesDir,
      now: () => new Date('2021-07-09T08:00:00Z'),
    });
    expect(report).not.toHaveProperty('needsMapping');
    const table = await rt.handlers['dossier:table']({ campaignId: campaign.id, filters: {} });
    expect(table.rows.length).toBeGreaterThan(5);
    expect(table.rows.every((r) => r.admissibility !== null)).toBe(true);
    for (const status of ['recevable', 'au_fil_de_l_eau', 'irrecevable'] as const) {
      const filtered = await rt.handlers['dossier:table']({ campaignId: campaign.id, filters: { admissibility: status } });
      expect(filtered.rows.every((r) => r.admissibility?.status === status)).toBe(true);
      expect(filtered.rows.length).toBe(table.rows.filter((r) => r.admissibility?.status === status).length);
    }
    // Partners read from the export.
    const withPartners = rt.store.db
      .prepare('SELECT d.number, count(*) AS n FROM dossier_partners p JOIN dossiers d ON d.id = p.dossier_id GROUP BY d.id LIMIT 1')
      .get() as { number: number; n: number } | undefined;
    if (withPartners) {
      const extras = await rt.handlers['dossier:extras']({ campaignId: campaign.id, number: withPartners.number });
      expect(extras.partners).toHaveLength(withPartners.n);
    }
    // Every attachment recorded as a PDF comes back as a PDF; none of the others does.
    const attachments = rt.store.db.prepare('SELECT id, media_type FROM attachments').all() as { id: number; media_type: string }[];
    const pdfs = attachments.filter((a) => a.media_type === 'application/pdf');
    expect(pdfs.length).toBeGreaterThan(0);
    for (const a of pdfs) {
      const read = await rt.handlers['attachment:read']({ attachmentId: a.id });
      expect(Buffer.from(read.base64, 'base64').subarray(0, 5).toString('latin1')).toBe('%PDF-');
    }
    for (const a of attachments.filter((x) => x.media_type !== 'application/pdf')) {
      expect(await rt.dispatch('attachment:read', { attachmentId: a.id })).toMatchObject({ ok: false, error: { code: 'attachment_unavailable' } });
    }
  });
});
