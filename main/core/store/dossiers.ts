import type { Database } from 'better-sqlite3';
import type { DossierDetail, DossierSummary } from '../../../shared/domain/types';
import { RUBRIC_KEYS, RUBRIC_LABELS_FR, textLength } from '../../../shared/domain/rubrics';
import { rubricLimitChars, type Grid } from '../grid';
import { cached } from '../db/statements';

interface DossierRow {
  id: number;
  campaign_id: number;
  number: number;
  version: number;
  project_name: string;
  structure_name: string;
  legal_form: string;
  region_code: string;
  commune: string;
  deposited_at: string | null;
  ds_state: string;
  contact_function: string;
  fragile_territories: string;
  rubric_count: number;
  attachment_count: number;
}

const SELECT = `
  SELECT d.id, d.campaign_id, d.number, d.version, d.project_name, d.structure_name, d.legal_form,
         d.region_code, d.commune, d.deposited_at, d.ds_state, d.contact_function, d.fragile_territories,
         (SELECT count(*) FROM dossier_rubrics r WHERE r.dossier_id = d.id AND trim(r.content) <> '') AS rubric_count,
         (SELECT count(*) FROM attachments a WHERE a.dossier_id = d.id) AS attachment_count
  FROM dossiers d`;

function toSummary(row: DossierRow): DossierSummary {
  return {
    id: row.id,
    number: row.number,
    projectName: row.project_name,
    structureName: row.structure_name,
    legalForm: row.legal_form,
    regionCode: row.region_code,
    commune: row.commune,
    depositedAt: row.deposited_at ?? '',
    dsState: row.ds_state,
    rubricCount: row.rubric_count,
    attachmentCount: row.attachment_count,
  };
}

export function listDossiers(db: Database, campaignId: number): DossierSummary[] {
  const rows = db
    .prepare(`${SELECT} WHERE d.campaign_id = ? ORDER BY d.deposited_at, d.number`)
    .all(campaignId) as DossierRow[];
  return rows.map(toSummary);
}

export function getDossier(db: Database, campaignId: number, number: number, grid: Grid): DossierDetail | undefined {
  const row = db.prepare(`${SELECT} WHERE d.campaign_id = ? AND d.number = ?`).get(campaignId, number) as
    | DossierRow
    | undefined;
  if (!row) return undefined;
  const rubrics = db
    .prepare('SELECT rubric_key, label, position, content FROM dossier_rubrics WHERE dossier_id = ? ORDER BY position')
    .all(row.id) as { rubric_key: string; label: string; position: number; content: string }[];
  const attachments = db
    .prepare('SELECT id, filename, size, sha256, media_type, kind FROM attachments WHERE dossier_id = ? ORDER BY filename, id')
    .all(row.id) as { id: number; filename: string; size: number; sha256: string; media_type: string; kind: string }[];
  return {
    ...toSummary(row),
    campaignId: row.campaign_id,
    version: row.version,
    contactFunction: row.contact_function,
    fragileTerritories: row.fragile_territories,
    rubrics: rubrics.map((r) => ({
      key: r.rubric_key,
      label: r.label,
      position: r.position,
      content: r.content,
      length: textLength(r.content),
      limitChars: rubricLimitChars(grid, r.rubric_key),
      required: grid.rubrics.find((g) => g.key === r.rubric_key)?.required ?? false,
    })),
    attachments: attachments.map((a) => ({
      id: a.id,
      filename: a.filename,
      size: a.size,
      sha256: a.sha256,
      mediaType: a.media_type,
      kind: a.kind,
    })),
  };
}

export interface NewDossier {
  campaignId: number;
  number: number;
  projectName: string;
  structureName: string;
  structureAddress: string;
  legalForm: string;
  esus: string;
  siret: string;
  contactName: string;
  contactFunction: string;
  contactEmail: string;
  contactPhone: string;
  regionCode: string;
  commune: string;
  communeInsee: string;
  fragileTerritories: string;
  depositedAt: string | null;
  dsState: string;
  source: string;
  raw: unknown;
  importedAt: string;
  rubrics: Partial<Record<(typeof RUBRIC_KEYS)[number], string>>;
}

/**
 * Inserts a dossier, its first version and its rubrics. Call inside a transaction.
 * The raw row is stored once, in `dossier_versions` (the row at `dossiers.version`); `dossiers.raw_json`
 * stays `{}` (migration 9 emptied the copies older versions of the app wrote there).
 */
export function insertDossier(db: Database, d: NewDossier & { rawJson?: string }): number {
  const id = insertDossierRow(db, d);
  insertFirstVersion(db, id, d.rawJson ?? JSON.stringify(d.raw), d.importedAt);
  return id;
}

/** The dossier row and its rubrics, without its version (insertFirstVersion must follow in the transaction). */
export function insertDossierRow(db: Database, d: Omit<NewDossier, 'raw'>): number {
  const info = cached(
    db,
    `INSERT INTO dossiers (campaign_id, number, version, project_name, structure_name, structure_address, legal_form,
       esus, siret, contact_name, contact_function, contact_email, contact_phone, region_code, commune, commune_insee,
       fragile_territories, deposited_at, ds_state, source, raw_json, imported_at)
     VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}', ?)`,
  ).run(
    d.campaignId, d.number, d.projectName, d.structureName, d.structureAddress, d.legalForm, d.esus, d.siret,
    d.contactName, d.contactFunction, d.contactEmail, d.contactPhone, d.regionCode, d.commune, d.communeInsee,
    d.fragileTerritories, d.depositedAt, d.dsState, d.source, d.importedAt,
  );
  const id = Number(info.lastInsertRowid);
  const insertRubric = cached(
    db,
    'INSERT INTO dossier_rubrics (dossier_id, rubric_key, label, position, content) VALUES (?, ?, ?, ?, ?)',
  );
  RUBRIC_KEYS.forEach((key, position) => {
    insertRubric.run(id, key, RUBRIC_LABELS_FR[key], position, d.rubrics[key] ?? '');
  });
  return id;
}

export function insertFirstVersion(db: Database, dossierId: number, rawJson: string, importedAt: string): void {
  cached(db, 'INSERT INTO dossier_versions (dossier_id, version, raw_json, imported_at) VALUES (?, 1, ?, ?)').run(
    dossierId,
    rawJson,
    importedAt,
  );
}

export function countDossiers(db: Database): number {
  return (db.prepare('SELECT count(*) AS n FROM dossiers').get() as { n: number }).n;
}
