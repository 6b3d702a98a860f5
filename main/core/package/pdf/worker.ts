import { parentPort } from 'node:worker_threads';
import type { AvisDocument } from '../avis';
import { renderAvisPdf, type AvisPdfOptions } from './avis-pdf';

/** Avis PDF worker (see pool.ts): renders one avis per message, in order. */
export type PdfJob = { id: number; avis: AvisDocument; options: AvisPdfOptions };
export type PdfReply = { id: number; pdf: Uint8Array } | { id: number; error: string };

parentPort?.on('message', (job: PdfJob) => {
  renderAvisPdf(job.avis, job.options).then(
    (pdf) => {
      const out = new Uint8Array(pdf.byteLength);
      out.set(pdf);
      parentPort!.postMessage({ id: job.id, pdf: out } satisfies PdfReply, [out.buffer]);
    },
    (e: unknown) => parentPort!.postMessage({ id: job.id, error: e instanceof Error ? e.message : String(e) } satisfies PdfReply),
  );
});
