import type { Database } from 'better-sqlite3';
import { AppFailure } from '../../../shared/errors';
import { regionName } from '../../../shared/domain/regions';
import { campaignGrid, getCampaign } from '../store/campaigns';
import { listMembers } from '../review/members';
import { getDossierReviews } from '../review/reviews';
import { gridScale } from '../review/scoring';
import { committeeConsensus } from '../meeting/package';
import { AVIS_DOCUMENT_VERSION, type AvisDocument, type AvisMemberRef, type AvisRecusal } from './avis';

export type DossierSelection = 'ready' | 'all';

/** The campaign to export: the given id, or the only/latest campaign. */
export function resolveCampaignId(db: Database, campaignId?: number): number {
  if (campaignId !== undefined) {
    if (!getCampaign(db, campaignId)) throw new AppFailure('not_found', { entity: 'campaign', id: campaignId });
    return campaignId;
  }
  const row = db.prepare('SELECT id FROM campaigns ORDER BY id DESC LIMIT 1').get() as { id: number } | undefined;
  if (!row) throw new AppFailure('not_found', { entity: 'campaign' });
  return row.id;
}

/**
 * One AvisDocument per dossier of the campaign, in dossier-number order. A dossier is 'ready'
 * once at least one member submitted a review; `ready` keeps only those, `all` keeps every dossier.
 * The committee avis, motivation and phase-2 recommendation are the committee's decision in séance
 * when there is one (with the consensus per criterion); otherwise those of the correspondant
 * régional's submitted review when there is one, else of the first submitted review (member order).
 */
