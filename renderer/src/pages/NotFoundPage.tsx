import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { usePageTitle } from '../components/usePageTitle';

export function NotFoundPage() {
  const { t } = useTranslation();
  usePageTitle(t('notFound.title'));
  return (
    <>
      <h1>{t('notFound.title')}</h1>
      <p className="fr-text--lead">{t('notFound.text')}</p>
      <Link to="/" className="fr-btn">
        {t('notFound.home')}
      </Link>
    </>
  );
}
