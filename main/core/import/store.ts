import type { Database } from 'better-sqlite3';
import { RUBRIC_KEYS, RUBRIC_LABELS_FR } from '../../../shared/domain/rubrics';
import type { AdmissibilityFindings } from '../admissibility';
import { cached } from '../db/statements';
import { insertDossierRow, insertFirstVersion } from '../store/dossiers';
import { esusValue } from './record';
import type { ColumnMapping, DsDossierRecord } from './types';

/** The part of a record compared between imports: a change here makes a new dossier version. */
export interface DossierContent {
  identification: DsDossierRecord['identification'];
  rubrics: DsDossierRecord['rubrics'];
  depositedAt: string | null;
  partners: DsDossierRecord['partners'];
  avis: DsDossierRecord['avis'];
  files: DsDossierRecord['files'];
}

export function contentOf(r: DsDossierRecord): DossierContent {
  const identification = { ...r.identification };
  delete identification.depositedAt; // compared as an instant below (formats write it differently)
  if (identification.esus !== undefined) identification.esus = r.esus; // « Non » (XLSX) = false (API)
  return { identification, rubrics: r.rubrics, depositedAt: r.depositedAt, partners: r.partners, avis: r.avis, files: r.files };
}

/** What a dossier row stores as raw_json: the source row and the normalised content. */
export interface StoredRaw {
  format: string;
  content: DossierContent;
  source: unknown;
}

export interface ExistingDossier {
  id: number;
  version: number;
  raw: StoredRaw | null;
}

export function findDossier(db: Database, campaignId: number, number: number): ExistingDossier | undefined {
  // The raw row lives in dossier_versions at the current version; rows written before migration 9 also kept a copy on dossiers.
  const row = cached(
    db,
    `SELECT d.id, d.version, coalesce(v.raw_json, d.raw_json) AS raw_json FROM dossiers d
       LEFT JOIN dossier_versions v ON v.dossier_id = d.id AND v.version = d.version
     WHERE d.campaign_id = ? AND d.number = ?`,
  ).get(campaignId, number) as { id: number; version: number; raw_json: string } | undefined;
  if (!row) return undefined;
  const parsed = readStoredRaw(row.raw_json, () => currentRubrics(db, row.id));
  return { id: row.id, version: row.version, raw: parsed };
}

/** A dossier's rubric texts as dossier_rubrics holds them (the current version's). */
function currentRubrics(db: Database, dossierId: number): Record<string, string> {
  const rows = cached(db, 'SELECT rubric_key, content FROM dossier_rubrics WHERE dossier_id = ?').all(dossierId) as {
    rubric_key: string;
    content: string;
  }[];
  return Object.fromEntries(rows.map((r) => [r.rubric_key, r.content]));
}

/** The id of a campaign's dossier by DS number (no raw row read). */
export function findDossierId(db: Database, campaignId: number, number: number): number | undefined {
  const row = cached(db, 'SELECT id FROM dossiers WHERE campaign_id = ? AND number = ?').get(campaignId, number) as
    | { id: number }
    | undefined;
  return row?.id;
}

/** Content to compare with: what the new file cannot carry (partners from a CSV…) is taken from the stored one. */
export function mergedContent(next: DossierContent, previous: DossierContent | null): DossierContent {
  if (!previous) return next;
  return {
    ...next,
    // A column the new format does not have (SIRET is not in the XLSX Dossiers sheet…) keeps its stored value.
    identification: { ...previous.identification, ...next.identification },
    rubrics: { ...previous.rubrics, ...next.rubrics },
    partners: next.partners ?? previous.partners,
    avis: next.avis ?? previous.avis,
    files: next.files ?? previous.files,
  };
}

/** The names of the fields that differ between two contents. */
export function changedFields(a: DossierContent, b: DossierContent): string[] {
  const out: string[] = [];
  const keys = new Set([...Object.keys(a.identification), ...Object.keys(b.identification)]);
  for (const k of keys) {
    const ka = k as keyof DossierContent['identification'];
    if ((a.identification[ka] ?? '') !== (b.identification[ka] ?? '')) out.push(k);
  }
  for (const k of RUBRIC_KEYS) if ((a.rubrics[k] ?? '') !== (b.rubrics[k] ?? '')) out.push(`rubric:${k}`);
  if (a.depositedAt !== b.depositedAt) out.push('depositedAt');
  for (const k of ['partners', 'avis', 'files'] as const) if (comparable(a, k) !== comparable(b, k)) out.push(k);
  return out;
}

