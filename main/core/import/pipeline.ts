import type { Database } from 'better-sqlite3';
import { basename } from 'node:path';
import { AppFailure } from '../../../shared/errors';
import { assessAdmissibility, type AdmissibilityStatus } from '../admissibility';
import { campaignGrid, getCampaign } from '../store/campaigns';
import { communeRegion } from './communes';
import { requiredTargets } from './headers';
import { detectFormat, parseExportFile } from './parse';
import {
  changedFields,
  champForChecksum,
  contentOf,
  findDossier,
  findDossierId,
  insertImportedDossier,
  loadMapping,
  mergedContent,
  saveFindings,
  saveMapping,
  updateImportedDossier,
} from './store';
import type { ColumnMapping, DsDossierRecord, MappingTarget, RejectedRow } from './types';
import type { DossierContent } from './store';
import { withDeferredSearchIndex } from './search-index';
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
}

function checkAbort(signal?: AbortSignal): void {
  if (signal?.aborted) throw new AppFailure('cancelled');
}

/**
 * Imports DS exports into a campaign: every file is parsed first (nothing written), then one
 * transaction upserts dossiers by DS number (new → inserted; same content → untouched; changed →
 * version + 1 with the changed fields), stores findings, partners, avis and ZIP attachments.
 * Reviewer-written tables are never touched. Cancelling rolls everything back.
 */
export async function importFiles(db: Database, options: ImportOptions): Promise<ImportReport | NeedsMapping> {
  const campaign = getCampaign(db, options.campaignId);
  const grid = campaignGrid(db, options.campaignId);
  if (!campaign || !grid) throw new AppFailure('not_found');
  const required = requiredTargets(grid.rubrics.filter((r) => r.required).map((r) => r.key));
  const mapping: ColumnMapping = { ...loadMapping(db, options.campaignId), ...options.mapping };

  const parsed: { file: string; records: DsDossierRecord[] }[] = [];
  const zips: { file: string; attachments: Map<number, StoredAttachment[]> }[] = [];
  const rejected: RejectedRow[] = [];
  const needs: NeedsMapping['needsMapping'] = [];
  let applied: ColumnMapping = {};
  for (const [i, path] of options.files.entries()) {
    checkAbort(options.signal);
    options.onProgress?.({ phase: 'parse', done: i, total: options.files.length });
    if ((await detectFormat(path)) === 'zip') {
      zips.push({ file: basename(path), attachments: (await readDsZip(path, options.filesDir)).dossiers });
      continue;
    }
    const out = await parseExportFile(path, { required, mapping });
    if (out.kind === 'needsMapping') {
      needs.push({ file: out.file, missing: out.missing, candidates: out.candidates });
      continue;
    }
    applied = { ...applied, ...out.mapping };
    parsed.push({ file: out.parsed.file, records: out.parsed.records });
    rejected.push(...out.parsed.rejected);
  }
  if (needs.length) return { needsMapping: needs };

  const report: ImportReport = { created: 0, updated: 0, unchanged: 0, rejected, dossiers: [] };
  const now = options.now().toISOString();
  const total = parsed.reduce((n, p) => n + p.records.length, 0);
  let done = 0;
  const seen = new Map<number, ImportReport['dossiers'][number]>();
  const dryRun = options.dryRun === true;
  // Dry run: the content this import would have stored per number (null: stored without content), over the store's.
  const planned = new Map<number, DossierContent | null>();
  // New dossiers are search-indexed in bulk at the end of the transaction (see search-index.ts).
  const writeAll = () => {
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
        const existing = findDossier(db, options.campaignId, r.number);
        let dossierId = 0;
        const previous = planned.has(r.number) ? { raw: planned.get(r.number)! } : existing && { raw: existing.raw?.content ?? null };
        if (!previous) {
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
        const findings = assessAdmissibility(
          { ...r, communeRegionCode: communeRegion(r.communeInsee) },
          grid,
          { regionCode: campaign.regionCode, deadline: campaign.deadline },
        );
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
    if (dryRun) return;
    saveMapping(db, options.campaignId, applied, now);
    db.prepare('UPDATE import_runs SET report_json = ? WHERE id = ?').run(JSON.stringify(report), runId);
  };
  db.transaction(() => (dryRun ? writeAll() : withDeferredSearchIndex(db, writeAll)))();
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
