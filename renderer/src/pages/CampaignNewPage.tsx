import { useState, useContext, type ChangeEvent, type FormEvent } from 'react';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Upload } from '@codegouvfr/react-dsfr/Upload';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { REGIONS } from '../../../shared/domain/regions';
import { parisDeadlineToIso } from '../../../shared/domain/deadline';
import type { AppError } from '../../../shared/result';
import { call, DataVersionContext, toAppError } from '../ipc';
import { ErrorAlert } from '../components/Feedback';
import { usePageTitle } from '../components/usePageTitle';
import { formatDateTime } from '../format';

/** The contract's bound on a grid document (main validates it against the grid schema). */
const MAX_GRID_FILE_BYTES = 1_000_000;

interface ChosenGrid {
  text: string;
  label: string;
  version: number;
}

/** What to show of a chosen grid file before main validates it; null when it is not even a labelled JSON document. */
function describeGrid(text: string): ChosenGrid | null {
  try {
    const doc = JSON.parse(text.replace(/^\uFEFF/, '')) as { label?: { fr?: unknown }; version?: unknown };
    if (typeof doc?.label?.fr !== 'string' || typeof doc.version !== 'number') return null;
    return { text, label: doc.label.fr, version: doc.version };
  } catch {
    return null;
  }
}

/**
 * « Nouvelle campagne »: region from the official list, wave, phase, a Paris deadline; the default grid or
 * another grid file (checked in main against the grid schema; a refused one shows main's translated error).
 */
export function CampaignNewPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('campaignNew.title'));
  const navigate = useNavigate();
  const { bump } = useContext(DataVersionContext);
  const [name, setName] = useState('');
  const [region, setRegion] = useState('');
  const [wave, setWave] = useState('1');
  const [phase, setPhase] = useState('1');
  const [date, setDate] = useState('');
  const [time, setTime] = useState('24:00');
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [grid, setGrid] = useState<ChosenGrid | null>(null);
  const [gridUnreadable, setGridUnreadable] = useState(false);

  const chooseGrid = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    setGrid(null);
    setGridUnreadable(false);
    if (!file) return;
    const chosen = file.size <= MAX_GRID_FILE_BYTES ? describeGrid(await file.text()) : null;
    if (chosen) setGrid(chosen);
    else setGridUnreadable(true);
  };

  const deadline = parisDeadlineToIso(date, time);
  const regionInvalid = submitted && region === '';
  const deadlineInvalid = submitted && deadline === null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (region === '' || deadline === null || gridUnreadable) return;
    setBusy(true);
    setError(null);
    try {
      const created = await call('campaign:create', {
        ...(name.trim() ? { name: name.trim() } : {}),
        wave: Number(wave),
        phase: Number(phase),
        regionCode: region,
        deadline,
        ...(grid ? { grid: grid.text } : {}),
      });
      bump();
      void navigate(`/campaigns/${created.id}`);
    } catch (err) {
      setError(toAppError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Breadcrumb homeLinkProps={{ to: '/' }} segments={[]} currentPageLabel={t('campaignNew.title')} className="fr-mt-0" />
      <h1>{t('campaignNew.title')}</h1>
      <p className="fr-text--lead">{t('campaignNew.intro')}</p>
      {error && <ErrorAlert error={error} className="fr-mb-3w" />}
      <form onSubmit={(e) => void submit(e)} noValidate className="ptce-form">
        <Input
          label={t('campaignNew.name')}
          hintText={t('campaignNew.nameHint')}
          nativeInputProps={{ value: name, onChange: (e) => setName(e.target.value), maxLength: 200, autoComplete: 'off' }}
        />
        <Select
          label={t('campaignNew.region')}
          state={regionInvalid ? 'error' : 'default'}
          stateRelatedMessage={regionInvalid ? t('campaignNew.regionRequired') : undefined}
          nativeSelectProps={{ value: region, onChange: (e) => setRegion(e.target.value), required: true }}
        >
          <option value="" disabled>
            {t('campaignNew.regionPlaceholder')}
          </option>
          {REGIONS.map((r) => (
            <option key={r.code} value={r.code}>
              {r.name}
            </option>
          ))}
        </Select>
        <div className="fr-grid-row fr-grid-row--gutters">
          <div className="fr-col-12 fr-col-md-6">
            <Input
              label={t('campaignNew.wave')}
              nativeInputProps={{ type: 'number', min: 1, max: 99, value: wave, onChange: (e) => setWave(e.target.value), required: true }}
            />
          </div>
          <div className="fr-col-12 fr-col-md-6">
            <Select label={t('campaignNew.phase')} nativeSelectProps={{ value: phase, onChange: (e) => setPhase(e.target.value) }}>
              <option value="1">1</option>
              <option value="2">2</option>
            </Select>
          </div>
        </div>
        <fieldset className="fr-fieldset fr-mt-3w" aria-describedby={deadlineInvalid ? 'deadline-error' : undefined}>
          <legend className="fr-fieldset__legend">{t('campaignNew.deadlineLegend')}</legend>
          <div className="fr-fieldset__element fr-col-12 fr-col-md-6">
            <Input
              label={t('campaignNew.deadlineDate')}
              state={deadlineInvalid ? 'error' : 'default'}
              nativeInputProps={{ type: 'date', value: date, onChange: (e) => setDate(e.target.value), required: true }}
            />
          </div>
          <div className="fr-fieldset__element fr-col-12 fr-col-md-6">
            <Input
              label={t('campaignNew.deadlineTime')}
              hintText={t('campaignNew.deadlineTimeHint')}
              state={deadlineInvalid ? 'error' : 'default'}
              nativeInputProps={{
                value: time,
                onChange: (e) => setTime(e.target.value),
                inputMode: 'numeric',
                pattern: '[0-2]?[0-9][:h][0-5][0-9]',
                required: true,
                autoComplete: 'off',
              }}
            />
          </div>
          <div className="fr-fieldset__element" aria-live="polite">
            {deadlineInvalid && (
              <p id="deadline-error" className="fr-message fr-message--error">
                {t('campaignNew.deadlineInvalid')}
              </p>
            )}
            {deadline && <p className="fr-hint-text">{t('campaignNew.deadlinePreview', { date: formatDateTime(deadline, i18n.language) })}</p>}
          </div>
        </fieldset>
        <div className="fr-input-group">
          <p className="fr-label fr-mb-1v">{t('campaignNew.grid')}</p>
          <p className="fr-text--sm" aria-live="polite">
            {grid ? t('gridImport.chosen', { label: grid.label, version: grid.version }) : t('campaignNew.gridDefault')}
          </p>
          <Upload
            label={t('gridImport.file')}
            hint={t('gridImport.hint')}
            state={gridUnreadable ? 'error' : 'default'}
            stateRelatedMessage={gridUnreadable ? t('gridImport.unreadable') : undefined}
            nativeInputProps={{ accept: '.json,application/json', onChange: (e) => void chooseGrid(e) }}
          />
        </div>
        <ul className="fr-btns-group fr-btns-group--inline-md">
          <li>
            <Button type="submit" disabled={busy}>
              {t('campaignNew.submit')}
            </Button>
          </li>
          <li>
            <Button priority="secondary" linkProps={{ to: '/' }}>
              {t('campaignNew.cancel')}
            </Button>
          </li>
        </ul>
      </form>
    </>
  );
}
