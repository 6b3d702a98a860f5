import type { Database } from 'better-sqlite3';
import { DEFAULT_GRID } from '../../main/core/grid';
import { createCampaign } from '../../main/core/store/campaigns';
import { insertDossier } from '../../main/core/store/dossiers';

export const SYNTHESIS_CAMPAIGN_NAME = 'Campagne synthèse (test)';
const CRITERIA = ['V1', 'V2', 'V3', 'V4', 'V5', 'O1', 'O2', 'O3', 'E1', 'E2'];

/**
 * A small campaign that went through a séance, for the « Synthèse régionale » browser test: four
 * dossiers reviewed by the first two members (submitted), one divergent on V1 and O1; the committee
 * decided three of them and recommended 900001 and 900002 for phase 2 (both with target b or c) and
 * 900003 (no target: not shortlisted); 900004 was never discussed. Idempotent by campaign name;
 * does nothing without two members.
 */
export function seedSynthesisCampaign(db: Database, now = new Date('2021-07-08T09:30:00Z')): number | null {
  const existing = db.prepare('SELECT id FROM campaigns WHERE name = ?').get(SYNTHESIS_CAMPAIGN_NAME) as { id: number } | undefined;
  if (existing) return existing.id;
  const members = (db.prepare('SELECT id FROM members ORDER BY id LIMIT 2').all() as { id: number }[]).map((m) => m.id);
  if (members.length < 2) return null;
  const at = now.toISOString();
  return db.transaction(() => {
    const campaignId = createCampaign(db, {
      name: SYNTHESIS_CAMPAIGN_NAME,
      ami: 'PTCE émergents',
      wave: 1,
      phase: 1,
      regionCode: '84',
      deadline: '2021-06-23T22:00:00.000Z',
      grid: DEFAULT_GRID,
      createdAt: at,
    });
    const projects = ['PTCE alimentation Drôme', 'PTCE mobilité Isère', 'PTCE réemploi Savoie', 'PTCE culture Ain'];
    const ids = projects.map((projectName, i) =>
      insertDossier(db, {
        campaignId,
        number: 900_001 + i,
        projectName,
        structureName: `Association ${i + 1}`,
        structureAddress: '',
        legalForm: 'Association',
        esus: '',
        siret: '',
        contactName: '',
        contactFunction: '',
        contactEmail: '',
        contactPhone: '',
        regionCode: '84',
        commune: '',
        communeInsee: '',
        fragileTerritories: '',
        depositedAt: at,
        dsState: 'en_construction',
        source: 'synthesis-test',
        raw: { i },
        importedAt: at,
        rubrics: {},
      }),
    );
    const review = (dossierId: number, memberId: number, scores: Record<string, number>, b: number, c: number) => {
      const reviewId = Number(
        db
          .prepare("INSERT INTO reviews (dossier_id, member_id, status, created_at, updated_at, submitted_at) VALUES (?, ?, 'submitted', ?, ?, ?)")
          .run(dossierId, memberId, at, at, at).lastInsertRowid,
      );
      const put = db.prepare('INSERT INTO review_scores (review_id, criterion_key, score, justification) VALUES (?, ?, ?, ?)');
      for (const k of CRITERIA) put.run(reviewId, k, scores[k] ?? 2, 'justification');
      db.prepare('INSERT INTO review_details (review_id, target_b, target_c) VALUES (?, ?, ?)').run(reviewId, b, c);
    };
    const [a, b] = members as [number, number];
    const [d1, d2, d3, d4] = ids as [number, number, number, number];
    review(d1, a, { V1: 3 }, 1, 0);
    review(d1, b, { V1: 3 }, 1, 0);
    review(d2, a, { V1: 0, O1: 1 }, 0, 1);
    review(d2, b, { V1: 3, O1: 3 }, 0, 1);
    review(d3, a, {}, 0, 0);
    review(d3, b, {}, 0, 0);
    review(d4, a, { V1: 1, V2: 1 }, 0, 0);
    const meetingId = Number(
      db.prepare("INSERT INTO meetings (campaign_id, held_on, place, created_at, started_at, ended_at) VALUES (?, '2021-07-05', 'Lyon', ?, ?, ?)")
        .run(campaignId, at, at, at).lastInsertRowid,
    );
    const consensus = db.prepare('INSERT INTO consensus_scores (dossier_id, criterion_key, score, spread, note, meeting_id, decided_at) VALUES (?, ?, ?, NULL, ?, ?, ?)');
    const decide = db.prepare('INSERT INTO committee_decisions (dossier_id, meeting_id, avis, phase2, decided_at) VALUES (?, ?, ?, ?, ?)');
    const decided: [number, number, string, number][] = [
      [d1, 2, 'favorable', 1],
      [d2, 3, 'favorable', 1],
      [d3, 1, 'favorable_reserves', 1],
    ];
    for (const [id, score, avis, phase2] of decided) {
      for (const k of CRITERIA) consensus.run(id, k, score, 'note', meetingId, at);
      decide.run(id, meetingId, avis, phase2, at);
    }
    return campaignId;
  })();
}
