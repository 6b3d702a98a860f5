import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useApi } from '../ipc';
import { ErrorAlert, Loading } from '../components/Feedback';
import { LengthGauge } from '../components/LengthGauge';
import { usePageTitle } from '../components/usePageTitle';
import { formatBytes, formatDateTime } from '../format';
import { regionLabel } from '../campaign';
import type { CampaignSummary, DossierDetail, DossierRubric, DossierSummary } from '../../../shared/domain/types';
import { NotFoundPage } from './NotFoundPage';
import { parseId } from './CampaignPage';
import { ReviewPanel } from '../review/ReviewForm';

export function DossierPage() {
  const params = useParams();
  const campaignId = parseId(params.campaignId);
  const number = parseId(params.number);
  if (campaignId === null || number === null) return <NotFoundPage />;
  return <DossierView campaignId={campaignId} number={number} />;
}

function DossierView({ campaignId, number }: { campaignId: number; number: number }) {
  const { t } = useTranslation();
  const campaign = useApi('campaign:get', { campaignId });
  const dossier = useApi('dossier:get', { campaignId, number });
  const siblings = useApi('dossier:list', { campaignId });
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
          <Identification dossier={dossier.value} campaign={campaign.value} />
          <section aria-label={t('dossier.rubrics')} className="fr-mt-4w">
            {dossier.value.rubrics.map((r) => (
              <Rubric key={r.key} rubric={r} campaign={campaign.value} />
            ))}
          </section>
          <Attachments dossier={dossier.value} />
            </div>
            <aside className="ptce-dossier-layout__review" aria-label={t('reviewForm.aside')}>
              <ReviewPanel campaignId={campaignId} number={number} />
            </aside>
          </div>
          {siblings.state === 'ready' && (
            <SiblingLinks campaignId={campaignId} number={number} dossiers={siblings.value} />
          )}
        </>
      )}
    </>
  );
}

function Identification({ dossier: d, campaign }: { dossier: DossierDetail; campaign: CampaignSummary }) {
  const { t, i18n } = useTranslation();
  const fields: [string, ReactNode][] = [
    [t('dossier.fields.number'), String(d.number)],
    [t('dossier.fields.structure'), d.structureName],
    [t('dossier.fields.legalForm'), d.legalForm],
    [t('dossier.fields.commune'), d.commune],
    [
      t('dossier.fields.region'),
      <>
        {regionLabel(d.regionCode, t)}
        {d.regionCode !== campaign.regionCode && (
          <>
            {' '}
            <Badge as="span" severity="warning" small>
              {t('campaign.otherRegion')}
            </Badge>
          </>
        )}
      </>,
    ],
    [t('dossier.fields.depositedAt'), d.depositedAt ? formatDateTime(d.depositedAt, i18n.language) : ''],
    [t('dossier.fields.dsState'), d.dsState],
    [t('dossier.fields.contactFunction'), d.contactFunction],
    [t('dossier.fields.fragileTerritories'), d.fragileTerritories],
  ];
  return (
    <section aria-labelledby="identification-title" className="ptce-identification-block fr-p-3w">
      <h2 id="identification-title" className="fr-h4">
        {t('dossier.identification')}
      </h2>
      <dl className="ptce-identification">
        {fields.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value === '' ? t('dossier.notProvided') : value}</dd>
          </div>
        ))}
      </dl>
    </section>
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

function Attachments({ dossier }: { dossier: DossierDetail }) {
  const { t, i18n } = useTranslation();
  return (
    <section aria-labelledby="attachments-title" className="fr-mt-4w">
      <h2 id="attachments-title">{t('dossier.attachments')}</h2>
      {dossier.attachments.length === 0 ? (
        <p>{t('dossier.noAttachments')}</p>
      ) : (
        <ul>
          {dossier.attachments.map((a) => (
            <li key={a.id}>
              <span>{a.filename}</span>
              {' — '}
              <span>{formatBytes(a.size, i18n.language, t)}</span>
              {' — '}
              <abbr className="ptce-mono" title={t('dossier.sha256', { hash: a.sha256 })}>
                {a.sha256.slice(0, 12)}
              </abbr>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function SiblingLinks({ campaignId, number, dossiers }: { campaignId: number; number: number; dossiers: DossierSummary[] }) {
  const { t } = useTranslation();
  const index = dossiers.findIndex((d) => d.number === number);
  if (index < 0) return null;
  const prev = dossiers[index - 1];
  const next = dossiers[index + 1];
  return (
    <nav aria-label={t('dossier.navigation')} className="fr-mt-6w">
      <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left">
        {prev && (
          <li>
            <Link
              to={`/campaigns/${campaignId}/dossiers/${prev.number}`}
              className="fr-btn fr-btn--secondary fr-icon-arrow-left-line"
            >
              {t('dossier.previous', { name: prev.projectName })}
            </Link>
          </li>
        )}
        {next && (
          <li>
            <Link
              to={`/campaigns/${campaignId}/dossiers/${next.number}`}
              className="fr-btn fr-btn--secondary fr-icon-arrow-right-line"
            >
              {t('dossier.next', { name: next.projectName })}
            </Link>
          </li>
        )}
      </ul>
    </nav>
  );
}
