import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { AppFailure } from '../../../shared/errors';
import { getReview, saveReviewPatch } from '../../../main/core/review/reviews';
import { exportGridXlsx, importGridXlsx } from '../../../main/core/committee/grid-xlsx';
import { listOpenConflicts } from '../../../main/core/committee/merge';
import { deterministicZip } from '../../../main/core/package/zip';
import { entries } from '../package/tamper-support';
import { at, cleanupMachines, machine } from './support';

afterEach(() => cleanupMachines());

const CRITERIA = 10;

async function refusal(p: Promise<unknown>): Promise<AppFailure> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppFailure) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

/** The correspondent's machine: Yann has no app; his grid is exported, filled in a spreadsheet, imported. */
async function setup() {
  const corr = machine([
    { name: 'Camille Rousseau', role: 'correspondant', organisation: 'DREETS' },
    { name: 'Yann Leroy', role: 'cress', organisation: 'CRESS' },
    { name: 'Zoé Martin', role: 'expert', organisation: '' },
  ]);
  const camille = corr.member('Camille Rousseau');
  const yann = corr.member('Yann Leroy');
  const [n1, n2, n3] = corr.numbers as [number, number, number];
  // Yann already had a score (sent by e-mail, typed in by the correspondent) and is recused on n3.
  saveReviewPatch(corr.db, { dossierId: corr.dossier(n1), memberId: yann, keyboardMemberId: camille, patch: { scores: { V2: { score: 1, justification: 'Tel.' } } }, now: at(5) });
  corr.db
    .prepare("INSERT INTO conflicts (member_id, dossier_id, source, status, created_at) VALUES (?, ?, 'declared', 'confirmed', ?)")
    .run(yann, corr.dossier(n3), at(1).toISOString());
  const { bytes, rows } = await exportGridXlsx(corr.db, { memberId: yann, campaignId: corr.campaignId, now: at(10) });
  const path = join(corr.dir, 'grille-yann.xlsx');
  writeFileSync(path, bytes);
  return { corr, camille, yann, n1, n2, n3, path, rows };
}

/** Edits the workbook with exceljs, as a spreadsheet user would, and saves it under a new name. */
async function edit(path: string, name: string, change: (sheet: ExcelJS.Worksheet, wb: ExcelJS.Workbook) => void): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  change(wb.getWorksheet('Grille')!, wb);
  const out = join(path, '..', name);
  await wb.xlsx.writeFile(out);
  return out;
}

/** Row of (dossier number, criterion key) in the « Grille » sheet. */
function rowOf(sheet: ExcelJS.Worksheet, number: number, key: string): ExcelJS.Row {
  for (let r = 2; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    if (row.getCell(1).value === number && row.getCell(3).value === key) return row;
  }
  throw new Error(`no row ${number}/${key}`);
}

