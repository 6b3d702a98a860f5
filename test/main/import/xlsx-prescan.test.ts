import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppFailure } from '../../../shared/errors';
import { prescanXlsx } from '../../../main/core/import/xlsx-prescan';
import { tempDir } from '../../support/tmp';
import { deflatedZeros, type RawEntry, writeZip } from '../../support/evil/zip-writer';

// security.md §3.1 cases 10–11: XXE, billion laughs and an XLSX bomb are refused before exceljs runs.

const FIXTURE_XLSX = join(
  process.cwd(),
  '../shared/fixtures/ds/ami-2021-bourgogne-franche-comte/dossiers_ami-ptce-emergents_2021-07-08_09-30.xlsx',
);

const XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const CONTENT_TYPES =
  XML_DECL +
  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
  '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
  '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' +
  '</Types>';
const ROOT_RELS =
  XML_DECL +
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
  '</Relationships>';
const WORKBOOK =
  XML_DECL +
  '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
  '<sheets><sheet name="Dossiers" sheetId="1" r:id="rId1"/></sheets></workbook>';
const WORKBOOK_RELS =
  XML_DECL +
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
  '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>' +
  '</Relationships>';
const SHEET =
  XML_DECL +
  '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' +
  '<row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>';
const sharedStrings = (prolog: string, text: string): string =>
  XML_DECL +
  prolog +
  `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>${text}</t></si></sst>`;

const deflated = (name: string, text: string): RawEntry => {
  const raw = Buffer.from(text, 'utf8');
  return { name, data: deflateRawSync(raw), method: 8, uncompressedSize: raw.length };
};

function workbook(parts: Record<string, string>, omit: string[] = []): RawEntry[] {
  const all: Record<string, string> = {
    '[Content_Types].xml': CONTENT_TYPES,
    '_rels/.rels': ROOT_RELS,
    'xl/workbook.xml': WORKBOOK,
    'xl/_rels/workbook.xml.rels': WORKBOOK_RELS,
    'xl/worksheets/sheet1.xml': SHEET,
    'xl/sharedStrings.xml': sharedStrings('', 'Numéro de dossier'),
    ...parts,
  };
  return Object.entries(all)
    .filter(([name]) => !omit.includes(name))
    .map(([name, text]) => deflated(name, text));
}

let work: ReturnType<typeof tempDir>;
beforeEach(() => {
  work = tempDir('comite-ptce-xlsx-');
});
afterEach(() => work.cleanup());

async function reasonOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppFailure && error.code === 'import_refused') return String(error.params?.reason);
    throw error;
  }
  return 'accepted';
}

describe('prescanXlsx', () => {
  it('accepts the DS fixture workbook', async () => {
    await expect(prescanXlsx(FIXTURE_XLSX)).resolves.toBeUndefined();
  });

  it('accepts the hand-built control workbook, which exceljs reads', async () => {
    const path = writeZip(work.dir, 'ok.xlsx', workbook({}));
    await expect(prescanXlsx(path)).resolves.toBeUndefined();
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path);
    expect(book.getWorksheet('Dossiers')?.getCell('A1').value).toBe('Numéro de dossier');
  });

  it('XXE (external entity in sharedStrings.xml) → xlsx_entity', async () => {
    const xxe = sharedStrings('<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>\n', '&xxe;');
    const path = writeZip(work.dir, 'xxe.xlsx', workbook({ 'xl/sharedStrings.xml': xxe }));
    expect(await reasonOf(prescanXlsx(path))).toBe('xlsx_entity');
  });

  it('billion laughs → xlsx_entity', async () => {
    const lols = ['<!ENTITY lol "lol">'];
    for (let i = 1; i <= 9; i++) lols.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`);
    const laughs = sharedStrings(`<!DOCTYPE lolz [${lols.join('')}]>\n`, '&lol9;');
    const path = writeZip(work.dir, 'laughs.xlsx', workbook({ 'xl/sharedStrings.xml': laughs }));
    expect(await reasonOf(prescanXlsx(path))).toBe('xlsx_entity');
  });

  it('a DOCTYPE hidden after comments and processing instructions, in any XML part → xlsx_entity', async () => {
    const prolog = '<!-- ' + 'x'.repeat(20_000) + ' -->\n<?mso-application progid="Excel.Sheet"?>\n<!DOCTYPE worksheet>';
    const sheet = SHEET.replace('<worksheet', `${prolog}<worksheet`);
    const path = writeZip(work.dir, 'hidden.xlsx', workbook({ 'xl/worksheets/sheet1.xml': sheet }));
    expect(await reasonOf(prescanXlsx(path))).toBe('xlsx_entity');
    const rels = writeZip(work.dir, 'rels.xlsx', workbook({ '_rels/.rels': ROOT_RELS.replace('<Relationships', '<!DOCTYPE r SYSTEM "http://x/r.dtd"><Relationships') }));
    expect(await reasonOf(prescanXlsx(rels))).toBe('xlsx_entity');
  });

  it('a prolog padded beyond 64 KiB (to push a DTD past a naive scan window) → xlsx_entity', async () => {
    const sheet = SHEET.replace('<worksheet', `<!-- ${'x'.repeat(70_000)} --><worksheet`);
    const path = writeZip(work.dir, 'padded.xlsx', workbook({ 'xl/worksheets/sheet1.xml': sheet }));
    expect(await reasonOf(prescanXlsx(path))).toBe('xlsx_entity');
  });

  it('a 414 KB XLSX whose sheet declares 400 MiB → xlsx_sheet_too_large, from the central directory', async () => {
    const size = 400 * 1024 * 1024;
    const bomb: RawEntry = { name: 'xl/worksheets/sheet1.xml', data: deflatedZeros(size), method: 8, uncompressedSize: size };
    const entries = [...workbook({}, ['xl/worksheets/sheet1.xml']), bomb];
    const path = writeZip(work.dir, 'bomb.xlsx', entries);
    const rssBefore = process.memoryUsage().rss;
    expect(await reasonOf(prescanXlsx(path))).toBe('xlsx_sheet_too_large');
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);
  });

  it('a part over a lowered maxXlsxPartBytes → xlsx_sheet_too_large (the limit is configurable)', async () => {
    const path = writeZip(work.dir, 'ok.xlsx', workbook({}));
    expect(await reasonOf(prescanXlsx(path, { maxXlsxPartBytes: 100 }))).toBe('xlsx_sheet_too_large');
  });

  it.each(['[Content_Types].xml', 'xl/workbook.xml'])('a ZIP without %s → not_an_xlsx', async (missing) => {
    const path = writeZip(work.dir, 'nope.xlsx', workbook({}, [missing]));
    expect(await reasonOf(prescanXlsx(path))).toBe('not_an_xlsx');
  });

  it('a CSV renamed .xlsx → not_a_zip; zip threats apply to workbooks too', async () => {
    const csv = join(work.dir, 'export.xlsx');
    writeFileSync(csv, 'Numéro de dossier,Email\n1,a@b.fr\n');
    expect(await reasonOf(prescanXlsx(csv))).toBe('not_a_zip');
    const slip = writeZip(work.dir, 'slip.xlsx', [...workbook({}), deflated('../../evil.xml', '<a/>')]);
    expect(await reasonOf(prescanXlsx(slip))).toBe('zip_slip');
  });
});
