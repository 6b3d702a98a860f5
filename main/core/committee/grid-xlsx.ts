import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { AppFailure } from '../../../shared/errors';
import fr from '../../../shared/locales/fr.json';
import en from '../../../shared/locales/en.json';
import { prescanXlsx } from '../import/xlsx-prescan';
import { refusalReason } from '../import/zip/safe-zip';
import { campaignGrid } from '../store/campaigns';
import { canonicalJson } from '../review/audit';
import { getReview } from '../review/reviews';
import { requireMember } from '../review/members';
import { gridScale, selectionCriteria } from '../review/scoring';
import { campaignIdentity, recusedDossiers, type CampaignIdentity } from './contribution';
import { cellHash, cellValue } from './contribution-cells';
import { mergeIncoming, type MergeReport } from './merge';

/**
 * The scoring grid as an XLSX workbook for a member without the app (contribution-format.md §4).
 * Sheet « Grille »: one row per dossier × criterion — dossier number, project, criterion code and
 * label (locked), score (drop-down of the scale) and justification (unlocked); the sheet is
 * protected. Sheet « _base » (veryHidden): the workbook's token, the member and campaign identity,
 * and per row the cell's base revision, the hash of its base value and the hash of the row's locked
 * values. The base sheet's hash is stored with the token (`grid_xlsx_exports`), so an edited base is
 * detected; the import never trusts the workbook for anything it can check against the store.
 */
export const GRID_SHEET = 'Grille';
export const BASE_SHEET = '_base';
export const GRID_XLSX_FORMAT = 'comite-ptce-grid-xlsx';
const FIRST_ROW = 2;
const BASE_TABLE_ROW = 10;
const MAX_JUSTIFICATION = 20_000;

type Lang = 'fr' | 'en';
const LOCALES = { fr, en } as const;
const label = (lang: Lang, key: keyof typeof fr.contribution.xlsx.columns): string => LOCALES[lang].contribution.xlsx.columns[key];

interface BaseRow {
  dossier: number;
  cell: string;
  rev: number;
  hash: string;
  locked: string;
}

interface Base {
  format: string;
  version: number;
  token: string;
  memberId: number;
  memberName: string;
  campaign: CampaignIdentity;
  rows: BaseRow[];
}

const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');
const lockedHash = (values: unknown[]): string => sha256(canonicalJson(values));

/** Dossiers of the grid: those assigned to the member (all of the campaign when none is), minus recusals. */
function gridDossiers(db: Database, memberId: number, campaignId: number): { id: number; number: number; project: string }[] {
  const all = db.prepare('SELECT id, number, project_name AS project FROM dossiers WHERE campaign_id = ? ORDER BY number').all(campaignId) as {
    id: number;
    number: number;
    project: string;
  }[];
  const assigned = new Set(
    (
      db
        .prepare('SELECT a.dossier_id FROM assignments a JOIN dossiers d ON d.id = a.dossier_id WHERE a.member_id = ? AND d.campaign_id = ?')
        .all(memberId, campaignId) as { dossier_id: number }[]
    ).map((r) => r.dossier_id),
  );
  const recused = recusedDossiers(db, memberId, campaignId);
  return all.filter((d) => (assigned.size === 0 || assigned.has(d.id)) && !recused.has(d.id));
}

