import { describe, expect, it } from 'vitest';
import { readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { decode, decodeText, sniffDelimiter } from '../../../main/core/import/decode';
import { normalizeLabel, resolveMapping, requiredTargets } from '../../../main/core/import/headers';
import { detectFormat, parseExportFile } from '../../../main/core/import/parse';
import { parisOffsetMinutes, parseDsDateTime } from '../../../main/core/import/paris-time';
import { MAX_CELL_CHARS } from '../../../main/core/import/record';
import { readXlsx } from '../../../main/core/import/xlsx';
import { writeZip } from '../../support/evil/zip-writer';
import { tempDir } from '../../support/tmp';
import { answerKey, fixtureFiles } from './fixtures';

const REQUIRED = requiredTargets(['structure', 'objectifs', 'acteurs', 'gouvernance', 'perimetre', 'financement']);

describe('decoding', () => {
  it('decodes Windows-1252 bytes 0x80 0x92 0x9c with iconv-lite', () => {
    expect(decode(Buffer.from([0x80, 0x92, 0x9c]))).toBe('€’œ');
  });
  it('strips a UTF-8 BOM and keeps strict UTF-8', () => {
    const r = decodeText(Buffer.from('\ufeffHélène;€', 'utf8'));
    expect(r).toEqual({ text: 'Hélène;€', encoding: 'utf-8' });
  });
  it('sniffs the delimiter on the header line only', () => {
    expect(sniffDelimiter('a;b;"c,d"\n1,2,3')).toBe(';');
    expect(sniffDelimiter('a,b,"c;d;e"\n')).toBe(',');
    expect(sniffDelimiter('a\tb\tc\n')).toBe('\t');
  });
});

describe('Paris time', () => {
  it('knows the offset on both sides of the DST changes', () => {
    expect(parisOffsetMinutes(Date.UTC(2021, 0, 15))).toBe(60);
    expect(parisOffsetMinutes(Date.UTC(2021, 5, 15))).toBe(120);
    // 2021-03-28 01:00 UTC is when Paris goes from +1 to +2.
    expect(parisOffsetMinutes(Date.UTC(2021, 2, 28, 0, 59))).toBe(60);
    expect(parisOffsetMinutes(Date.UTC(2021, 2, 28, 1, 0))).toBe(120);
  });
  it('converts DS and Excel timestamps to UTC instants', () => {
    expect(parseDsDateTime('2021-05-12 11:10:46 +0200')).toBe('2021-05-12T09:10:46.000Z');
    expect(parseDsDateTime('12/05/2021 11:10')).toBe('2021-05-12T09:10:00.000Z');
    expect(parseDsDateTime('15/01/2021 11:10')).toBe('2021-01-15T10:10:00.000Z');
    expect(parseDsDateTime('2021-06-23 23:59:59')).toBe('2021-06-23T21:59:59.000Z');
    expect(parseDsDateTime('2021-10-31 03:30')).toBe('2021-10-31T02:30:00.000Z');
    expect(parseDsDateTime('2021-03-28T03:30:00+02:00')).toBe('2021-03-28T01:30:00.000Z');
    expect(parseDsDateTime('31/02/2021 10:00')).toBeNull();
    expect(parseDsDateTime('demain')).toBeNull();
  });
});

describe('header mapping', () => {
  it('normalises accents, case, punctuation and « (optionnel) »', () => {
    expect(normalizeLabel("Plan d’action prévisionnel sur 3 ans (optionnel)")).toBe("plan d action previsionnel sur 3 ans");
    expect(normalizeLabel('  N° dossier ')).toBe('n dossier');
  });
  it('accepts export-template headers and reports what is missing', () => {
    const r = resolveMapping(['N° dossier', 'Date de dépôt', 'Nom du projet', 'Archivé', 'Nom du projet'], REQUIRED);
    expect(r.columns.number).toBe(0);
    expect(r.columns.depositedAt).toBe(1);
    expect(r.columns.projectName).toBe(2);
    expect(r.missing).toContain('rubric:structure');
    expect(r.candidates).toEqual(['Archivé', 'Nom du projet#2']);
    const explicit = resolveMapping(['Numéro', 'X'], ['number'], { number: 'Numéro' });
    expect(explicit.missing).toEqual([]);
  });
});

describe.each(['ami-2021-bourgogne-franche-comte', 'ami-2021-old-headers'])('fixtures %s', (folder) => {
  const key = answerKey(folder);
  it.each(fixtureFiles(folder).map((f) => [f.split('/').pop()!, f]))('%s parses to the answer key', async (_, path) => {
    const out = await parseExportFile(path, { required: REQUIRED });
    if (out.kind !== 'parsed') throw new Error(`needs mapping: ${out.missing.join(', ')}`);
    const { records, rejected } = out.parsed;
    expect(rejected).toEqual([]);
    expect(records).toHaveLength(key.count);
    for (const expected of key.dossiers) {
      const r = records.find((x) => x.number === expected.id)!;
      expect(r, String(expected.id)).toBeDefined();
      expect(r.regionCode).toBe(expected.region);
      expect(r.depositedAt).toMatch(/^2021-0[5-7]-\d\dT\d\d:\d\d:\d\d\.000Z$/);
      if (r.format !== 'csv') {
        expect(r.partners).toHaveLength(expected.partners);
        expect(r.avis).toHaveLength(expected.avis);
        expect(r.partners![0]!.siret).toMatch(/^\d{14}$/);
        expect(r.partners!.every((p) => p.name !== '' && p.role !== '')).toBe(true);
      }
      if (r.format === 'json') expect(r.files!.length).toBe(expected.files);
    }
  });
});

describe('encodings give identical records (security §3.1 case 13)', () => {
  it('UTF-8 + BOM `;`, UTF-8 `,`, Windows-1252 `;`', async () => {
    const { dir, cleanup } = tempDir();
    const header = ['ID', 'Déposé le', 'Nom du projet', 'Nom de la structure porteuse', 'Forme juridique de la structure porteuse', 'Description de la structure porteuse du projet', 'Montant'];
    const row = ['42', '2021-06-01 10:00:00 +0200', 'Hélène’s œuvre', 'Coop « €uro »', 'Association', 'Texte\u00a0avec NBSP, virgule; point-virgule', '1 234,56'];
    const q = (c: string) => `"${c.replace(/"/g, '""')}"`;
    const make = (sep: string) => [header, row].map((r) => r.map(q).join(sep)).join('\r\n') + '\r\n';
    writeFileSync(join(dir, 'a.csv'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(make(';'), 'utf8')]));
    writeFileSync(join(dir, 'b.csv'), Buffer.from(make(','), 'utf8'));
    writeFileSync(join(dir, 'c.csv'), iconv.encode(make(';'), 'win1252'));
    const required = requiredTargets(['structure']);
    const records = [];
    for (const f of ['a.csv', 'b.csv', 'c.csv']) {
      const out = await parseExportFile(join(dir, f), { required });
      if (out.kind !== 'parsed') throw new Error('needs mapping');
      records.push(out.parsed.records.map((r) => ({ ...r })));
    }
    expect(records[0]![0]!.identification.projectName).toBe('Hélène’s œuvre');
    expect(records[1]).toEqual(records[0]);
    expect(records[2]).toEqual(records[0]);
    cleanup();
  });
});

