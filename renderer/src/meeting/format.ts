import { locale, PARIS } from '../format';

/** HH:MM in Paris time (the room's clock). */
export function formatTime(iso: string | null, lang: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(lang), { hour: '2-digit', minute: '2-digit', timeZone: PARIS }).format(d);
}

/** Today in Paris as YYYY-MM-DD (the default date of a new séance). */
export function todayInParis(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: PARIS }).format(now);
}

/** A séance's calendar day (YYYY-MM-DD) in full: « 12 juillet 2021 ». */
export function formatDay(ymd: string, lang: string): string {
  const d = new Date(`${ymd}T12:00:00Z`);
  if (Number.isNaN(d.getTime())) return ymd;
  return new Intl.DateTimeFormat(locale(lang), { dateStyle: 'long', timeZone: PARIS }).format(d);
}