/** Builds the pre-filled workbook and records its token and base. */
export async function exportGridXlsx(
  db: Database,
  input: { memberId: number; campaignId: number; now: Date; language?: Lang },
): Promise<{ bytes: Buffer; token: string; rows: number }> {
  const lang = input.language ?? 'fr';
  const member = requireMember(db, input.memberId);
  const { name: _name, ...campaign } = campaignIdentity(db, input.campaignId);
  const grid = campaignGrid(db, input.campaignId);
  if (!grid) throw new AppFailure('not_found', { entity: 'campaign', id: input.campaignId });
  const criteria = (grid.selection?.sections ?? []).flatMap((s) => s.criteria.map((c) => ({ key: c.key, label: c.label[lang] ?? c.label.fr })));
  const scale = gridScale(grid);
  const revision = db.prepare(
    'SELECT c.revision FROM review_cell_revisions c JOIN reviews r ON r.id = c.review_id WHERE r.dossier_id = ? AND r.member_id = ? AND c.cell = ?',
  );
  const token = randomBytes(16).toString('hex');

  const wb = new ExcelJS.Workbook();
  wb.created = input.now;
  wb.modified = input.now;
  const sheet = wb.addWorksheet(GRID_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [
    { header: label(lang, 'dossier'), width: 12 },
    { header: label(lang, 'project'), width: 40 },
    { header: label(lang, 'criterion'), width: 10 },
    { header: label(lang, 'label'), width: 50 },
    { header: `${label(lang, 'score')} (${scale.min}–${scale.max})`, width: 12 },
    { header: label(lang, 'justification'), width: 60 },
  ];
  sheet.getRow(1).font = { bold: true };
  const levels = Array.from({ length: scale.max - scale.min + 1 }, (_, i) => scale.min + i).join(',');
  const rows: BaseRow[] = [];
  let r = FIRST_ROW;
  for (const d of gridDossiers(db, input.memberId, input.campaignId)) {
    const content = getReview(db, d.id, input.memberId)?.content;
    for (const c of criteria) {
      const cell = `scores/${c.key}`;
      const value = cellValue(content, cell) as { score: number | null; justification: string };
      const row = sheet.getRow(r);
      row.values = [d.number, d.project, c.key, c.label, value.score ?? null, value.justification];
      for (const col of [5, 6]) row.getCell(col).protection = { locked: false };
      row.getCell(6).alignment = { wrapText: true, vertical: 'top' };
      row.getCell(5).dataValidation = {
        type: 'list',
        allowBlank: true,
        formulae: [`"${levels}"`],
        showErrorMessage: true,
        errorTitle: LOCALES[lang].contribution.xlsx.badScoreTitle,
        error: LOCALES[lang].contribution.xlsx.badScoreHelp,
      };
      const rev = (revision.get(d.id, input.memberId, cell) as { revision: number } | undefined)?.revision ?? 0;
      rows.push({ dossier: d.number, cell, rev, hash: cellHash(value), locked: lockedHash([d.number, d.project, c.key, c.label]) });
      r++;
    }
  }
  await sheet.protect('', { selectLockedCells: true, selectUnlockedCells: true, formatColumns: true, formatRows: true });

  const base: Base = { format: GRID_XLSX_FORMAT, version: 1, token, memberId: member.id, memberName: member.name, campaign, rows };
  const hidden = wb.addWorksheet(BASE_SHEET, { state: 'veryHidden' });
  hidden.addRow(['format', base.format]);
  hidden.addRow(['version', base.version]);
  hidden.addRow(['token', base.token]);
  hidden.addRow(['member', base.memberId]);
  hidden.addRow(['memberName', base.memberName]);
  hidden.addRow(['campaign', canonicalJson(base.campaign)]);
  for (let i = hidden.rowCount; i < BASE_TABLE_ROW - 1; i++) hidden.addRow([]);
  hidden.getRow(BASE_TABLE_ROW - 1).values = ['dossier', 'cell', 'rev', 'hash', 'locked'];
  rows.forEach((b, i) => (hidden.getRow(BASE_TABLE_ROW + i).values = [b.dossier, b.cell, b.rev, b.hash, b.locked]));
  await hidden.protect('', {});

  db.prepare('INSERT INTO grid_xlsx_exports (token, member_id, campaign_id, base_sha256, exported_at) VALUES (?, ?, ?, ?, ?)').run(
    token,
    member.id,
    input.campaignId,
    sha256(canonicalJson(base)),
    input.now.toISOString(),
  );
  const bytes = Buffer.from(await wb.xlsx.writeBuffer());
  return { bytes, token, rows: rows.length };
}

/** Plain text of a cell value (rich text joined; hyperlinks by their text). */
function text(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && 'richText' in value) return value.richText.map((p) => p.text).join('');
  if (typeof value === 'object' && 'text' in value) return String(value.text);
  return '';
}

