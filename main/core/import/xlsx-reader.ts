import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import type { Entry, ZipFile } from 'yauzl';
import { AppFailure } from '../../../shared/errors';
import { wallClockText } from './paris-time';
import { MAX_CELL_CHARS } from './record';
import { openZip } from './zip/safe-zip';

/** One row of a sheet as read: its 1-based number and its cells as text (holes as ''). */
export interface XlsxRow {
  number: number;
  cells: string[];
}

/**
 * Reads the sheets of an XLSX workbook as text, row by row (SpreadsheetML, ECMA-376 part 1 §18): the ZIP
 * with yauzl, each XML part with saxes (a conforming, non-validating XML parser that expands no entity
 * but the five predefined ones and character references). The file must have passed `prescanXlsx` first
 * (sizes from the central directory, no DTD).
 *
 * Why not exceljs's streaming reader: it builds a full Row/Cell/style model per cell and, when a sheet
 * comes before the shared strings in the archive (DS's exports), parks the sheet in a temporary file
 * first. Reading the parts in the order we need them (workbook, styles, shared strings, then each sheet
 * in workbook order) straight from the central directory does neither: on the bench's 5 000-dossier export
 * (`npm run bench:import`) it reads everything in 1.2–1.3 s, against 1.6–2.0 s for exceljs's streaming reader
 * and 2.2–2.3 s for its whole-file reader. exceljs's streaming reader also split accented letters that fell
 * across two chunks of a sheet (33 dossiers of that export). The cell values are the ones exceljs gives, as text
 * (`test/main/import/xlsx-reader.test.ts` reads the same workbooks with both): strings (shared,
 * inline, formula results, rich text runs joined), numbers as JS prints them, booleans as `true`/`false`,
 * error cells as '', date-formatted numbers as Paris wall-clock text (`YYYY-MM-DD HH:MM:SS`, no zone:
 * DS writes local time). Where exceljs is wrong, the standard is followed: a rich inline string keeps all its
 * runs, a text is not XML-decoded a second time, an ISO date cell (`t="d"`) is a date and not the number 2021,
 * and a character split between two chunks of the sheet stays whole.
 */
export async function streamXlsxSheets(
  path: string,
  onSheet: (name: string) => void,
  onRow: (row: XlsxRow) => void,
  stopped: () => boolean = () => false,
): Promise<void> {
  const zip = await openZip(path);
  try {
    const entries = await listEntries(zip);
    const workbook = await readWorkbook(zip, entries);
    const dateStyles = entries.has('xl/styles.xml') ? await readDateStyles(zip, entries.get('xl/styles.xml')!) : [];
    const shared = workbook.sharedStrings && entries.has(workbook.sharedStrings)
      ? await readSharedStrings(zip, entries.get(workbook.sharedStrings)!)
      : [];
    for (const sheet of workbook.sheets) {
      const entry = entries.get(sheet.path);
      if (!entry) throw invalid();
      if (stopped()) return;
      onSheet(sheet.name);
      await readSheet(zip, entry, { shared, dateStyles, date1904: workbook.date1904 }, onRow, stopped);
    }
  } finally {
    zip.close();
  }
}

const invalid = () => new AppFailure('import_refused', { reason: 'xlsx_invalid' });

function listEntries(zip: ZipFile): Promise<Map<string, Entry>> {
  return new Promise((resolve, reject) => {
    const entries = new Map<string, Entry>();
    zip.on('entry', (entry: Entry) => {
      entries.set(entry.fileName, entry);
      zip.readEntry();
    });
    zip.once('end', () => resolve(entries));
    zip.once('error', () => reject(invalid()));
    zip.readEntry();
  });
}

interface XmlHandlers {
  open(tag: SaxesTagPlain): void;
  close(name: string): void;
  text(text: string): void;
}

/** Streams one XML part of the archive through saxes; any ZIP or XML error refuses the file. */
async function parsePart(zip: ZipFile, entry: Entry, handlers: XmlHandlers, stopped: () => boolean = () => false): Promise<void> {
  const stream = await new Promise<Readable>((resolve, reject) => {
    zip.openReadStream(entry, (error, s) => (error || !s ? reject(invalid()) : resolve(s)));
  });
  const parser = new SaxesParser({ position: false });
  let failure: unknown = null;
  parser.on('error', (error) => {
    failure ??= error;
  });
  parser.on('opentag', (tag) => handlers.open(tag as SaxesTagPlain));
  parser.on('closetag', (tag) => handlers.close(tag.name));
  parser.on('text', (text) => handlers.text(text));
  parser.on('cdata', (text) => handlers.text(text));
  const decoder = new StringDecoder('utf8');
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      parser.write(decoder.write(chunk));
      if (failure) throw failure;
      if (stopped()) {
        stream.destroy();
        return;
      }
    }
    parser.write(decoder.end());
    parser.close();
    if (failure) throw failure;
  } catch (error) {
    stream.destroy();
    if (error instanceof AppFailure) throw error;
    throw invalid();
  }
}

interface Workbook {
  sheets: { name: string; path: string }[];
  sharedStrings: string | null;
  date1904: boolean;
}

