import type { Database } from 'better-sqlite3';
import { basename } from 'node:path';
import { AppFailure } from '../../../shared/errors';
import { assessAdmissibility, type AdmissibilityFindings, type AdmissibilityStatus } from '../admissibility';
import { campaignGrid, getCampaign } from '../store/campaigns';
import { syncDossierText } from '../store/dossier-text';
import { cached } from '../db/statements';
import { communeRegion } from './communes';
import { requiredTargets } from './headers';
import { detectFormat, parseExportFile, xlsxOutcome, type ParseOutcome, type PrebuiltRecords } from './parse';
import {
  changedFields,
  champForChecksum,
  contentOf,
  findDossier,
  findDossierId,
  completeImportedDossier,
  insertImportedDossier,
  insertImportedDossierRow,
  loadMapping,
  mergedContent,
  saveFindings,
  saveMapping,
  storedSourceJson,
  updateImportedDossier,
} from './store';
import type { ColumnMapping, DsDossierRecord, MappingTarget, RejectedRow } from './types';
import type { DossierContent } from './store';
import { buildFromRow } from './record';
import { headerKeys, resolveMapping } from './headers';
import { prescanXlsx } from './xlsx-prescan';
import { isDossiersSheet } from './xlsx';
import { readXlsxInWorker } from './xlsx-read-worker';
import { readDsZip, type StoredAttachment } from './zip/ds-zip';

export interface ImportReport {
  created: number;
  updated: number;
  unchanged: number;
  rejected: RejectedRow[];
  dossiers: { number: number; region: string; complete: boolean; onTime: boolean; status: AdmissibilityStatus; flags: string[] }[];
}

export interface NeedsMapping {
  needsMapping: { file: string; missing: MappingTarget[]; candidates: string[] }[];
}

export interface ImportOptions {
  campaignId: number;
  files: string[];
  mapping?: ColumnMapping;
  filesDir: string;
  now: () => Date;
  onProgress?: (p: { phase: 'parse' | 'write'; done: number; total: number }) => void;
  signal?: AbortSignal;
  /**
   * Preview: the same report, computed without writing a row (no insert, no version, no findings, no
   * search indexing): each record is compared with the store, or with what this import would already have
   * written for its number. ZIP files are still read and checked as a whole.
   */
  dryRun?: boolean;
  /**
   * Leaves the search indexing of what this import wrote to after its commit: the caller runs
   * `syncDossierText` then (the import job does, right after reporting done). Until it has, the dossiers are
   * noted in `dossier_text_pending` with the import, and a search indexes them first (migration 12): results
   * never miss one. Default: indexed inside the import's transaction.
   */
  deferIndex?: boolean;
}

function checkAbort(signal?: AbortSignal): void {
  if (signal?.aborted) throw new AppFailure('cancelled');
}

/**
 * Imports DS exports into a campaign: every file is parsed first, then one transaction upserts
 * dossiers by DS number (new → inserted; same content → untouched; changed → version + 1 with the
 * changed fields), stores findings, partners, avis and ZIP attachments. Reviewer-written tables are
 * never touched. Cancelling, or any file refused, rolls everything back: nothing is written.
 *
 * The first import into a campaign opens its transaction before the parsing: an XLSX file is read in a
 * worker thread while this one writes the row and rubrics of each new dossier as its row arrives
 * (EarlyWriter); the rest (version, partners, avis) follows once the file is read.
 */
export async function importFiles(db: Database, options: ImportOptions): Promise<ImportReport | NeedsMapping> {
  const campaign = getCampaign(db, options.campaignId);
  const grid = campaignGrid(db, options.campaignId);
  if (!campaign || !grid) throw new AppFailure('not_found');
  const required = requiredTargets(grid.rubrics.filter((r) => r.required).map((r) => r.key));
  const mapping: ColumnMapping = { ...loadMapping(db, options.campaignId), ...options.mapping };
  const dryRun = options.dryRun === true;
  const now = options.now().toISOString();
  if (dryRun) {
    const input = await parseFiles(db, options, required, mapping, null);
    if (input.needs.length) return { needsMapping: input.needs };
    return db.transaction(() => writeParsed(db, options, campaign, grid, input, now, null))();
  }
  // The first import into a campaign creates every dossier: its XLSX files are read in a worker while this
  // thread writes. Later imports mostly compare with stored dossiers, which needs whole records: they parse
  // first, in this thread, and hold the write lock only to write.
  const pipelined = findAnyDossierId(db, options.campaignId) === undefined;
  const open: { tx?: Transaction } = {};
  try {
    if (pipelined) open.tx = openTransaction(db);
    const early = pipelined
      ? new EarlyWriter(db, options.campaignId, required, mapping, now, grid, campaign, options.signal, options.deferIndex === true)
      : null;
    const input = await parseFiles(db, options, required, mapping, early);
    if (input.needs.length) {
      open.tx?.rollback();
      return { needsMapping: input.needs };
    }
    open.tx ??= openTransaction(db);
    const report = writeParsed(db, options, campaign, grid, input, now, early);
    // The dossiers this import wrote are search-indexed once each, before the commit (migration 12), or by the
    // caller after it (deferIndex).
    if (!options.deferIndex) syncDossierText(db);
    open.tx.commit();
    return report;
  } catch (error) {
    open.tx?.rollback();
    throw error;
  }
}

