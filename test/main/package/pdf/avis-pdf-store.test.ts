import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPackage } from '../../../../main/core/package/build';
import { renderAvisPdf } from '../../../../main/core/package/pdf/avis-pdf';
import {
  avisPdfStore,
  storedAvisPdfRenderer,
  storedSynthesePdfRenderer,
  synthesePdfStore,
} from '../../../../main/core/package/pdf/avis-pdf-store';
import { renderSynthesePdf } from '../../../../main/core/package/pdf/synthese-pdf';
import { avisPdfPool, type AvisPdfPool } from '../../../../main/core/package/pdf/pool';
import { collectAvis, resolveCampaignId } from '../../../../main/core/package/collect';
import { campaignGrid } from '../../../../main/core/store/campaigns';
import { refreshReviewTotals } from '../../../../main/core/review/reviews';
import { Store } from '../../../../main/core/store/store';
import { CLOCK, demoStore } from '../support';
import { entries } from '../tamper-support';

let s: ReturnType<typeof demoStore>;
let pool: AvisPdfPool;
beforeAll(() => {
  s = demoStore();
  pool = avisPdfPool(2);
});
afterAll(async () => {
  await pool.close();
  s.cleanup();
});

const build = (renderPdf: Parameters<typeof buildPackage>[1]['renderPdf']) =>
  buildPackage(s.store.db, { signer: s.signer, now: () => CLOCK, dossiers: 'all', renderPdf });

describe('avis PDFs cached in the store', () => {
  it('a worker renders the same bytes as the main thread', async () => {
    const [doc] = collectAvis(s.store.db, resolveCampaignId(s.store.db), 'all');
    const [a, b] = await Promise.all([pool.render(doc!, { lang: 'fr' }), pool.render(doc!, { lang: 'fr' })]);
    const here = await renderAvisPdf(doc!, { lang: 'fr' });
    expect(a.equals(here)).toBe(true);
    expect(b.equals(here)).toBe(true);
    // With this thread helping (3 at once: two workers and here), the same bytes.
    const helped = await Promise.all([1, 2, 3, 4].map(() => pool.renderWithThisThread(doc!, { lang: 'fr' })));
    for (const pdf of helped) expect(pdf.equals(here)).toBe(true);
  });

  it('the synthesis PDF: rendered by a worker as on the main thread, cached per campaign, never stale', async () => {
    const db = s.store.db;
    const campaignId = resolveCampaignId(db);
    const docs = collectAvis(db, campaignId, 'ready');
    const fresh = await renderSynthesePdf(docs, { lang: 'fr' });
    expect((await pool.renderSynthese(docs, { lang: 'fr' })).equals(fresh)).toBe(true);
    const store = synthesePdfStore(() => db);
    const cold = storedSynthesePdfRenderer(store, pool.renderSynthese);
    expect((await cold(docs, { lang: 'fr' })).equals(fresh)).toBe(true);
    const warm = storedSynthesePdfRenderer(store, () => Promise.reject(new Error('must not render')));
    expect((await warm(collectAvis(db, campaignId, 'ready'), { lang: 'fr' })).equals(fresh)).toBe(true);
    expect([cold.stats, warm.stats]).toEqual([
      { hits: 0, misses: 1 },
      { hits: 1, misses: 0 },
    ]);
    // Another selection, or another avis, is another input.
    expect(store.get(collectAvis(db, campaignId, 'all'), { lang: 'fr' })).toBeNull();
    const changed = collectAvis(db, campaignId, 'ready').map((d, i) => (i === 0 ? { ...d, motivation: `${d.motivation} (modifiée)` } : d));
    expect(store.get(changed, { lang: 'fr' })).toBeNull();
    // In the package: the cached synthesis is the fresh one.
    const built = await buildPackage(db, { signer: s.signer, now: () => CLOCK, renderSynthese: warm });
    expect(built.files.get('synthese.pdf')!.equals(fresh)).toBe(true);
  });

  it('misses when cold, hits when warm (also after reopening the store), and the package is byte-identical to fresh renders', async () => {
    const fresh = await build(renderAvisPdf);
    const count = [...fresh.files.keys()].filter((p) => p.endsWith('.pdf') && p.startsWith('avis/')).length;
    expect(count).toBeGreaterThan(1);
    const cold = storedAvisPdfRenderer(avisPdfStore(() => s.store.db), pool.render);
    expect((await build(cold)).zip.equals(fresh.zip)).toBe(true);
    expect(cold.stats).toEqual({ hits: 0, misses: count });
    const warm = storedAvisPdfRenderer(avisPdfStore(() => s.store.db), () => Promise.reject(new Error('must not render')));
    expect((await build(warm)).zip.equals(fresh.zip)).toBe(true);
    expect(warm.stats).toEqual({ hits: count, misses: 0 });
    // Persistent: another connection to the same store file sees the rendered PDFs.
    const other = Store.open(s.dbPath);
    try {
      const again = storedAvisPdfRenderer(avisPdfStore(() => other.db), () => Promise.reject(new Error('must not render')));
      const [doc] = collectAvis(other.db, resolveCampaignId(other.db), 'all');
      expect((await again(doc!, { lang: 'fr' })).equals(fresh.files.get(`avis/${doc!.dossier.number}.pdf`)!)).toBe(true);
    } finally {
      other.close();
    }
  });

  it('never serves a stale PDF: after a score changes, the next package has the re-rendered PDF of that dossier only', async () => {
    const db = s.store.db;
    const before = await build(storedAvisPdfRenderer(avisPdfStore(() => db), renderAvisPdf));
    const review = db
      .prepare(
        `SELECT r.id, d.number, rs.criterion_key AS criterion, rs.score FROM reviews r JOIN dossiers d ON d.id = r.dossier_id
         JOIN review_scores rs ON rs.review_id = r.id WHERE r.status = 'submitted' AND rs.score IS NOT NULL ORDER BY r.id LIMIT 1`,
      )
      .get() as { id: number; number: number; criterion: string; score: number };
    const score = review.score === 0 ? 1 : review.score - 1;
    db.prepare('UPDATE review_scores SET score = ? WHERE review_id = ? AND criterion_key = ?').run(score, review.id, review.criterion);
    refreshReviewTotals(db, review.id, campaignGrid(db, resolveCampaignId(db))!);
    const render = storedAvisPdfRenderer(avisPdfStore(() => db), renderAvisPdf);
    const after = await build(render);
    expect(render.stats.misses).toBe(1);
    const path = `avis/${review.number}.pdf`;
    expect(after.files.get(path)!.equals(before.files.get(path)!)).toBe(false);
    const doc = collectAvis(db, resolveCampaignId(db), 'all').find((d) => d.dossier.number === review.number)!;
    expect(after.files.get(path)!.equals(await renderAvisPdf(doc, { lang: 'fr' }))).toBe(true);
    // The package's files are the ones a fresh build gives.
    const fresh = await build(renderAvisPdf);
    expect(after.zip.equals(fresh.zip)).toBe(true);
    expect((await entries(after.zip)).get(path)!.equals(fresh.files.get(path)!)).toBe(true);
  });
});
