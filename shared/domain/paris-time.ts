/**
 * Europe/Paris wall-clock ↔ UTC, with the offset in force at that date (CET/CEST). Shared by the
 * importers (XLSX cells and French Excel CSVs hold Paris wall-clock time) and the campaign form.
 */
const formatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Paris',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** Paris offset from UTC, in minutes, at the instant `utcMs` (60 in winter, 120 in summer). */
export function parisOffsetMinutes(utcMs: number): number {
  const parts: Record<string, number> = {};
  for (const p of formatter.formatToParts(new Date(utcMs))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return Math.round((asUtc - Math.floor(utcMs / 1000) * 1000) / 60_000);
}

/**
 * The UTC instant of a Paris wall-clock time. In the autumn overlap the earlier (summer) instant
 * is chosen; a time in the spring gap is read with the winter offset (as a clock would be set).
 */
export function parisWallClockToUtc(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): Date {
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  for (const offset of [120, 60]) {
    const candidate = wall - offset * 60_000;
    if (parisOffsetMinutes(candidate) === offset) return new Date(candidate);
  }
  return new Date(wall - 60 * 60_000);
}
