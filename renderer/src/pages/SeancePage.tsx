import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { call, toAppError, useApi } from '../ipc';
import { ErrorAlert, Loading } from '../components/Feedback';
import { usePageTitle } from '../components/usePageTitle';
import { formatDay, formatTime } from '../meeting/format';
import { DossierScreen } from '../meeting/DossierScreen';
import type { AppError } from '../../../shared/result';
import type { DivergentPlacement, MeetingView } from '../../../shared/domain/meeting';
import { parseId } from './CampaignPage';
import { NotFoundPage } from './NotFoundPage';
import '../meeting/meeting.css';

/** « Séance »: setup and attendance with the quorum, the order, then one dossier at a time. */
export function SeancePage() {
  const params = useParams();
  const campaignId = parseId(params.campaignId);
  const meetingId = parseId(params.meetingId);
  if (campaignId === null || meetingId === null) return <NotFoundPage />;
  return <SeanceView campaignId={campaignId} meetingId={meetingId} />;
}

function SeanceView({ campaignId, meetingId }: { campaignId: number; meetingId: number }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const campaign = useApi('campaign:get', { campaignId });
  const [meeting, setMeeting] = useState<MeetingView | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  usePageTitle(meeting ? t('meeting.title', { date: formatDay(meeting.heldOn, lang) }) : undefined);

  const run = useCallback(async (action: () => Promise<MeetingView | null>) => {
    setError(null);
    try {
      const m = await action();
      if (m) setMeeting(m);
    } catch (e) {
      setError(toAppError(e));
    }
  }, []);
  useEffect(() => {
    call('meeting:get', { meetingId }).then(setMeeting, (e: unknown) => setError(toAppError(e)));
  }, [meetingId]);
  const current = meeting?.currentDossierId ?? null;
  useEffect(() => {
    if (meeting && current === null) headingRef.current?.focus();
  }, [current, meeting === null]); // eslint-disable-line react-hooks/exhaustive-deps

  if (!meeting) return error ? <ErrorAlert error={error} /> : <Loading />;
  const ended = meeting.endedAt !== null;
  const memberName = (id: number | null) => meeting.attendance.find((a) => a.member.id === id)?.member.name ?? t('meeting.nobody');
  const move = (index: number, delta: number) => {
    const ids = meeting.order.map((o) => o.dossierId);
    const [item] = ids.splice(index, 1);
    ids.splice(index + delta, 0, item!);
    void run(async () => {
      const m = await call('meeting:setOrder', { meetingId, dossierIds: ids });
      // Keep the keyboard focus on the moved dossier's button.
      requestAnimationFrame(() => document.getElementById(`order-${item}-${delta < 0 ? 'up' : 'down'}`)?.focus());
      return m;
    });
  };
  const propose = (divergent: DivergentPlacement) =>
    run(async () => {
      const p = await call('meeting:propose', { meetingId, divergent });
      return call('meeting:setOrder', { meetingId, dossierIds: p.dossierIds });
    });
  const enter = (dossierId: number | null) => run(() => call('meeting:enter', { meetingId, dossierId }));
  const end = () => run(() => call('meeting:end', { meetingId }));
  const savePv = async () => {
    setError(null);
    setMessage(null);
    try {
      const saved = await call('meeting:savePv', { meetingId, lang: i18n.language === 'en' ? 'en' : 'fr' });
      setMessage(saved ? t('meeting.pvSaved', { file: saved.file }) : t('meeting.pvCancelled'));
    } catch (e) {
      setError(toAppError(e));
    }
  };

  if (current !== null && !ended) {
    const index = meeting.order.findIndex((o) => o.dossierId === current);
    return (
      <div className="ptce-meeting">
        {error && <ErrorAlert error={error} className="fr-mb-2w" />}
        <DossierScreen
          key={current}
          meeting={meeting}
          dossierId={current}
          onPrevious={index > 0 ? () => void enter(meeting.order[index - 1]!.dossierId) : null}
          onNext={index < meeting.order.length - 1 ? () => void enter(meeting.order[index + 1]!.dossierId) : null}
          onAgenda={() => void enter(null)}
          onDecided={() => void run(() => call('meeting:get', { meetingId }))}
        />
      </div>
    );
  }

  return (
    <div className="ptce-meeting">
      <Breadcrumb
        homeLinkProps={{ to: '/' }}
        segments={[
          { label: campaign.state === 'ready' ? campaign.value.name : '…', linkProps: { to: `/campaigns/${campaignId}` } },
          { label: t('meeting.listTitle'), linkProps: { to: `/campaigns/${campaignId}/meetings` } },
        ]}
        currentPageLabel={t('meeting.title', { date: formatDay(meeting.heldOn, lang) })}
        className="fr-mt-0"
      />
      <h1 ref={headingRef} tabIndex={-1}>
        {t('meeting.title', { date: formatDay(meeting.heldOn, lang) })}
      </h1>
      <p className="fr-text--lead">
        {t('meeting.where', { place: meeting.place || t('meeting.noPlace'), keyboard: memberName(meeting.keyboardMemberId) })}
      </p>
      {error && <ErrorAlert error={error} className="fr-mb-2w" />}
      {message && (
        <Alert severity="success" small description={message} className="fr-mb-2w" role="status" />
      )}
      {ended && (
        <section aria-labelledby="pv-title" className="fr-mb-4w">
          <h2 id="pv-title">{t('meeting.endedTitle', { time: formatTime(meeting.endedAt, lang) })}</h2>
          <Button iconId="fr-icon-download-line" onClick={() => void savePv()}>
            {t('meeting.savePv')}
          </Button>
        </section>
      )}

      <section aria-labelledby="attendance-title" className="fr-mb-4w">
        <h2 id="attendance-title">{t('meeting.attendanceTitle')}</h2>
        <p className={`ptce-meeting__quorum ${meeting.quorum.met ? 'ptce-meeting__quorum--met' : 'ptce-meeting__quorum--missing'}`} role="status">
          {t(meeting.quorum.met ? 'meeting.quorumMet' : 'meeting.quorumMissing', { present: meeting.quorum.present, required: meeting.quorum.required })}
        </p>
        <p className="fr-hint-text">
          {t(meeting.quorumRule === 'fixed' ? 'meeting.quorumRuleFixed' : 'meeting.quorumRuleMajority', { active: meeting.quorum.active, required: meeting.quorum.required })}
        </p>
        <fieldset className="fr-fieldset" disabled={ended}>
          <legend className="fr-fieldset__legend">{t('meeting.presentLegend')}</legend>
          {meeting.attendance.map((a) => (
            <div key={a.member.id} className="fr-fieldset__element">
              <div className="fr-checkbox-group">
                <input
                  type="checkbox"
                  id={`present-${a.member.id}`}
                  checked={a.present}
                  onChange={(e) => void run(() => call('meeting:attendance', { meetingId, memberId: a.member.id, present: e.target.checked }))}
                />
                <label className="fr-label" htmlFor={`present-${a.member.id}`}>
                  {`${a.member.name} (${t(`members.roles.${a.member.role}`)})`}
                  {a.arrivedAt && (
                    <span className="fr-hint-text">
                      {a.departedAt
                        ? t('meeting.arrivedLeft', { arrived: formatTime(a.arrivedAt, lang), left: formatTime(a.departedAt, lang) })
                        : t('meeting.arrived', { arrived: formatTime(a.arrivedAt, lang) })}
                    </span>
                  )}
                </label>
              </div>
            </div>
          ))}
        </fieldset>
        <div className="fr-select-group">
          <label className="fr-label" htmlFor="keyboard-member">
            {t('meeting.keyboard')}
          </label>
          <select
            id="keyboard-member"
            className="fr-select"
            disabled={ended}
            value={meeting.keyboardMemberId ?? ''}
            onChange={(e) => void run(() => call('meeting:update', { meetingId, setup: { keyboardMemberId: Number(e.target.value) } }))}
          >
            <option value="" disabled>
              {t('meeting.choose')}
            </option>
            {meeting.attendance.map((a) => (
              <option key={a.member.id} value={a.member.id}>
                {a.member.name}
              </option>
            ))}
          </select>
        </div>
      </section>

      <section aria-labelledby="order-title" className="fr-mb-6w">
        <h2 id="order-title">{t('meeting.orderTitle')}</h2>
        <p>{t('meeting.orderHelp')}</p>
        {!ended && (
          <ul className="fr-btns-group fr-btns-group--inline-md">
            <li>
              <Button priority="secondary" onClick={() => void propose('none')}>
                {t('meeting.proposeGrouped')}
              </Button>
            </li>
            <li>
              <Button priority="secondary" onClick={() => void propose('first')}>
                {t('meeting.proposeDivergentFirst')}
              </Button>
            </li>
            <li>
              <Button priority="secondary" onClick={() => void propose('last')}>
                {t('meeting.proposeDivergentLast')}
              </Button>
            </li>
          </ul>
        )}
        <ol className="ptce-meeting__order" aria-label={t('meeting.orderTitle')}>
          {meeting.order.map((o, i) => (
            <li key={o.dossierId}>
              <span className="ptce-meeting__order-label">
                <strong>{t('meeting.dossierLabel', { number: o.number, project: o.project })}</strong>
                {o.recused.length > 0 && (
                  <span className="fr-hint-text">{t('meeting.orderRecused', { names: o.recused.map(memberName).join(', ') })}</span>
                )}
                {o.divergent > 0 && <span className="ptce-meeting__flag">{t('meeting.orderDivergent', { count: o.divergent })}</span>}
              </span>
              {o.decided && <span className="fr-badge fr-badge--success">{t('meeting.decided')}</span>}
              {!ended && (
                <>
                  <Button
                    id={`order-${o.dossierId}-up`}
                    size="small"
                    priority="tertiary"
                    iconId="fr-icon-arrow-up-s-line"
                    disabled={i === 0}
                    onClick={() => move(i, -1)}
                    title={t('meeting.moveUp', { number: o.number })}
                  >
                    {t('meeting.moveUp', { number: o.number })}
                  </Button>
                  <Button
                    id={`order-${o.dossierId}-down`}
                    size="small"
                    priority="tertiary"
                    iconId="fr-icon-arrow-down-s-line"
                    disabled={i === meeting.order.length - 1}
                    onClick={() => move(i, 1)}
                    title={t('meeting.moveDown', { number: o.number })}
                  >
                    {t('meeting.moveDown', { number: o.number })}
                  </Button>
                  <Button size="small" onClick={() => void enter(o.dossierId)}>
                    {t('meeting.open', { number: o.number })}
                  </Button>
                </>
              )}
            </li>
          ))}
        </ol>
        {!ended && meeting.order.length > 0 && (
          <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left fr-mt-3w">
            <li>
              <Button iconId="fr-icon-arrow-right-line" onClick={() => void enter(meeting.order[0]!.dossierId)}>
                {meeting.startedAt ? t('meeting.resume') : t('meeting.start')}
              </Button>
            </li>
            <li>
              <Button
                priority="secondary"
                onClick={() => {
                  if (window.confirm(t('meeting.endConfirm'))) void end();
                }}
              >
                {t('meeting.end')}
              </Button>
            </li>
          </ul>
        )}
      </section>
    </div>
  );
}
