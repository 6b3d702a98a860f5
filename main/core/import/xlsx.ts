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

/** Rows as they come (1-based row numbers, gaps kept as empty rows) → header + body padded to one width. */
function toTable(rows: string[][], width: number): Table {
  const [headers = [], ...body] = rows;
  return { headers: headers.map((h) => h.trim()), rows: body.map((r) => Array.from({ length: width }, (_, i) => r[i] ?? '')) };
}

/**
 * Reads a DS XLSX export (call prescanXlsx on the file first) with exceljs's streaming reader: one
 * sheet's rows at a time instead of the whole workbook model (about half the time and a third of the
 * memory of `readFile` on a 5 000-dossier export). Dates need the styles (number formats), so they are read.
 */
export async function readXlsx(path: string): Promise<XlsxContent> {
  const sheets: { name: string; table: Table }[] = [];
  // exceljs parks sheets stored before the shared strings in temporary files and removes each once read:
  // a refused cell stops the collecting, not the reading, so every such file is still removed.
  let refused: AppFailure | null = null;
  try {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
      worksheets: 'emit',
      sharedStrings: 'cache',
      styles: 'cache',
      hyperlinks: 'ignore',
      entries: 'ignore',
    });
    for await (const sheet of reader) {
      const rows: string[][] = [];
      let width = 0;
      for await (const row of sheet) {
        if (refused) continue;
        const cells: string[] = [];
        row.eachCell({ includeEmpty: true }, (cell, col) => {
          const text = cellText(cell.value);
          if (text.length > MAX_CELL_CHARS) refused ??= new AppFailure('import_refused', { reason: 'cell_too_large', row: row.number });
          cells[col - 1] = text;
        });
        if (refused) continue;
        while (rows.length < row.number - 1) rows.push([]);
        rows.push(Array.from(cells, (c) => c ?? ''));
        width = Math.max(width, cells.length);
      }
      sheets.push({ name: (sheet as unknown as { name: string }).name, table: toTable(rows, width) });
    }
  } catch (cause) {
    if (cause instanceof AppFailure) throw cause;
    throw new AppFailure('import_refused', { reason: 'xlsx_invalid' });
  }
  if (refused) throw refused;
  const dossiersSheet = sheets.find((s) => normalizeLabel(s.name) === 'dossiers') ?? sheets[0];
  if (!dossiersSheet) throw new AppFailure('import_refused', { reason: 'xlsx_no_dossiers' });
  const avisSheet = sheets.find((s) => normalizeLabel(s.name) === 'avis');
  const repetitions: XlsxContent['repetitions'] = [];
  for (const sheet of sheets) {
    const m = /^\((\d+)\)\s*(.*)$/.exec(sheet.name);
    if (m) repetitions.push({ id: m[1]!, label: m[2]!, table: sheet.table });
  }
  return { dossiers: dossiersSheet.table, avis: avisSheet ? avisSheet.table : null, repetitions };
}
