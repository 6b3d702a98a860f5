import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useApi } from '../ipc';
import { ErrorAlert, Loading } from '../components/Feedback';
import { usePageTitle } from '../components/usePageTitle';
import { formatDateTime } from '../format';
import { regionLabel } from '../campaign';
import type { CampaignSummary } from '../../../shared/domain/types';
import { DossierList } from '../components/list/DossierList';
import { NotFoundPage } from './NotFoundPage';

export function parseId(value: string | undefined): number | null {
  if (!value || !/^[1-9]\d{0,15}$/.test(value)) return null;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : null;
}

export function CampaignPage() {
  const campaignId = parseId(useParams().campaignId);
  if (campaignId === null) return <NotFoundPage />;
  return <CampaignView campaignId={campaignId} />;
}

function CampaignView({ campaignId }: { campaignId: number }) {
  const { t } = useTranslation();
  const campaign = useApi('campaign:get', { campaignId });
  const dossiers = useApi('dossier:list', { campaignId });
  usePageTitle(campaign.state === 'ready' ? campaign.value.name : undefined);

  return (
    <>
      <Breadcrumb
        homeLinkProps={{ to: '/' }}
        segments={[]}
        currentPageLabel={campaign.state === 'ready' ? campaign.value.name : '…'}
        className="fr-mt-0"
      />
      {campaign.state === 'loading' && <Loading />}
      {campaign.state === 'error' && (
        <>
          <h1>{t('layout.errorTitle')}</h1>
          <ErrorAlert error={campaign.error} />
        </>
      )}
      {campaign.state === 'ready' && (
        <>
          <h1>{campaign.value.name}</h1>
          <CampaignSummaryLine campaign={campaign.value} />
          <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left fr-mb-1w">
            <li>
              <Button iconId="fr-icon-upload-line" linkProps={{ to: `/campaigns/${campaignId}/import` }}>
                {t('importWizard.action')}
              </Button>
            </li>
            <li>
              <Button iconId="fr-icon-group-line" priority="secondary" linkProps={{ to: `/campaigns/${campaignId}/committee` }}>
                {t('committee.open')}
              </Button>
            </li>
            <li>
              <Button iconId="fr-icon-team-line" priority="secondary" linkProps={{ to: `/campaigns/${campaignId}/meetings` }}>
                {t('meeting.action')}
              </Button>
            </li>
            <li>
              <Button iconId="fr-icon-bar-chart-box-line" priority="secondary" linkProps={{ to: `/campaigns/${campaignId}/synthesis` }}>
                {t('synthesis.link')}
              </Button>
            </li>
            <li>
              <Button iconId="fr-icon-download-line" priority="secondary" linkProps={{ to: `/campaigns/${campaignId}/package` }}>
                {t('packageUi.exportAction')}
              </Button>
            </li>
            <li>
              <Button iconId="fr-icon-shield-line" priority="tertiary" linkProps={{ to: '/verify' }}>
                {t('packageUi.verifyAction')}
              </Button>
            </li>
          </ul>
          {dossiers.state === 'loading' && <Loading />}
          {dossiers.state === 'error' && <ErrorAlert error={dossiers.error} />}
          {dossiers.state === 'ready' &&
            (dossiers.value.length === 0 ? (
              <p>{t('campaign.empty')}</p>
            ) : (
              <DossierList campaignId={campaignId} />
            ))}
        </>
      )}
    </>
  );
}

function CampaignSummaryLine({ campaign: c }: { campaign: CampaignSummary }) {
  const { t, i18n } = useTranslation();
  return (
    <p className="fr-text--lead">
      {t('campaign.summary', {
        region: regionLabel(c.regionCode, t),
        wavePhase: t('home.wavePhase', { wave: c.wave, phase: c.phase }),
        deadline: formatDateTime(c.deadline, i18n.language),
      })}
    </p>
  );
}
