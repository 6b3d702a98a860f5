/**
 * A deadline typed as a Paris wall-clock date and time (« le 23 juin 2021 à minuit ») to the UTC
 * instant stored with the campaign. `24:00` is the end of the day (the AMI's « minuit »). The
 * Paris offset is the one in force at that instant (CET/CEST); in the autumn overlap the earlier
 * instant is taken, a time in the spring gap is read with the winter offset.
 */
import { parisWallClockToUtc } from './paris-time';

/** `YYYY-MM-DD` + `HH:MM` (00:00–24:00) in Paris → ISO instant (UTC, Z); null when unreadable. */
export function parisDeadlineToIso(date: string, time: string): string | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date.trim());
  const t = /^(\d{1,2})[:h](\d{2})$/.exec(time.trim());
  if (!d || !t) return null;
  const [y, mo, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
  const [h, mi] = [Number(t[1]), Number(t[2])];
  if (mo < 1 || mo > 12 || day < 1 || h > 24 || mi > 59 || (h === 24 && mi !== 0)) return null;
  const calendar = new Date(Date.UTC(y, mo - 1, day));
  if (calendar.getUTCMonth() !== mo - 1 || calendar.getUTCDate() !== day) return null;
  return parisWallClockToUtc(y, mo, day, h, mi).toISOString(); // 24:00 rolls over to the next day
}
