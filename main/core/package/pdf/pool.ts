import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AvisDocument } from '../avis';
import { renderAvisPdf, type AvisPdfOptions } from './avis-pdf';
import type { AvisPdfRenderer } from './avis-pdf-cache';
import type { SynthesePdfOptions } from './synthese-pdf';
import type { PdfJob, PdfReply } from './worker';

/**
 * A pool of worker threads rendering avis PDFs (pdfkit is CPU-bound: one render is ~40 ms), so
 * that cold exports use every core and idle-time warming never blocks the main thread. Workers
 * start on the first job and stop when the pool is closed. Rendering is deterministic: a worker
 * gives the same bytes as the main thread (tested).
 */
export interface AvisPdfPool {
  render: AvisPdfRenderer;
  /**
   * For a foreground export: like `render`, but this thread renders too (one at a time) whenever
   * no worker is free — while the workers start, and alongside them — so a cold export is never
   * slower than rendering here alone. Same bytes either way.
   */
  renderWithThisThread: AvisPdfRenderer;
  renderSynthese: (docs: readonly AvisDocument[], options: SynthesePdfOptions) => Promise<Buffer>;
  readonly size: number;
  close(): Promise<void>;
}

/** The build writes `out/main/avisPdfWorker.js` (electron.vite.config.ts); under tsx the source runs with tsx's loader. */
function startWorker(): Worker {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const source = new URL('./worker.ts', here).href;
    const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); });`;
    return new Worker(boot, { eval: true });
  }
  const candidates = [new URL('./avisPdfWorker.js', here), new URL('../avisPdfWorker.js', here)];
  const entry = candidates.find((url) => existsSync(fileURLToPath(url)));
  if (!entry) throw new Error('avis_pdf_worker_missing');
  return new Worker(entry);
}

/**
 * Workers: one core is left to this thread (it renders too during an export, and keeps the app
 * responsive during idle warming). On 2 cores, 2 workers + this thread measured slower than this
 * thread alone (bench:package, cold export: 4.6 s vs 3.8 s), each worker paying ~1.7 s of CPU to start.
 */
export const DEFAULT_PDF_WORKERS = Math.max(1, Math.min(2, availableParallelism() - 1));

export function avisPdfPool(size = DEFAULT_PDF_WORKERS): AvisPdfPool {
  type Pending = { resolve: (b: Buffer) => void; reject: (e: Error) => void };
  const workers: { worker: Worker; busy: number }[] = [];
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let closed = false;

  const spawn = () => {
    const worker = startWorker();
    const slot = { worker, busy: 0 };
    worker.on('message', (m: PdfReply) => {
      slot.busy--;
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (!p) return;
      if ('error' in m) p.reject(new Error(m.error));
      else p.resolve(Buffer.from(m.pdf.buffer, m.pdf.byteOffset, m.pdf.byteLength));
    });
    const fail = (e: Error) => {
      const i = workers.indexOf(slot);
      if (i >= 0) workers.splice(i, 1);
      for (const [id, p] of pending) {
        pending.delete(id);
        p.reject(e);
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (!closed) fail(new Error(`avis PDF worker exited (${code})`));
    });
    workers.push(slot);
    return slot;
  };

  const post = (job: Omit<PdfJob, 'id'>): Promise<Buffer> => {
    if (closed) return Promise.reject(new Error('pool closed'));
    // The least busy worker; a new one while below the pool size.
    let slot = workers.reduce<(typeof workers)[number] | undefined>((a, b) => (!a || b.busy < a.busy ? b : a), undefined);
    if (!slot || (slot.busy > 0 && workers.length < size)) slot = spawn();
    const id = nextId++;
    slot.busy++;
    return new Promise<Buffer>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      slot.worker.postMessage({ ...job, id } as PdfJob);
    });
  };
  const render = (avis: AvisDocument, options: AvisPdfOptions): Promise<Buffer> => post({ avis, options });
  const renderSynthese = (docs: readonly AvisDocument[], synthese: SynthesePdfOptions): Promise<Buffer> => post({ docs: [...docs], synthese });

  let here = 0;
  /**
   * For an export: this thread renders, helped by the workers already started (by the idle warm-up)
   * when they are free; it never starts one. Starting a worker costs ~0.75 s and ~1.7 s of CPU: a
   * cold export of 200 avis on 2 cores measured 4.7 s with a worker started for it, 4.0 s without.
   */
  const renderWithThisThread = async (avis: AvisDocument, options: AvisPdfOptions): Promise<Buffer> => {
    if (!closed && here > 0 && workers.some((w) => w.busy === 0)) return render(avis, options);
    here++;
    try {
      return await renderAvisPdf(avis, options);
    } finally {
      here--;
    }
  };

  return {
    render,
    renderWithThisThread,
    renderSynthese,
    size,
    close: async () => {
      closed = true;
      for (const [id, p] of pending) {
        pending.delete(id);
        p.reject(new Error('pool closed'));
      }
      await Promise.all(workers.splice(0).map((w) => w.worker.terminate()));
    },
  };
}