describe('XLSX grid round trip', () => {
  it('exports a pre-filled, protected grid with a drop-down scale and a hidden base sheet', async () => {
    const s = await setup();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(s.path);
    const sheet = wb.getWorksheet('Grille')!;
    // One row per dossier × criterion, the recused dossier left out.
    expect(s.rows).toBe((s.corr.numbers.length - 1) * CRITERIA);
    expect(sheet.rowCount).toBe(1 + s.rows);
    const values = sheet.getRow(1).values as unknown[];
    expect(values.slice(1)).toEqual(['Dossier n°', 'Projet', 'Critère', 'Libellé du critère', 'Note (0–3)', 'Justification']);
    const v2 = rowOf(sheet, s.n1, 'V2');
    expect([v2.getCell(5).value, v2.getCell(6).value]).toEqual([1, 'Tel.']);
    expect(v2.getCell(5).dataValidation).toMatchObject({ type: 'list', formulae: ['"0,1,2,3"'] });
    expect(v2.getCell(5).protection).toMatchObject({ locked: false });
    expect(v2.getCell(1).protection?.locked).not.toBe(false);
    expect(sheet.getColumn(1).values.includes(s.n3)).toBe(false);
    const base = wb.getWorksheet('_base')!;
    expect(base.state).toBe('veryHidden');
    expect(base.getRow(4).getCell(2).value).toBe(s.yann);
    // Dossier text is written as strings, never as formulas.
    const xml = (await entries(readFileSync(s.path))).get('xl/worksheets/sheet1.xml')!.toString();
    expect(xml).not.toContain('<f>');
  });

  it('imports a grid filled with exceljs: applied, unchanged, conflict surfaced; the same file again applies nothing', async () => {
    const s = await setup();
    // Meanwhile the correspondent types Yann's V1 on n2 from a phone call.
    saveReviewPatch(s.corr.db, { dossierId: s.corr.dossier(s.n2), memberId: s.yann, keyboardMemberId: s.camille, patch: { scores: { V1: { score: 3 } } }, now: at(20) });
    const filled = await edit(s.path, 'rempli.xlsx', (sheet) => {
      const a = rowOf(sheet, s.n1, 'V1');
      a.getCell(5).value = 2;
      a.getCell(6).value = 'Bonne coopération territoriale';
      rowOf(sheet, s.n1, 'O3').getCell(5).value = '0'; // typed as text
      rowOf(sheet, s.n1, 'O3').getCell(6).value = { richText: [{ text: 'Aucun ' }, { font: { bold: true }, text: 'modèle' }] };
      rowOf(sheet, s.n2, 'V1').getCell(5).value = 1; // conflicts with the phone call
    });
    const r = await importGridXlsx(s.corr.db, filled, { now: at(30), importerId: s.camille });
    expect(r).toMatchObject({ kind: 'xlsx', memberId: s.yann, memberName: 'Yann Leroy', applied: 2, conflicts: 1, skipped: [] });
    expect(r.unchanged).toBe(s.rows - 3);
    const review = getReview(s.corr.db, s.corr.dossier(s.n1), s.yann)!.content;
    expect(review.scores.V1).toEqual({ score: 2, justification: 'Bonne coopération territoriale' });
    expect(review.scores.O3).toEqual({ score: 0, justification: 'Aucun modèle' });
    expect(review.scores.V2).toEqual({ score: 1, justification: 'Tel.' });
    expect(getReview(s.corr.db, s.corr.dossier(s.n2), s.yann)!.content.scores.V1?.score).toBe(3);
    expect(listOpenConflicts(s.corr.db)).toEqual([
      expect.objectContaining({ cell: 'scores/V1', dossierNumber: s.n2, local: { score: 3, justification: '' }, incoming: { score: 1, justification: '' } }),
    ]);
    const again = await importGridXlsx(s.corr.db, filled, { now: at(31), importerId: s.camille });
    expect(again).toMatchObject({ applied: 0, conflicts: 0 });
    expect(listOpenConflicts(s.corr.db)).toHaveLength(1);
  });

  it('refuses, nothing merged: bad score, edited locked cell, formula, added row, edited base, other member, hostile XLSX', async () => {
    const s = await setup();
    const before = JSON.stringify(getReview(s.corr.db, s.corr.dossier(s.n1), s.yann)!.content);
    const expectRefused = async (file: string, reason: string, cell?: string) => {
      const e = await refusal(importGridXlsx(s.corr.db, file, { now: at(40), importerId: s.camille }));
      expect(e.code, String(e.params?.reason)).toBe('grid_xlsx_invalid');
      expect(e.params?.reason).toBe(reason);
      if (cell) expect(e.params?.cell).toBe(cell);
    };
    await expectRefused(
      await edit(s.path, 'bad.xlsx', (sh) => {
        rowOf(sh, s.n1, 'V1').getCell(5).value = 2; // valid, but the file is refused as a whole
        rowOf(sh, s.n1, 'V3').getCell(5).value = 5;
      }),
      'bad_score',
      `E${rowOf((await load(s.path)).getWorksheet('Grille')!, s.n1, 'V3').number}`,
    );
    await expectRefused(await edit(s.path, 'half.xlsx', (sh) => (rowOf(sh, s.n1, 'V3').getCell(5).value = 1.5)), 'bad_score');
    await expectRefused(await edit(s.path, 'locked.xlsx', (sh) => (rowOf(sh, s.n1, 'V3').getCell(1).value = 999999)), 'locked_cell_edited');
    await expectRefused(await edit(s.path, 'label.xlsx', (sh) => (rowOf(sh, s.n1, 'V3').getCell(4).value = 'Autre libellé')), 'locked_cell_edited');
    await expectRefused(
      await edit(s.path, 'formula.xlsx', (sh) => (rowOf(sh, s.n1, 'V3').getCell(5).value = { formula: '1+1', result: 2 })),
      'formula',
    );
    await expectRefused(await edit(s.path, 'row.xlsx', (sh) => sh.addRow([s.n1, 'x', 'V1', 'x', 3, 'ajout'])), 'unknown_row');
    await expectRefused(
      await edit(s.path, 'base.xlsx', (_sh, wb) => {
        const base = wb.getWorksheet('_base')!;
        base.getRow(10).getCell(4).value = '0'.repeat(64);
      }),
      'base_edited',
    );
    const other = await refusal(importGridXlsx(s.corr.db, s.path, { now: at(40), importerId: null, expectedMemberId: s.camille }));
    expect(other.params?.reason).toBe('other_member');
    // A DTD in a sheet part (XXE / billion laughs) is refused by the pre-scan before exceljs runs.
    const files = await entries(readFileSync(s.path));
    for (const name of [...files.keys()]) if (name.endsWith('/')) files.delete(name);
    const sheetXml = files.get('xl/worksheets/sheet1.xml')!.toString();
    files.set('xl/worksheets/sheet1.xml', Buffer.from(sheetXml.replace('?>', '?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/hostname">]>')));
    const evil = join(s.corr.dir, 'evil.xlsx');
    writeFileSync(evil, await deterministicZip(files, { keepOrder: true }));
    expect(await refusal(importGridXlsx(s.corr.db, evil, { now: at(40), importerId: null }))).toMatchObject({
      code: 'contribution_hostile',
      params: { reason: 'xlsx_entity' },
    });
    expect(JSON.stringify(getReview(s.corr.db, s.corr.dossier(s.n1), s.yann)!.content)).toBe(before);
    expect((s.corr.db.prepare('SELECT count(*) AS n FROM contribution_imports').get() as { n: number }).n).toBe(0);
  });
});

async function load(path: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  return wb;
}
