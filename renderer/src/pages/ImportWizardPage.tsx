import { useCallback, useContext, useEffect, useRef, useState, type DragEvent } from 'react';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Stepper } from '@codegouvfr/react-dsfr/Stepper';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import type { Api } from '../../../shared/ipc/api';
import type { Events } from '../../../shared/ipc/contract';
import { RUBRIC_LABELS_FR, type RubricKey } from '../../../shared/domain/rubrics';
import {
  needsMapping,
  type ImportNeedsMappingData,
  type ImportOutcome,
  type ImportReportData,
  type StagedFile,
} from '../../../shared/domain/import';
import type { AppError } from '../../../shared/result';
import { call, DataVersionContext, toAppError, useApi } from '../ipc';
import { ErrorAlert, Loading } from '../components/Feedback';
import { ImportErrorAlert } from '../components/ImportErrorAlert';
import { Admissibility } from '../components/Admissibility';
import { usePageTitle } from '../components/usePageTitle';
import { formatBytes, formatNumber } from '../format';
import { parseId } from './CampaignPage';
import { NotFoundPage } from './NotFoundPage';
import '../import.css';

type Step = 'files' | 'preview' | 'run' | 'report';
const STEPS: Step[] = ['files', 'preview', 'run', 'report'];
type Progress = Omit<Events['import:progress'], 'runId'>;
type Done = Events['import:done'];

/** The desktop preload may expose the dropped files' paths (Electron's webUtils.getPathForFile). */
type DesktopApi = Api & { pathsForFiles?: (files: File[]) => string[] };

export function ImportWizardPage() {
  const campaignId = parseId(useParams().campaignId);
  if (campaignId === null) return <NotFoundPage />;
  return <ImportWizard campaignId={campaignId} />;
}

