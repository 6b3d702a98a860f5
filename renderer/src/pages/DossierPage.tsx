import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useApi } from '../ipc';
import { ErrorAlert, Loading } from '../components/Feedback';
import { LengthGauge } from '../components/LengthGauge';
import { usePageTitle } from '../components/usePageTitle';
import type { CampaignSummary, DossierRubric } from '../../../shared/domain/types';
import { NotFoundPage } from './NotFoundPage';
import { parseId } from './CampaignPage';
import { ReviewPanel } from '../review/ReviewForm';
import { ReaderHead } from '../components/reader/Reader';
import { Attachments } from '../components/reader/Attachments';
import { DossierNav } from '../components/reader/DossierNav';
import { RecusalGate } from '../committee/RecusalBanner';
import { useMembers } from '../members';

export function DossierPage() {
  const params = useParams();
  const campaignId = parseId(params.campaignId);
  const number = parseId(params.number);
  if (campaignId === null || number === null) return <NotFoundPage />;
  return <DossierView campaignId={campaignId} number={number} />;
}

function DossierView({ campaignId, number }: { campaignId: number; number: number }) {
  const { t } = useTranslation();
  const { active } = useMembers();
  const campaign = useApi('campaign:get', { campaignId });
  const dossier = useApi('dossier:get', { campaignId, number });
  usePageTitle(dossier.state === 'ready' ? dossier.value.projectName : undefined);

  const campaignName = campaign.state === 'ready' ? campaign.value.name : '…';
  const current = dossier.state === 'ready' ? dossier.value.projectName : String(number);

  return (
    <>
      <Breadcrumb
        homeLinkProps={{ to: '/' }}
        segments={[{ label: campaignName, linkProps: { to: `/campaigns/${campaignId}` } }]}
        currentPageLabel={current}
        className="fr-mt-0"
      />
      {(dossier.state === 'loading' || campaign.state === 'loading') && <Loading />}
      {dossier.state === 'error' && (
        <>
          <h1>{t('layout.errorTitle')}</h1>
          <ErrorAlert error={dossier.error} />
        </>
      )}
      {dossier.state === 'ready' && campaign.state === 'error' && <ErrorAlert error={campaign.error} />}
      {dossier.state === 'ready' && campaign.state === 'ready' && (
        <>
          <h1>{dossier.value.projectName}</h1>
          <div className="ptce-dossier-layout">
            <div className="ptce-dossier-layout__reader">
          <ReaderHead dossier={dossier.value} campaign={campaign.value} />
          <section aria-label={t('dossier.rubrics')} className="fr-mt-4w">
            {dossier.value.rubrics.map((r) => (
              <Rubric key={r.key} rubric={r} campaign={campaign.value} />
            ))}
          </section>
          <Attachments dossier={dossier.value} />
            </div>
            <aside className="ptce-dossier-layout__review" aria-label={t('reviewForm.aside')}>
              <RecusalGate campaignId={campaignId} dossierId={dossier.value.id} member={active}>
                <ReviewPanel campaignId={campaignId} number={number} />
              </RecusalGate>
            </aside>
          </div>
          <DossierNav campaignId={campaignId} number={number} />
        </>
      )}
    </>
  );
}

function Rubric({ rubric: r, campaign }: { rubric: DossierRubric; campaign: CampaignSummary }) {
  const { t } = useTranslation();
  const headingId = `rubric-${r.key}`;
  const empty = r.content.trim() === '';
  return (
    <section aria-labelledby={headingId} className="ptce-rubric fr-py-4w" data-rubric={r.key}>
      <h2 id={headingId} className="fr-h4 fr-mb-2w">
        {r.label}
      </h2>
      <ul className="ptce-badges fr-raw-list fr-mb-2w">
        <li>
          <Badge as="span" small severity={r.required ? 'info' : undefined} noIcon>
            {r.required ? t('dossier.required') : t('dossier.optional')}
          </Badge>
        </li>
        {empty && r.required && (
          <li>
            <Badge as="span" small severity="error">
              {t('dossier.emptyRequired')}
            </Badge>
          </li>
        )}
      </ul>
      <LengthGauge
        label={r.label}
        length={r.length}
        limit={r.limitChars}
        charactersPerPage={campaign.charactersPerPage}
      />
      {empty ? (
        <p className="fr-mt-2w fr-text--sm fr-text-mention--grey">{t('dossier.emptyText')}</p>
      ) : (
        // Untrusted applicant text: rendered as a text node only, line breaks kept by CSS.
        <p className="ptce-rubric__text fr-mt-2w">{r.content}</p>
      )}
    </section>
  );
}
