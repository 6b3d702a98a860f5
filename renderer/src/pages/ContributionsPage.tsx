import { useState, type DragEvent, type FormEvent, type ReactNode } from 'react';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { call, useAction, useApi, type ActionOutcome } from '../ipc';
import { useMembers } from '../members';
import { ErrorAlert, Loading } from '../components/Feedback';
import { usePageTitle } from '../components/usePageTitle';
import { formatDateTime } from '../format';
import { formatFingerprint } from '../package/fingerprint';
import type { Api } from '../../../shared/ipc/api';
import type { ContributionConflict, ContributionReport } from '../../../shared/domain/contribution';
import '../import.css';

/** The desktop preload may expose the dropped files' paths (Electron's webUtils.getPathForFile). */
type DesktopApi = Api & { pathsForFiles?: (files: File[]) => string[] };

type Outcome = ActionOutcome | null;

function OutcomeView({ outcome, children }: { outcome: Outcome; children?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div aria-live="polite">
      {outcome?.kind === 'done' && <Alert severity="success" small description={outcome.message} role="status" />}
      {outcome?.kind === 'cancelled' && <Alert severity="info" small description={t('contribution.cancelled')} role="status" />}
      {outcome?.kind === 'error' && <ErrorAlert error={outcome.error} />}
      {outcome?.kind === 'error' && outcome.error.code === 'grid_xlsx_invalid' && typeof outcome.error.params?.reason === 'string' && (
        <p className="fr-error-text">{t(`contribution.xlsx.reasons.${outcome.error.params.reason}`)}</p>
      )}
      {children}
    </div>
  );
}

/** « Note V1 », « Éligibilité E-1 », « Avis »… */
export function cellLabel(cell: string, t: TFunction): string {
  const [part = '', key = ''] = cell.split('/');
  if (part === 'details') return t(`contribution.cells.details.${key.replace('.', '_')}`, { defaultValue: key });
  return t(`contribution.cells.${part}`, { key });
}

const VALUE_KEYS = new Set(['score', 'answer', 'decision']);

/** A cell value as text: scores and answers with their justification, booleans as oui/non, empty shown as such. */
export function valueText(value: unknown, t: TFunction): string {
  if (value === null || value === undefined || value === '') return t('contribution.empty');
  if (typeof value === 'boolean') return t(value ? 'contribution.yes' : 'contribution.no');
  if (Array.isArray(value)) return value.length ? value.map(String).join(', ') : t('contribution.empty');
  if (typeof value === 'object') {
    // The value first (score, answer, decision), then its justification — whatever the key order.
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => Number(!VALUE_KEYS.has(a)) - Number(!VALUE_KEYS.has(b)));
    const parts = entries.map(([, v]) => v).filter((v) => v !== null && v !== '');
    return parts.length ? parts.map(String).join(' — ') : t('contribution.empty');
  }
  return String(value);
}