function findAnyDossierId(db: Database, campaignId: number): number | undefined {
  return cached(db, 'SELECT id FROM dossiers WHERE campaign_id = ? LIMIT 1').pluck().get(campaignId) as number | undefined;
}

interface Transaction {
  commit(): void;
  rollback(): void;
}

/** BEGIN IMMEDIATE … COMMIT, or a savepoint inside a caller's transaction; kept open across awaits. */
function openTransaction(db: Database): Transaction {
  const nested = db.inTransaction;
  db.exec(nested ? 'SAVEPOINT import_files' : 'BEGIN IMMEDIATE');
  let open = true;
  return {
    commit() {
      open = false;
      db.exec(nested ? 'RELEASE import_files' : 'COMMIT');
    },
    rollback() {
      if (!open) return;
      open = false;
      if (nested) db.exec('ROLLBACK TO import_files; RELEASE import_files');
      else if (db.inTransaction) db.exec('ROLLBACK');
    },
  };
}

interface ParsedInput {
  parsed: { file: string; records: DsDossierRecord[] }[];
  zips: { file: string; attachments: Map<number, StoredAttachment[]> }[];
  rejected: RejectedRow[];
  needs: NeedsMapping['needsMapping'];
  applied: ColumnMapping;
}

async function parseFiles(
  db: Database,
  options: ImportOptions,
  required: MappingTarget[],
  mapping: ColumnMapping,
  early: EarlyWriter | null,
): Promise<ParsedInput> {
  const input: ParsedInput = { parsed: [], zips: [], rejected: [], needs: [], applied: {} };
  for (const [i, path] of options.files.entries()) {
    checkAbort(options.signal);
    options.onProgress?.({ phase: 'parse', done: i, total: options.files.length });
    const format = await detectFormat(path);
    if (format === 'zip') {
      input.zips.push({ file: basename(path), attachments: (await readDsZip(path, options.filesDir)).dossiers });
      continue;
    }
    let out: ParseOutcome;
    if (format === 'xlsx' && early) {
      await prescanXlsx(path);
      const file = basename(path);
      const reading = early.forXlsx(file);
      const content = await readXlsxInWorker(path, reading.onRow, options.signal, () => early.indexWritten());
      out = xlsxOutcome(file, content, { required, mapping }, reading.prebuilt);
    } else out = await parseExportFile(path, { required, mapping });
    if (out.kind === 'needsMapping') {
      input.needs.push({ file: out.file, missing: out.missing, candidates: out.candidates });
      continue;
    }
    input.applied = { ...input.applied, ...out.mapping };
    input.parsed.push({ file: out.parsed.file, records: out.parsed.records });
    input.rejected.push(...out.parsed.rejected);
    early?.claim(out.parsed.records);
  }
  return input;
}

/**
 * Writes, inside the import's transaction and while an XLSX file is still being read, the row and
 * rubrics of each dossier the import will create — its number neither in the store nor in an earlier
 * file — from the Dossiers sheet's row as it arrives. writeParsed then completes exactly those
 * (completeImportedDossier) instead of inserting them: the same rows, the same records.
 */
/**
 * Dossiers search-indexed together while a workbook is read: each indexing statement leaves FTS5 a new
 * segment to merge, so not after every batch of rows (measured on 5 000 dossiers: 64 → +20 % FTS time, 512 → +5 %).
 */
const INDEX_BATCH = 512;

interface EarlyDossier {
  id: number;
  findings: AdmissibilityFindings;
  sourceJson: string;
}

