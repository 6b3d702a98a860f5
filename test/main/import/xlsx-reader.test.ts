import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { wallClockText } from '../../../main/core/import/paris-time';
import { MAX_CELL_CHARS } from '../../../main/core/import/record';
import { isDateFormatCode, MAX_SHEET_CELLS, streamXlsxSheets, type XlsxRow } from '../../../main/core/import/xlsx-reader';
import { tempDir } from '../../support/tmp';
import { type RawEntry, writeZip } from '../../support/evil/zip-writer';

const FIXTURES = join(process.cwd(), '../shared/fixtures/ds');
const FIXTURE_WORKBOOKS = readdirSync(FIXTURES, { recursive: true, encoding: 'utf8' })
  .filter((name) => name.endsWith('.xlsx'))
  .map((name) => join(FIXTURES, name));

let work: ReturnType<typeof tempDir>;
beforeEach(() => {
  work = tempDir('comite-ptce-xlsx-reader-');
});
afterEach(() => work.cleanup());

type Sheets = { name: string; rows: XlsxRow[] }[];

async function read(path: string): Promise<Sheets> {
  const sheets: Sheets = [];
  await streamXlsxSheets(path, (name) => sheets.push({ name, rows: [] }), (row) => sheets.at(-1)!.rows.push(row));
  return sheets;
}

/** The reference: exceljs's whole-workbook reader (not its streaming one), each cell's value as text. */
function referenceText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return wallClockText(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('formula' in value || 'sharedFormula' in value) return referenceText((value as { result?: ExcelJS.CellValue }).result ?? null);
  if ('error' in value) return '';
  return '';
}

async function reference(path: string): Promise<Sheets> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(path);
  return book.worksheets.map((sheet) => {
    const rows: XlsxRow[] = [];
    sheet.eachRow({ includeEmpty: false }, (row, number) => {
      const cells: string[] = [];
      row.eachCell({ includeEmpty: true }, (cell, col) => {
        cells[col - 1] = referenceText(cell.value);
      });
      rows.push({ number, cells: Array.from(cells, (c) => c ?? '') });
    });
    return { name: sheet.name, rows };
  });
}

/** Rows without any cell are left out of the comparison: exceljs's model drops them. */
const withCells = (sheets: Sheets) => sheets.map((s) => ({ ...s, rows: s.rows.filter((r) => r.cells.length > 0) }));

