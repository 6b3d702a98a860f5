import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '@codegouvfr/react-dsfr/Button';
import type { PDFDocumentProxy } from 'pdfjs-dist';
import { call, toAppError } from '../../ipc';
import type { AppError } from '../../../../shared/result';
import { ErrorAlert, Loading } from '../Feedback';

type PdfJs = typeof import('pdfjs-dist');
let pdfjsPromise: Promise<PdfJs> | null = null;

/** pdf.js, loaded on first use, its worker a bundled asset (CSP: worker-src 'self'). */
function loadPdfJs(): Promise<PdfJs> {
  pdfjsPromise ??= Promise.all([import('pdfjs-dist'), import('pdfjs-dist/build/pdf.worker.min.mjs?url')]).then(
    ([pdfjs, worker]) => {
      pdfjs.GlobalWorkerOptions.workerSrc = worker.default;
      return pdfjs;
    },
  );
  return pdfjsPromise;
}

function decodeBase64(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * A PDF attachment drawn page by page on a canvas by pdf.js: no eval, no scripting, no XFA, no
 * links followed — only pixels. main sends the bytes only after checking they start with %PDF-.
 */
export function PdfViewer({ attachmentId, filename }: { attachmentId: number; filename: string }) {
  const { t } = useTranslation();
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [doc, setDoc] = useState<PDFDocumentProxy | null>(null);
  const [pageNumber, setPageNumber] = useState(1);
  const [error, setError] = useState<AppError | null>(null);
  const [rendered, setRendered] = useState(false);

  useEffect(() => {
    let live = true;
    let loaded: PDFDocumentProxy | null = null;
    (async () => {
      const [file, pdfjs] = await Promise.all([call('attachment:read', { attachmentId }), loadPdfJs()]);
      const task = pdfjs.getDocument({
        data: decodeBase64(file.base64),
        isEvalSupported: false,
        enableXfa: false,
        stopAtErrors: false,
      });
      loaded = await task.promise;
      if (live) setDoc(loaded);
      else void loaded.destroy();
    })().catch((e: unknown) => live && setError(toAppError(e)));
    return () => {
      live = false;
      void loaded?.destroy();
    };
  }, [attachmentId]);

  useEffect(() => {
    if (!doc || !canvasRef.current) return;
    let cancelled = false;
    let task: { cancel(): void; promise: Promise<void> } | null = null;
    setRendered(false);
    (async () => {
      const page = await doc.getPage(pageNumber);
      if (cancelled || !canvasRef.current) return;
      const canvas = canvasRef.current;
      const width = canvas.parentElement?.clientWidth || 800;
      const base = page.getViewport({ scale: 1 });
      const ratio = window.devicePixelRatio || 1;
      const viewport = page.getViewport({ scale: (width / base.width) * ratio });
      canvas.width = Math.floor(viewport.width);
      canvas.height = Math.floor(viewport.height);
      canvas.style.width = `${Math.floor(viewport.width / ratio)}px`;
      task = page.render({ canvas, viewport });
      await task.promise;
      if (!cancelled) setRendered(true);
    })().catch(() => !cancelled && setError({ code: 'attachment_unavailable' }));
    return () => {
      cancelled = true;
      task?.cancel();
    };
  }, [doc, pageNumber]);

  if (error) return <ErrorAlert error={error} />;
  return (
    <figure className="ptce-pdf fr-my-2w">
      {!doc && <Loading />}
      {doc && (
        <div className="ptce-pdf__bar">
          <Button
            size="small"
            priority="secondary"
            iconId="fr-icon-arrow-left-s-line"
            disabled={pageNumber <= 1}
            onClick={() => setPageNumber((n) => n - 1)}
          >
            {t('reader.pdf.previous')}
          </Button>
          <span aria-live="polite">{t('reader.pdf.page', { page: pageNumber, pages: doc.numPages })}</span>
          <Button
            size="small"
            priority="secondary"
            iconId="fr-icon-arrow-right-s-line"
            iconPosition="right"
            disabled={pageNumber >= doc.numPages}
            onClick={() => setPageNumber((n) => n + 1)}
          >
            {t('reader.pdf.next')}
          </Button>
        </div>
      )}
      <div className="ptce-pdf__page">
        <canvas
          ref={canvasRef}
          role="img"
          aria-label={t('reader.pdf.canvas', { name: filename, page: pageNumber })}
          data-rendered={rendered || undefined}
        />
      </div>
    </figure>
  );
}