export function ContributionsPage() {
  const { t } = useTranslation();
  usePageTitle(t('contribution.title'));
  const campaigns = useApi('campaign:list', {});
  const [campaignId, setCampaignId] = useState<number | null>(null);
  const chosen = campaigns.state === 'ready' ? (campaignId ?? campaigns.value[0]?.id ?? null) : null;

  return (
    <>
      <h1>{t('contribution.title')}</h1>
      <p className="fr-text--lead">{t('contribution.intro')}</p>
      {campaigns.state === 'loading' && <Loading />}
      {campaigns.state === 'error' && <ErrorAlert error={campaigns.error} />}
      {campaigns.state === 'ready' && campaigns.value.length > 1 && (
        <Select
          label={t('contribution.campaign')}
          nativeSelectProps={{ value: String(chosen ?? ''), onChange: (e) => setCampaignId(Number(e.target.value)) }}
        >
          {campaigns.value.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </Select>
      )}
      {campaigns.state === 'ready' && chosen === null && <p>{t('contribution.noCampaign')}</p>}
      {chosen !== null && (
        <>
          <ExportSection campaignId={chosen} />
          <ImportSection campaignId={chosen} />
          <KeysSection />
        </>
      )}
    </>
  );
}

function MemberSelect({ value, onChange, label }: { value: number | null; onChange: (id: number) => void; label: string }) {
  const { members } = useMembers();
  return (
    <Select label={label} nativeSelectProps={{ value: String(value ?? ''), onChange: (e) => onChange(Number(e.target.value)), required: true }}>
      {members.map((m) => (
        <option key={m.id} value={m.id}>
          {m.name}
        </option>
      ))}
    </Select>
  );
}

function ExportSection({ campaignId }: { campaignId: number }) {
  const { t } = useTranslation();
  const { active } = useMembers();
  const [memberId, setMemberId] = useState<number | null>(null);
  const member = memberId ?? active?.id ?? null;
  // The key is sealed by the app's key protector (OS keystore) unless it was sealed with a passphrase.
  const signing = useApi('contribution:signing', { memberId: member ?? 0 });
  const needsPassphrase = member !== null && signing.state === 'ready' && signing.value.passphrase;
  const [passphrase, setPassphrase] = useState('');
  const { busy, outcome, run } = useAction();

  const exportMine = (e: FormEvent) => {
    e.preventDefault();
    if (member === null) return;
    void run(async () => {
      const r = await call('contribution:export', needsPassphrase ? { memberId: member, campaignId, passphrase } : { memberId: member, campaignId });
      setPassphrase('');
      signing.reload();
      if (!r) return { kind: 'cancelled' };
      const fingerprint = formatFingerprint(r.keyFingerprint ?? '');
      const key = r.keyCreated ? t('contribution.export.keyCreated', { fingerprint }) : t('contribution.export.signedWith', { fingerprint });
      return { kind: 'done', message: `${t('contribution.export.done', { file: r.file, count: r.count })} ${key}` };
    });
  };
  const exportGrid = () =>
    member !== null &&
    void run(async () => {
      const r = await call('contribution:exportGrid', { memberId: member, campaignId });
      return r ? { kind: 'done', message: t('contribution.export.gridDone', { file: r.file, count: r.count }) } : { kind: 'cancelled' };
    });

  return (
    <section aria-labelledby="contribution-export" className="fr-mb-6w">
      <h2 id="contribution-export" className="fr-h4">
        {t('contribution.export.title')}
      </h2>
      <p>{t('contribution.export.help')}</p>
      <form onSubmit={exportMine}>
        <MemberSelect value={member} onChange={setMemberId} label={t('contribution.member')} />
        {member !== null && signing.state === 'error' && <ErrorAlert error={signing.error} />}
        {needsPassphrase ? (
          <Input
            label={t('contribution.export.passphrase')}
            hintText={t('contribution.export.passphraseHint')}
            nativeInputProps={{ type: 'password', value: passphrase, onChange: (e) => setPassphrase(e.target.value), autoComplete: 'off', required: true }}
          />
        ) : (
          signing.state === 'ready' && (
            <p className="fr-text--sm">
              {signing.value.keyFingerprint
                ? t('contribution.export.keystoreKey', { fingerprint: formatFingerprint(signing.value.keyFingerprint) })
                : t('contribution.export.keystoreNew')}
            </p>
          )
        )}
        <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left">
          <li>
            <Button
              iconId="fr-icon-download-line"
              type="submit"
              disabled={busy || member === null || signing.state !== 'ready' || (needsPassphrase && passphrase === '')}
            >
              {t('contribution.export.action')}
            </Button>
          </li>
          <li>
            <Button iconId="fr-icon-file-download-line" priority="secondary" type="button" onClick={exportGrid} disabled={busy || member === null}>
              {t('contribution.export.gridAction')}
            </Button>
          </li>
        </ul>
      </form>
      {busy && <p role="status">{t('contribution.working')}</p>}
      <OutcomeView outcome={outcome} />
    </section>
  );
}

function ImportSection({ campaignId }: { campaignId: number }) {
  const { t } = useTranslation();
  const conflicts = useApi('contribution:conflicts', { campaignId });
  const [report, setReport] = useState<ContributionReport | null>(null);
  const { members } = useMembers();
  const [expected, setExpected] = useState<number | null>(null);
  const { busy, outcome, run } = useAction();
  const api = window.api as DesktopApi;

  // One action per import (not nested): a refusal stays shown under the buttons.
  const importFile = async (path: string): Promise<Outcome> => {
    setReport(null);
    const r = await call('contribution:import', expected === null ? { path } : { path, expectedMemberId: expected });
    setReport(r);
    conflicts.reload();
    return null;
  };
  const importPath = (path: string) => run(() => importFile(path));
  const pick = () =>
    void run(async () => {
      const path = await call('contribution:pickFile', {});
      return path ? importFile(path) : { kind: 'cancelled' };
    });
  const drop = (e: DragEvent) => {
    e.preventDefault();
    const files = [...e.dataTransfer.files];
    if (files.length === 0 || typeof api.pathsForFiles !== 'function') return;
    const [path] = api.pathsForFiles(files.slice(0, 1)).filter((p) => p !== '');
    if (path) void importPath(path);
  };

  return (
    <section aria-labelledby="contribution-import" className="fr-mb-6w">
      <h2 id="contribution-import" className="fr-h4">
        {t('contribution.import.title')}
      </h2>
      <Select
        label={t('contribution.import.expected')}
        hint={t('contribution.import.expectedHint')}
        nativeSelectProps={{ value: expected === null ? '' : String(expected), onChange: (e) => setExpected(e.target.value === '' ? null : Number(e.target.value)) }}
      >
        <option value="">{t('contribution.import.expectedAny')}</option>
        {members.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name}
          </option>
        ))}
      </Select>
      <div className="ptce-dropzone fr-p-3w fr-mb-2w" onDragOver={(e) => e.preventDefault()} onDrop={drop}>
        <p>{t('contribution.import.help')}</p>
        <Button iconId="fr-icon-upload-line" onClick={pick} disabled={busy}>
          {t('contribution.import.action')}
        </Button>
      </div>
      {busy && <p role="status">{t('contribution.working')}</p>}
      <OutcomeView outcome={outcome}>
        {report && (
          <Alert
            severity={report.conflicts > 0 || report.skipped.length > 0 ? 'warning' : 'success'}
            title={t('contribution.import.reportTitle', { member: report.memberName })}
            description={
              <>
                {t('contribution.import.report', { applied: report.applied, unchanged: report.unchanged, conflicts: report.conflicts })}
                {report.submitted + report.reopened > 0 && (
                  <> {t('contribution.import.statuses', { submitted: report.submitted, reopened: report.reopened })}</>
                )}
                {report.skipped.length > 0 && (
                  <ul>
                    {report.skipped.map((s) => (
                      <li key={s.number}>{t('contribution.import.skipped', { number: s.number, reason: t(`contribution.skip.${s.reason}`) })}</li>
                    ))}
                  </ul>
                )}
              </>
            }
            role="status"
          />
        )}
      </OutcomeView>
      <h3 className="fr-h5 fr-mt-4w">{t('contribution.conflicts.title')}</h3>
      {conflicts.state === 'loading' && <Loading />}
      {conflicts.state === 'error' && <ErrorAlert error={conflicts.error} />}
      {conflicts.state === 'ready' &&
        (conflicts.value.length === 0 ? (
          <p>{t('contribution.conflicts.none')}</p>
        ) : (
          conflicts.value.map((k) => <ConflictCard key={k.id} conflict={k} onResolved={conflicts.reload} />)
        ))}
    </section>
  );
}

