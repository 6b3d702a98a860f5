import { useState, type FormEvent } from 'react';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { call, toAppError, useApi } from '../ipc';
import { ErrorAlert, Loading } from '../components/Feedback';
import { usePageTitle } from '../components/usePageTitle';
import { useMembers } from '../members';
import { MEMBER_ROLE_LIST, type MemberRoleKey } from '../../../shared/domain/review';
import type { CommitteeMember, CommitteeOverview } from '../../../shared/domain/committee';
import type { AppError } from '../../../shared/result';
import { ConflictsPanel } from '../committee/ConflictsPanel';
import { NoticeAlert, type Notice } from '../committee/Notice';
import { parseId } from './CampaignPage';
import { NotFoundPage } from './NotFoundPage';
import '../committee/committee.css';

export function CommitteePage() {
  const campaignId = parseId(useParams().campaignId);
  if (campaignId === null) return <NotFoundPage />;
  return <CommitteeView campaignId={campaignId} />;
}

function CommitteeView({ campaignId }: { campaignId: number }) {
  const { t } = useTranslation();
  const campaign = useApi('campaign:get', { campaignId });
  const overview = useApi('committee:overview', { campaignId });
  const { reload: reloadMembers } = useMembers();
  usePageTitle(t('committee.title'));
  // While reloading after a change, the previous state stays on screen (and the sections keep their notices and focus).
  const [last, setLast] = useState<CommitteeOverview | null>(null);
  if (overview.state === 'ready' && overview.value !== last) setLast(overview.value);
  const shown = overview.state === 'error' ? null : overview.state === 'ready' ? overview.value : last;
  const refresh = () => {
    overview.reload();
    void reloadMembers();
  };

  return (
    <>
      <Breadcrumb
        homeLinkProps={{ to: '/' }}
        segments={[{ label: campaign.state === 'ready' ? campaign.value.name : '…', linkProps: { to: `/campaigns/${campaignId}` } }]}
        currentPageLabel={t('committee.title')}
        className="fr-mt-0"
      />
      <h1>{t('committee.title')}</h1>
      <p className="fr-text--lead">{t('committee.lead')}</p>
      {overview.state === 'loading' && !shown && <Loading />}
      {overview.state === 'error' && <ErrorAlert error={overview.error} />}
      {shown && (
        <>
          <MembersSection overview={shown} onChanged={refresh} />
          <AssignmentsSection overview={shown} onChanged={refresh} />
          <ConflictsPanel overview={shown} onChanged={refresh} />
        </>
      )}
    </>
  );
}

// ---- Members ------------------------------------------------------------------------------------

