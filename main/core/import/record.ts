import { RUBRIC_KEYS, type RubricKey } from '../../../shared/domain/rubrics';
import { REGIONS } from '../../../shared/domain/regions';
import { headerKeys, normalizeLabel } from './headers';
import { parseDsDateTime } from './paris-time';
import type {
  DsAvis,
  DsDossierRecord,
  DsFile,
  DsPartner,
  IdentificationField,
  MappingTarget,
  RejectedRow,
  SourceFormat,
} from './types';
import { IDENTIFICATION_FIELDS } from './types';

/** Longest cell accepted; a longer one refuses the whole file (hostile or broken input). */
export const MAX_CELL_CHARS = 1_000_000;

export function esusValue(text: string): string {
  const n = normalizeLabel(text);
  if (['oui', 'true', 'on', '1', 'yes'].includes(n)) return 'oui';
  if (['non', 'false', 'off', '0', 'no'].includes(n)) return 'non';
  return '';
}

export function splitTerritories(text: string): string[] {
  // Options never contain ", " followed by an upper-case letter; DS joins them with ", ".
  return text
    .split(/,\s+(?=\p{Lu})|\n/u)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export interface RecordExtras {
  partners?: DsPartner[] | null;
  avis?: DsAvis[] | null;
  files?: DsFile[] | null;
  raw?: unknown;
}

/**
 * Builds the normalised record from one source row (ordered header/value pairs) and the
 * resolved columns. Returns a reason code when the row cannot be a dossier.
 */
export function buildRecord(
  format: SourceFormat,
  fields: { header: string; value: string }[],
  columns: Partial<Record<MappingTarget, number>>,
  extras: RecordExtras = {},
): DsDossierRecord | { reason: string } {
  const get = (t: MappingTarget): string | undefined => {
    const i = columns[t];
    return i === undefined ? undefined : (fields[i]?.value ?? '');
  };
  const identification: Partial<Record<IdentificationField, string>> = {};
  for (const f of IDENTIFICATION_FIELDS) {
    const v = get(f);
    if (v !== undefined) identification[f] = v.trim();
  }
  const rubrics: Partial<Record<RubricKey, string>> = {};
  for (const k of RUBRIC_KEYS) {
    const v = get(`rubric:${k}`);
    if (v !== undefined) rubrics[k] = v;
  }
  const numberText = identification.number ?? '';
  if (!numberText) return { reason: 'number_missing' };
  if (!/^\d{1,15}$/.test(numberText) || Number(numberText) <= 0) return { reason: 'number_invalid' };
  const depositedText = identification.depositedAt ?? '';
  const depositedAt = depositedText ? parseDsDateTime(depositedText) : null;
  if (depositedText && !depositedAt) return { reason: 'deposited_at_invalid' };

  let regionCode = (identification.regionCode ?? '').trim();
  if (!regionCode && identification.regionName) {
    const name = normalizeLabel(identification.regionName);
    regionCode = REGIONS.find((r) => normalizeLabel(r.name) === name)?.code ?? '';
  }
  if (/^\d$/.test(regionCode)) regionCode = `0${regionCode}`;
  let communeInsee = (identification.communeInsee ?? '').trim();
  if (/^\d{4}$/.test(communeInsee)) communeInsee = `0${communeInsee}`;
  const commune = (identification.commune ?? '').replace(/\s*\(\d{5}\)\s*$/, '').trim();

  return {
    number: Number(numberText),
    format,
    fields,
    identification,
    rubrics,
    depositedAt,
    dsState: identification.dsState ?? '',
    regionCode,
    legalForm: identification.legalForm ?? '',
    esus: esusValue(identification.esus ?? ''),
    commune,
    communeInsee,
    fragileTerritories: splitTerritories(identification.fragileTerritories ?? ''),
    partners: extras.partners ?? null,
    avis: extras.avis ?? null,
    files: extras.files ?? null,
    raw: extras.raw ?? Object.fromEntries(fields.map((f, i) => [i, f.value])),
  };
}

/** buildRecord on one table row (its raw row keyed by header keys, see headerKeys). */
export function buildFromRow(
  format: SourceFormat,
  headers: string[],
  keys: string[],
  row: string[],
  columns: Partial<Record<MappingTarget, number>>,
): DsDossierRecord | { reason: string } {
  const fields = headers.map((header, c) => ({ header, value: row[c] ?? '' }));
  const raw: Record<string, string> = {};
  keys.forEach((k, c) => (raw[k] = row[c] ?? ''));
  return buildRecord(format, fields, columns, { raw });
}

/** Table rows → records; rows that cannot be dossiers and duplicate numbers are rejected. */
export function recordsFromTable(
  file: string,
  format: SourceFormat,
  headers: string[],
  rows: string[][],
  columns: Partial<Record<MappingTarget, number>>,
  extrasFor: (number: number) => RecordExtras = () => ({}),
  firstDataRow = 2,
  /** What buildRecord already gave for the row at this index (same headers, columns and row), if kept. */
  prebuilt?: (index: number) => DsDossierRecord | { reason: string } | undefined,
): { records: DsDossierRecord[]; rejected: RejectedRow[] } {
  const records: DsDossierRecord[] = [];
  const rejected: RejectedRow[] = [];
  const seen = new Set<number>();
  const keys = headerKeys(headers);
  rows.forEach((row, i) => {
    const rowNumber = i + firstDataRow;
    if (row.every((c) => c.trim() === '')) return;
    const built = prebuilt?.(i) ?? buildFromRow(format, headers, keys, row, columns);
    if ('reason' in built) {
      rejected.push({ file, row: rowNumber, reason: built.reason });
      return;
    }
    if (seen.has(built.number)) {
      rejected.push({ file, row: rowNumber, reason: 'number_duplicate' });
      return;
    }
    seen.add(built.number);
    const extras = extrasFor(built.number);
    records.push({
      ...built,
      partners: extras.partners ?? null,
      avis: extras.avis ?? null,
      files: extras.files ?? null,
    });
  });
  return { records, rejected };
}