function ImportWizard({ campaignId }: { campaignId: number }) {
  const { t } = useTranslation();
  const campaign = useApi('campaign:get', { campaignId });
  usePageTitle(t('importWizard.title'));
  const { bump } = useContext(DataVersionContext);

  const [step, setStep] = useState<Step>('files');
  const [files, setFiles] = useState<StagedFile[]>([]);
  const [preview, setPreview] = useState<ImportOutcome | null>(null);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [progress, setProgress] = useState<Progress | null>(null);
  const [report, setReport] = useState<ImportReportData | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [notice, setNotice] = useState<'cancelled' | 'noFile' | 'dropDesktop' | null>(null);
  const [busy, setBusy] = useState(false);
  const runId = useRef<string | null>(null);
  const early = useRef(new Map<string, Done>());
  const heading = useRef<HTMLHeadingElement>(null);

  // Focus the step's heading when the step changes (screen readers hear where they are).
  useEffect(() => {
    heading.current?.focus();
  }, [step]);

  const finish = useCallback(
    (done: Done) => {
      runId.current = null;
      setProgress(null);
      const result = done.result;
      if ('error' in result) {
        if (result.error.code === 'cancelled') setNotice('cancelled');
        else setError(result.error);
        setStep('preview');
      } else if (needsMapping(result)) {
        setPreview(result);
        setStep('preview');
      } else {
        setReport(result);
        setStep('report');
        bump();
      }
    },
    [bump],
  );

  useEffect(() => {
    const offProgress = window.api.on('import:progress', (p) => {
      if (p.runId === runId.current) setProgress({ phase: p.phase, done: p.done, total: p.total });
    });
    const offDone = window.api.on('import:done', (d) => {
      if (d.runId === runId.current) finish(d);
      else early.current.set(d.runId, d); // answered before `import:run` returned its id
    });
    return () => {
      offProgress();
      offDone();
    };
  }, [finish]);

  const attempt = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await work();
    } catch (e) {
      setError(toAppError(e));
    } finally {
      setBusy(false);
    }
  };

  const addFiles = (added: StagedFile[]) => {
    setFiles((current) => [...current, ...added.filter((a) => !current.some((c) => c.id === a.id))]);
    setPreview(null);
  };

  const pick = () =>
    attempt(async () => {
      const picked = (await call('import:pickFiles', {})) as StagedFile[] | null;
      if (!picked) setNotice('noFile');
      else addFiles(picked);
    });

  const drop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    const api = window.api as DesktopApi;
    const dropped = [...e.dataTransfer.files];
    if (dropped.length === 0) return;
    if (typeof api.pathsForFiles !== 'function') {
      setNotice('dropDesktop');
      return;
    }
    const paths = api.pathsForFiles(dropped).filter((p) => p !== '');
    if (paths.length) void attempt(async () => addFiles(await call('import:stagePaths', { paths })));
  };

  const request = (withMapping: Record<string, string>) => ({
    campaignId,
    fileIds: files.map((f) => f.id),
    ...(Object.keys(withMapping).length ? { mapping: withMapping } : {}),
  });

  const runPreview = (withMapping = mapping) =>
    attempt(async () => {
      setMapping(withMapping);
      const outcome = await call('import:preview', request(withMapping));
      setPreview(outcome);
      setStep('preview');
    });

  const start = () =>
    attempt(async () => {
      setProgress(null);
      setStep('run');
      try {
        const { runId: id } = await call('import:run', request(mapping));
        runId.current = id;
        const done = early.current.get(id);
        if (done) finish(done);
      } catch (e) {
        setStep('preview');
        throw e;
      }
    });

  const cancel = () =>
    attempt(async () => {
      if (runId.current) await call('import:cancel', { runId: runId.current });
    });

  const restart = () => {
    setFiles([]);
    setPreview(null);
    setReport(null);
    setStep('files');
  };

  const index = STEPS.indexOf(step);
  const campaignName = campaign.state === 'ready' ? campaign.value.name : '…';
  return (
    <>
      <Breadcrumb
        homeLinkProps={{ to: '/' }}
        segments={[{ label: campaignName, linkProps: { to: `/campaigns/${campaignId}` } }]}
        currentPageLabel={t('importWizard.title')}
        className="fr-mt-0"
      />
      <h1>{t('importWizard.title')}</h1>
      {campaign.state === 'error' && <ErrorAlert error={campaign.error} />}
      {campaign.state === 'loading' && <Loading />}
      {campaign.state === 'ready' && (
        <>
          <p className="fr-text--lead">{campaign.value.name}</p>
          <Stepper
            currentStep={index + 1}
            stepCount={STEPS.length}
            title={t(`importWizard.steps.${step}`)}
            nextTitle={index + 1 < STEPS.length ? t(`importWizard.steps.${STEPS[index + 1]!}`) : undefined}
          />
          <div aria-live="polite">
            {error && <ImportErrorAlert error={error} />}
            {notice === 'cancelled' && (
              <Alert className="fr-mb-3w" severity="info" title={t('importWizard.cancelledTitle')} description={t('importWizard.cancelled')} />
            )}
            {notice === 'noFile' && <Alert className="fr-mb-3w" severity="info" small description={t('importWizard.noFileChosen')} />}
            {notice === 'dropDesktop' && <Alert className="fr-mb-3w" severity="info" small description={t('importWizard.dropNeedsDesktop')} />}
          </div>
          <h2 ref={heading} tabIndex={-1} className="fr-sr-only">
            {t(`importWizard.steps.${step}`)}
          </h2>
          {step === 'files' && (
            <FilesStep
              files={files}
              busy={busy}
              onPick={() => void pick()}
              onDrop={drop}
              onRemove={(id) => setFiles((fs) => fs.filter((f) => f.id !== id))}
              onNext={() => void runPreview()}
            />
          )}
          {step === 'preview' && preview && needsMapping(preview) && (
            <MappingStep
              need={preview}
              initial={mapping}
              busy={busy}
              onBack={() => setStep('files')}
              onSave={(m) => void runPreview({ ...mapping, ...m })}
            />
          )}
          {step === 'preview' && preview && !needsMapping(preview) && (
            <>
              <p>{t('importWizard.previewIntro')}</p>
              <ReportView report={preview} />
              <ul className="fr-btns-group fr-btns-group--inline-md fr-mt-3w">
                <li>
                  <Button onClick={() => void start()} disabled={busy}>
                    {t('importWizard.start')}
                  </Button>
                </li>
                <li>
                  <Button priority="secondary" onClick={() => setStep('files')} disabled={busy}>
                    {t('importWizard.back')}
                  </Button>
                </li>
              </ul>
            </>
          )}
          {step === 'preview' && !preview && (
            <Button priority="secondary" onClick={() => setStep('files')}>
              {t('importWizard.back')}
            </Button>
          )}
          {step === 'run' && <RunStep progress={progress} onCancel={() => void cancel()} />}
          {step === 'report' && report && (
            <>
              <Alert className="fr-mb-3w" severity="success" title={t('importWizard.reportTitle')} description={t('importWizard.reportIntro')} />
              <ReportView report={report} />
              <ul className="fr-btns-group fr-btns-group--inline-md fr-mt-3w">
                <li>
                  <Button linkProps={{ to: `/campaigns/${campaignId}` }}>{t('importWizard.toList')}</Button>
                </li>
                <li>
                  <Button priority="secondary" onClick={restart}>
                    {t('importWizard.again')}
                  </Button>
                </li>
              </ul>
            </>
          )}
          {busy && step !== 'run' && (
            <p role="status" className="fr-mt-2w">
              {t('importWizard.previewing')}
            </p>
          )}
        </>
      )}
    </>
  );
}