describe('XLSX read as a stream', () => {
  const ownTempFiles = () => readdirSync(tmpdir()).filter((name) => name.startsWith(`tmp-${process.pid}-`));

  async function workbook(path: string, cell: string): Promise<void> {
    // Shared strings written after the sheets: a streaming reader that took the parts in archive order would park
    // the sheet in a temporary file (exceljs's did); the reader takes them in the order it needs and parks nothing.
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true, useStyles: true });
    const sheet = writer.addWorksheet('Dossiers');
    sheet.addRow(['ID', 'Nom du projet', 'Déposé le']).commit();
    sheet.addRow([6000001, cell, new Date(Date.UTC(2021, 5, 23, 21, 30))]).commit();
    sheet.addRow([6000002, 'Deuxième', 'x']).commit();
    sheet.commit();
    await writer.commit();
  }

  it('reads the cells (dates as Paris wall-clock) and leaves no temporary file', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const before = ownTempFiles();
      const path = join(dir, 'ok.xlsx');
      await workbook(path, 'Pôle');
      const content = await readXlsx(path);
      expect(content.dossiers.headers).toEqual(['ID', 'Nom du projet', 'Déposé le']);
      expect(content.dossiers.rows).toEqual([
        ['6000001', 'Pôle', '2021-06-23 21:30:00'],
        ['6000002', 'Deuxième', 'x'],
      ]);
      await expect.poll(ownTempFiles).toEqual(before);
    } finally {
      cleanup();
    }
  });

  it('refuses a cell over the limit and still removes the temporary files', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const before = ownTempFiles();
      const path = join(dir, 'huge-cell.xlsx');
      await workbook(path, 'x'.repeat(MAX_CELL_CHARS + 1));
      await expect(readXlsx(path)).rejects.toMatchObject({ code: 'import_refused', params: { reason: 'cell_too_large', row: 2 } });
      await expect.poll(ownTempFiles).toEqual(before);
    } finally {
      cleanup();
    }
  });
});

describe('format detection', () => {
  it('refuses an ODS workbook by its mimetype entry, saying so, and still tells XLSX and DS ZIP apart', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const ods = writeZip(dir, 'dossiers.ods', [
        { name: 'mimetype', data: Buffer.from('application/vnd.oasis.opendocument.spreadsheet'), method: 0 },
        { name: 'content.xml', data: Buffer.from('<office:document-content/>'), method: 0 },
      ]);
      await expect(detectFormat(ods)).rejects.toMatchObject({ code: 'import_refused', params: { reason: 'ods_unsupported' } });
      // An ODF text document is not a workbook: it is left to the ZIP reader, which refuses it for what it is.
      const odt = writeZip(dir, 'note.odt', [{ name: 'mimetype', data: Buffer.from('application/vnd.oasis.opendocument.text'), method: 0 }]);
      expect(await detectFormat(odt)).toBe('zip');
      const xlsx = writeZip(dir, 'a.xlsx', [{ name: '[Content_Types].xml', data: Buffer.from('<Types/>'), method: 0 }]);
      expect(await detectFormat(xlsx)).toBe('xlsx');
    } finally {
      cleanup();
    }
  });
});