class EarlyWriter {
  /** Numbers of the files parsed so far: their dossiers are written in file order, by writeParsed. */
  private readonly claimed = new Set<number>();
  /** number → id (and admissibility, computed meanwhile) of the dossiers written early and not yet completed. */
  readonly pending = new Map<number, EarlyDossier>();

  constructor(
    private readonly db: Database,
    private readonly campaignId: number,
    private readonly required: MappingTarget[],
    private readonly mapping: ColumnMapping,
    private readonly now: string,
    private readonly grid: CampaignGrid,
    private readonly campaign: Campaign,
    private readonly signal?: AbortSignal,
    private readonly deferIndex = false,
  ) {}

  claim(records: DsDossierRecord[]): void {
    for (const r of records) this.claimed.add(r.number);
  }

  /**
   * After each batch of rows: the dossiers written early are final (rows and rubrics), so they are
   * search-indexed now, while the worker reads on; later changes are noted again by the triggers (migration 12).
   */
  indexWritten(): void {
    if (this.deferIndex || this.unindexed < INDEX_BATCH) return;
    syncDossierText(this.db);
    this.unindexed = 0;
  }

  private unindexed = 0;

  /** The row hook of one XLSX file (readXlsxInWorker), and the records it built (for xlsxOutcome). */
  forXlsx(file: string): { onRow: (sheet: string, index: number, cells: string[]) => void; prebuilt: PrebuiltRecords } {
    let state: 'waiting' | 'writing' | 'done' = 'waiting';
    let headers: string[] = [];
    let keys: string[] = [];
    let columns: Partial<Record<MappingTarget, number>> = {};
    let dossiersSheet = '';
    const seen = new Set<number>();
    const built: (DsDossierRecord | { reason: string })[] = [];
    const prebuilt: PrebuiltRecords = {
      get columns() {
        return columns;
      },
      get: (i) => built[i],
    };
    const onRow = (sheet: string, index: number, cells: string[]) => {
      if (state === 'done') return;
      if (state === 'waiting') {
        if (!isDossiersSheet(sheet)) return;
        // The header row must be the sheet's first (as XlsxAssembler reads it) and map every required column.
        const resolved = index === 0 ? resolveMapping(cells.map((h) => h.trim()), this.required, this.mapping) : null;
        if (!resolved || resolved.missing.length) {
          state = 'done';
          return;
        }
        headers = cells.map((h) => h.trim());
        keys = headerKeys(headers);
        columns = resolved.columns;
        dossiersSheet = sheet;
        state = 'writing';
        return;
      }
      if (sheet !== dossiersSheet) {
        state = 'done';
        return;
      }
      // As recordsFromTable: blank rows, rows that are no dossier and repeated numbers are left to it.
      if (cells.every((c) => c.trim() === '')) return;
      // The record recordsFromTable would build from this row (body row index - 1), kept for it.
      const record = buildFromRow('xlsx', headers, keys, cells, columns);
      built[index - 1] = record;
      if ('reason' in record || seen.has(record.number)) return;
      seen.add(record.number);
      if (this.claimed.has(record.number) || findDossierId(this.db, this.campaignId, record.number) !== undefined) return;
      checkAbort(this.signal);
      const id = insertImportedDossierRow(this.db, this.campaignId, record, file, this.now);
      this.unindexed++;
      // Admissibility and the source part of the version need only the row (not the partners or avis of the
      // later sheets): made now too.
      this.pending.set(record.number, {
        id,
        findings: findingsOf(record, this.grid, this.campaign),
        sourceJson: storedSourceJson(record.raw, record.rubrics),
      });
    };
    return { onRow, prebuilt };
  }

  /** The dossier written early for this number (once: it is then complete). */
  take(number: number): EarlyDossier | undefined {
    const id = this.pending.get(number);
    if (id !== undefined) this.pending.delete(number);
    return id;
  }
}

type Campaign = NonNullable<ReturnType<typeof getCampaign>>;
type CampaignGrid = NonNullable<ReturnType<typeof campaignGrid>>;

function findingsOf(r: DsDossierRecord, grid: CampaignGrid, campaign: Campaign): AdmissibilityFindings {
  return assessAdmissibility({ ...r, communeRegionCode: communeRegion(r.communeInsee) }, grid, {
    regionCode: campaign.regionCode,
    deadline: campaign.deadline,
  });
}

