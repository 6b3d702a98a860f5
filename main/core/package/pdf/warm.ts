import type { Database } from 'better-sqlite3';
import type { AvisDocument } from '../avis';
import { collectAvis } from '../collect';
import type { AvisPdfOptions } from './avis-pdf';
import type { AvisPdfRenderer } from './avis-pdf-cache';
import type { AvisPdfStore, SynthesePdfRenderer, SynthesePdfStore } from './avis-pdf-store';

/** The options the package export renders avis PDFs with (handlers-package.ts): the warmed keys must be these. */
export function exportAvisPdfOptions(fontDir: string | null | undefined): AvisPdfOptions {
  return fontDir === undefined ? { lang: 'fr' } : { lang: 'fr', fontDir };
}

export interface AvisPdfWarmer {
  /** One slice now (tests, or a caller that knows it is idle): the number of PDFs rendered. */
  slice(): Promise<number>;
  /** True when every dossier's PDF was fresh at the last look and nothing changed since. */
  readonly settled: boolean;
  stop(): void;
}

export interface WarmOptions {
  db: () => Database;
  store: AvisPdfStore;
  /** Renders off the main thread in the app (the worker pool). */
  render: AvisPdfRenderer;
  options: AvisPdfOptions;
  /** Also warm each campaign's synthesis PDF (of the ready dossiers, the export's default), once its avis PDFs are. */
  synthese?: { store: SynthesePdfStore; render: SynthesePdfRenderer };
  /** PDFs rendered per slice (default 2: one per worker). */
  sliceSize?: number;
  /** Period of the idle check in ms; 0 = no timer (call slice()). */
  everyMs: number;
  /** Wall time of the last request to the app: no slice starts less than `idleMs` after it. */
  lastActivity?: () => number;
  idleMs?: number;
  onError?: (e: unknown) => void;
}

/**
 * Renders the avis PDFs ahead of export, in idle time, in small slices: every `everyMs`, when
 * no request came for `idleMs` and the previous slice is done, the avis documents are collected
 * (only when the store changed since the last collection: SQLite's `data_version` for other
 * connections, `total_changes()` for this one) and up to `sliceSize` stale ones are rendered by
 * `render` (worker threads) and stored. The warmer's own writes are not taken for changes.
 */
export function startAvisPdfWarmup(o: WarmOptions): AvisPdfWarmer {
  const sliceSize = o.sliceSize ?? 2;
  let known: string | null = null;
  let queue: AvisDocument[] = [];
  let syntheses: AvisDocument[][] = [];
  let settled = false;
  let running = false;
  let stopped = false;
  const signature = (): string => {
    const db = o.db();
    return `${String(db.pragma('data_version', { simple: true }))}:${String(db.prepare('SELECT total_changes()').pluck().get())}`;
  };
  const collect = (): AvisDocument[] => {
    const db = o.db();
    const campaigns = db.prepare('SELECT id FROM campaigns ORDER BY id').pluck().all() as number[];
    const all = campaigns.map((id) => collectAvis(db, id, 'all'));
    syntheses = o.synthese ? all.map((docs) => docs.filter((d) => d.state === 'ready')).filter((docs) => docs.length > 0) : [];
    return all.flat();
  };

  const slice = async (): Promise<number> => {
    if (running || stopped) return 0;
    running = true;
    try {
      const now = signature();
      if (now !== known) {
        queue = collect();
        known = now;
        settled = false;
      }
      const batch: AvisDocument[] = [];
      while (queue.length > 0 && batch.length < sliceSize) {
        const doc = queue.shift()!;
        if (!o.store.fresh(doc, o.options)) batch.push(doc);
      }
      if (batch.length === 0) {
        // The avis PDFs are all fresh: one campaign's synthesis per slice.
        while (o.synthese && syntheses.length > 0) {
          const docs = syntheses.shift()!;
          if (o.synthese.store.get(docs, o.options)) continue;
          const pdf = await o.synthese.render(docs, o.options);
          if (stopped) return 0;
          const unchanged = signature() === known;
          o.synthese.store.put(docs, o.options, pdf);
          if (unchanged) known = signature();
          return 1;
        }
        settled = true;
        return 0;
      }
      const pdfs = await Promise.all(batch.map((d) => o.render(d, o.options)));
      if (stopped) return 0;
      // Whatever changed meanwhile, each PDF is stored under its own input's key (never stale);
      // the next slice re-collects when someone else wrote during the render.
      const unchanged = signature() === known;
      batch.forEach((d, i) => o.store.put(d, o.options, pdfs[i]!));
      if (unchanged) known = signature();
      return batch.length;
    } finally {
      running = false;
    }
  };

  const timer =
    o.everyMs > 0
      ? setInterval(() => {
          if (o.lastActivity && Date.now() - o.lastActivity() < (o.idleMs ?? 1_000)) return;
          if (settled && signature() === known) return;
          slice().catch((e: unknown) => o.onError?.(e));
        }, o.everyMs)
      : null;
  timer?.unref?.();
  return {
    slice,
    get settled() {
      return settled && signature() === known;
    },
    stop: () => {
      stopped = true;
      if (timer) clearInterval(timer);
    },
  };
}
