import ExcelJS from 'exceljs';
import { AppFailure } from '../../../shared/errors';
import type { Table } from './csv';
import { normalizeLabel } from './headers';
import { wallClockText } from './paris-time';
import { MAX_CELL_CHARS } from './record';

export interface XlsxContent {
  dossiers: Table;
  avis: Table | null;
  /** Repetition sheets `(<stable id>) <label>`. */
  repetitions: { id: string; label: string; table: Table }[];
}

/** A cell as text. Date cells hold Paris wall-clock time: kept zone-less so parsing converts them. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return wallClockText(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('result' in value) return cellText((value as { result?: ExcelJS.CellValue }).result ?? null);
    if ('text' in value) return String((value as { text: unknown }).text ?? '');
    if ('error' in value) return '';
  }
  return '';
}

function sheetTable(sheet: ExcelJS.Worksheet): Table {
  const rows: string[][] = [];
  let width = 0;
  sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      const text = cellText(cell.value);
      if (text.length > MAX_CELL_CHARS) throw new AppFailure('import_refused', { reason: 'cell_too_large', row: rowNumber });
      cells[col - 1] = text;
    });
    while (rows.length < rowNumber - 1) rows.push([]);
    rows.push(Array.from(cells, (c) => c ?? ''));
    width = Math.max(width, cells.length);
  });
  const [headers = [], ...body] = rows;
  return { headers: headers.map((h) => h.trim()), rows: body.map((r) => Array.from({ length: width }, (_, i) => r[i] ?? '')) };
}

/** Reads a DS XLSX export (call prescanXlsx on the file first). */
export async function readXlsx(path: string): Promise<XlsxContent> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.readFile(path);
  } catch (cause) {
    if (cause instanceof AppFailure) throw cause;
    throw new AppFailure('import_refused', { reason: 'xlsx_invalid' });
  }
  const dossiersSheet = workbook.worksheets.find((s) => normalizeLabel(s.name) === 'dossiers') ?? workbook.worksheets[0];
  if (!dossiersSheet) throw new AppFailure('import_refused', { reason: 'xlsx_no_dossiers' });
  const avisSheet = workbook.worksheets.find((s) => normalizeLabel(s.name) === 'avis');
  const repetitions: XlsxContent['repetitions'] = [];
  for (const sheet of workbook.worksheets) {
    const m = /^\((\d+)\)\s*(.*)$/.exec(sheet.name);
    if (m) repetitions.push({ id: m[1]!, label: m[2]!, table: sheetTable(sheet) });
  }
  return { dossiers: sheetTable(dossiersSheet), avis: avisSheet ? sheetTable(avisSheet) : null, repetitions };
}