describe('streamXlsxSheets reads what exceljs reads', () => {
  it.each(FIXTURE_WORKBOOKS)('the DS fixture %s', async (path) => {
    const sheets = await read(path);
    expect(sheets.map((s) => s.name)).toEqual(['Dossiers', 'Etablissements', 'Avis', '(41) Partenaires de la dynami']);
    expect(withCells(sheets)).toEqual(withCells(await reference(path)));
  });

  it.each([
    ['shared strings, 1900 dates', true, false],
    ['inline strings, 1904 dates', false, true],
  ])('every kind of cell: %s', async (_, useSharedStrings, date1904) => {
    const path = join(work.dir, 'kinds.xlsx');
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings, useStyles: true });
    if (date1904) writer.properties = { ...writer.properties, date1904: true } as typeof writer.properties;
    const sheet = writer.addWorksheet('Dossiers');
    sheet.addRow(['ID', 'Texte', 'Nombre', 'Vrai', 'Date', 'Jour', 'Riche', 'Formule', 'Formule texte', 'Erreur']).commit();
    const row = sheet.addRow([
      6000001,
      '« Pôle » & <coopération> — œuvre',
      -12.5,
      true,
      new Date(Date.UTC(2021, 5, 23, 21, 30, 15)),
      new Date(Date.UTC(2021, 0, 4)),
      { richText: [{ text: 'Gras ', font: { bold: true } }, { text: 'et normal' }] },
      { formula: 'C2*2', result: -25 },
      { formula: 'B2&"!"', result: 'Pôle!' },
      { error: '#N/A' },
    ]);
    row.getCell(5).numFmt = 'dd/mm/yyyy hh:mm:ss';
    row.getCell(6).numFmt = 'mm-dd-yy';
    row.commit();
    // A hole (no cell in C) and a last cell far to the right.
    const sparse = sheet.getRow(3);
    sparse.getCell(1).value = 6000002;
    sparse.getCell(2).value = 'Deuxième';
    sparse.getCell(30).value = 'loin';
    sparse.commit();
    sheet.commit();
    await writer.commit();

    const sheets = await read(path);
    expect(sheets).toEqual(withCells(await reference(path)));
    const [header, first, second] = sheets[0]!.rows;
    expect(header!.number).toBe(1);
    expect(first!.cells).toEqual([
      '6000001', '« Pôle » & <coopération> — œuvre', '-12.5', 'true', '2021-06-23 21:30:15', '2021-01-04 00:00:00',
      'Gras et normal', '-25', 'Pôle!', '',
    ]);
    expect(second!.cells).toHaveLength(30);
    expect(second!.cells.slice(0, 3)).toEqual(['6000002', 'Deuxième', '']);
    expect(second!.cells[29]).toBe('loin');
  });

  it('keeps accented text whole across the chunks of a large sheet (exceljs streaming split some characters)', async () => {
    const path = join(work.dir, 'large.xlsx');
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false, useStyles: false });
    const sheet = writer.addWorksheet('Dossiers');
    const texts = Array.from({ length: 400 }, (_, i) => `${'é'.repeat(i % 7)}Coopération écologique n° ${i} — ${'àéèêîôûç '.repeat(200)}`);
    for (const text of texts) sheet.addRow([text]).commit();
    sheet.commit();
    await writer.commit();
    const rows = (await read(path))[0]!.rows;
    expect(rows.map((r) => r.cells[0])).toEqual(texts);
    expect(rows.some((r) => r.cells[0]!.includes('\uFFFD'))).toBe(false);
  });
});

// Hand-built workbooks, for what generators seldom write.
const XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