function writeParsed(
  db: Database,
  options: ImportOptions,
  campaign: Campaign,
  grid: CampaignGrid,
  input: ParsedInput,
  now: string,
  early: EarlyWriter | null,
): ImportReport {
  const { parsed, zips, rejected, applied } = input;
  const report: ImportReport = { created: 0, updated: 0, unchanged: 0, rejected, dossiers: [] };
  const total = parsed.reduce((n, p) => n + p.records.length, 0);
  let done = 0;
  const seen = new Map<number, ImportReport['dossiers'][number]>();
  const dryRun = options.dryRun === true;
  // Dry run: the content this import would have stored per number (null: stored without content), over the store's.
  const planned = new Map<number, DossierContent | null>();
  const runId = dryRun
    ? 0
    : Number(
        db
          .prepare('INSERT INTO import_runs (campaign_id, started_at, files_json, report_json) VALUES (?, ?, ?, ?)')
          .run(options.campaignId, now, JSON.stringify(options.files.map((f) => basename(f))), '{}').lastInsertRowid,
      );
  for (const { file, records } of parsed) {
    for (const r of records) {
      checkAbort(options.signal);
      options.onProgress?.({ phase: 'write', done: done++, total });
      const written = early?.take(r.number);
      const existing = written === undefined ? findDossier(db, options.campaignId, r.number) : undefined;
      let dossierId = 0;
      const previous = planned.has(r.number) ? { raw: planned.get(r.number)! } : existing && { raw: existing.raw?.content ?? null };
      if (written !== undefined) {
        completeImportedDossier(db, written.id, r, now, written.sourceJson);
        dossierId = written.id;
        report.created++;
      } else if (!previous) {
        if (dryRun) planned.set(r.number, contentOf(r));
        else dossierId = insertImportedDossier(db, options.campaignId, r, file, now);
        report.created++;
      } else {
        const content = mergedContent(contentOf(r), previous.raw);
        const changed = previous.raw ? changedFields(previous.raw, content) : ['raw'];
        if (changed.length === 0) report.unchanged++;
        else {
          if (dryRun) planned.set(r.number, content);
          else updateImportedDossier(db, existing!, r, content, changed, file, now, runId);
          report.updated++;
        }
        if (existing) dossierId = existing.id;
      }
      const findings = written?.findings ?? findingsOf(r, grid, campaign);
      if (!dryRun) saveFindings(db, dossierId, findings, now);
      const entry = seen.get(r.number);
      if (!entry) {
        const added = {
          number: r.number,
          region: r.regionCode,
          complete: findings.complete,
          onTime: findings.onTime,
          status: findings.status,
          flags: findings.flags,
        };
        seen.set(r.number, added);
        report.dossiers.push(added);
      } else {
        Object.assign(entry, { region: r.regionCode, complete: findings.complete, onTime: findings.onTime, status: findings.status, flags: findings.flags });
      }
    }
  }
  for (const zip of zips) {
    attachZip(db, options.campaignId, zip.file, zip.attachments, rejected, options.signal, dryRun ? planned : null);
  }
  if (dryRun) return report;
  // Every dossier written early was completed above.
  if (early?.pending.size) throw new AppFailure('internal', { detail: 'import_early_rows' });
  saveMapping(db, options.campaignId, applied, now);
  db.prepare('UPDATE import_runs SET report_json = ? WHERE id = ?').run(JSON.stringify(report), runId);
  return report;
}

function attachZip(
  db: Database,
  campaignId: number,
  file: string,
  attachments: Map<number, StoredAttachment[]>,
  rejected: RejectedRow[],
  signal?: AbortSignal,
  /** Dry run: the numbers this import would have created (nothing is inserted). */
  planned: Map<number, unknown> | null = null,
): void {
  const insert = db.prepare(
    `INSERT INTO attachments (dossier_id, sha256, filename, size, media_type, kind, champ_label) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (dossier_id, sha256, filename) DO NOTHING`,
  );
  for (const [number, list] of attachments) {
    checkAbort(signal);
    const dossierId = findDossierId(db, campaignId, number);
    if (dossierId === undefined && !planned?.has(number)) {
      rejected.push({ file, reason: `zip_unknown_dossier:${number}` });
      continue;
    }
    if (planned || dossierId === undefined) continue;
    for (const a of list) {
      // A file the API declared (JSON import) is linked to its champ by MD5; otherwise it stays a « pièce justificative ».
      const champ = a.kind === 'piece_justificative' ? champForChecksum(db, dossierId, a.md5Base64) : undefined;
      insert.run(dossierId, a.sha256, a.filename, a.size, a.mediaType, a.kind, champ ?? null);
    }
  }
}
