import { parentPort } from 'node:worker_threads';
import type { AvisDocument } from '../avis';
import { renderAvisPdf, type AvisPdfOptions } from './avis-pdf';
import { renderSynthesePdf, type SynthesePdfOptions } from './synthese-pdf';

/** PDF worker (see pool.ts): renders one avis, or one synthesis, per message. */
export type PdfJob =
  | { id: number; avis: AvisDocument; options: AvisPdfOptions }
  | { id: number; docs: AvisDocument[]; synthese: SynthesePdfOptions };
export type PdfReply = { id: number; pdf: Uint8Array } | { id: number; error: string };

parentPort?.on('message', (job: PdfJob) => {
  ('docs' in job ? renderSynthesePdf(job.docs, job.synthese) : renderAvisPdf(job.avis, job.options)).then(
    (pdf) => {
      const out = new Uint8Array(pdf.byteLength);
      out.set(pdf);
      parentPort!.postMessage({ id: job.id, pdf: out } satisfies PdfReply, [out.buffer]);
    },
    (e: unknown) => parentPort!.postMessage({ id: job.id, error: e instanceof Error ? e.message : String(e) } satisfies PdfReply),
  );
});
