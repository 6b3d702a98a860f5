import { AppFailure } from '../../../shared/errors';
import type { Table } from './csv';
import { normalizeLabel } from './headers';
import { streamXlsxSheets, type XlsxRow } from './xlsx-reader';

export type { XlsxRow } from './xlsx-reader';

export interface XlsxContent {
  dossiers: Table;
  avis: Table | null;
  /** Repetition sheets `(<stable id>) <label>`. */
  repetitions: { id: string; label: string; table: Table }[];
}

/** Rows as they come (1-based row numbers, gaps kept as empty rows) → header + body padded to one width. */
function toTable(rows: string[][], width: number): Table {
  const [headers = [], ...body] = rows;
  return { headers: headers.map((h) => h.trim()), rows: body.map((r) => Array.from({ length: width }, (_, i) => r[i] ?? '')) };
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
 * Reads every sheet of a DS XLSX export (call prescanXlsx on the file first) with the workbook reader of
 * xlsx-reader.ts, one row at a time. Calls `onSheet` then `onRow` for each row, in order; throws the
 * AppFailure refusing the file (a cell too large, an invalid file). `stopped` ends the reading early.
 */
export async function streamXlsx(
  path: string,
  onSheet: (name: string) => void,
  onRow: (row: XlsxRow) => void,
  stopped?: () => boolean,
): Promise<void> {
  try {
    await streamXlsxSheets(path, onSheet, onRow, stopped);
  } catch (cause) {
    if (cause instanceof AppFailure) throw cause;
    throw new AppFailure('import_refused', { reason: 'xlsx_invalid' });
  }
}

/** Reads a DS XLSX export in this thread (see streamXlsx). */
export async function readXlsx(path: string): Promise<XlsxContent> {
  const assembler = new XlsxAssembler();
  await streamXlsx(path, (name) => assembler.startSheet(name), (row) => void assembler.addRow(row));
  return assembler.finish();
}