/**
 * The format-independent part of partners, avis and files: XLSX and the API spell the same row
 * differently (extra columns, « Non » vs false, avis times written as `updated_at`).
 */
function comparable(c: DossierContent, key: 'partners' | 'avis' | 'files'): string {
  if (key === 'partners') return JSON.stringify(c.partners?.map((p) => [p.name, p.siret, p.kind, p.role]) ?? null);
  if (key === 'avis') {
    return JSON.stringify(
      c.avis?.map((a) => [a.introduction, a.answer, a.question, esusValue(a.questionAnswer), a.claimant, a.expert]) ?? null,
    );
  }
  return JSON.stringify(c.files?.map((f) => [f.champLabel, f.filename, f.checksum, f.size]) ?? null);
}

function columnsOf(r: DsDossierRecord) {
  const id = r.identification;
  return {
    projectName: id.projectName ?? '',
    structureName: id.structureName ?? '',
    structureAddress: id.structureAddress ?? '',
    legalForm: r.legalForm,
    esus: r.esus,
    siret: id.siret ?? '',
    contactName: id.contactName ?? '',
    contactFunction: id.contactFunction ?? '',
    contactEmail: id.contactEmail ?? '',
    contactPhone: id.contactPhone ?? '',
    regionCode: r.regionCode,
    commune: r.commune,
    communeInsee: r.communeInsee,
    fragileTerritories: r.fragileTerritories.join(', '),
    depositedAt: r.depositedAt,
    dsState: r.dsState,
  };
}

export function storedRaw(r: DsDossierRecord, content: DossierContent): StoredRaw {
  return { format: r.format, content, source: r.raw };
}

/**
 * The stored JSON of a version: the normalised content and the source row, each text once.
 * - A source cell holding exactly a rubric's text (CSV/XLSX) is written as a reference to
 *   `content.rubrics` (`sourceRubrics`: cell key → rubric key).
 * - The current version (`rubricsInTable`) does not repeat the rubric texts at all: they are the rows of
 *   `dossier_rubrics`, and `rubricsInTable` lists the keys the content had. Before a new version
 *   replaces those rows, the previous version is written again with its texts inline (updateImportedDossier).
 * `readStoredRaw` puts everything back.
 */
export function storedRawJson(r: DsDossierRecord, content: DossierContent, rubricsInTable = false, sourceJson?: string): string {
  return serializeStoredRaw(storedRaw(r, content), rubricsInTable, sourceJson);
}

function serializeStoredRaw(raw: StoredRaw, rubricsInTable: boolean, sourceJson?: string): string {
  const { content } = raw;
  const head: Record<string, unknown> = { format: raw.format, content };
  if (rubricsInTable) {
    head.content = { ...content, rubrics: {} };
    head.rubricsInTable = Object.keys(content.rubrics);
  }
  // `{…head, …source}` as one object: the members of the source part follow the head's.
  return `${JSON.stringify(head).slice(0, -1)},${(sourceJson ?? storedSourceJson(raw.source, content.rubrics)).slice(1)}`;
}

/**
 * The source part of a version's JSON — `{"source": …, "sourceRubrics": …}` — the costly part, which
 * depends only on the source row and the rubric texts (an XLSX import prepares it while still reading).
 */
export function storedSourceJson(source: unknown, rubricTexts: DossierContent['rubrics']): string {
  if (!isFlatRow(source)) return JSON.stringify({ source });
  // Rubric texts are the source cells' own strings: `===` on them is a length check or a pointer compare (a Map
  // keyed by text would hash every 15 KB text).
  const rubrics = Object.entries(rubricTexts).filter((entry): entry is [string, string] => !!entry[1]);
  const packed: Record<string, string> = {};
  const sourceRubrics: Record<string, string> = {};
  for (const key in source) {
    const value = source[key]!;
    const rubric = value ? rubrics.find(([, text]) => text === value)?.[0] : undefined;
    if (rubric !== undefined) {
      sourceRubrics[key] = rubric;
      packed[key] = '';
    } else packed[key] = value;
  }
  return JSON.stringify({ source: packed, sourceRubrics });
}

