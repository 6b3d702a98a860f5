import type { TFunction } from 'i18next';

/** Dates are shown in Paris time whatever the computer's zone: deadlines are French legal times. */
export const PARIS = 'Europe/Paris';

/** The interface language to a formatting locale: English is shown the European way (24 June 2021, 00:00). */
export function locale(lang: string): string {
  return lang === 'en' ? 'en-GB' : 'fr-FR';
}

export function formatDateTime(iso: string, lang: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(lang), { dateStyle: 'long', timeStyle: 'short', timeZone: PARIS }).format(date);
}

export function formatDate(iso: string, lang: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(lang), { dateStyle: 'medium', timeZone: PARIS }).format(date);
}

export function formatNumber(value: number, lang: string, maximumFractionDigits = 0): string {
  return new Intl.NumberFormat(locale(lang), { maximumFractionDigits }).format(value);
}

/** Sizes in decimal units (ko/Mo), as the French administration and file managers write them. */
export function formatBytes(size: number, lang: string, t: TFunction): string {
  if (size < 1000) return t('format.bytes', { value: formatNumber(size, lang) });
  const units = ['kB', 'MB', 'GB'] as const;
  let value = size / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return t(`format.${units[unit]!}`, { value: formatNumber(value, lang, 1) });
}

/** "0,36 page" / "2 pages": the grid's page equivalence, two decimals at most. */
export function formatPages(chars: number, charactersPerPage: number, lang: string, t: TFunction): string {
  const pages = charactersPerPage > 0 ? chars / charactersPerPage : 0;
  const rounded = Math.round(pages * 100) / 100;
  return t('format.pages', { count: rounded, value: formatNumber(rounded, lang, 2) });
}
