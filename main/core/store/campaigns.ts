import type { Database } from 'better-sqlite3';
import type { CampaignSummary } from '../../../shared/domain/types';
import { AppFailure } from '../../../shared/errors';
import { gridSchema, type Grid } from '../grid';

interface CampaignRow {
  id: number;
  name: string;
  ami: string;
  wave: number;
  phase: number;
  region_code: string;
  deadline: string;
  grid_id: string;
  grid_version: number;
  grid_document: string;
  dossier_count: number;
}

const SELECT = `
  SELECT c.id, c.name, c.ami, c.wave, c.phase, c.region_code, c.deadline, c.grid_id, c.grid_version,
         g.document AS grid_document,
         (SELECT count(*) FROM dossiers d WHERE d.campaign_id = c.id) AS dossier_count
  FROM campaigns c JOIN grids g ON g.id = c.grid_id AND g.version = c.grid_version`;

function toSummary(row: CampaignRow): CampaignSummary {
  const grid = gridSchema.parse(JSON.parse(row.grid_document));
  return {
    id: row.id,
    name: row.name,
    ami: row.ami,
    wave: row.wave,
    phase: row.phase,
    regionCode: row.region_code,
    deadline: row.deadline,
    gridId: row.grid_id,
    gridVersion: row.grid_version,
    gridLabel: grid.label.fr,
    charactersPerPage: grid.lengthEquivalence.charactersPerPage,
    charactersPerLine: grid.lengthEquivalence.charactersPerLine,
    dossierCount: row.dossier_count,
  };
}

export function listCampaigns(db: Database): CampaignSummary[] {
  return (db.prepare(`${SELECT} ORDER BY c.id`).all() as CampaignRow[]).map(toSummary);
}

export function getCampaign(db: Database, id: number): CampaignSummary | undefined {
  const row = db.prepare(`${SELECT} WHERE c.id = ?`).get(id) as CampaignRow | undefined;
  return row && toSummary(row);
}

export function campaignGrid(db: Database, campaignId: number): Grid | undefined {
  const row = db
    .prepare(
      `SELECT g.document FROM campaigns c JOIN grids g ON g.id = c.grid_id AND g.version = c.grid_version WHERE c.id = ?`,
    )
    .get(campaignId) as { document: string } | undefined;
  return row && gridSchema.parse(JSON.parse(row.document));
}

/** Stores a grid version once; a stored version is immutable (same id+version must be identical). */
export function ensureGrid(db: Database, grid: Grid): void {
  const document = JSON.stringify(grid);
  const existing = db
    .prepare('SELECT document FROM grids WHERE id = ? AND version = ?')
    .get(grid.id, grid.version) as { document: string } | undefined;
  if (existing) {
    if (existing.document !== document) throw new AppFailure('grid_conflict', { id: grid.id, version: grid.version });
    return;
  }
  db.prepare('INSERT INTO grids (id, version, label, document) VALUES (?, ?, ?, ?)').run(
    grid.id,
    grid.version,
    grid.label.fr,
    document,
  );
}

export interface NewCampaign {
  name: string;
  ami: string;
  wave: number;
  phase: number;
  regionCode: string;
  deadline: string;
  grid: Grid;
  createdAt: string;
}

export function createCampaign(db: Database, c: NewCampaign): number {
  ensureGrid(db, c.grid);
  const info = db
    .prepare(
      `INSERT INTO campaigns (name, ami, wave, phase, region_code, deadline, grid_id, grid_version, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(c.name, c.ami, c.wave, c.phase, c.regionCode, c.deadline, c.grid.id, c.grid.version, c.createdAt);
  return Number(info.lastInsertRowid);
}
