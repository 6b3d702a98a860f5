import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '@codegouvfr/react-dsfr/Button';
import type { DossierDetail } from '../../../../shared/domain/types';
import { formatBytes } from '../../format';
import { PdfViewer } from './PdfViewer';
import './reader.css';

/** At most this many bytes are viewed in the app (main refuses bigger files too). */
const MAX_VIEW_BYTES = 30 * 1024 * 1024;

/** The dossier's attachments: metadata for all; PDFs (by type and size) can be viewed inside the app. */
export function Attachments({ dossier }: { dossier: DossierDetail }) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState<number | null>(null);
  return (
    <section aria-labelledby="attachments-title" className="fr-mt-4w">
      <h2 id="attachments-title">{t('dossier.attachments')}</h2>
      {dossier.attachments.length === 0 ? (
        <p>{t('dossier.noAttachments')}</p>
      ) : (
        <ul className="fr-raw-list ptce-attachments">
          {dossier.attachments.map((a) => {
            const viewable = a.mediaType === 'application/pdf' && a.size <= MAX_VIEW_BYTES;
            return (
              <li key={a.id} className="ptce-attachment fr-py-2w" data-attachment={a.id}>
                <p className="fr-mb-1v">
                  <strong>{a.filename}</strong>
                </p>
                <dl className="ptce-attachment__meta fr-text--sm fr-mb-1w">
                  <div>
                    <dt>{t('reader.attachment.size')}</dt>
                    <dd>{formatBytes(a.size, i18n.language, t)}</dd>
                  </div>
                  <div>
                    <dt>{t('reader.attachment.type')}</dt>
                    <dd className="ptce-mono">{a.mediaType}</dd>
                  </div>
                  <div>
                    <dt>{t('reader.attachment.hash')}</dt>
                    <dd className="ptce-mono ptce-attachment__hash">{a.sha256}</dd>
                  </div>
                </dl>
                {viewable ? (
                  <Button
                    size="small"
                    priority="secondary"
                    iconId={open === a.id ? 'fr-icon-eye-off-line' : 'fr-icon-eye-line'}
                    aria-expanded={open === a.id}
                    onClick={() => setOpen((o) => (o === a.id ? null : a.id))}
                  >
                    {open === a.id ? t('reader.attachment.hide', { name: a.filename }) : t('reader.attachment.view', { name: a.filename })}
                  </Button>
                ) : (
                  <p className="fr-text--xs fr-text-mention--grey fr-mb-0">{t('reader.attachment.notViewable')}</p>
                )}
                {open === a.id && <PdfViewer attachmentId={a.id} filename={a.filename} />}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
