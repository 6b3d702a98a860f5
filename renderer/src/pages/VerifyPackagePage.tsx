import { useState, type DragEvent } from 'react';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { useTranslation } from 'react-i18next';
import { call, toAppError } from '../ipc';
import { ErrorAlert } from '../components/Feedback';
import { usePageTitle } from '../components/usePageTitle';
import { formatDateTime } from '../format';
import { formatFingerprint } from '../package/fingerprint';
import type { Api } from '../../../shared/ipc/api';
import type { PackageVerifyView } from '../../../shared/domain/package';
import type { AppError } from '../../../shared/result';
import '../import.css';
import '../package.css';

/** The desktop preload exposes the dropped files' paths (Electron's webUtils.getPathForFile). */
type DesktopApi = Api & { pathsForFiles?: (files: File[]) => string[] };

type State =
  | { kind: 'idle' }
  | { kind: 'busy' }
  | { kind: 'cancelled' }
  | { kind: 'dropDesktop' }
  | { kind: 'error'; error: AppError }
  | { kind: 'done'; view: PackageVerifyView };

export function VerifyPackagePage() {
  const { t } = useTranslation();
  usePageTitle(t('packageUi.verify.title'));
  const [state, setState] = useState<State>({ kind: 'idle' });
  const [over, setOver] = useState(false);

  const verify = async (path?: string) => {
    setState({ kind: 'busy' });
    try {
      const view = await call('package:verify', path ? { path } : {});
      setState(view ? { kind: 'done', view } : { kind: 'cancelled' });
    } catch (e) {
      setState({ kind: 'error', error: toAppError(e) });
    }
  };

  const drop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setOver(false);
    const files = [...e.dataTransfer.files];
    if (files.length === 0) return;
    const api = window.api as DesktopApi;
    const path = typeof api.pathsForFiles === 'function' ? api.pathsForFiles(files.slice(0, 1))[0] : '';
    if (!path) {
      setState({ kind: 'dropDesktop' });
      return;
    }
    void verify(path);
  };

  return (
    <>
      <h1>{t('packageUi.verify.title')}</h1>
      <p className="fr-text--lead">{t('packageUi.verify.intro')}</p>
      <div
        className={over ? 'ptce-dropzone ptce-dropzone--over fr-mb-3w' : 'ptce-dropzone fr-mb-3w'}
        data-testid="verify-dropzone"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={drop}
      >
        <Button iconId="fr-icon-file-line" onClick={() => void verify()} disabled={state.kind === 'busy'}>
          {t('packageUi.verify.choose')}
        </Button>
        <p className="fr-mt-2w fr-mb-0 fr-text--sm">{t('packageUi.verify.dropZone')}</p>
      </div>
      <div aria-live="polite">
        {state.kind === 'busy' && <p role="status">{t('packageUi.verify.working')}</p>}
        {state.kind === 'cancelled' && <Alert severity="info" small description={t('packageUi.verify.cancelled')} role="status" />}
        {state.kind === 'dropDesktop' && <Alert severity="info" small description={t('packageUi.verify.dropNeedsDesktop')} role="status" />}
        {state.kind === 'error' && <ErrorAlert error={state.error} />}
        {state.kind === 'done' && <VerifyReport view={state.view} />}
      </div>
    </>
  );
}

/** The verdict, what the package says about itself, and each reason it is refused. */
export function VerifyReport({ view }: { view: PackageVerifyView }) {
  const { t, i18n } = useTranslation();
  const unknown = t('packageUi.verify.unknown');
  return (
    <section aria-labelledby="verify-verdict">
      <Alert
        severity={view.ok ? 'success' : 'error'}
        title={<span id="verify-verdict">{view.ok ? t('packageUi.verify.validTitle') : t('packageUi.verify.invalidTitle')}</span>}
        description={view.ok ? t('packageUi.verify.valid') : t('packageUi.verify.invalid')}
        role={view.ok ? 'status' : 'alert'}
        className="fr-mb-3w"
      />
      {!view.ok && view.reasons.length > 0 && (
        <>
          <h2 className="fr-h5">{t('packageUi.verify.reasonsTitle')}</h2>
          <ul data-testid="verify-reasons" className="fr-mb-3w">
            {view.reasons.map((r, i) => {
              const reason = t(`package.cli.reason.${r.code}`);
              return <li key={i}>{r.path ? t('packageUi.verify.reasonPath', { reason, path: r.path }) : reason}</li>;
            })}
          </ul>
        </>
      )}
      <dl className="ptce-facts">
        <dt>{t('packageUi.verify.file')}</dt>
        <dd className="ptce-mono">{view.file}</dd>
        <dt>{t('packageUi.verify.signer')}</dt>
        <dd>{view.signer.name ?? unknown}</dd>
        <dt>{t('packageUi.verify.fingerprint')}</dt>
        <dd>
          <code className="ptce-hash" data-testid="verify-fingerprint">
            {view.signer.keyFingerprint ? formatFingerprint(view.signer.keyFingerprint) : unknown}
          </code>
        </dd>
        {view.signer.certificate && (
          <>
            <dt>{t('packageUi.verify.certificate')}</dt>
            <dd>{view.signer.certificate.subject}</dd>
          </>
        )}
        <dt>{t('packageUi.verify.formatVersion')}</dt>
        <dd>{view.formatVersion ?? unknown}</dd>
        <dt>{t('packageUi.verify.createdAt')}</dt>
        <dd>{view.createdAt ? formatDateTime(view.createdAt, i18n.language) : unknown}</dd>
        <dt>{t('packageUi.verify.dossiers')}</dt>
        <dd>{view.dossiers ?? unknown}</dd>
        <dt>{t('packageUi.verify.draft')}</dt>
        <dd>{view.draft === null ? unknown : view.draft ? t('packageUi.verify.yes') : t('packageUi.verify.no')}</dd>
      </dl>
      {view.ok && !view.signer.authenticated && (
        <Alert severity="warning" small description={t('packageUi.verify.unauthenticated')} />
      )}
    </section>
  );
}