function isFormula(cell: ExcelJS.Cell): boolean {
  const v = cell.value as unknown;
  return cell.type === ExcelJS.ValueType.Formula || (typeof v === 'object' && v !== null && ('formula' in v || 'sharedFormula' in v));
}

export type GridXlsxReason =
  | 'not_a_grid'
  | 'unknown_export'
  | 'base_edited'
  | 'other_member'
  | 'formula'
  | 'locked_cell_edited'
  | 'bad_score'
  | 'justification_too_long'
  | 'unknown_row'
  | 'unknown_dossier';

function readBase(sheet: ExcelJS.Worksheet): Base {
  const kv = (row: number) => sheet.getRow(row).getCell(2).value;
  let campaign: CampaignIdentity;
  try {
    campaign = JSON.parse(text(kv(6))) as CampaignIdentity;
  } catch {
    throw invalid([{ reason: 'base_edited', cell: `${BASE_SHEET}!B6` }]);
  }
  const rows: BaseRow[] = [];
  for (let r = BASE_TABLE_ROW; r <= sheet.rowCount; r++) {
    const v = sheet.getRow(r);
    const dossier = v.getCell(1).value;
    if (dossier === null || dossier === undefined || dossier === '') continue;
    rows.push({ dossier: Number(dossier), cell: text(v.getCell(2).value), rev: Number(v.getCell(3).value), hash: text(v.getCell(4).value), locked: text(v.getCell(5).value) });
  }
  return { format: text(kv(1)), version: Number(kv(2)), token: text(kv(3)), memberId: Number(kv(4)), memberName: text(kv(5)), campaign, rows };
}

function invalid(errors: { reason: GridXlsxReason; cell: string }[]): AppFailure {
  return new AppFailure('grid_xlsx_invalid', { reason: errors[0]!.reason, cell: errors[0]!.cell, count: errors.length });
}

/**
 * Imports a filled grid: XLSX pre-scan (zip/XML bombs, DTDs) before exceljs, then the workbook is
 * checked as a whole (base untouched, locked cells unchanged, no formula, scores on the scale, known
 * dossiers) — any error refuses it, nothing merged — then merged with base = what was exported.
 */
