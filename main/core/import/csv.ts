import Papa from 'papaparse';
import { AppFailure } from '../../../shared/errors';
import { decodeText, sniffDelimiter } from './decode';
import { MAX_CELL_CHARS } from './record';

export interface Table {
  headers: string[];
  rows: string[][];
}

/** Decodes and parses a CSV export; structural errors (ragged rows, broken quotes, huge cells) refuse the file. */
export function parseCsvTable(bytes: Uint8Array): Table {
  const { text } = decodeText(bytes);
  const delimiter = sniffDelimiter(text);
  const result = Papa.parse<string[]>(text, { delimiter, skipEmptyLines: 'greedy', header: false });
  const [headers, ...rows] = result.data;
  if (!headers || headers.length < 2) throw new AppFailure('import_unknown_format', { reason: 'csv_no_header' });
  const fatal = result.errors.find((e) => e.type === 'Quotes' || e.type === 'FieldMismatch');
  if (fatal) {
    throw new AppFailure('import_refused', { reason: 'csv_malformed', row: (fatal.row ?? 0) + 2 });
  }
  rows.forEach((row, i) => {
    if (row.length !== headers.length) throw new AppFailure('import_refused', { reason: 'csv_malformed', row: i + 2 });
    for (const cell of row) {
      if (cell.length > MAX_CELL_CHARS) throw new AppFailure('import_refused', { reason: 'cell_too_large', row: i + 2 });
    }
  });
  return { headers: headers.map((h) => h.trim()), rows };
}