function handBuilt(sheetXml: string, sharedXml?: string, extra: Record<string, string> = {}): string {
  const parts: Record<string, string> = {
    '[Content_Types].xml': `${XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
    'xl/workbook.xml':
      `${XML_DECL}<workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets>` +
      '<sheet name="Dossiers" sheetId="1" r:id="rId7"/><sheet name="Avis" sheetId="2" r:id="rId3"/></sheets></workbook>',
    'xl/_rels/workbook.xml.rels':
      `${XML_DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
      `<Relationship Id="rId3" Type="${REL}/worksheet" Target="/xl/worksheets/other.xml"/>` +
      `<Relationship Id="rId7" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>` +
      (sharedXml ? `<Relationship Id="rId9" Type="${REL}/sharedStrings" Target="strings.xml"/>` : '') +
      '</Relationships>',
    'xl/worksheets/sheet1.xml': sheetXml,
    'xl/worksheets/other.xml': `${XML_DECL}<worksheet xmlns="${MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>avis</t></is></c></row></sheetData></worksheet>`,
    ...(sharedXml ? { 'xl/strings.xml': sharedXml } : {}),
    ...extra,
  };
  const entries: RawEntry[] = Object.entries(parts).map(([name, text]) => {
    const raw = Buffer.from(text, 'utf8');
    return { name, data: deflateRawSync(raw), method: 8, uncompressedSize: raw.length };
  });
  return writeZip(work.dir, `hand-${Math.random().toString(36).slice(2)}.xlsx`, entries);
}

const sheetOf = (rows: string, prefix = '') =>
  `${XML_DECL}<${prefix}worksheet xmlns${prefix ? `:${prefix.slice(0, -1)}` : ''}="${MAIN}"><${prefix}sheetData>${rows}</${prefix}sheetData></${prefix}worksheet>`;

async function reasonOf(path: string): Promise<string> {
  try {
    await read(path);
    return 'read';
  } catch (error) {
    return String((error as { params?: { reason?: string } }).params?.reason ?? (error as Error).message);
  }
}

describe('streamXlsxSheets, as the standard says', () => {
  it('follows the workbook order and its relationships (absolute and relative targets), not the file names', async () => {
    const path = handBuilt(sheetOf('<row r="1"><c r="A1" t="inlineStr"><is><t>dossiers</t></is></c></row>'));
    const sheets = await read(path);
    expect(sheets.map((s) => [s.name, s.rows[0]!.cells[0]])).toEqual([
      ['Dossiers', 'dossiers'],
      ['Avis', 'avis'],
    ]);
  });

  it('joins every run of a rich inline string, leaves phonetic runs out, and decodes _xHHHH_ escapes', async () => {
    const shared =
      `${XML_DECL}<sst xmlns="${MAIN}"><si><t>a_x000D_b</t></si>` +
      '<si><r><t>Pôle </t></r><r><rPr><b/></rPr><t xml:space="preserve">territorial </t></r><rPh sb="0" eb="1"><t>ポール</t></rPh></si></sst>';
    const rows =
      '<row r="2"><c r="A2" t="inlineStr"><is><r><t>un </t></r><r><t>deux</t></r></is></c>' +
      '<c r="B2" t="s"><v>0</v></c><c r="C2" t="s"><v>1</v></c><c r="D2" t="inlineStr"><is><t>&lt;b&gt; &amp;amp;</t></is></c></row>';
    const [sheet] = await read(handBuilt(sheetOf(rows), shared));
    expect(sheet!.rows).toEqual([{ number: 2, cells: ['un deux', 'a\rb', 'Pôle territorial ', '<b> &amp;'] }]);
  });

  it('reads cells and rows without references, and a prefixed namespace', async () => {
    const rows = '<x:row><x:c><x:v>1</x:v></x:c><x:c t="str"><x:v>b</x:v></x:c></x:row><x:row><x:c r="C2"><x:v>3.25</x:v></x:c></x:row>';
    const [sheet] = await read(handBuilt(sheetOf(rows, 'x:')));
    expect(sheet!.rows).toEqual([
      { number: 1, cells: ['1', 'b'] },
      { number: 2, cells: ['', '', '3.25'] },
    ]);
  });

  it('tells dates by their cell format (built-in, custom, not when the letters are quoted or in brackets) and reads ISO date cells', async () => {
    expect(['yyyy-mm-dd h:mm AM/PM', 'dd/mm/yyyy', '[$-40C]d mmmm yyyy', 'h:mm:ss'].map(isDateFormatCode)).toEqual([true, true, true, true]);
    expect(['General', '0.00', '#,##0 "jours"', '[Red]0', '@'].map(isDateFormatCode)).toEqual([false, false, false, false, false]);
    const styles =
      `${XML_DECL}<styleSheet xmlns="${MAIN}"><numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy hh:mm"/>` +
      '<numFmt numFmtId="165" formatCode="0 &quot;jours&quot;"/></numFmts>' +
      '<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>' +
      '<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="14"/></cellXfs></styleSheet>';
    const rows =
      '<row r="1"><c r="A1"><v>44370.5</v></c><c r="B1" s="1"><v>44370.5</v></c><c r="C1" s="2"><v>12</v></c><c r="D1" s="3"><v>44370</v></c>' +
      '<c r="E1" t="d"><v>2021-06-23T23:59:30</v></c><c r="F1" t="d"><v>2021-06-23</v></c></row>';
    const [sheet] = await read(handBuilt(sheetOf(rows), undefined, { 'xl/styles.xml': styles }));
    expect(sheet!.rows[0]!.cells).toEqual(['44370.5', '2021-06-23 12:00:00', '12', '2021-06-23 00:00:00', '2021-06-23 23:59:30', '2021-06-23 00:00:00']);
  });

  it('refuses a cell over the limit, in a shared string or inline, with its row', async () => {
    const big = 'x'.repeat(MAX_CELL_CHARS + 1);
    const inline = handBuilt(sheetOf(`<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row><row r="4"><c r="A4" t="inlineStr"><is><t>${big}</t></is></c></row>`));
    await expect(read(inline)).rejects.toMatchObject({ code: 'import_refused', params: { reason: 'cell_too_large', row: 4 } });
    const shared = handBuilt(sheetOf('<row r="3"><c r="A3" t="s"><v>0</v></c></row>'), `${XML_DECL}<sst xmlns="${MAIN}"><si><t>${big}</t></si></sst>`);
    await expect(read(shared)).rejects.toMatchObject({ code: 'import_refused', params: { reason: 'cell_too_large', row: 3 } });
  });

  it('refuses malformed or incomplete workbooks as xlsx_invalid', async () => {
    const cases = [
      handBuilt(sheetOf('<row r="1"><c r="A1"><v>1</v></row>')), // mismatched tags
      handBuilt(sheetOf('<row r="1"><c r="A1" t="inlineStr"><is><t>&nbsp;</t></is></c></row>')), // undefined entity
      handBuilt(sheetOf('<row r="0"><c r="A1"><v>1</v></c></row>')), // row 0
      handBuilt(sheetOf('<row r="1"><c r="1A"><v>1</v></c></row>')), // no column
      handBuilt(`${XML_DECL}<worksheet xmlns="${MAIN}"><sheetData><row r="1">`), // cut off
      handBuilt(sheetOf(''), undefined, { 'xl/_rels/workbook.xml.rels': `${XML_DECL}<Relationships xmlns="x"/>` }), // sheets without parts
    ];
    expect(await Promise.all(cases.map(reasonOf))).toEqual(Array(cases.length).fill('xlsx_invalid'));
  });

  it('refuses a sheet that would spread over too many cells once padded, from a few bytes, before building it', async () => {
    // One cell in XFD, then a row far down: 16 384 columns × 2 000 rows is over the budget.
    const wide = handBuilt(sheetOf('<row r="1"><c r="XFD1"><v>1</v></c></row><row r="2000"><c r="A2000"><v>2</v></c></row>'));
    expect(MAX_SHEET_CELLS).toBeLessThan(16_384 * 2_000);
    expect(await reasonOf(wide)).toBe('xlsx_sheet_too_large');
    const tall = handBuilt(sheetOf('<row r="1000000"><c r="A1000000"><v>1</v></c><c r="Z1000000"><v>2</v></c></row>'));
    expect(await reasonOf(tall)).toBe('xlsx_sheet_too_large');
    // Beyond SpreadsheetML's last row or column: not a workbook.
    expect(await reasonOf(handBuilt(sheetOf('<row r="1048577"><c r="A1"><v>1</v></c></row>')))).toBe('xlsx_invalid');
    expect(await reasonOf(handBuilt(sheetOf('<row r="1"><c r="XFE1"><v>1</v></c></row>')))).toBe('xlsx_invalid');
    // Within the bounds: a far cell on a few rows is read.
    const [sheet] = await read(handBuilt(sheetOf('<row r="3"><c r="XFD3"><v>7</v></c></row>')));
    expect(sheet!.rows[0]!.cells).toHaveLength(16_384);
    expect(sheet!.rows[0]!.cells[16_383]).toBe('7');
  });

  it('stops reading when asked, between chunks', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `<row r="${i + 1}"><c r="A${i + 1}"><v>${i}</v></c></row>`).join('');
    const path = handBuilt(sheetOf(rows));
    let seen = 0;
    await streamXlsxSheets(path, () => {}, () => seen++, () => seen > 0);
    expect(seen).toBeGreaterThan(0);
    expect(seen).toBeLessThan(20_000);
  });
});
