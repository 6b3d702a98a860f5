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

/** One row of a sheet as read: its 1-based number and its cells as text (holes as ''). */
export interface XlsxRow {
  number: number;
  cells: string[];
}

/**
 * Puts the rows of a workbook back together as `readXlsx` returns them, sheet by sheet. The reading
 * itself may happen elsewhere (xlsx-read-worker.ts): rows arrive here in order.
 */
export class XlsxAssembler {
  private readonly sheets: { name: string; table: Table }[] = [];
  private current: { name: string; rows: string[][]; width: number } | null = null;

  startSheet(name: string): void {
    this.endSheet();
    this.current = { name, rows: [], width: 0 };
  }

  /** Adds rows of the current sheet; returns the index each one got in its sheet (0: the header row). */
  addRow(row: XlsxRow): number {
    const sheet = this.current!;
    while (sheet.rows.length < row.number - 1) sheet.rows.push([]);
    sheet.rows.push(row.cells);
    sheet.width = Math.max(sheet.width, row.cells.length);
    return sheet.rows.length - 1;
  }

  private endSheet(): void {
    if (this.current) this.sheets.push({ name: this.current.name, table: toTable(this.current.rows, this.current.width) });
    this.current = null;
  }

  finish(): XlsxContent {
    this.endSheet();
    const sheets = this.sheets;
    const dossiersSheet = sheets.find((s) => isDossiersSheet(s.name)) ?? sheets[0];
    if (!dossiersSheet) throw new AppFailure('import_refused', { reason: 'xlsx_no_dossiers' });
    const avisSheet = sheets.find((s) => normalizeLabel(s.name) === 'avis');
    const repetitions: XlsxContent['repetitions'] = [];
    for (const sheet of sheets) {
      const m = /^\((\d+)\)\s*(.*)$/.exec(sheet.name);
      if (m) repetitions.push({ id: m[1]!, label: m[2]!, table: sheet.table });
    }
    return { dossiers: dossiersSheet.table, avis: avisSheet ? avisSheet.table : null, repetitions };
  }
}

/** The sheet named « Dossiers » (the dossiers are read from the first sheet when none is). */
export function isDossiersSheet(name: string): boolean {
  return normalizeLabel(name) === 'dossiers';
}

/**
 * Reads every sheet of a DS XLSX export (call prescanXlsx on the file first) with exceljs's streaming
 * reader: one sheet's rows at a time instead of the whole workbook model (about half the time and a
 * third of the memory of `readFile` on a 5 000-dossier export). Dates need the styles (number formats),
 * so they are read. Calls `onSheet` then `onRow` for each row, in order; throws the AppFailure refusing
 * the file (a cell too large, an invalid file) once the reading is over.
 */
export async function streamXlsx(path: string, onSheet: (name: string) => void, onRow: (row: XlsxRow) => void): Promise<void> {
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
      if (!refused) onSheet((sheet as unknown as { name: string }).name);
      for await (const row of sheet) {
        if (refused) continue;
        const cells: string[] = [];
        row.eachCell({ includeEmpty: true }, (cell, col) => {
          const text = cellText(cell.value);
          if (text.length > MAX_CELL_CHARS) refused ??= new AppFailure('import_refused', { reason: 'cell_too_large', row: row.number });
          cells[col - 1] = text;
        });
        if (refused) continue;
        onRow({ number: row.number, cells: Array.from(cells, (c) => c ?? '') });
      }
    }
  } catch (cause) {
    if (cause instanceof AppFailure) throw cause;
    throw new AppFailure('import_refused', { reason: 'xlsx_invalid' });
  }
  if (refused) throw refused;
}

/** Reads a DS XLSX export in this thread (see streamXlsx). */
export async function readXlsx(path: string): Promise<XlsxContent> {
  const assembler = new XlsxAssembler();
  await streamXlsx(path, (name) => assembler.startSheet(name), (row) => void assembler.addRow(row));
  return assembler.finish();
}