function ConflictCard({ conflict: k, onResolved }: { conflict: ContributionConflict; onResolved: () => void }) {
  const { t, i18n } = useTranslation();
  const { busy, outcome, run } = useAction();
  const resolve = (choice: 'local' | 'incoming') =>
    void run(async () => {
      await call('contribution:resolve', { conflictId: k.id, choice });
      onResolved();
      return null;
    });
  const titleId = `conflict-${k.id}`;
  return (
    <article aria-labelledby={titleId} className="fr-card fr-p-3w fr-mb-3w">
      <h4 id={titleId} className="fr-h6">
        {t('contribution.conflicts.cardTitle', { member: k.memberName, number: k.dossierNumber, project: k.projectName, cell: cellLabel(k.cell, t) })}
      </h4>
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-6">
          <p className="fr-text--bold fr-mb-1v">{t('contribution.conflicts.local')}</p>
          <p className="ptce-rubric__text">{valueText(k.local, t)}</p>
          <Button priority="secondary" onClick={() => resolve('local')} disabled={busy}>
            {t('contribution.conflicts.keepLocal')}
          </Button>
        </div>
        <div className="fr-col-12 fr-col-md-6">
          <p className="fr-text--bold fr-mb-1v">{t('contribution.conflicts.incoming', { date: formatDateTime(k.createdAt, i18n.language) })}</p>
          <p className="ptce-rubric__text">{valueText(k.incoming, t)}</p>
          <Button onClick={() => resolve('incoming')} disabled={busy}>
            {t('contribution.conflicts.takeIncoming')}
          </Button>
        </div>
      </div>
      <OutcomeView outcome={outcome} />
    </article>
  );
}

