import { Card } from '@codegouvfr/react-dsfr/Card';
import { CallOut } from '@codegouvfr/react-dsfr/CallOut';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { useTranslation } from 'react-i18next';
import { useApi } from '../ipc';
import { ErrorAlert, Loading } from '../components/Feedback';
import { usePageTitle } from '../components/usePageTitle';
import { formatDateTime, formatNumber } from '../format';
import { regionLabel } from '../campaign';
import type { CampaignSummary } from '../../../shared/domain/types';

export function HomePage() {
  const { t } = useTranslation();
  usePageTitle(t('home.title'));
  const campaigns = useApi('campaign:list', {});
  return (
    <>
      <h1>{t('home.title')}</h1>
      <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left fr-mb-1w">
        <li>
          <Button iconId="fr-icon-add-line" linkProps={{ to: '/campaigns/new' }}>
            {t('campaignNew.action')}
          </Button>
        </li>
        <li>
          <Button iconId="fr-icon-upload-line" priority="secondary" linkProps={{ to: '/contributions' }}>
            {t('contribution.homeAction')}
          </Button>
        </li>
      </ul>
      {campaigns.state === 'loading' && <Loading />}
      {campaigns.state === 'error' && <ErrorAlert error={campaigns.error} />}
      {campaigns.state === 'ready' && campaigns.value.length === 0 && (
        <CallOut title={t('home.emptyTitle')} titleAs="h2">
          {t('home.emptyText')}
        </CallOut>
      )}
      {campaigns.state === 'ready' && campaigns.value.length > 0 && (
        <>
          <p className="fr-text--lead">{t('home.intro')}</p>
          <ul className="fr-grid-row fr-grid-row--gutters fr-raw-list">
            {campaigns.value.map((c) => (
              <li key={c.id} className="fr-col-12 fr-col-md-6">
                <CampaignCard campaign={c} />
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

function CampaignCard({ campaign: c }: { campaign: CampaignSummary }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <Card
      title={c.name}
      titleAs="h2"
      enlargeLink
      linkProps={{ to: `/campaigns/${c.id}` }}
      start={
        <ul className="fr-badges-group">
          <li>
            <p className="fr-badge fr-badge--blue-france">{regionLabel(c.regionCode, t)}</p>
          </li>
          <li>
            <p className="fr-badge">{t('home.wavePhase', { wave: c.wave, phase: c.phase })}</p>
          </li>
        </ul>
      }
      desc={
        <>
          {t('home.deadline', { date: formatDateTime(c.deadline, lang) })}
          <br />
          {t('home.grid', { label: c.gridLabel, version: c.gridVersion })}
          <br />
          {t('home.equivalence', {
            page: formatNumber(c.charactersPerPage, lang),
            line: formatNumber(c.charactersPerLine, lang),
          })}
        </>
      }
      end={<p className="fr-card__detail fr-text--md fr-text--bold">{t('home.dossierCount', { count: c.dossierCount })}</p>}
    />
  );
}
