import { open, readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { AppFailure } from '../../../shared/errors';
import type { Table } from './csv';
import { parseCsvTable } from './csv';
import { readGraphqlJson } from './graphql';
import { normalizeLabel, resolveMapping } from './headers';
import { parseDsDateTime } from './paris-time';
import { buildRecord, recordsFromTable, type RecordExtras } from './record';
import type { ColumnMapping, DsAvis, DsDossierRecord, DsPartner, MappingTarget, ParsedFile, RejectedRow } from './types';
import { readXlsx, type XlsxContent } from './xlsx';
import { prescanXlsx } from './xlsx-prescan';

/** Largest CSV/JSON file read (an XLSX is bounded by the pre-scan instead). */
export const MAX_TEXT_FILE_BYTES = 200 * 1024 * 1024;

export type DetectedFormat = 'csv' | 'xlsx' | 'json' | 'zip';

/** The file type from its first bytes: PK → xlsx or zip (by its entries), `{` → JSON, text → CSV. */
export async function detectFormat(path: string): Promise<DetectedFormat> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
    const head = buffer.subarray(0, bytesRead);
    if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
      // An OOXML package starts with [Content_Types].xml or has xl/ entries near the start.
      const text = head.toString('latin1');
      // An OpenDocument file starts with its stored `mimetype` entry (ODF 1.2 part 3 §3.3): said plainly.
      if (text.startsWith('mimetype', 30) && text.includes('application/vnd.oasis.opendocument.spreadsheet')) {
        throw new AppFailure('import_refused', { reason: 'ods_unsupported' });
      }
      return text.includes('[Content_Types].xml') || text.includes('xl/') ? 'xlsx' : 'zip';
    }
    let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
    while (i < head.length && [0x20, 0x09, 0x0a, 0x0d].includes(head[i]!)) i++;
    if (head[i] === 0x7b) return 'json';
    if (bytesRead === 0) throw new AppFailure('import_unknown_format', { reason: 'empty' });
    const sample = head.subarray(0, Math.min(bytesRead, 1024));
    if (sample.some((b) => b === 0 || (b < 0x09 && b !== 0))) throw new AppFailure('import_unknown_format', { reason: 'binary' });
    return 'csv';
  } finally {
    await handle.close();
  }
}

export interface ParseOptions {
  required: MappingTarget[];
  mapping?: ColumnMapping;
}

export type ParseOutcome =
  | { kind: 'parsed'; parsed: ParsedFile; mapping: ColumnMapping }
  | { kind: 'needsMapping'; file: string; missing: MappingTarget[]; candidates: string[] };

function pickColumn(headers: string[], ...names: string[]): number {
  const wanted = names.map(normalizeLabel);
  return headers.map(normalizeLabel).findIndex((h) => wanted.includes(h));
}

function groupByDossier(table: Table): Map<number, string[][]> {
  const idCol = pickColumn(table.headers, 'Dossier ID', 'ID', 'N° dossier');
  const byDossier = new Map<number, string[][]>();
  if (idCol < 0) return byDossier;
  for (const row of table.rows) {
    const n = Number((row[idCol] ?? '').trim());
    if (!Number.isInteger(n) || n <= 0) continue;
    const list = byDossier.get(n) ?? [];
    list.push(row);
    byDossier.set(n, list);
  }
  return byDossier;
}

function partnersFromSheet(table: Table): Map<number, DsPartner[]> {
  const col = (re: RegExp) => table.headers.findIndex((h) => re.test(normalizeLabel(h)));
  const name = col(/^nom/);
  const siret = col(/siret/);
  const kind = col(/^type/);
  const role = col(/^role/);
  const skip = new Set([pickColumn(table.headers, 'Dossier ID'), pickColumn(table.headers, 'Ligne')]);
  const out = new Map<number, DsPartner[]>();
  for (const [n, rows] of groupByDossier(table)) {
    out.set(
      n,
      rows.map((row) => ({
        name: name >= 0 ? (row[name] ?? '') : '',
        siret: siret >= 0 ? (row[siret] ?? '') : '',
        kind: kind >= 0 ? (row[kind] ?? '') : '',
        role: role >= 0 ? (row[role] ?? '') : '',
        fields: table.headers.map((header, i) => ({ header, value: row[i] ?? '' })).filter((_, i) => !skip.has(i)),
      })),
    );
  }
  return out;
}

