import { createHash } from 'node:crypto';
import { canonicalJson } from '../../review/audit';
import { canonicalJsonOnce } from '../format';
import type { AvisDocument } from '../avis';
import { renderAvisPdf, type AvisPdfOptions } from './avis-pdf';

/**
 * A content-addressed, in-memory cache of rendered avis PDFs, for exporting again in the same
 * session (after changing one dossier, or a second copy of the package): an avis whose document
 * and options are unchanged is not rendered again. The key is the SHA-256 of the canonical JSON of
 * the renderer's version, the AvisDocument and the options; rendering is deterministic (the same
 * inputs give the same bytes), so a hit returns exactly the bytes a fresh render would give.
 * Bounded in bytes; the oldest entries go first. Each caller gets its own copy of the bytes.
 */

/** Bump when the rendering changes, so that a cache never serves the previous layout. */
export const AVIS_PDF_RENDERER_VERSION = 'avis-pdf/1';

export type AvisPdfRenderer = (avis: AvisDocument, options: AvisPdfOptions) => Promise<Buffer>;

export interface CachedAvisPdfRenderer extends AvisPdfRenderer {
  readonly stats: { hits: number; misses: number; entries: number; bytes: number };
  clear(): void;
}

export function avisPdfCacheKey(avis: AvisDocument, options: AvisPdfOptions): string {
  const { lang, place, signedOn, fontDir } = options;
  // The canonical JSON of { renderer, avis, options } (keys in order avis, options, renderer), with
  // the avis document's canonical JSON computed once (it is also the package's avis/<n>.json).
  const key = `{"avis":${canonicalJsonOnce(avis)},"options":${canonicalJson({ lang, place, signedOn, fontDir })},"renderer":${JSON.stringify(AVIS_PDF_RENDERER_VERSION)}}`;
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function cachedAvisPdfRenderer(render: AvisPdfRenderer = renderAvisPdf, maxBytes = 64 * 1024 * 1024): CachedAvisPdfRenderer {
  const entries = new Map<string, Buffer>();
  const stats = { hits: 0, misses: 0, entries: 0, bytes: 0 };
  const cached = async (avis: AvisDocument, options: AvisPdfOptions): Promise<Buffer> => {
    const key = avisPdfCacheKey(avis, options);
    const hit = entries.get(key);
    if (hit) {
      stats.hits++;
      // Most recently used last.
      entries.delete(key);
      entries.set(key, hit);
      return Buffer.from(hit);
    }
    stats.misses++;
    const pdf = await render(avis, options);
    if (pdf.length <= maxBytes) {
      entries.set(key, Buffer.from(pdf));
      stats.bytes += pdf.length;
      for (const [k, b] of entries) {
        if (stats.bytes <= maxBytes) break;
        entries.delete(k);
        stats.bytes -= b.length;
      }
      stats.entries = entries.size;
    }
    return pdf;
  };
  return Object.assign(cached, {
    stats,
    clear: () => {
      entries.clear();
      stats.entries = 0;
      stats.bytes = 0;
    },
  });
}