function KeysSection() {
  const { t, i18n } = useTranslation();
  const keys = useApi('contribution:keys', {});
  const { members } = useMembers();
  const [memberId, setMemberId] = useState<number | null>(null);
  const member = memberId ?? members[0]?.id ?? null;
  const [pem, setPem] = useState('');
  const { busy, outcome, run } = useAction();

  const register = (e: FormEvent) => {
    e.preventDefault();
    if (member === null) return;
    void run(async () => {
      const k = await call('contribution:registerKey', { memberId: member, pem });
      setPem('');
      keys.reload();
      return { kind: 'done', message: t('contribution.keys.registered', { member: k.memberName, fingerprint: k.fingerprintGroups }) };
    });
  };

  return (
    <section aria-labelledby="contribution-keys" className="fr-mb-6w">
      <h2 id="contribution-keys" className="fr-h4">
        {t('contribution.keys.title')}
      </h2>
      <p>{t('contribution.keys.help')}</p>
      {keys.state === 'loading' && <Loading />}
      {keys.state === 'error' && <ErrorAlert error={keys.error} />}
      {keys.state === 'ready' &&
        (keys.value.length === 0 ? (
          <p>{t('contribution.keys.none')}</p>
        ) : (
          <Table
            bordered
            caption={t('contribution.keys.caption', { count: keys.value.length })}
            headers={[t('contribution.member'), t('contribution.keys.fingerprint'), t('contribution.keys.source'), t('contribution.keys.date')]}
            data={keys.value.map((k) => [
              k.memberName,
              <span key="fp" className="ptce-mono">
                {k.fingerprintGroups}
              </span>,
              t(`contribution.keys.sources.${k.source}`),
              formatDateTime(k.registeredAt, i18n.language),
            ])}
          />
        ))}
      <form onSubmit={register}>
        <MemberSelect value={member} onChange={setMemberId} label={t('contribution.member')} />
        <Input
          textArea
          label={t('contribution.keys.pem')}
          hintText={t('contribution.keys.pemHint')}
          nativeTextAreaProps={{ value: pem, onChange: (e) => setPem(e.target.value), rows: 5, spellCheck: false, required: true, className: 'ptce-mono' }}
        />
        <Button type="submit" disabled={busy || member === null || pem.trim() === ''}>
          {t('contribution.keys.action')}
        </Button>
      </form>
      <OutcomeView outcome={outcome} />
    </section>
  );
}