/** `xl/workbook.xml` (sheet names, in order, and their relationship ids) and its relationships (the parts). */
async function readWorkbook(zip: ZipFile, entries: Map<string, Entry>): Promise<Workbook> {
  const workbookEntry = entries.get('xl/workbook.xml');
  const relsEntry = entries.get('xl/_rels/workbook.xml.rels');
  if (!workbookEntry || !relsEntry) throw invalid();
  const sheets: { name: string; rel: string }[] = [];
  let date1904 = false;
  await parsePart(zip, workbookEntry, {
    open(tag) {
      const name = localName(tag.name);
      if (name === 'sheet') {
        const rel = Object.entries(tag.attributes).find(([key]) => localName(key) === 'id' && key !== 'id')?.[1];
        if (tag.attributes.name === undefined || rel === undefined) throw invalid();
        sheets.push({ name: tag.attributes.name, rel });
      } else if (name === 'workbookPr') {
        const value = tag.attributes.date1904;
        date1904 = value === '1' || value === 'true';
      }
    },
    close() {},
    text() {},
  });
  const targets = new Map<string, { target: string; type: string }>();
  await parsePart(zip, relsEntry, {
    open(tag) {
      if (localName(tag.name) === 'Relationship' && tag.attributes.Id && tag.attributes.Target) {
        targets.set(tag.attributes.Id, { target: tag.attributes.Target, type: tag.attributes.Type ?? '' });
      }
    },
    close() {},
    text() {},
  });
  const resolvePart = (target: string) => (target.startsWith('/') ? target.slice(1) : `xl/${target}`).replace(/\/\.\//g, '/');
  const shared = [...targets.values()].find((t) => t.type.endsWith('/sharedStrings'));
  return {
    sheets: sheets.map((sheet) => {
      const target = targets.get(sheet.rel);
      if (!target) throw invalid();
      return { name: sheet.name, path: resolvePart(target.target) };
    }),
    sharedStrings: shared ? resolvePart(shared.target) : entries.has('xl/sharedStrings.xml') ? 'xl/sharedStrings.xml' : null,
    date1904,
  };
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

/**
 * Built-in number formats that are dates or times (ECMA-376 §18.8.30: 14–22, 45–47; 27–36 and 50–58 are
 * the East Asian date formats).
 */
const BUILTIN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** A format code shows a date or time when, outside quoted text and `[…]` sections, it has a date/time letter. */
export function isDateFormatCode(code: string): boolean {
  return /[ymdhMsb]/.test(code.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

/** `xl/styles.xml` → for each cell format (`cellXfs`, the cells' `s`), whether it shows a date. */
async function readDateStyles(zip: ZipFile, entry: Entry): Promise<boolean[]> {
  const customDates = new Map<number, boolean>();
  const styles: boolean[] = [];
  let inCellXfs = false;
  await parsePart(zip, entry, {
    open(tag) {
      const name = localName(tag.name);
      if (name === 'numFmt') {
        customDates.set(Number(tag.attributes.numFmtId), isDateFormatCode(tag.attributes.formatCode ?? ''));
      } else if (name === 'cellXfs') {
        inCellXfs = true;
      } else if (name === 'xf' && inCellXfs) {
        const id = Number(tag.attributes.numFmtId ?? 0);
        styles.push(customDates.get(id) ?? BUILTIN_DATE_FORMATS.has(id));
      }
    },
    close(name) {
      if (localName(name) === 'cellXfs') inCellXfs = false;
    },
    text() {},
  });
  return styles;
}

/** `_xHHHH_` escapes a character XML cannot hold in text (ECMA-376 §22.9.2.19, ST_Xstring). */
function unescapeXstring(text: string): string {
  return text.includes('_x') ? text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : text;
}

/** The shared string table: each `<si>`, its `<t>` or the `<t>` of its runs joined (phonetic `<rPh>` left out). */
async function readSharedStrings(zip: ZipFile, entry: Entry): Promise<string[]> {
  const strings: string[] = [];
  let parts: string[] | null = null;
  let inT = false;
  let phonetic = 0;
  await parsePart(zip, entry, {
    open(tag) {
      const name = localName(tag.name);
      if (name === 'si') parts = [];
      else if (name === 'rPh') phonetic++;
      else if (name === 't' && parts && phonetic === 0) inT = true;
    },
    close(name) {
      const local = localName(name);
      if (local === 't') inT = false;
      else if (local === 'rPh') phonetic--;
      else if (local === 'si' && parts) {
        strings.push(unescapeXstring(parts.join('')));
        parts = null;
      }
    },
    text(text) {
      if (inT) parts!.push(text);
    },
  });
  return strings;
}

/** `A1` → 1, `AB7` → 28; 0 when the reference has no column letters. */
function columnOf(ref: string): number {
  let col = 0;
  for (let i = 0; i < ref.length; i++) {
    const code = ref.charCodeAt(i);
    if (code < 65 || code > 90) break;
    col = col * 26 + (code - 64);
  }
  return col;
}

const MS_PER_DAY = 24 * 3600 * 1000;

/** SpreadsheetML's own bounds (ECMA-376 §18.3.1.73 and §18.3.1.4): rows 1–1 048 576, columns A–XFD. */
const MAX_ROW = 1_048_576;
const MAX_COLUMN = 16_384;
/**
 * The cells a sheet may spread over once read into a table (its last row number × its widest row): the
 * importer pads every row to the sheet's width, so one cell in XFD on row 1 000 000 of a small file would
 * otherwise ask for 16 billion. A DS export of 10 000 dossiers × 150 columns is 1.5 million.
 */
export const MAX_SHEET_CELLS = 20_000_000;

/** An Excel serial date (days since 1899-12-30, or since 1904-01-01) → wall-clock text (as exceljs rounds it). */
function serialText(serial: number, date1904: boolean): string {
  const date = new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * MS_PER_DAY));
  return Number.isNaN(date.getTime()) ? '' : wallClockText(date);
}

/** A `t="d"` cell: an ISO 8601 date or date-time (§18.17.4), wall-clock like the serial dates → `YYYY-MM-DD HH:MM:SS`. */
function isoDateText(raw: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(raw.trim());
  if (!m) return raw;
  return `${m[1]}-${m[2]}-${m[3]} ${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}`;
}

interface SheetContext {
  shared: string[];
  dateStyles: boolean[];
  date1904: boolean;
}

/** One worksheet part: each `<row>` to `onRow`, its cells as text by column. */
async function readSheet(
  zip: ZipFile,
  entry: Entry,
  context: SheetContext,
  onRow: (row: XlsxRow) => void,
  stopped: () => boolean,
): Promise<void> {
  let rowNumber = 0;
  let cells: string[] | null = null;
  let column = 0;
  let type = '';
  let style = 0;
  let value: string[] | null = null;
  let collecting = false;
  let inline = false;
  let phonetic = 0;
  let formula = false;
  let size = 0;
  let width = 0;
  const tooLarge = () => new AppFailure('import_refused', { reason: 'cell_too_large', row: rowNumber });

  await parsePart(
    zip,
    entry,
    {
      open(tag) {
        switch (localName(tag.name)) {
          case 'row': {
            const r = tag.attributes.r;
            rowNumber = r === undefined ? rowNumber + 1 : Number(r);
            if (!Number.isSafeInteger(rowNumber) || rowNumber < 1 || rowNumber > MAX_ROW) throw invalid();
            cells = [];
            column = 0;
            if (rowNumber * width > MAX_SHEET_CELLS) throw new AppFailure('import_refused', { reason: 'xlsx_sheet_too_large' });
            break;
          }
          case 'c': {
            const r = tag.attributes.r;
            column = r === undefined ? column + 1 : columnOf(r);
            if (column < 1 || column > MAX_COLUMN) throw invalid();
            if (column > width) width = column;
            if (rowNumber * width > MAX_SHEET_CELLS) throw new AppFailure('import_refused', { reason: 'xlsx_sheet_too_large' });
            type = tag.attributes.t ?? 'n';
            style = tag.attributes.s === undefined ? 0 : Number(tag.attributes.s);
            value = null;
            inline = false;
            formula = false;
            size = 0;
            break;
          }
          case 'v':
            if (!inline) {
              value = [];
              collecting = true;
            }
            break;
          case 'f':
            formula = true;
            break;
          case 'is':
            inline = true;
            value = [];
            break;
          case 't':
            if (inline && phonetic === 0) collecting = true;
            break;
          case 'rPh':
            phonetic++;
            break;
          default:
            break;
        }
      },
      text(text) {
        if (!collecting) return;
        size += text.length;
        if (size > MAX_CELL_CHARS) throw tooLarge();
        value!.push(text);
      },
      close(name) {
        switch (localName(name)) {
          case 'v':
          case 't':
            collecting = false;
            break;
          case 'c': {
            if (!cells) break;
            const text = cellText(value === null ? null : value.join(''), type, inline, formula, style, context);
            if (text.length > MAX_CELL_CHARS) throw tooLarge();
            cells[column - 1] = text;
            value = null;
            break;
          }
          case 'row':
            if (cells) onRow({ number: rowNumber, cells: Array.from(cells, (cell) => cell ?? '') });
            cells = null;
            break;
          case 'rPh':
            phonetic--;
            break;
          default:
            break;
        }
      },
    },
    stopped,
  );
}

/** One cell's value as text, from its collected text, type (`t`) and style (`s`). */
function cellText(raw: string | null, type: string, inline: boolean, formula: boolean, style: number, context: SheetContext): string {
  if (raw === null) return '';
  if (inline) return unescapeXstring(raw);
  switch (type) {
    case 's': {
      const text = context.shared[Number(raw)];
      return text ?? '';
    }
    case 'str':
    case 'inlineStr':
      return formula ? raw : unescapeXstring(raw);
    case 'b':
      return String(parseInt(raw, 10) !== 0);
    case 'd':
      return isoDateText(raw);
    case 'e':
      return '';
    default: {
      const number = parseFloat(raw);
      if (Number.isNaN(number)) return '';
      if (!formula && context.dateStyles[style]) return serialText(number, context.date1904);
      return String(number);
    }
  }
}