function FilesStep(props: {
  files: StagedFile[];
  busy: boolean;
  onPick: () => void;
  onDrop: (e: DragEvent<HTMLDivElement>) => void;
  onRemove: (id: string) => void;
  onNext: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [over, setOver] = useState(false);
  return (
    <>
      <p>{t('importWizard.filesIntro')}</p>
      <div
        className={over ? 'ptce-dropzone ptce-dropzone--over' : 'ptce-dropzone'}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          setOver(false);
          props.onDrop(e);
        }}
      >
        <Button iconId="fr-icon-upload-line" onClick={props.onPick} disabled={props.busy}>
          {t('importWizard.choose')}
        </Button>
        <p className="fr-mt-2w fr-mb-0 fr-text--sm">{t('importWizard.dropZone')}</p>
      </div>
      {props.files.length > 0 && (
        <Table
          className="fr-mt-3w"
          bordered
          caption={t('importWizard.filesCaption', { count: props.files.length })}
          headers={[t('importWizard.columns.name'), t('importWizard.columns.format'), t('importWizard.columns.size'), t('importWizard.columns.actions')]}
          data={props.files.map((f) => [
            f.name,
            t(`importWizard.formats.${f.format}`),
            formatBytes(f.size, i18n.language, t),
            <Button
              key="remove"
              priority="tertiary no outline"
              size="small"
              iconId="fr-icon-delete-line"
              onClick={() => props.onRemove(f.id)}
              nativeButtonProps={{ 'aria-label': t('importWizard.remove', { name: f.name }) }}
            >
              {t('importWizard.removeShort')}
            </Button>,
          ])}
        />
      )}
      <Button className="fr-mt-3w" onClick={props.onNext} disabled={props.busy || props.files.length === 0}>
        {t('importWizard.toPreview')}
      </Button>
    </>
  );
}

function targetLabel(target: string, t: (k: string) => string): string {
  if (target.startsWith('rubric:')) return RUBRIC_LABELS_FR[target.slice(7) as RubricKey] ?? target;
  return t(`mappingTargets.${target}`);
}

