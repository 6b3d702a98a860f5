import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import fr from '../../shared/locales/fr.json';
import en from '../../shared/locales/en.json';
import { LANGUAGES, type Language } from '../../shared/domain/types';

export const i18n: I18n = i18next.createInstance();

void i18n.use(initReactI18next).init({
  resources: { fr: { translation: fr }, en: { translation: en } },
  lng: 'fr',
  fallbackLng: 'fr',
  supportedLngs: [...LANGUAGES],
  interpolation: { escapeValue: false }, // React escapes; every value is rendered as text
  returnNull: false,
  initAsync: false,
});

const syncDocumentLanguage = (lng: string) => {
  document.documentElement.lang = lng;
};
syncDocumentLanguage(i18n.language);
i18n.on('languageChanged', syncDocumentLanguage);

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : 'fr';
}

/** For react-dsfr's own component strings (menu, close, breadcrumb…). */
export function useDsfrLang(): string {
  const { i18n: instance } = useTranslation();
  return instance.language;
}
