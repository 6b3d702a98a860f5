/**
 * Parses the timestamps démarches-simplifiées writes in CSV exports ("2021-05-12 11:10:46 +0200")
 * and plain ISO 8601, into one instant type: an ISO string in UTC.
 */
export function parseDsTimestamp(text: string): string | null {
  const t = text.trim();
  if (!t) return null;
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)\s*(Z|[+-]\d{2}:?\d{2})$/.exec(t);
  if (m) {
    const zone = m[3] === 'Z' ? 'Z' : `${m[3]!.slice(0, 3)}:${m[3]!.slice(-2)}`;
    const d = new Date(`${m[1]}T${m[2]}${zone}`);
    return Number.isNaN(d.getTime()) ? null : d.toISOString();
  }
  return null;
}
