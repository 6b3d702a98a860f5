import type { Database } from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { attachmentPath } from '../../main/core/store/paths';
import { DEFAULT_GRID } from '../../main/core/grid';
import { createCampaign } from '../../main/core/store/campaigns';
import { insertDossier } from '../../main/core/store/dossiers';
import { syncDossierText } from '../../main/core/store/dossier-text';

export const BULK_CAMPAIGN_NAME = 'Campagne de charge';
const PLACES = ['Dijon', 'Besançon', 'Mâcon', 'Nevers', 'Auxerre', 'Dole', 'Belfort', 'Vesoul', 'Lons-le-Saunier', 'Montbéliard'];
const THEMES = ['économie circulaire', 'alimentation durable', 'mobilité solidaire', 'habitat partagé', 'culture', 'numérique'];

/**
 * A campaign of `count` small synthetic dossiers, inserted in one transaction (a few seconds for
 * 3 000): for the list's virtualisation tests and benchmarks. Idempotent by campaign name.
 */
export function seedBulkCampaign(db: Database, count: number, now = new Date('2021-07-08T09:30:00Z')): number {
  const existing = db.prepare('SELECT id FROM campaigns WHERE name = ?').get(BULK_CAMPAIGN_NAME) as { id: number } | undefined;
  if (existing) return existing.id;
  return db.transaction(() => {
    const campaignId = createCampaign(db, {
      name: BULK_CAMPAIGN_NAME,
      ami: 'PTCE émergents',
      wave: 1,
      phase: 1,
      regionCode: '27',
      deadline: '2021-06-23T22:00:00.000Z',
      grid: DEFAULT_GRID,
      createdAt: now.toISOString(),
    });
    for (let i = 1; i <= count; i++) {
      const place = PLACES[i % PLACES.length]!;
      const theme = THEMES[i % THEMES.length]!;
      insertDossier(db, {
        campaignId,
        number: 100_000 + i,
        projectName: `PTCE ${theme} ${place} ${String(i).padStart(4, '0')}`,
        structureName: `Association ${place} ${i}`,
        structureAddress: '',
        legalForm: 'Association',
        esus: '',
        siret: '',
        contactName: '',
        contactFunction: '',
        contactEmail: '',
        contactPhone: '',
        regionCode: '27',
        commune: place,
        communeInsee: '',
        fragileTerritories: i % 3 === 0 ? 'QPV' : '',
        depositedAt: now.toISOString(),
        dsState: 'en_construction',
        source: 'bulk',
        raw: { i },
        importedAt: now.toISOString(),
        rubrics: { objectifs: `Coopération autour de ${theme} à ${place}.` },
      });
    }
    syncDossierText(db); // as an import does before it commits
    return campaignId;
  })();
}

/** A small valid one-page PDF (a blue rectangle and a line of text), offsets computed. */
export function tinyPdf(): Buffer {
  const content = 'q 0.2 0.3 0.8 rg 50 600 300 120 re f Q BT /F1 24 Tf 60 560 Td (Budget previsionnel) Tj ET';
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/**
 * Reader material on one demo dossier (n° 5220756, « PTCE textile en Parnes »): two partners, an
 * avis asked on DS, a PDF attachment and a file that is not a PDF. Idempotent.
 */
export function seedReaderExtras(db: Database, filesDir: string, number = 5220756): void {
  const dossier = db.prepare('SELECT id FROM dossiers WHERE number = ? ORDER BY id LIMIT 1').get(number) as { id: number } | undefined;
  if (!dossier) return;
  if (db.prepare('SELECT 1 FROM dossier_partners WHERE dossier_id = ?').get(dossier.id)) return;
  const files = [
    { name: 'budget-previsionnel.pdf', bytes: tinyPdf(), type: 'application/pdf' },
    { name: 'statuts.docx', bytes: Buffer.from('PK\u0003\u0004 not really a document'), type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
  ];
  for (const f of files) {
    const sha = createHash('sha256').update(f.bytes).digest('hex');
    const path = attachmentPath(filesDir, sha);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.bytes);
    db.prepare('INSERT OR IGNORE INTO attachments (dossier_id, sha256, filename, size, media_type, kind) VALUES (?, ?, ?, ?, ?, ?)').run(
      dossier.id, sha, f.name, f.bytes.length, f.type, 'annexe',
    );
  }
  const partner = db.prepare('INSERT INTO dossier_partners (dossier_id, position, name, siret, kind, role, fields_json) VALUES (?, ?, ?, ?, ?, ?, ?)');
  partner.run(dossier.id, 0, 'Communauté de communes des Parnes', '20004123400017', 'collectivite', 'Cofinanceur', '{}');
  partner.run(dossier.id, 1, 'Atelier Fil Rouge', '', 'association', 'Membre fondateur', '{}');
  db.prepare(
    `INSERT INTO dossier_avis (dossier_id, position, introduction, answer, question, question_answer, asked_at, answered_at, claimant, expert)
     VALUES (?, 0, ?, ?, '', '', ?, ?, 'instructeur', 'expert')`,
  ).run(dossier.id, 'Avis de la DDETS sur l’ancrage territorial', 'Favorable, partenariats solides.', '2021-06-28T08:00:00Z', '2021-07-02T14:30:00Z');
}