function MembersSection({ overview, onChanged }: { overview: CommitteeOverview; onChanged: () => void }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<CommitteeMember | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const load = new Map(overview.loads.map((l) => [l.memberId, l]));
  return (
    <section aria-labelledby="committee-members" className="fr-mb-6w">
      <h2 id="committee-members">{t('committee.members.title')}</h2>
      <NoticeAlert notice={notice} />
      <div className="fr-table fr-table--no-caption-top ptce-committee-table">
        <table>
          <caption>{t('committee.members.caption', { count: overview.members.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('committee.members.name')}</th>
              <th scope="col">{t('committee.members.role')}</th>
              <th scope="col">{t('committee.members.organisation')}</th>
              <th scope="col">{t('committee.members.siren')}</th>
              <th scope="col">{t('committee.members.load')}</th>
              <th scope="col">{t('committee.members.active')}</th>
              <th scope="col">{t('committee.members.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {overview.members.map((m) => (
              <tr key={m.id}>
                <th scope="row">{m.name}</th>
                <td>{t(`members.roles.${m.role}`)}</td>
                <td>{m.organisation}</td>
                <td className="ptce-nowrap">{m.organisationSiren}</td>
                <td>{t('committee.members.loadValue', { assigned: load.get(m.id)?.assigned ?? 0, submitted: load.get(m.id)?.submitted ?? 0 })}</td>
                <td>{m.active ? t('committee.members.yes') : t('committee.members.no')}</td>
                <td>
                  <button
                    type="button"
                    className="fr-btn fr-btn--sm fr-btn--tertiary"
                    aria-label={t('committee.members.editLabel', { name: m.name })}
                    onClick={() => {
                      setNotice(null);
                      setEditing(m);
                    }}
                  >
                    {t('committee.members.edit')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {editing && (
        <MemberEditForm
          key={editing.id}
          member={editing}
          onDone={(saved) => {
            setEditing(null);
            if (saved) {
              setNotice({ kind: 'success', text: t('committee.members.saved') });
              onChanged();
            }
          }}
        />
      )}
    </section>
  );
}

function MemberEditForm({ member, onDone }: { member: CommitteeMember; onDone: (saved: boolean) => void }) {
  const { t } = useTranslation();
  const [role, setRole] = useState<MemberRoleKey>(member.role);
  const [organisation, setOrganisation] = useState(member.organisation);
  const [siren, setSiren] = useState(member.organisationSiren);
  const [active, setActive] = useState(member.active);
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const sirenInvalid = error?.code === 'validation' && error.params?.reason === 'organisationSiren';

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    try {
      await call('committee:updateMember', { memberId: member.id, role, organisation: organisation.trim(), organisationSiren: siren, active });
      onDone(true);
    } catch (err) {
      setError(toAppError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)} noValidate className="ptce-committee-form fr-p-3w fr-mb-3w" aria-labelledby="committee-edit-title">
      <h3 id="committee-edit-title" className="fr-h5">
        {t('committee.members.editTitle', { name: member.name })}
      </h3>
      <Select
        label={t('committee.members.role')}
        nativeSelectProps={{ value: role, autoFocus: true, onChange: (e) => setRole(e.target.value as MemberRoleKey) }}
      >
        {MEMBER_ROLE_LIST.map((r) => (
          <option key={r} value={r}>
            {t(`members.roles.${r}`)}
          </option>
        ))}
      </Select>
      <Input
        label={t('committee.members.organisation')}
        nativeInputProps={{ value: organisation, onChange: (e) => setOrganisation(e.target.value) }}
      />
      <Input
        label={t('committee.members.siren')}
        hintText={t('committee.members.sirenHint')}
        state={sirenInvalid ? 'error' : 'default'}
        stateRelatedMessage={t('committee.members.sirenInvalid')}
        nativeInputProps={{ value: siren, inputMode: 'numeric', onChange: (e) => setSiren(e.target.value) }}
      />
      <div className="fr-checkbox-group fr-mb-3w">
        <input type="checkbox" id={`committee-active-${member.id}`} checked={active} onChange={(e) => setActive(e.target.checked)} />
        <label className="fr-label" htmlFor={`committee-active-${member.id}`}>
          {t('committee.members.activeLabel')}
        </label>
      </div>
      {error && !sirenInvalid && <ErrorAlert error={error} className="fr-mb-2w" />}
      <ul className="fr-btns-group fr-btns-group--inline-md">
        <li>
          <button type="submit" className="fr-btn" disabled={busy}>
            {t('committee.members.save')}
          </button>
        </li>
        <li>
          <button type="button" className="fr-btn fr-btn--secondary" onClick={() => onDone(false)}>
            {t('committee.members.cancel')}
          </button>
        </li>
      </ul>
    </form>
  );
}

// ---- Assignments --------------------------------------------------------------------------------

function AssignmentsSection({ overview, onChanged }: { overview: CommitteeOverview; onChanged: () => void }) {
  const { t } = useTranslation();
  const members = overview.members.filter((m) => m.active);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [bulkMember, setBulkMember] = useState('');
  const [perDossier, setPerDossier] = useState('2');
  const [notice, setNotice] = useState<Notice>(null);
  const [busy, setBusy] = useState(false);
  const assigned = new Set(overview.assignments.map((a) => `${a.dossierId}/${a.memberId}`));
  const conflict = new Map(overview.conflicts.filter((c) => c.status !== 'dismissed').map((c) => [`${c.dossierId}/${c.memberId}`, c.status]));
  const numberOf = new Map(overview.dossiers.map((d) => [d.id, d.number]));

  async function run(action: () => Promise<string>) {
    setBusy(true);
    try {
      setNotice({ kind: 'success', text: await action() });
      onChanged();
    } catch (err) {
      setNotice({ kind: 'error', error: toAppError(err) });
    } finally {
      setBusy(false);
    }
  }

  const toggle = (dossierId: number, memberId: number, on: boolean) =>
    run(async () => {
      const n = on
        ? (await call('committee:assign', { dossierIds: [dossierId], memberIds: [memberId] })).added
        : (await call('committee:unassign', { dossierIds: [dossierId], memberIds: [memberId] })).removed;
      return t('committee.assign.updated', { count: n });
    });
  const bulk = (on: boolean) =>
    run(async () => {
      const input = { dossierIds: [...selected], memberIds: [Number(bulkMember)] };
      const n = on ? (await call('committee:assign', input)).added : (await call('committee:unassign', input)).removed;
      return t('committee.assign.updated', { count: n });
    });
  const distribute = () =>
    run(async () => {
      const out = await call('committee:distribute', {
        campaignId: overview.campaignId,
        perDossier: Math.min(20, Math.max(1, Number(perDossier) || 1)),
        ...(selected.size > 0 && { dossierIds: [...selected] }),
      });
      const text = t('committee.assign.distributed', { count: out.added });
      return out.short.length > 0
        ? `${text} ${t('committee.assign.short', { numbers: out.short.map((id) => numberOf.get(id)).join(', ') })}`
        : text;
    });

  const allSelected = overview.dossiers.length > 0 && selected.size === overview.dossiers.length;
  const canBulk = selected.size > 0 && bulkMember !== '' && !busy;

  return (
    <section aria-labelledby="committee-assign" className="fr-mb-6w">
      <h2 id="committee-assign">{t('committee.assign.title')}</h2>
      <NoticeAlert notice={notice} />
      <div className="ptce-committee-toolbar fr-mb-2w">
        <Select
          label={t('committee.assign.bulkMember')}
          nativeSelectProps={{ value: bulkMember, onChange: (e) => setBulkMember(e.target.value) }}
        >
          <option value="">{t('committee.assign.chooseMember')}</option>
          {members.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </Select>
        <button type="button" className="fr-btn fr-btn--secondary" disabled={!canBulk} onClick={() => void bulk(true)}>
          {t('committee.assign.assignSelected', { count: selected.size })}
        </button>
        <button type="button" className="fr-btn fr-btn--tertiary" disabled={!canBulk} onClick={() => void bulk(false)}>
          {t('committee.assign.unassignSelected', { count: selected.size })}
        </button>
        <Input
          label={t('committee.assign.perDossier')}
          nativeInputProps={{ type: 'number', min: 1, max: 20, value: perDossier, onChange: (e) => setPerDossier(e.target.value) }}
        />
        <button
          type="button"
          className="fr-btn"
          disabled={busy || members.length === 0}
          aria-describedby="committee-distribute-hint"
          onClick={() => void distribute()}
        >
          {t('committee.assign.distribute')}
        </button>
      </div>
      <p id="committee-distribute-hint" className="fr-text--sm fr-text-mention--grey">
        {t('committee.assign.distributeHint')}
      </p>
      {members.length === 0 ? (
        <p>{t('committee.assign.noMembers')}</p>
      ) : (
        <div className="fr-table fr-table--no-caption-top ptce-committee-table ptce-committee-matrix">
          <table>
            <caption>{t('committee.assign.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">
                  <input
                    type="checkbox"
                    className="ptce-committee-check"
                    aria-label={t('committee.assign.selectAll')}
                    checked={allSelected}
                    onChange={(e) => setSelected(e.target.checked ? new Set(overview.dossiers.map((d) => d.id)) : new Set())}
                  />
                </th>
                <th scope="col">{t('committee.assign.dossier')}</th>
                {members.map((m) => (
                  <th scope="col" key={m.id}>
                    {m.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {overview.dossiers.map((d) => (
                <tr key={d.id}>
                  <td>
                    <input
                      type="checkbox"
                      className="ptce-committee-check"
                      aria-label={t('committee.assign.selectDossier', { number: d.number })}
                      checked={selected.has(d.id)}
                      onChange={(e) =>
                        setSelected((s) => {
                          const next = new Set(s);
                          if (e.target.checked) next.add(d.id);
                          else next.delete(d.id);
                          return next;
                        })
                      }
                    />
                  </td>
                  <th scope="row">
                    <span className="ptce-nowrap">{d.number}</span> — {d.projectName}
                  </th>
                  {members.map((m) => {
                    const key = `${d.id}/${m.id}`;
                    const status = conflict.get(key);
                    return (
                      <td key={m.id}>
                        {status === 'confirmed' ? (
                          <Badge as="span" small severity="error">
                            {t('committee.assign.recused')}
                          </Badge>
                        ) : (
                          <>
                            <input
                              type="checkbox"
                              className="ptce-committee-check"
                              aria-label={t('committee.assign.cell', { member: m.name, number: d.number })}
                              checked={assigned.has(key)}
                              disabled={busy}
                              onChange={(e) => void toggle(d.id, m.id, e.target.checked)}
                            />
                            {status === 'proposed' && (
                              <Badge as="span" small severity="warning" className="fr-ml-1w">
                                {t('committee.assign.proposed')}
                              </Badge>
                            )}
                          </>
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