function isFlatRow(value: unknown): value is Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  // A loop, not Object.values(…).every: no array of ~70 cells per dossier.
  for (const key in value) if (typeof (value as Record<string, unknown>)[key] !== 'string') return false;
  return true;
}

/**
 * Parses a stored version (any form of `storedRawJson`, or an older `{}`); null when it has no content.
 * `tableRubrics` gives the texts of a current version stored with `rubricsInTable`.
 */
export function readStoredRaw(json: string, tableRubrics?: () => Record<string, string>): StoredRaw | null {
  const parsed = JSON.parse(json) as Partial<StoredRaw> & { sourceRubrics?: Record<string, string>; rubricsInTable?: string[] };
  if (!parsed || !parsed.content) return null;
  const { sourceRubrics, rubricsInTable, ...raw } = parsed;
  if (rubricsInTable) {
    if (!tableRubrics) throw new Error('readStoredRaw: this version keeps its rubric texts in dossier_rubrics');
    const texts = tableRubrics();
    parsed.content.rubrics = Object.fromEntries(rubricsInTable.map((key) => [key, texts[key] ?? '']));
  }
  if (sourceRubrics && isFlatRow(raw.source)) {
    const rubrics = parsed.content.rubrics as Record<string, string | undefined>;
    for (const [cell, key] of Object.entries(sourceRubrics)) raw.source[cell] = rubrics[key] ?? '';
  }
  return raw as StoredRaw;
}

export function insertImportedDossier(
  db: Database,
  campaignId: number,
  r: DsDossierRecord,
  source: string,
  importedAt: string,
): number {
  const id = insertImportedDossierRow(db, campaignId, r, source, importedAt);
  completeImportedDossier(db, id, r, importedAt);
  return id;
}

/**
 * The first half of insertImportedDossier: the dossier row and its rubrics, which need only the row
 * itself (an XLSX import writes them while the later sheets — partners, avis — are still being read).
 */
export function insertImportedDossierRow(db: Database, campaignId: number, r: DsDossierRecord, source: string, importedAt: string): number {
  return insertDossierRow(db, { campaignId, number: r.number, ...columnsOf(r), source, importedAt, rubrics: r.rubrics });
}

/**
 * The second half: version 1 (the stored raw row) and the partners, avis and declared files.
 * `sourceJson`: storedSourceJson(r.raw, r.rubrics), when already made.
 */
export function completeImportedDossier(db: Database, dossierId: number, r: DsDossierRecord, importedAt: string, sourceJson?: string): void {
  const content = contentOf(r);
  insertFirstVersion(db, dossierId, storedRawJson(r, content, true, sourceJson), importedAt);
  writeChildren(db, dossierId, content);
}

/** A new version of an existing dossier: columns, rubrics, version history, changed fields. Reviews are never touched. */
export function updateImportedDossier(
  db: Database,
  existing: ExistingDossier,
  r: DsDossierRecord,
  content: DossierContent,
  changed: string[],
  source: string,
  importedAt: string,
  importRunId: number | null,
): number {
  const version = existing.version + 1;
  const c = columnsOf({ ...r, identification: content.identification, rubrics: content.rubrics });
  const rawJson = storedRawJson(r, content, true);
  // The previous version stops being the current one: it gets its rubric texts inline before dossier_rubrics changes.
  if (existing.raw) {
    cached(db, 'UPDATE dossier_versions SET raw_json = ? WHERE dossier_id = ? AND version = ?').run(
      serializeStoredRaw(existing.raw, false), existing.id, existing.version,
    );
  }
  cached(
    db,
    `UPDATE dossiers SET version = ?, project_name = ?, structure_name = ?, structure_address = ?, legal_form = ?, esus = ?,
       siret = ?, contact_name = ?, contact_function = ?, contact_email = ?, contact_phone = ?, region_code = ?, commune = ?,
       commune_insee = ?, fragile_territories = ?, deposited_at = ?, ds_state = ?, source = ?, raw_json = '{}', imported_at = ?
     WHERE id = ?`,
  ).run(
    version, c.projectName, c.structureName, c.structureAddress, c.legalForm, c.esus, c.siret, c.contactName,
    c.contactFunction, c.contactEmail, c.contactPhone, c.regionCode, c.commune, c.communeInsee, c.fragileTerritories,
    c.depositedAt, c.dsState, source, importedAt, existing.id,
  );
  cached(db, 'INSERT INTO dossier_versions (dossier_id, version, raw_json, imported_at) VALUES (?, ?, ?, ?)').run(
    existing.id, version, rawJson, importedAt,
  );
  cached(db, 'INSERT INTO dossier_version_changes (dossier_id, version, import_run_id, fields_json) VALUES (?, ?, ?, ?)').run(
    existing.id, version, importRunId, JSON.stringify(changed),
  );
  const upsertRubric = cached(
    db,
    `INSERT INTO dossier_rubrics (dossier_id, rubric_key, label, position, content) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (dossier_id, rubric_key) DO UPDATE SET content = excluded.content`,
  );
  RUBRIC_KEYS.forEach((key, position) => {
    if (r.rubrics[key] !== undefined) upsertRubric.run(existing.id, key, RUBRIC_LABELS_FR[key], position, r.rubrics[key]);
  });
  writeChildren(db, existing.id, content);
  return version;
}

