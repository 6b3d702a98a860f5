import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Admissibility } from '../components/Admissibility';
import type { DossierFindings } from '../../../shared/domain/import';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useApi } from '../ipc';
import { ErrorAlert, Loading } from '../components/Feedback';
import { usePageTitle } from '../components/usePageTitle';
import { formatDate, formatDateTime } from '../format';
import { regionLabel } from '../campaign';
import { RUBRIC_KEYS } from '../../../shared/domain/rubrics';
import type { CampaignSummary, DossierSummary } from '../../../shared/domain/types';
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
  const findings = useApi('dossier:findings', { campaignId });
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
          <Button iconId="fr-icon-upload-line" linkProps={{ to: `/campaigns/${campaignId}/import` }} className="fr-mb-3w">
            {t('importWizard.action')}
          </Button>
          {dossiers.state === 'loading' && <Loading />}
          {dossiers.state === 'error' && <ErrorAlert error={dossiers.error} />}
          {dossiers.state === 'ready' &&
            (dossiers.value.length === 0 ? (
              <p>{t('campaign.empty')}</p>
            ) : (
              <DossierTable
                campaign={campaign.value}
                dossiers={dossiers.value}
                findings={findings.state === 'ready' ? findings.value : {}}
              />
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

function DossierTable({
  campaign,
  dossiers,
  findings,
}: {
  campaign: CampaignSummary;
  dossiers: DossierSummary[];
  findings: Record<number, DossierFindings>;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <Table
      bordered
      caption={t('campaign.caption', { count: dossiers.length })}
      headers={[
        t('campaign.columns.number'),
        t('campaign.columns.project'),
        t('campaign.columns.structure'),
        t('campaign.columns.legalForm'),
        t('campaign.columns.commune'),
        t('campaign.columns.region'),
        t('campaign.columns.depositedAt'),
        t('campaign.columns.rubrics'),
        t('admissibility.column'),
      ]}
      data={dossiers.map((d) => [
        d.number,
        <Link key="link" to={`/campaigns/${campaign.id}/dossiers/${d.number}`} className="fr-link">
          {d.projectName}
        </Link>,
        d.structureName,
        d.legalForm,
        d.commune,
        <span key="region">
          {regionLabel(d.regionCode, t)}
          {d.regionCode !== campaign.regionCode && (
            <>
              {' '}
              <Badge as="span" severity="warning" small>
                {t('campaign.otherRegion')}
              </Badge>
            </>
          )}
        </span>,
        d.depositedAt ? formatDate(d.depositedAt, lang) : '',
        t('campaign.rubricsFilled', { filled: d.rubricCount, total: RUBRIC_KEYS.length }),
        findings[d.number] ? (
          <Admissibility key="admissibility" status={findings[d.number]!.status} flags={findings[d.number]!.flags} />
        ) : (
          t('admissibility.notAssessed')
        ),
      ])}
    />
  );
}
