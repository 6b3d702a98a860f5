import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { canonicalJson } from '../../review/audit';
import { canonicalJsonOnce } from '../format';
import type { SynthesePdfOptions } from './synthese-pdf';
import type { AvisDocument } from '../avis';
import type { AvisPdfOptions } from './avis-pdf';
import { avisPdfCacheKey, type AvisPdfRenderer } from './avis-pdf-cache';

/**
 * The store's cache of rendered avis PDFs (table `avis_pdf_cache`, migration 13): one PDF per
 * dossier, valid only for the exact avis document, options and renderer version it was rendered
 * from (`avisPdfCacheKey`). Rendering is deterministic, so a hit gives the bytes a fresh render
 * would give; a stale row (the avis changed since) is never served, it is replaced.
 */
export interface AvisPdfStore {
  /** The stored PDF when it was rendered from exactly this input, else null. */
  get(avis: AvisDocument, options: AvisPdfOptions): Buffer | null;
  put(avis: AvisDocument, options: AvisPdfOptions, pdf: Buffer): void;
  /** True when the stored PDF of this dossier is the one for this input. */
  fresh(avis: AvisDocument, options: AvisPdfOptions): boolean;
}

export function avisPdfStore(db: () => Database, now: () => Date = () => new Date()): AvisPdfStore {
  const key = (avis: AvisDocument, options: AvisPdfOptions) => avisPdfCacheKey(avis, options);
  return {
    get: (avis, options) => {
      const row = db()
        .prepare('SELECT pdf FROM avis_pdf_cache WHERE campaign_id = ? AND dossier_number = ? AND input_sha256 = ?')
        .get(avis.campaign.id, avis.dossier.number, key(avis, options)) as { pdf: Buffer } | undefined;
      return row ? row.pdf : null;
    },
    fresh: (avis, options) =>
      db()
        .prepare('SELECT 1 FROM avis_pdf_cache WHERE campaign_id = ? AND dossier_number = ? AND input_sha256 = ?')
        .get(avis.campaign.id, avis.dossier.number, key(avis, options)) !== undefined,
    put: (avis, options, pdf) => {
      const d = db();
      // The campaign may have been deleted meanwhile (warming runs in the background): nothing to keep then.
      if (d.prepare('SELECT 1 FROM campaigns WHERE id = ?').get(avis.campaign.id) === undefined) return;
      d.prepare(
        `INSERT INTO avis_pdf_cache (campaign_id, dossier_number, input_sha256, pdf, rendered_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (campaign_id, dossier_number) DO UPDATE SET input_sha256 = excluded.input_sha256, pdf = excluded.pdf, rendered_at = excluded.rendered_at`,
      ).run(avis.campaign.id, avis.dossier.number, key(avis, options), pdf, now().toISOString());
    },
  };
}

export interface StoredAvisPdfRenderer extends AvisPdfRenderer {
  readonly stats: { hits: number; misses: number };
}

/** Serves each avis PDF from the store when fresh, else renders it (with `render`) and stores it. */
export function storedAvisPdfRenderer(store: AvisPdfStore, render: AvisPdfRenderer): StoredAvisPdfRenderer {
  const stats = { hits: 0, misses: 0 };
  const cached = async (avis: AvisDocument, options: AvisPdfOptions): Promise<Buffer> => {
    const hit = store.get(avis, options);
    if (hit) {
      stats.hits++;
      return hit;
    }
    stats.misses++;
    const pdf = await render(avis, options);
    store.put(avis, options, pdf);
    return pdf;
  };
  return Object.assign(cached, { stats });
}

/** Bump when the synthesis PDF's rendering changes, so that the cache never serves the previous layout. */
export const SYNTHESE_PDF_RENDERER_VERSION = 'synthese-pdf/1';

export type SynthesePdfRenderer = (docs: readonly AvisDocument[], options: SynthesePdfOptions) => Promise<Buffer>;

/** SHA-256 of the renderer's version, the options and every avis document (in order). */
export function synthesePdfCacheKey(docs: readonly AvisDocument[], options: SynthesePdfOptions): string {
  const h = createHash('sha256');
  h.update(`${SYNTHESE_PDF_RENDERER_VERSION}\n${canonicalJson({ lang: options.lang, fontDir: options.fontDir })}\n`, 'utf8');
  for (const d of docs) h.update(`${canonicalJsonOnce(d)}\n`, 'utf8');
  return h.digest('hex');
}

/** The synthesis PDF of each campaign's last package (table `synthese_pdf_cache`), valid only for the same input. */
export interface SynthesePdfStore {
  get(docs: readonly AvisDocument[], options: SynthesePdfOptions): Buffer | null;
  put(docs: readonly AvisDocument[], options: SynthesePdfOptions, pdf: Buffer): void;
}

export function synthesePdfStore(db: () => Database, now: () => Date = () => new Date()): SynthesePdfStore {
  return {
    get: (docs, options) => {
      if (docs.length === 0) return null;
      const row = db()
        .prepare('SELECT pdf FROM synthese_pdf_cache WHERE campaign_id = ? AND input_sha256 = ?')
        .get(docs[0]!.campaign.id, synthesePdfCacheKey(docs, options)) as { pdf: Buffer } | undefined;
      return row ? row.pdf : null;
    },
    put: (docs, options, pdf) => {
      if (docs.length === 0) return;
      const d = db();
      if (d.prepare('SELECT 1 FROM campaigns WHERE id = ?').get(docs[0]!.campaign.id) === undefined) return;
      d.prepare(
        `INSERT INTO synthese_pdf_cache (campaign_id, input_sha256, pdf, rendered_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (campaign_id) DO UPDATE SET input_sha256 = excluded.input_sha256, pdf = excluded.pdf, rendered_at = excluded.rendered_at`,
      ).run(docs[0]!.campaign.id, synthesePdfCacheKey(docs, options), pdf, now().toISOString());
    },
  };
}

/** Serves the synthesis PDF from the store when rendered from exactly these documents, else renders and stores it. */
export function storedSynthesePdfRenderer(store: SynthesePdfStore, render: SynthesePdfRenderer): SynthesePdfRenderer & { stats: { hits: number; misses: number } } {
  const stats = { hits: 0, misses: 0 };
  const cached = async (docs: readonly AvisDocument[], options: SynthesePdfOptions): Promise<Buffer> => {
    const hit = store.get(docs, options);
    if (hit) {
      stats.hits++;
      return hit;
    }
    stats.misses++;
    const pdf = await render(docs, options);
    store.put(docs, options, pdf);
    return pdf;
  };
  return Object.assign(cached, { stats });
}