function MappingStep(props: {
  need: ImportNeedsMappingData;
  initial: Record<string, string>;
  busy: boolean;
  onBack: () => void;
  onSave: (m: Record<string, string>) => void;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Record<string, string>>(props.initial);
  const [submitted, setSubmitted] = useState(false);
  const targets = props.need.needsMapping.flatMap((n) => n.missing);
  const complete = targets.every((target) => (draft[target] ?? '') !== '');
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setSubmitted(true);
        if (complete) props.onSave(Object.fromEntries(targets.map((target) => [target, draft[target]!])));
      }}
    >
      <h3>{t('importWizard.mappingTitle')}</h3>
      {props.need.needsMapping.map((n) => (
        <fieldset key={n.file} className="fr-fieldset">
          <legend className="fr-fieldset__legend fr-text--regular">{t('importWizard.mappingIntro', { file: n.file })}</legend>
          {n.missing.map((target) => {
            const invalid = submitted && !draft[target];
            return (
              <div key={target} className="fr-fieldset__element">
                <Select
                  label={targetLabel(target, t)}
                  state={invalid ? 'error' : 'default'}
                  stateRelatedMessage={invalid ? t('importWizard.mappingIncomplete') : undefined}
                  nativeSelectProps={{
                    value: draft[target] ?? '',
                    onChange: (e) => setDraft((d) => ({ ...d, [target]: e.target.value })),
                    required: true,
                  }}
                >
                  <option value="">{t('importWizard.mappingChoose')}</option>
                  {n.candidates.map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                </Select>
              </div>
            );
          })}
        </fieldset>
      ))}
      <ul className="fr-btns-group fr-btns-group--inline-md">
        <li>
          <Button type="submit" disabled={props.busy}>
            {t('importWizard.mappingSave')}
          </Button>
        </li>
        <li>
          <Button priority="secondary" onClick={props.onBack} disabled={props.busy}>
            {t('importWizard.back')}
          </Button>
        </li>
      </ul>
    </form>
  );
}

export function RunStep({ progress, onCancel }: { progress: Progress | null; onCancel: () => void }) {
  const { t } = useTranslation();
  // Reading the files is the first tenth of the bar, writing the dossiers the rest.
  const percent = !progress
    ? 0
    : progress.phase === 'parse'
      ? Math.round((progress.done / Math.max(progress.total, 1)) * 10)
      : 10 + Math.round((progress.done / Math.max(progress.total, 1)) * 90);
  const text = progress
    ? t(`importWizard.phase.${progress.phase}`, { done: progress.done, total: progress.total })
    : t('importWizard.phase.start');
  return (
    <>
      <p id="import-progress-label" className="fr-text--bold">
        {t('importWizard.running')}
      </p>
      <div
        className="ptce-progress"
        role="progressbar"
        aria-labelledby="import-progress-label"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={text}
      >
        <div className="ptce-progress__bar" style={{ width: `${percent}%` }} />
      </div>
      <p className="fr-mt-1w" aria-live="polite">
        {text}
      </p>
      <Button priority="secondary" iconId="fr-icon-close-line" onClick={onCancel}>
        {t('importWizard.cancel')}
      </Button>
    </>
  );
}

function rejectReason(reason: string, t: (k: string, o?: Record<string, unknown>) => string): string {
  const [key, number] = reason.split(':');
  return t(`importWizard.rejectReason.${key}`, { number, defaultValue: reason });
}

function ReportView({ report }: { report: ImportReportData }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const counts = [
    ['created', report.created],
    ['updated', report.updated],
    ['unchanged', report.unchanged],
    ['rejected', report.rejected.length],
  ] as const;
  return (
    <>
      <ul className="ptce-counts" data-testid="import-counts">
        {counts.map(([key, n]) => (
          <li key={key} data-count={key}>
            <strong>{formatNumber(n, lang)}</strong>
            {t(`importWizard.counts.${key}`)}
          </li>
        ))}
      </ul>
      {report.dossiers.length > 0 && (
        <Table
          bordered
          caption={t('importWizard.dossiersCaption', { count: report.dossiers.length })}
          headers={[t('importWizard.columns.number'), t('importWizard.columns.status')]}
          data={report.dossiers.map((d) => [d.number, <Admissibility key="a" status={d.status} flags={d.flags} />])}
        />
      )}
      {report.rejected.length > 0 && (
        <Table
          bordered
          caption={t('importWizard.rejectedCaption', { count: report.rejected.length })}
          headers={[t('importWizard.columns.file'), t('importWizard.columns.row'), t('importWizard.columns.reason')]}
          data={report.rejected.map((r) => [r.file, r.row ?? '', rejectReason(r.reason, t)])}
        />
      )}
    </>
  );
}

