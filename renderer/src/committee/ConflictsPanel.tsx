import { useState, type FormEvent } from 'react';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { useTranslation } from 'react-i18next';
import { call, toAppError } from '../ipc';
import { LINK_KIND_LIST, type CommitteeOverview, type ConflictView, type LinkKind } from '../../../shared/domain/committee';
import { NoticeAlert, type Notice } from './Notice';

const STATUS_SEVERITY = { proposed: 'warning', confirmed: 'error', dismissed: 'info' } as const;

/** Conflicts of interest: detection, the decisions on proposals, and declared links. */
export function ConflictsPanel({ overview, onChanged }: { overview: CommitteeOverview; onChanged: () => void }) {
  const { t } = useTranslation();
  const [notice, setNotice] = useState<Notice>(null);
  const [busy, setBusy] = useState(false);
  const name = new Map(overview.members.map((m) => [m.id, m.name]));
  const dossierNumber = new Map(overview.dossiers.map((d) => [d.id, d.number]));

  async function run(action: () => Promise<string | null>) {
    setBusy(true);
    try {
      const text = await action();
      setNotice(text === null ? null : { kind: 'success', text });
      onChanged();
    } catch (err) {
      setNotice({ kind: 'error', error: toAppError(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="committee-conflicts" className="fr-mb-6w">
      <h2 id="committee-conflicts">{t('committee.conflicts.title')}</h2>
      <p id="committee-detect-hint" className="fr-text--sm">
        {t('committee.conflicts.detectHint')}
      </p>
      <button
        type="button"
        className="fr-btn fr-btn--secondary fr-mb-2w"
        disabled={busy}
        aria-describedby="committee-detect-hint"
        onClick={() =>
          void run(async () => t('committee.conflicts.detected', { count: (await call('committee:detect', { campaignId: overview.campaignId })).added }))
        }
      >
        {t('committee.conflicts.detect')}
      </button>
      <NoticeAlert notice={notice} />
      {overview.conflicts.length === 0 ? (
        <p>{t('committee.conflicts.none')}</p>
      ) : (
        <div className="fr-table fr-table--no-caption-top ptce-committee-table">
          <table>
            <caption>{t('committee.conflicts.caption', { count: overview.conflicts.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('committee.conflicts.dossier')}</th>
                <th scope="col">{t('committee.conflicts.member')}</th>
                <th scope="col">{t('committee.conflicts.source')}</th>
                <th scope="col">{t('committee.conflicts.evidence')}</th>
                <th scope="col">{t('committee.conflicts.status')}</th>
                <th scope="col">{t('committee.conflicts.decision')}</th>
              </tr>
            </thead>
            <tbody>
              {overview.conflicts.map((c) => (
                <ConflictRow
                  key={`${c.memberId}/${c.dossierId}`}
                  conflict={c}
                  memberName={name.get(c.memberId) ?? `#${c.memberId}`}
                  busy={busy}
                  onDecide={(decision, reason) =>
                    run(async () => {
                      await call('committee:decide', { memberId: c.memberId, dossierId: c.dossierId, decision, reason });
                      return null;
                    })
                  }
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LinkForm overview={overview} onDeclared={(count) => run(async () => t('committee.links.declared', { count }))} />
      {overview.links.length > 0 && (
        <>
          <h3 className="fr-h5">{t('committee.links.listTitle')}</h3>
          <ul>
            {overview.links.map((l) => {
              const item = t('committee.links.listItem', {
                member: name.get(l.memberId) ?? `#${l.memberId}`,
                kind: t(`committee.links.kinds.${l.kind}`),
                target: [l.structureName, l.siren, l.dossierId !== null ? `n° ${dossierNumber.get(l.dossierId) ?? l.dossierId}` : '']
                  .filter(Boolean)
                  .join(' · '),
              });
              return (
                <li key={l.id}>
                  {item}{' '}
                  <button
                    type="button"
                    className="fr-btn fr-btn--tertiary fr-btn--sm fr-ml-1w"
                    disabled={busy}
                    aria-label={t('committee.links.removeLabel', { item })}
                    onClick={() => void run(async () => t('committee.links.removed', await call('committee:removeLink', { linkId: l.id })))}
                  >
                    {t('committee.links.remove')}
                  </button>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}

function ConflictRow({
  conflict: c,
  memberName,
  busy,
  onDecide,
}: {
  conflict: ConflictView;
  memberName: string;
  busy: boolean;
  onDecide: (decision: 'confirmed' | 'dismissed', reason?: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [dismissing, setDismissing] = useState(false);
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const labels = { member: memberName, number: c.dossierNumber };
  const reasonId = `committee-reason-${c.memberId}-${c.dossierId}`;

  function submitDismiss(e: FormEvent) {
    e.preventDefault();
    if (reason.trim() === '') {
      setMissing(true);
      document.getElementById(reasonId)?.focus();
      return;
    }
    void onDecide('dismissed', reason.trim()).then(() => setDismissing(false));
  }

  return (
    <tr>
      <td className="ptce-nowrap">{c.dossierNumber}</td>
      <th scope="row">{memberName}</th>
      <td>
        {t(`committee.conflicts.sources.${c.source}`)}
        {c.linkKind && ` — ${t(`committee.links.kinds.${c.linkKind}`)}`}
      </td>
      <td>{c.evidence}</td>
      <td>
        <Badge as="span" small severity={STATUS_SEVERITY[c.status]}>
          {t(`committee.conflicts.statuses.${c.status}`)}
        </Badge>
        {c.status === 'dismissed' && <p className="fr-text--xs fr-mb-0">{t('committee.conflicts.dismissedBecause', { reason: c.reason })}</p>}
      </td>
      <td>
        {dismissing ? (
          <form onSubmit={submitDismiss} noValidate>
            <Input
              label={t('committee.conflicts.reason')}
              hintText={t('committee.conflicts.reasonHint')}
              state={missing ? 'error' : 'default'}
              stateRelatedMessage={t('committee.conflicts.reasonRequired')}
              nativeInputProps={{ id: reasonId, value: reason, autoFocus: true, required: true, onChange: (e) => setReason(e.target.value) }}
            />
            <ul className="fr-btns-group fr-btns-group--sm fr-btns-group--inline">
              <li>
                <button type="submit" className="fr-btn fr-btn--sm" disabled={busy}>
                  {t('committee.conflicts.validateDismiss')}
                </button>
              </li>
              <li>
                <button type="button" className="fr-btn fr-btn--sm fr-btn--tertiary" onClick={() => setDismissing(false)}>
                  {t('committee.conflicts.cancel')}
                </button>
              </li>
            </ul>
          </form>
        ) : (
          <ul className="fr-btns-group fr-btns-group--sm fr-btns-group--inline">
            {c.status !== 'confirmed' && (
              <li>
                <button
                  type="button"
                  className="fr-btn fr-btn--sm"
                  disabled={busy}
                  aria-label={t('committee.conflicts.confirmLabel', labels)}
                  onClick={() => void onDecide('confirmed')}
                >
                  {t('committee.conflicts.confirm')}
                </button>
              </li>
            )}
            {c.status !== 'dismissed' && (
              <li>
                <button
                  type="button"
                  className="fr-btn fr-btn--sm fr-btn--secondary"
                  disabled={busy}
                  aria-label={t('committee.conflicts.dismissLabel', labels)}
                  onClick={() => setDismissing(true)}
                >
                  {t('committee.conflicts.dismiss')}
                </button>
              </li>
            )}
          </ul>
        )}
      </td>
    </tr>
  );
}

function LinkForm({ overview, onDeclared }: { overview: CommitteeOverview; onDeclared: (count: number) => Promise<void> }) {
  const { t } = useTranslation();
  const [memberId, setMemberId] = useState('');
  const [kind, setKind] = useState<LinkKind | ''>('');
  const [structureName, setStructureName] = useState('');
  const [siren, setSiren] = useState('');
  const [dossierId, setDossierId] = useState('');
  const [note, setNote] = useState('');
  const [shown, setShown] = useState(false);
  const [error, setError] = useState<Notice>(null);

  const noTarget = structureName.trim() === '' && siren.trim() === '' && dossierId === '';
  const invalid = memberId === '' || kind === '' || noTarget;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setShown(true);
    if (invalid) return;
    try {
      const out = await call('committee:declareLink', {
        memberId: Number(memberId),
        kind,
        structureName: structureName.trim(),
        siren,
        dossierId: dossierId === '' ? null : Number(dossierId),
        note: note.trim(),
      });
      setError(null);
      setShown(false);
      setStructureName('');
      setSiren('');
      setDossierId('');
      setNote('');
      await onDeclared(out.conflicts.length);
    } catch (err) {
      setError({ kind: 'error', error: toAppError(err) });
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)} noValidate className="ptce-committee-form fr-p-3w fr-my-3w" aria-labelledby="committee-link-title">
      <h3 id="committee-link-title" className="fr-h5">
        {t('committee.links.title')}
      </h3>
      <p className="fr-text--sm">{t('committee.links.lead')}</p>
      <Select
        label={t('committee.links.member')}
        state={shown && memberId === '' ? 'error' : 'default'}
        stateRelatedMessage={t('committee.assign.chooseMember')}
        nativeSelectProps={{ value: memberId, required: true, onChange: (e) => setMemberId(e.target.value) }}
      >
        <option value="">{t('committee.assign.chooseMember')}</option>
        {overview.members.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name}
          </option>
        ))}
      </Select>
      <Select
        label={t('committee.links.kind')}
        state={shown && kind === '' ? 'error' : 'default'}
        stateRelatedMessage={t('committee.links.chooseKind')}
        nativeSelectProps={{ value: kind, required: true, onChange: (e) => setKind(e.target.value as LinkKind | '') }}
      >
        <option value="">{t('committee.links.chooseKind')}</option>
        {LINK_KIND_LIST.map((k) => (
          <option key={k} value={k}>
            {t(`committee.links.kinds.${k}`)}
          </option>
        ))}
      </Select>
      <Input label={t('committee.links.structure')} nativeInputProps={{ value: structureName, onChange: (e) => setStructureName(e.target.value) }} />
      <Input
        label={t('committee.links.siren')}
        hintText={t('committee.members.sirenHint')}
        nativeInputProps={{ value: siren, inputMode: 'numeric', onChange: (e) => setSiren(e.target.value) }}
      />
      <Select
        label={t('committee.links.dossier')}
        state={shown && noTarget ? 'error' : 'default'}
        stateRelatedMessage={t('committee.links.needTarget')}
        nativeSelectProps={{ value: dossierId, onChange: (e) => setDossierId(e.target.value) }}
      >
        <option value="">{t('committee.links.noDossier')}</option>
        {overview.dossiers.map((d) => (
          <option key={d.id} value={d.id}>
            {`${d.number} — ${d.projectName}`}
          </option>
        ))}
      </Select>
      <Input label={t('committee.links.note')} nativeInputProps={{ value: note, onChange: (e) => setNote(e.target.value) }} />
      <NoticeAlert notice={error} />
      <button type="submit" className="fr-btn">
        {t('committee.links.submit')}
      </button>
    </form>
  );
}
