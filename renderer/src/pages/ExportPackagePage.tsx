import { useEffect, useRef, useState } from 'react';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { call, toAppError, useApi } from '../ipc';
import { ErrorAlert, Loading } from '../components/Feedback';
import { usePageTitle } from '../components/usePageTitle';
import { formatBytes } from '../format';
import { formatFingerprint } from '../package/fingerprint';
import type { Events } from '../../../shared/ipc/contract';
import type { PackageExportResult, PackagePlan, PackageSelection } from '../../../shared/domain/package';
import type { AppError } from '../../../shared/result';
import { NotFoundPage } from './NotFoundPage';
import { parseId } from './CampaignPage';
import '../import.css';
import '../package.css';

type Outcome = { kind: 'done'; result: PackageExportResult } | { kind: 'cancelled' } | { kind: 'error'; error: AppError };

export function ExportPackagePage() {
  const campaignId = parseId(useParams().campaignId);
  if (campaignId === null) return <NotFoundPage />;
  return <ExportPackageView campaignId={campaignId} />;
}

function ExportPackageView({ campaignId }: { campaignId: number }) {
  const { t } = useTranslation();
  usePageTitle(t('packageUi.export.title'));
  const campaign = useApi('campaign:get', { campaignId });
  const plan = useApi('package:plan', { campaignId });
  return (
    <>
      <Breadcrumb
        homeLinkProps={{ to: '/' }}
        segments={campaign.state === 'ready' ? [{ label: campaign.value.name, linkProps: { to: `/campaigns/${campaignId}` } }] : []}
        currentPageLabel={t('packageUi.exportAction')}
        className="fr-mt-0"
      />
      <h1>{t('packageUi.export.title')}</h1>
      <p className="fr-text--lead">{t('packageUi.export.intro')}</p>
      {plan.state === 'loading' && <Loading />}
      {plan.state === 'error' && <ErrorAlert error={plan.error} />}
      {plan.state === 'ready' && <ExportForm plan={plan.value} />}
    </>
  );
}

