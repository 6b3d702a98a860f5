import { useState } from 'react';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { call, toAppError, useApi } from '../ipc';
import { ErrorAlert, Loading } from '../components/Feedback';
import { usePageTitle } from '../components/usePageTitle';
import { formatDay, todayInParis } from '../meeting/format';
import type { AppError } from '../../../shared/result';
import type { MemberInfo } from '../../../shared/domain/review';
import { parseId } from './CampaignPage';
import { NotFoundPage } from './NotFoundPage';
import '../meeting/meeting.css';

/** « Séances » of a campaign: the list, and a new séance (date, place, chair, keyboard member). */
export function MeetingsPage() {
  const campaignId = parseId(useParams().campaignId);
  if (campaignId === null) return <NotFoundPage />;
  return <MeetingsView campaignId={campaignId} />;
}

function MeetingsView({ campaignId }: { campaignId: number }) {
  const { t, i18n } = useTranslation();
  usePageTitle(t('meeting.listTitle'));
  const campaign = useApi('campaign:get', { campaignId });
  const meetings = useApi('meeting:list', { campaignId });
  const members = useApi('member:list', {});
  const navigate = useNavigate();
  const [error, setError] = useState<AppError | null>(null);
  const [heldOn, setHeldOn] = useState(todayInParis());
  const [place, setPlace] = useState('');
  const [keyboard, setKeyboard] = useState('');
  const [chair, setChair] = useState('');

  const create = async () => {
    setError(null);
    try {
      const m = await call('meeting:create', {
        campaignId,
        setup: {
          heldOn,
          place,
          keyboardMemberId: keyboard ? Number(keyboard) : null,
          chairMemberId: chair ? Number(chair) : null,
        },
      });
      void navigate(`/campaigns/${campaignId}/meetings/${m.id}`);
    } catch (e) {
      setError(toAppError(e));
    }
  };
  const memberOptions = (list: MemberInfo[]) =>
    list.map((m) => (
      <option key={m.id} value={m.id}>
        {`${m.name} (${t(`members.roles.${m.role}`)})`}
      </option>
    ));

  return (
    <div className="ptce-meeting">
      <Breadcrumb
        homeLinkProps={{ to: '/' }}
        segments={[{ label: campaign.state === 'ready' ? campaign.value.name : '…', linkProps: { to: `/campaigns/${campaignId}` } }]}
        currentPageLabel={t('meeting.listTitle')}
        className="fr-mt-0"
      />
      <h1>{t('meeting.listTitle')}</h1>
      <p className="fr-text--lead">{t('meeting.intro')}</p>
      {meetings.state === 'loading' && <Loading />}
      {meetings.state === 'error' && <ErrorAlert error={meetings.error} />}
      {meetings.state === 'ready' && meetings.value.length > 0 && (
        <ul className="fr-mb-4w">
          {meetings.value.map((m) => (
            <li key={m.id}>
              <a
                className="fr-link fr-text--lg"
                href={`#/campaigns/${campaignId}/meetings/${m.id}`}
              >
                {t('meeting.listItem', { date: formatDay(m.heldOn, i18n.language), place: m.place || t('meeting.noPlace') })}
              </a>{' '}
              <span className={`fr-badge ${m.endedAt ? 'fr-badge--success' : 'fr-badge--info'}`}>
                {m.endedAt ? t('meeting.ended') : m.startedAt ? t('meeting.running') : t('meeting.planned')}
              </span>
            </li>
          ))}
        </ul>
      )}
      <form
        className="fr-mb-6w"
        aria-labelledby="new-meeting"
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <h2 id="new-meeting">{t('meeting.new')}</h2>
        <div className="fr-input-group">
          <label className="fr-label" htmlFor="meeting-date">
            {t('meeting.date')}
          </label>
          <input id="meeting-date" className="fr-input" type="date" required value={heldOn} onChange={(e) => setHeldOn(e.target.value)} />
        </div>
        <div className="fr-input-group">
          <label className="fr-label" htmlFor="meeting-place">
            {t('meeting.place')}
          </label>
          <input id="meeting-place" className="fr-input" value={place} onChange={(e) => setPlace(e.target.value)} />
        </div>
        {members.state === 'ready' && (
          <>
            <div className="fr-select-group">
              <label className="fr-label" htmlFor="meeting-keyboard">
                {t('meeting.keyboard')}
              </label>
              <select id="meeting-keyboard" className="fr-select" value={keyboard} onChange={(e) => setKeyboard(e.target.value)} required>
                <option value="" disabled>
                  {t('meeting.choose')}
                </option>
                {memberOptions(members.value)}
              </select>
            </div>
            <div className="fr-select-group">
              <label className="fr-label" htmlFor="meeting-chair">
                {t('meeting.chair')}
              </label>
              <select id="meeting-chair" className="fr-select" value={chair} onChange={(e) => setChair(e.target.value)}>
                <option value="">{t('meeting.noChair')}</option>
                {memberOptions(members.value)}
              </select>
            </div>
          </>
        )}
        {error && <ErrorAlert error={error} className="fr-mb-2w" />}
        <Button type="submit">
          {t('meeting.create')}
        </Button>
      </form>
    </div>
  );
}
