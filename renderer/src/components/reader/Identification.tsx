import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import type { CampaignSummary, DossierDetail } from '../../../../shared/domain/types';
import type { DossierExtras } from '../../../../shared/domain/list';
import { formatDateTime } from '../../format';
import { regionLabel } from '../../campaign';

function Fields({ fields }: { fields: [string, ReactNode][] }) {
  const { t } = useTranslation();
  return (
    <dl className="ptce-identification">
      {fields.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value === '' ? t('dossier.notProvided') : value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Who applies, where, and what DS experts said (avis asked on démarches-simplifiées). */
export function Identification({
  dossier: d,
  campaign,
  extras,
}: {
  dossier: DossierDetail;
  campaign: CampaignSummary;
  extras: DossierExtras | null;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <>
      <section aria-labelledby="identification-title" className="ptce-identification-block fr-p-3w">
        <h2 id="identification-title" className="fr-h4">
          {t('dossier.identification')}
        </h2>
        <Fields
          fields={[
            [t('dossier.fields.number'), String(d.number)],
            [t('dossier.fields.structure'), d.structureName],
            [t('dossier.fields.legalForm'), d.legalForm],
            [t('dossier.fields.depositedAt'), d.depositedAt ? formatDateTime(d.depositedAt, lang) : ''],
            [t('dossier.fields.dsState'), d.dsState],
            [t('dossier.fields.contactFunction'), d.contactFunction],
          ]}
        />
        {extras && extras.avis.length > 0 && (
          <div className="fr-mt-2w">
            <h3 className="fr-h6 fr-mb-1w">{t('reader.dsAvis.title')}</h3>
            <ul className="fr-raw-list">
              {extras.avis.map((a) => (
                <li key={a.position} className="ptce-ds-avis fr-mb-2w" data-ds-avis={a.position}>
                  {a.introduction && <p className="fr-text--sm fr-mb-1v ptce-rubric__text">{a.introduction}</p>}
                  <p className="fr-mb-1v">
                    <strong>{t('reader.dsAvis.answer')}</strong> <span className="ptce-rubric__text">{a.answer || t('reader.dsAvis.pending')}</span>
                  </p>
                  {a.question && (
                    <p className="fr-text--sm fr-mb-1v">
                      {t('reader.dsAvis.question')} <span className="ptce-rubric__text">{a.question}</span>
                      {a.questionAnswer && ` — ${a.questionAnswer}`}
                    </p>
                  )}
                  <p className="fr-text--xs fr-text-mention--grey fr-mb-0">
                    {t('reader.dsAvis.dates', {
                      asked: a.askedAt ? formatDateTime(a.askedAt, lang) : '—',
                      answered: a.answeredAt ? formatDateTime(a.answeredAt, lang) : '—',
                    })}
                  </p>
                </li>
              ))}
            </ul>
          </div>
        )}
      </section>
      <section aria-labelledby="territory-title" className="fr-mt-3w">
        <h2 id="territory-title" className="fr-h4">
          {t('reader.territory')}
        </h2>
        <Fields
          fields={[
            [t('dossier.fields.commune'), extras?.communeInsee ? t('reader.communeInsee', { commune: d.commune, insee: extras.communeInsee }) : d.commune],
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
            [t('dossier.fields.fragileTerritories'), d.fragileTerritories],
          ]}
        />
      </section>
    </>
  );
}

/** The partners declared in the dossier's repeated block. */
export function Partners({ extras }: { extras: DossierExtras | null }) {
  const { t } = useTranslation();
  if (!extras) return null;
  return (
    <section aria-labelledby="partners-title" className="fr-mt-3w">
      <h2 id="partners-title" className="fr-h4">
        {t('reader.partners.title')}
      </h2>
      {extras.partners.length === 0 ? (
        <p>{t('reader.partners.none')}</p>
      ) : (
        <div className="fr-table fr-table--bordered fr-mb-0">
          <table>
            <caption className="fr-sr-only">{t('reader.partners.caption', { count: extras.partners.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('reader.partners.name')}</th>
                <th scope="col">{t('reader.partners.siret')}</th>
                <th scope="col">{t('reader.partners.role')}</th>
              </tr>
            </thead>
            <tbody>
              {extras.partners.map((p) => (
                <tr key={p.position}>
                  <td>{p.name}</td>
                  <td className="ptce-mono">{p.siret || t('dossier.notProvided')}</td>
                  <td>{p.role || p.kind || t('dossier.notProvided')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