function writeChildren(db: Database, dossierId: number, content: DossierContent): void {
  if (content.partners) {
    cached(db, 'DELETE FROM dossier_partners WHERE dossier_id = ?').run(dossierId);
    const ins = cached(
      db,
      'INSERT INTO dossier_partners (dossier_id, position, name, siret, kind, role, fields_json) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    content.partners.forEach((p, i) => ins.run(dossierId, i, p.name, p.siret, p.kind, p.role, JSON.stringify(p.fields)));
  }
  if (content.avis) {
    cached(db, 'DELETE FROM dossier_avis WHERE dossier_id = ?').run(dossierId);
    const ins = cached(
      db,
      `INSERT INTO dossier_avis (dossier_id, position, introduction, answer, question, question_answer, asked_at, answered_at,
         claimant, expert) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    content.avis.forEach((a, i) =>
      ins.run(dossierId, i, a.introduction, a.answer, a.question, a.questionAnswer, a.askedAt, a.answeredAt, a.claimant, a.expert),
    );
  }
  if (content.files) {
    cached(db, 'DELETE FROM dossier_declared_files WHERE dossier_id = ?').run(dossierId);
    const ins = cached(
      db,
      `INSERT INTO dossier_declared_files (dossier_id, position, champ_label, filename, md5_base64, size, content_type)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    content.files.forEach((f, i) => ins.run(dossierId, i, f.champLabel, f.filename, f.checksum, f.size, f.contentType));
  }
}

export function saveFindings(db: Database, dossierId: number, f: AdmissibilityFindings, assessedAt: string): void {
  cached(
      db,
    `INSERT INTO dossier_findings (dossier_id, complete, on_time, status, flags_json, assessed_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (dossier_id) DO UPDATE SET complete = excluded.complete, on_time = excluded.on_time, status = excluded.status,
       flags_json = excluded.flags_json, assessed_at = excluded.assessed_at`,
  ).run(dossierId, f.complete ? 1 : 0, f.onTime ? 1 : 0, f.status, JSON.stringify(f.flags), assessedAt);
}

export function loadMapping(db: Database, campaignId: number): ColumnMapping {
  const rows = cached(db, 'SELECT target, header FROM column_mappings WHERE campaign_id = ?').all(campaignId) as {
    target: string;
    header: string;
  }[];
  return Object.fromEntries(rows.map((r) => [r.target, r.header])) as ColumnMapping;
}

export function saveMapping(db: Database, campaignId: number, mapping: ColumnMapping, at: string): void {
  const up = cached(
      db,
    `INSERT INTO column_mappings (campaign_id, target, header, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (campaign_id, target) DO UPDATE SET header = excluded.header, updated_at = excluded.updated_at`,
  );
  for (const [target, header] of Object.entries(mapping)) if (header) up.run(campaignId, target, header, at);
}

/** Which declared champ a ZIP attachment belongs to, by its base64 MD5 (API `checksum`). */
export function champForChecksum(db: Database, dossierId: number, md5Base64: string): string | undefined {
  return (
    cached(db, 'SELECT champ_label FROM dossier_declared_files WHERE dossier_id = ? AND md5_base64 = ? ORDER BY position LIMIT 1')
      .get(dossierId, md5Base64) as { champ_label: string } | undefined
  )?.champ_label;
}
