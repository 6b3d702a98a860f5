import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

/** Sets the window/document title for the current route: "Page — Comité PTCE". */
export function usePageTitle(title: string | undefined) {
  const { t } = useTranslation();
  const suffix = t('layout.titleSuffix');
  useEffect(() => {
    document.title = title ? `${title} — ${suffix}` : suffix;
  }, [title, suffix]);
}
