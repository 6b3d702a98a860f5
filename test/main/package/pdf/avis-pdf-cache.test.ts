import { describe, expect, it, vi } from 'vitest';
import { avisPdfCacheKey, cachedAvisPdfRenderer } from '../../../../main/core/package/pdf/avis-pdf-cache';
import { sampleAvis } from './sample';

describe('cachedAvisPdfRenderer', () => {
  it('serves an unchanged avis from the cache, byte-identical to a fresh render, and renders a changed one', async () => {
    vi.resetModules();
    const { renderAvisPdf: fresh } = await import('../../../../main/core/package/pdf/avis-pdf');
    const avis = sampleAvis('ready');
    const render = cachedAvisPdfRenderer();
    const first = await render(avis, { lang: 'fr' });
    const again = await render(structuredClone(avis), { lang: 'fr' });
    expect(render.stats).toMatchObject({ hits: 1, misses: 1, entries: 1 });
    expect(again.equals(first)).toBe(true);
    expect(again.equals(await fresh(avis, { lang: 'fr' }))).toBe(true);

    // A returned buffer is the caller's own: changing it does not change what the cache serves.
    again.fill(0);
    expect((await render(avis, { lang: 'fr' })).equals(first)).toBe(true);

    const changed = { ...avis, motivation: `${avis.motivation} Modifié.` };
    const other = await render(changed, { lang: 'fr' });
    const english = await render(avis, { lang: 'en' });
    const signed = await render(avis, { lang: 'fr', place: 'Dijon', signedOn: '2021-07-10' });
    expect(render.stats).toMatchObject({ hits: 2, misses: 4, entries: 4 });
    expect(other.equals(first)).toBe(false);
    expect(english.equals(first)).toBe(false);
    expect(signed.equals(first)).toBe(false);
    expect(other.equals(await fresh(changed, { lang: 'fr' }))).toBe(true);
  });

  it('keys on the document and every option, not on key order', () => {
    const avis = sampleAvis('ready');
    const reordered = Object.fromEntries(Object.entries(avis).reverse()) as typeof avis;
    expect(avisPdfCacheKey(reordered, { lang: 'fr' })).toBe(avisPdfCacheKey(avis, { lang: 'fr' }));
    const keys = new Set([
      avisPdfCacheKey(avis, { lang: 'fr' }),
      avisPdfCacheKey(avis, { lang: 'en' }),
      avisPdfCacheKey(avis, { lang: 'fr', fontDir: null }),
      avisPdfCacheKey(avis, { lang: 'fr', fontDir: '/elsewhere' }),
      avisPdfCacheKey(avis, { lang: 'fr', place: 'Dijon' }),
      avisPdfCacheKey(avis, { lang: 'fr', signedOn: '2021-07-10' }),
      avisPdfCacheKey({ ...avis, state: 'draft' }, { lang: 'fr' }),
    ]);
    expect(keys.size).toBe(7);
  });

  it('stays within its byte bound, dropping the least recently used first', async () => {
    let renders = 0;
    const render = cachedAvisPdfRenderer(async (a) => {
      renders++;
      return Buffer.alloc(40, a.dossier.number % 256);
    }, 100);
    const avis = (n: number) => ({ ...sampleAvis('ready'), dossier: { ...sampleAvis('ready').dossier, number: n } });
    await render(avis(1), { lang: 'fr' });
    await render(avis(2), { lang: 'fr' });
    await render(avis(1), { lang: 'fr' }); // 1 is now the most recently used
    await render(avis(3), { lang: 'fr' }); // 120 bytes > 100: drops 2
    expect(render.stats).toMatchObject({ entries: 2, bytes: 80 });
    expect(renders).toBe(3);
    await render(avis(1), { lang: 'fr' });
    expect(renders).toBe(3);
    await render(avis(2), { lang: 'fr' });
    expect(renders).toBe(4);
  });
});