export function collectAvis(db: Database, campaignId: number, selection: DossierSelection): AvisDocument[] {
  const campaign = getCampaign(db, campaignId);
  const grid = campaignGrid(db, campaignId);
  if (!campaign || !grid) throw new AppFailure('not_found', { entity: 'campaign', id: campaignId });
  const members = new Map<number, AvisMemberRef>(
    listMembers(db).map((m) => [m.id, { id: m.id, name: m.name, role: m.role, organisation: m.organisation }]),
  );
  const dossiers = db
    .prepare(
      `SELECT d.id, d.number, d.version, d.project_name, d.structure_name, d.legal_form, d.commune, d.deposited_at,
              f.status, f.complete, f.on_time, f.flags_json
       FROM dossiers d LEFT JOIN dossier_findings f ON f.dossier_id = d.id
       WHERE d.campaign_id = ? ORDER BY d.number`,
    )
    .all(campaignId) as {
    id: number;
    number: number;
    version: number;
    project_name: string;
    structure_name: string;
    legal_form: string;
    commune: string;
    deposited_at: string | null;
    status: 'recevable' | 'au_fil_de_l_eau' | 'irrecevable' | null;
    complete: number | null;
    on_time: number | null;
    flags_json: string | null;
  }[];
  const sections = (grid.selection?.sections ?? []).map((s) => ({
    key: s.key,
    label: s.label,
    criteria: s.criteria.map((c) => ({ key: c.key, label: c.label, weight: c.weight })),
  }));
  const out: AvisDocument[] = [];
  for (const d of dossiers) {
    const recusals = recusalsOf(db, d.id);
    // A recused member's review (e.g. written before the conflict was confirmed) is not part of
    // the avis: it is left out of the findings, scores and lead avis, as in the synthesis.
    const recused = new Set(recusals.map((r) => r.memberId));
    const reviews = getDossierReviews(db, d.id).reviews.filter((r) => !recused.has(r.memberId));
    const submitted = reviews.filter((r) => r.status === 'submitted');
    const state = submitted.length > 0 ? 'ready' : 'draft';
    if (selection === 'ready' && state !== 'ready') continue;
    const memberIds = [...new Set([...reviews.map((r) => r.memberId), ...recusals.map((r) => r.memberId)])].sort((a, b) => a - b);
    const lead =
      submitted.find((r) => members.get(r.memberId)?.role === 'correspondant') ?? submitted[0] ?? null;
    out.push({
      documentVersion: AVIS_DOCUMENT_VERSION,
      state,
      dossier: {
        number: d.number,
        version: d.version,
        project: d.project_name,
        structure: d.structure_name,
        legalForm: d.legal_form,
        commune: d.commune,
        depositedAt: d.deposited_at,
      },
      region: { code: campaign.regionCode, name: regionName(campaign.regionCode) ?? campaign.regionCode },
      campaign: {
        id: campaign.id,
        name: campaign.name,
        ami: campaign.ami,
        wave: campaign.wave,
        phase: campaign.phase,
        deadline: campaign.deadline,
      },
      grid: { id: grid.id, version: grid.version, label: grid.label, scale: gridScale(grid), sections },
      members: memberIds.map((id) => members.get(id)!).filter(Boolean),
      admissibility: {
        findings:
          d.status === null
            ? null
            : {
                status: d.status,
                complete: d.complete === 1,
                onTime: d.on_time === 1,
                flags: JSON.parse(d.flags_json ?? '[]') as string[],
              },
        decisions: reviews.flatMap((r) =>
          r.findingKeys.map((key) => ({
            memberId: r.memberId,
            findingKey: key,
            decision: r.content.admissibility[key]?.decision ?? null,
            reason: r.content.admissibility[key]?.reason ?? '',
          })),
        ),
      },
      eligibility: {
        criteria: (grid.eligibility?.criteria ?? []).map((c) => ({ key: c.key, label: c.label })),
        members: reviews.map((r) => ({
          memberId: r.memberId,
          answers: Object.fromEntries(
            (grid.eligibility?.criteria ?? []).map((c) => [
              c.key,
              { answer: r.content.eligibility[c.key]?.answer ?? null, note: r.content.eligibility[c.key]?.note ?? '' },
            ]),
          ),
          met: r.eligibility.met,
          total: r.eligibility.total,
          needed: r.eligibility.needed,
          outcome: r.eligibility.outcome,
        })),
      },
      scores: reviews.map((r) => ({
        memberId: r.memberId,
        status: r.status,
        submittedAt: r.submittedAt,
        scores: Object.fromEntries(
          sections.flatMap((s) =>
            s.criteria.map((c) => [
              c.key,
              { score: r.content.scores[c.key]?.score ?? null, justification: r.content.scores[c.key]?.justification ?? '' },
            ]),
          ),
        ),
        sections: r.totals.sections,
        total: r.totals.total,
        max: r.totals.max,
        complete: r.totals.complete,
        avis: r.content.details.avis,
        motivation: r.content.details.motivation,
        phase2: r.content.details.phase2,
      })),
      ...committeeOrLead(committeeConsensus(db, d.id, grid), lead?.content.details ?? null),
      recusals,
    });
  }
  return out;
}

function committeeOrLead(
  committee: ReturnType<typeof committeeConsensus>,
  lead: { avis: AvisDocument['avis']; motivation: string; phase2: boolean } | null,
): Pick<AvisDocument, 'consensus' | 'avis' | 'motivation' | 'phase2Recommendation'> {
  if (committee)
    return {
      consensus: committee.consensus,
      avis: committee.avis,
      motivation: committee.motivation,
      phase2Recommendation: committee.phase2,
    };
  return { consensus: null, avis: lead?.avis ?? null, motivation: lead?.motivation ?? '', phase2Recommendation: lead?.phase2 ?? false };
}

/** The dossier's confirmed conflicts of interest, by member id (issue 6). */
function recusalsOf(db: Database, dossierId: number): AvisRecusal[] {
  return (
    db
      .prepare(
        `SELECT member_id, evidence, link_kind, source, decided_at FROM conflicts
         WHERE dossier_id = ? AND status = 'confirmed' ORDER BY member_id`,
      )
      .all(dossierId) as { member_id: number; evidence: string; link_kind: AvisRecusal['linkKind']; source: AvisRecusal['source']; decided_at: string | null }[]
  ).map((r) => ({ memberId: r.member_id, reason: r.evidence, linkKind: r.link_kind, source: r.source, decidedAt: r.decided_at }));
}