export async function importGridXlsx(
  db: Database,
  path: string,
  opts: { now: Date; importerId: number | null; expectedMemberId?: number },
): Promise<MergeReport & { memberName: string }> {
  try {
    await prescanXlsx(path);
  } catch (error) {
    const reason = refusalReason(error);
    if (reason) throw new AppFailure('contribution_hostile', { reason });
    throw error;
  }
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.readFile(path);
  } catch {
    throw new AppFailure('contribution_hostile', { reason: 'corrupt' });
  }
  const sheet = wb.getWorksheet(GRID_SHEET);
  const hidden = wb.getWorksheet(BASE_SHEET);
  if (!sheet || !hidden) throw invalid([{ reason: 'not_a_grid', cell: '-' }]);
  const base = readBase(hidden);
  if (base.format !== GRID_XLSX_FORMAT || base.version !== 1) throw invalid([{ reason: 'not_a_grid', cell: `${BASE_SHEET}!B1` }]);
  const exp = db.prepare('SELECT id, member_id, campaign_id, base_sha256 FROM grid_xlsx_exports WHERE token = ?').get(base.token) as
    | { id: number; member_id: number; campaign_id: number; base_sha256: string }
    | undefined;
  if (!exp) throw invalid([{ reason: 'unknown_export', cell: `${BASE_SHEET}!B3` }]);
  if (sha256(canonicalJson(base)) !== exp.base_sha256) throw invalid([{ reason: 'base_edited', cell: BASE_SHEET }]);
  if (opts.expectedMemberId !== undefined && opts.expectedMemberId !== exp.member_id)
    throw invalid([{ reason: 'other_member', cell: `${BASE_SHEET}!B4` }]);
  const grid = campaignGrid(db, exp.campaign_id);
  if (!grid) throw new AppFailure('not_found', { entity: 'campaign', id: exp.campaign_id });
  const { name: _n, ...identity } = campaignIdentity(db, exp.campaign_id);
  if (canonicalJson(identity) !== canonicalJson(base.campaign))
    throw new AppFailure('contribution_campaign', { campaign: canonicalJson(base.campaign).slice(0, 200) });
  const scale = gridScale(grid);
  const criterionKeys = new Set(selectionCriteria(grid).map((c) => `scores/${c.key}`));
  const known = new Set(
    (db.prepare('SELECT number FROM dossiers WHERE campaign_id = ?').all(exp.campaign_id) as { number: number }[]).map((r) => r.number),
  );

  const errors: { reason: GridXlsxReason; cell: string }[] = [];
  sheet.eachRow({ includeEmpty: false }, (row) =>
    row.eachCell({ includeEmpty: false }, (cell) => {
      if (isFormula(cell)) errors.push({ reason: 'formula', cell: cell.address });
    }),
  );
  const incoming = new Map<number, { cell: string; value: unknown; baseHash: string }[]>();
  base.rows.forEach((b, i) => {
    const row = sheet.getRow(FIRST_ROW + i);
    const locked = [1, 2, 3, 4].map((c) => row.getCell(c).value);
    const lockedValues = [Number(text(locked[0] ?? null)), text(locked[1] ?? null), text(locked[2] ?? null), text(locked[3] ?? null)];
    if (lockedHash(lockedValues) !== b.locked) {
      errors.push({ reason: 'locked_cell_edited', cell: `A${row.number}:D${row.number}` });
      return;
    }
    if (!known.has(b.dossier) || !criterionKeys.has(b.cell)) {
      errors.push({ reason: 'unknown_dossier', cell: row.getCell(1).address });
      return;
    }
    const scoreCell = row.getCell(5);
    const raw = text(scoreCell.value).trim();
    let score: number | null = null;
    if (raw !== '') {
      const n = Number(raw.replace(',', '.'));
      if (!Number.isInteger(n) || n < scale.min || n > scale.max) {
        errors.push({ reason: 'bad_score', cell: scoreCell.address });
        return;
      }
      score = n;
    }
    const justification = text(row.getCell(6).value);
    if (justification.length > MAX_JUSTIFICATION) {
      errors.push({ reason: 'justification_too_long', cell: row.getCell(6).address });
      return;
    }
    const list = incoming.get(b.dossier) ?? [];
    list.push({ cell: b.cell, value: { score, justification }, baseHash: b.hash });
    incoming.set(b.dossier, list);
  });
  for (let r = FIRST_ROW + base.rows.length; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    let filled: string | undefined;
    row.eachCell({ includeEmpty: false }, (cell) => {
      if (filled === undefined && text(cell.value).trim() !== '') filled = cell.address;
    });
    if (filled) errors.push({ reason: 'unknown_row', cell: filled });
  }
  if (errors.length > 0) throw invalid(errors);

  const report = mergeIncoming(db, {
    kind: 'xlsx',
    memberId: exp.member_id,
    campaignId: exp.campaign_id,
    importerId: opts.importerId,
    now: opts.now,
    sha256: createHash('sha256').update(readFileSync(path)).digest('hex'),
    xlsxExportId: exp.id,
    dossiers: [...incoming.entries()].map(([number, cells]) => ({ number, cells })),
  });
  return { ...report, memberName: base.memberName };
}
