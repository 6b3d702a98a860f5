import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import type { AvisDocument } from '../../../../main/core/package/avis';
import { sampleAvis } from './sample';

type Render = typeof import('../../../../main/core/package/pdf/avis-pdf').renderAvisPdf;

/** A renderer from a freshly loaded module: no font parsed, no word shaped yet in it. */
async function freshRenderer(): Promise<Render> {
  vi.resetModules();
  return (await import('../../../../main/core/package/pdf/avis-pdf')).renderAvisPdf;
}
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function variant(i: number): AvisDocument {
  const avis = sampleAvis(i % 2 ? 'draft' : 'ready');
  return {
    ...avis,
    dossier: { ...avis.dossier, number: avis.dossier.number + i, project: `${avis.dossier.project} — variante ${i} « ${'ÉÈÀÇœæ ﬁ ﬂ'.slice(0, i + 3)} »` },
    motivation: `${avis.motivation} ${'Coopération efficace, affinée. '.repeat(i + 1)}`,
  };
}

describe('renderAvisPdf font and shaping caches', () => {
  it('renders the same bytes with fonts and word shapes reused from earlier documents as in a fresh process', async () => {
    const target = variant(0);
    const fresh = await freshRenderer();
    const cold = { fr: await fresh(target, { lang: 'fr' }), en: await fresh(variant(1), { lang: 'en' }) };

    const warm = await freshRenderer();
    // Warm the caches with other documents (other words, other fonts' widths, both languages, a draft).
    for (let i = 1; i <= 4; i++) await warm(variant(i), { lang: i % 2 ? 'en' : 'fr' });
    const again = { fr: await warm(target, { lang: 'fr' }), en: await warm(variant(1), { lang: 'en' }) };

    expect(again.fr.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(sha(again.fr)).toBe(sha(cold.fr));
    expect(sha(again.en)).toBe(sha(cold.en));
    // And the warm renderer still tells documents apart (the cache is keyed by the words).
    expect(sha(await warm(variant(2), { lang: 'fr' }))).not.toBe(sha(again.fr));
  });

  it('keeps the Helvetica fallback unaffected by the Marianne caches', async () => {
    const fresh = await freshRenderer();
    const cold = await fresh(variant(3), { lang: 'fr', fontDir: null });
    await fresh(variant(3), { lang: 'fr' });
    expect(sha(await fresh(variant(3), { lang: 'fr', fontDir: null }))).toBe(sha(cold));
  });
});
