/**
 * Europe/Paris wall-clock ↔ UTC. DS writes CSV timestamps with their offset, but French Excel
 * re-saves them as `dd/mm/yyyy hh:mm` and XLSX date cells hold Paris wall-clock time with no
 * zone: both must be converted with the offset in force at that date (CET/CEST).
 */
import { parisWallClockToUtc } from '../../../shared/domain/paris-time';

export { parisOffsetMinutes, parisWallClockToUtc } from '../../../shared/domain/paris-time';

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** A JS Date read from an XLSX cell (wall-clock stored as if UTC) → `YYYY-MM-DD HH:MM:SS`. */
export function wallClockText(date: Date): string {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(
    date.getUTCMinutes(),
  )}:${pad(date.getUTCSeconds())}`;
}

/**
 * Reads the timestamps found in DS exports into an ISO instant (UTC, Z):
 * `2021-05-12 11:10:46 +0200`, ISO 8601 with offset or Z, and zone-less Paris wall-clock
 * `2021-05-12 11:10[:46]` or `12/05/2021 11:10[:46]` (French Excel), or a bare date.
 */
export function parseDsDateTime(text: string): string | null {
  const t = text.trim();
  if (!t) return null;
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(t);
  let parts: number[] | null = null;
  let zone: string | undefined;
  if (m) {
    parts = [m[1], m[2], m[3], m[4], m[5], m[6]].map((v) => Number(v ?? 0));
    zone = m[7];
  } else {
    m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(t);
    if (m) parts = [m[3], m[2], m[1], m[4], m[5], m[6]].map((v) => Number(v ?? 0));
  }
  if (!parts) return null;
  const [y, mo, d, h, mi, s] = parts as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  let ms: number;
  if (zone) {
    const sign = zone === 'Z' ? 0 : zone.startsWith('-') ? -1 : 1;
    const digits = zone.replace(/[^0-9]/g, '');
    const offset = sign * (Number(digits.slice(0, 2) || 0) * 60 + Number(digits.slice(2) || 0));
    ms = Date.UTC(y, mo - 1, d, h, mi, s) - offset * 60_000;
  } else {
    ms = parisWallClockToUtc(y, mo, d, h, mi, s).getTime();
  }
  if (new Date(Date.UTC(y, mo - 1, d)).getUTCMonth() !== mo - 1 || Number.isNaN(ms)) return null;
  return new Date(ms).toISOString();
}