function avisFromSheet(table: Table): Map<number, DsAvis[]> {
  const c = (...names: string[]) => pickColumn(table.headers, ...names);
  const cols = {
    introduction: c('Introduction'),
    answer: c('Réponse'),
    question: c('Question'),
    questionAnswer: c('Réponse oui/non'),
    askedAt: c('Créé le'),
    answeredAt: c('Répondu le'),
    claimant: c('Instructeur'),
    expert: c('Expert'),
  };
  const v = (row: string[], i: number) => (i >= 0 ? (row[i] ?? '') : '');
  const out = new Map<number, DsAvis[]>();
  for (const [n, rows] of groupByDossier(table)) {
    out.set(
      n,
      rows.map((row) => ({
        introduction: v(row, cols.introduction),
        answer: v(row, cols.answer),
        question: v(row, cols.question),
        questionAnswer: v(row, cols.questionAnswer),
        askedAt: parseDsDateTime(v(row, cols.askedAt)),
        answeredAt: parseDsDateTime(v(row, cols.answeredAt)),
        claimant: v(row, cols.claimant),
        expert: v(row, cols.expert),
      })),
    );
  }
  return out;
}

function fromTable(
  file: string,
  format: 'csv' | 'xlsx',
  table: Table,
  options: ParseOptions,
  extrasFor?: (n: number) => RecordExtras,
  prebuilt?: PrebuiltRecords,
): ParseOutcome {
  const resolved = resolveMapping(table.headers, options.required, options.mapping);
  if (resolved.missing.length) {
    return { kind: 'needsMapping', file, missing: resolved.missing, candidates: resolved.candidates };
  }
  // Records built while the file was read are reused only if they were built with these very columns.
  const reuse = prebuilt && JSON.stringify(prebuilt.columns) === JSON.stringify(resolved.columns) ? prebuilt.get : undefined;
  const { records, rejected } = recordsFromTable(file, format, table.headers, table.rows, resolved.columns, extrasFor, 2, reuse);
  return { kind: 'parsed', parsed: { file, format, records, rejected }, mapping: resolved.mapping };
}

/** The records of an XLSX export once read: the Dossiers sheet, with partners and avis from their sheets. */
/** Records built from the Dossiers sheet's rows while they were read (body row index → buildRecord's result). */
export interface PrebuiltRecords {
  columns: Partial<Record<MappingTarget, number>>;
  get(index: number): DsDossierRecord | { reason: string } | undefined;
}

export function xlsxOutcome(file: string, content: XlsxContent, options: ParseOptions, prebuilt?: PrebuiltRecords): ParseOutcome {
  const partnerSheet = content.repetitions.find((r) => /partenaire/.test(normalizeLabel(r.label)));
  const partners = partnerSheet ? partnersFromSheet(partnerSheet.table) : null;
  const avis = content.avis ? avisFromSheet(content.avis) : null;
  return fromTable(file, 'xlsx', content.dossiers, options, (n) => ({
    partners: partners ? (partners.get(n) ?? []) : null,
    avis: avis ? (avis.get(n) ?? []) : null,
  }), prebuilt);
}

/** Parses one export file into records; writes nothing. ZIP files are handled by the pipeline. */
export async function parseExportFile(path: string, options: ParseOptions): Promise<ParseOutcome> {
  const file = basename(path);
  const format = await detectFormat(path);
  if (format === 'zip') throw new AppFailure('import_unknown_format', { reason: 'zip_not_tabular' });
  if (format === 'xlsx') {
    await prescanXlsx(path);
    return xlsxOutcome(file, await readXlsx(path), options);
  }
  if ((await stat(path)).size > MAX_TEXT_FILE_BYTES) throw new AppFailure('import_refused', { reason: 'file_too_large' });
  const bytes = await readFile(path);
  if (format === 'csv') return fromTable(file, 'csv', parseCsvTable(bytes), options);

  const nodes = readGraphqlJson(new TextDecoder('utf-8').decode(bytes));
  const records: DsDossierRecord[] = [];
  const rejected: RejectedRow[] = [];
  const seen = new Set<number>();
  let applied: ColumnMapping = {};
  for (const [i, node] of nodes.entries()) {
    const resolved = resolveMapping(
      node.fields.map((f) => f.header),
      options.required,
      options.mapping,
    );
    if (resolved.missing.length) {
      return { kind: 'needsMapping', file, missing: resolved.missing, candidates: resolved.candidates };
    }
    applied = { ...applied, ...resolved.mapping };
    const built = buildRecord('json', node.fields, resolved.columns, node);
    if ('reason' in built) rejected.push({ file, row: i + 1, reason: built.reason });
    else if (seen.has(built.number)) rejected.push({ file, row: i + 1, reason: 'number_duplicate' });
    else {
      seen.add(built.number);
      records.push(built);
    }
  }
  return { kind: 'parsed', parsed: { file, format: 'json', records, rejected }, mapping: applied };
}
