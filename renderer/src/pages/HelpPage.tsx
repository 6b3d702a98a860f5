import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../components/usePageTitle';
import { MarkdownDocument } from '../package/markdown';
import type { HelpDoc } from '../../../shared/domain/package';
// The documents shipped in resources/docs (also in the installer), bundled as text.
import packageFormat from '../../../resources/docs/package-format.md?raw';
import verifyWithOpenssl from '../../../resources/docs/verify-with-openssl.md?raw';
import meeting from '../../../resources/docs/meeting.md?raw';
import contributionFormat from '../../../resources/docs/contribution-format.md?raw';
import '../package.css';

export const HELP_SOURCES: Record<HelpDoc, string> = {
  'package-format': packageFormat,
  'verify-with-openssl': verifyWithOpenssl,
  meeting,
  'contribution-format': contributionFormat,
};

export function HelpPage() {
  const { t } = useTranslation();
  usePageTitle(t('packageUi.help.title'));
  const docs = Object.keys(HELP_SOURCES) as HelpDoc[];
  return (
    <>
      <h1>{t('packageUi.help.title')}</h1>
      <p className="fr-text--lead">{t('packageUi.help.intro')}</p>
      <nav className="fr-summary fr-mb-5w" aria-labelledby="help-summary">
        <p className="fr-summary__title" id="help-summary">
          {t('packageUi.help.summary')}
        </p>
        <ol className="fr-summary__list">
          {docs.map((d) => (
            <li key={d}>
              <a
                className="fr-summary__link"
                href="#/help"
                onClick={(e) => {
                  e.preventDefault();
                  const target = document.getElementById(`help-${d}`);
                  target?.focus();
                  target?.scrollIntoView();
                }}
              >
                {t(`packageUi.help.docs.${d}`)}
              </a>
            </li>
          ))}
        </ol>
      </nav>
      {docs.map((d) => (
        <section key={d} id={`help-${d}`} tabIndex={-1} aria-label={t(`packageUi.help.docs.${d}`)} className="fr-mb-6w">
          <MarkdownDocument source={HELP_SOURCES[d]} baseLevel={2} codeLabel={t('packageUi.help.codeLabel')} />
        </section>
      ))}
    </>
  );
}
