import type { Database } from 'better-sqlite3';
import type { Grid } from '../grid';
import type { AvisConsensus, AvisValue } from '../package/avis';
import { gridScale, selectionCriteria } from '../review/scoring';
import { consensusOf } from './consensus';
import { collectProcesVerbal, decidedMeetingIds } from './pv';
import { renderPvPdf } from './pv-pdf';

/**
 * What the signed package takes from meeting mode: the committee's decision and consensus per
 * dossier (collect.ts), and the procès-verbal PDFs (build.ts).
 */
export interface CommitteeOutcome {
  consensus: AvisConsensus;
  avis: AvisValue | null;
  motivation: string;
  phase2: boolean;
}

/** The committee's decision on a dossier, or null when there was none in séance. */
export function committeeConsensus(db: Database, dossierId: number, grid: Grid): CommitteeOutcome | null {
  const decision = db
    .prepare(
      `SELECT cd.avis, cd.motivation, cd.phase2, cd.votes, cd.target_b, cd.target_c, m.id, m.held_on, m.place FROM committee_decisions cd
       JOIN meetings m ON m.id = cd.meeting_id WHERE cd.dossier_id = ?`,
    )
    .get(dossierId) as
    | {
        avis: AvisValue | null;
        motivation: string;
        phase2: number;
        votes: string;
        target_b: number | null;
        target_c: number | null;
        id: number;
        held_on: string;
        place: string;
      }
    | undefined;
  if (!decision) return null;
  const scores = consensusOf(db, dossierId);
  const { max: top } = gridScale(grid);
  let total = 0;
  let max = 0;
  const out: AvisConsensus['scores'] = {};
  for (const c of selectionCriteria(grid)) {
    max += top * c.weight;
    const s = scores.get(c.key);
    if (!s) continue;
    out[c.key] = { score: s.score, note: s.note, spread: s.spread };
    total += s.score * c.weight;
  }
  const bool = (v: number | null): boolean | null => (v === null ? null : v === 1);
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return {
    consensus: {
      meeting: { id: decision.id, heldOn: decision.held_on, place: decision.place },
      scores: out,
      total: round(total),
      max: round(max),
      complete: selectionCriteria(grid).every((c) => scores.has(c.key)),
      votes: decision.votes,
      targets: { b: bool(decision.target_b), c: bool(decision.target_c) },
    },
    avis: decision.avis,
    motivation: decision.motivation,
    phase2: decision.phase2 === 1,
  };
}

/**
 * The procès-verbal files of the campaign's séances that decided something, in date order:
 * `proces-verbal.pdf` for the first, `proces-verbal-2.pdf`, `proces-verbal-3.pdf`… for the next.
 */
export async function procesVerbalFiles(db: Database, campaignId: number): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  let n = 0;
  for (const id of decidedMeetingIds(db, campaignId)) {
    n += 1;
    files.set(n === 1 ? 'proces-verbal.pdf' : `proces-verbal-${n}.pdf`, await renderPvPdf(collectProcesVerbal(db, id), { lang: 'fr' }));
  }
  return files;
}