export function ExportForm({ plan }: { plan: PackagePlan }) {
  const { t, i18n } = useTranslation();
  const [selection, setSelection] = useState<PackageSelection>(plan.ready > 0 ? 'ready' : 'all');
  const [withAttachments, setWithAttachments] = useState(false);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<Events['package:progress'] | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const notReady = plan.dossiers.filter((d) => d.state !== 'ready');
  const outcomeRef = useRef<HTMLDivElement>(null);
  // The key created by the first export (the plan was loaded before it).
  const fingerprint = outcome?.kind === 'done' ? outcome.result.keyFingerprint : (plan.signer?.keyFingerprint ?? null);

  // The button is disabled while working: focus moves to the outcome so keyboard users hear it.
  useEffect(() => {
    if (outcome) outcomeRef.current?.focus();
  }, [outcome]);

  useEffect(() => window.api.on('package:progress', (p) => setProgress(p)), []);

  const run = async () => {
    setBusy(true);
    setProgress(null);
    setOutcome(null);
    try {
      const result = await call('package:export', { campaignId: plan.campaignId, dossiers: selection, withAttachments });
      setOutcome(result ? { kind: 'done', result } : { kind: 'cancelled' });
    } catch (e) {
      setOutcome({ kind: 'error', error: toAppError(e) });
    } finally {
      setBusy(false);
    }
  };

  const percent = progress ? Math.round((100 * progress.done) / Math.max(1, progress.total)) : 0;
  const progressText = progress
    ? t(progress.phase === 'pieces' ? 'packageUi.export.progressPieces' : 'packageUi.export.progress', progress)
    : t('packageUi.export.progressStart');
  const canExport = plan.signer !== null && (selection === 'all' ? plan.dossiers.length > 0 : plan.ready > 0);

  return (
    <>
      <section aria-labelledby="pkg-dossiers" className="fr-mb-5w">
        <h2 id="pkg-dossiers" className="fr-h4">
          {t('packageUi.export.dossiersTitle')}
        </h2>
        <fieldset className="fr-fieldset" aria-labelledby="pkg-selection-legend">
          <legend className="fr-fieldset__legend fr-fieldset__legend--regular" id="pkg-selection-legend">
            {t('packageUi.export.selectionLegend')}
          </legend>
          {(['ready', 'all'] as const).map((value) => (
            <div className="fr-fieldset__element" key={value}>
              <div className="fr-radio-group">
                <input
                  type="radio"
                  id={`pkg-selection-${value}`}
                  name="pkg-selection"
                  value={value}
                  checked={selection === value}
                  disabled={busy}
                  onChange={() => setSelection(value)}
                />
                <label className="fr-label" htmlFor={`pkg-selection-${value}`}>
                  {value === 'ready'
                    ? t('packageUi.export.selectionReady', { count: plan.ready })
                    : t('packageUi.export.selectionAll', { count: plan.dossiers.length })}
                  <span className="fr-hint-text">
                    {value === 'ready' ? t('packageUi.export.selectionReadyHint') : t('packageUi.export.selectionAllHint')}
                  </span>
                </label>
              </div>
            </div>
          ))}
        </fieldset>
        {plan.ready === 0 && <Alert severity="warning" small description={t('packageUi.export.nothingReady')} className="fr-mb-3w" />}
        {notReady.length === 0 ? (
          <p>{t('packageUi.export.allReady')}</p>
        ) : (
          <Table
            bordered
            caption={t('packageUi.export.notReadyCaption', { count: notReady.length })}
            headers={[t('packageUi.export.columns.number'), t('packageUi.export.columns.project'), t('packageUi.export.columns.reason')]}
            data={notReady.map((d) => [
              <span key="n" className="ptce-mono">
                {d.number}
              </span>,
              d.project,
              d.reason === 'drafts_only' ? t('packageUi.export.reason.drafts_only', { count: d.drafts }) : t('packageUi.export.reason.no_review'),
            ])}
          />
        )}
      </section>

      <section aria-labelledby="pkg-signer" className="fr-mb-5w">
        <h2 id="pkg-signer" className="fr-h4">
          {t('packageUi.export.signerTitle')}
        </h2>
        {plan.signer === null ? (
          <Alert severity="warning" small description={t('packageUi.export.noSigner')} />
        ) : (
          <>
            <p className="fr-mb-1w">
              {t('packageUi.export.signer', { name: plan.signer.name, role: t(`members.roles.${plan.signer.role}`) })}
            </p>
            {fingerprint ? (
              <>
                <p className="fr-mb-1w">{t('packageUi.export.fingerprintLabel')}</p>
                <code className="ptce-hash ptce-hash--inline" data-testid="signer-fingerprint">
                  {formatFingerprint(fingerprint)}
                </code>
              </>
            ) : (
              <p className="fr-text--sm">{t('packageUi.export.noKey')}</p>
            )}
          </>
        )}
      </section>

      <section aria-labelledby="pkg-save" className="fr-mb-5w">
        <h2 id="pkg-save" className="fr-h4">
          {t('packageUi.export.saveTitle')}
        </h2>
        <p>
          {t('packageUi.export.fileName', { name: plan.defaultFileName })}
        </p>
        <div className="fr-checkbox-group fr-mb-3w">
          <input
            type="checkbox"
            id="pkg-with-attachments"
            checked={withAttachments}
            disabled={busy}
            onChange={(e) => setWithAttachments(e.currentTarget.checked)}
          />
          <label className="fr-label" htmlFor="pkg-with-attachments">
            {t('packageUi.export.withAttachments')}
            <span className="fr-hint-text">{t('packageUi.export.withAttachmentsHint')}</span>
          </label>
        </div>
        <Button iconId="fr-icon-download-line" onClick={() => void run()} disabled={busy || !canExport}>
          {t('packageUi.export.submit')}
        </Button>
        <div aria-live="polite" className="fr-mt-3w ptce-outcome" ref={outcomeRef} tabIndex={-1}>
          {busy && (
            <>
              <p id="pkg-progress-label" className="fr-text--bold fr-mb-1w">
                {t('packageUi.export.running')}
              </p>
              <div
                className="ptce-progress"
                role="progressbar"
                aria-labelledby="pkg-progress-label"
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={percent}
                aria-valuetext={progressText}
              >
                <div className="ptce-progress__bar" style={{ width: `${percent}%` }} />
              </div>
              <p className="fr-mt-1w">{progressText}</p>
            </>
          )}
          {outcome?.kind === 'cancelled' && <Alert severity="info" small description={t('packageUi.export.cancelled')} role="status" />}
          {outcome?.kind === 'error' && <ErrorAlert error={outcome.error} />}
          {outcome?.kind === 'done' && (
            <Alert
              severity="success"
              title={t('packageUi.export.doneTitle')}
              role="status"
              description={
                <>
                  <span className="ptce-block">
                    {t('packageUi.export.done', {
                      count: outcome.result.dossiers,
                      path: outcome.result.path,
                      size: formatBytes(outcome.result.size, i18n.language, t),
                    })}
                  </span>
                  {outcome.result.draft && <span className="ptce-block">{t('packageUi.export.doneDraft')}</span>}
                  <span className="ptce-block fr-mt-1w">{t('packageUi.export.sha256')}</span>
                  <code className="ptce-hash" data-testid="package-sha256">
                    {outcome.result.sha256}
                  </code>
                  <span className="ptce-block fr-mt-1w">
                    {outcome.result.keyCreated ? t('packageUi.export.keyCreated') : t('packageUi.export.signedWith')}
                  </span>
                  <code className="ptce-hash">{formatFingerprint(outcome.result.keyFingerprint)}</code>
                </>
              }
            />
          )}
        </div>
      </section>
    </>
  );
}
