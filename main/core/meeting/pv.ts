import type { Database } from 'better-sqlite3';
import { regionName } from '../../../shared/domain/regions';
import type { Label, QuorumView } from '../../../shared/domain/meeting';
import { getCampaign } from '../store/campaigns';
import { listMembers, type Member } from '../review/members';
import { gridScale } from '../review/scoring';
import { getMeetingDossier } from './consensus';
import { getMeeting, meetingGrid, quorumOf } from './meetings';

/**
 * The procès-verbal (minutes) of a séance as plain JSON: what the PDF renders and what the
 * package carries. Deterministic: built from the database only (no clock).
 */
export interface PvMember {
  id: number;
  name: string;
  role: Member['role'];
  organisation: string;
}

export interface PvDossier {
  position: number;
  dossierId: number;
  number: number;
  project: string;
  structure: string;
  reviewers: PvMember[];
  criteria: {
    key: string;
    label: Label;
    weight: number;
    scores: Record<number, number | null>;
    spread: number | null;
    divergent: boolean;
    consensus: { score: number; note: string } | null;
  }[];
  total: { total: number; max: number; complete: boolean };
  decision: { avis: 'favorable' | 'favorable_reserves' | 'defavorable' | null; motivation: string; phase2: boolean; votes: string } | null;
  /**
   * Targets b and c: the committee's view where it recorded one, else the submitted reviews'
   * majority (null = unknown). source: 'committee' when the committee recorded either target.
   */
  targets: { b: boolean | null; c: boolean | null; source: 'committee' | 'reviews' };
  departures: { memberId: number; name: string; leftAt: string; returnedAt: string | null }[];
}

export interface ProcesVerbal {
  meeting: {
    id: number;
    heldOn: string;
    place: string;
    startedAt: string | null;
    endedAt: string | null;
  };
  region: { code: string; name: string };
  campaign: { name: string; wave: number; phase: number };
  grid: { label: Label; scale: { min: number; max: number }; threshold: number };
  /** Members who attended (arrived at some point), with their times. */
  attendance: (PvMember & { arrivedAt: string; departedAt: string | null })[];
  /** Quorum over the members who attended. */
  quorum: QuorumView;
  keyboard: PvMember | null;
  chair: PvMember | null;
  correspondent: PvMember | null;
  dossiers: PvDossier[];
}

const ref = (m: Member | undefined): PvMember | null =>
  m ? { id: m.id, name: m.name, role: m.role, organisation: m.organisation } : null;

export function collectProcesVerbal(db: Database, meetingId: number): ProcesVerbal {
  const meeting = getMeeting(db, meetingId);
  const campaign = getCampaign(db, meeting.campaignId)!;
  const grid = meetingGrid(db, meeting.campaignId);
  const members = new Map(listMembers(db).map((m) => [m.id, m]));
  const attendance = meeting.attendance
    .filter((a) => a.arrivedAt !== null)
    .map((a) => ({ ...ref(members.get(a.member.id))!, arrivedAt: a.arrivedAt!, departedAt: a.departedAt }));
  const attended = new Set(attendance.map((a) => a.id));
  const correspondent =
    [...members.values()].find((m) => m.role === 'correspondant' && attended.has(m.id)) ??
    [...members.values()].find((m) => m.role === 'correspondant');
  const dossiers: PvDossier[] = meeting.order.map((o) => {
    const v = getMeetingDossier(db, meetingId, o.dossierId);
    const target = (key: 'b' | 'c') => {
      const tv = v.targets.find((x) => x.key === key);
      return tv ? (tv.committee ?? tv.reviews) : null;
    };
    const recorded = v.targets.some((x) => x.committee !== null);
    return {
      position: v.position,
      dossierId: v.dossierId,
      number: v.number,
      project: v.project,
      structure: v.structure,
      reviewers: v.reviewers.map((r) => ref(members.get(r.id))!).filter(Boolean),
      criteria: v.criteria.map((c) => ({
        key: c.key,
        label: c.label,
        weight: c.weight,
        scores: c.scores,
        spread: c.spread,
        divergent: c.divergent,
        consensus: c.consensus,
      })),
      total: v.consensusTotal,
      decision: v.decision && { avis: v.decision.avis, motivation: v.decision.motivation, phase2: v.decision.phase2, votes: v.decision.votes },
      targets: { b: target('b'), c: target('c'), source: recorded ? 'committee' : 'reviews' },
      departures: v.departures,
    };
  });
  return {
    meeting: { id: meeting.id, heldOn: meeting.heldOn, place: meeting.place, startedAt: meeting.startedAt, endedAt: meeting.endedAt },
    region: { code: campaign.regionCode, name: regionName(campaign.regionCode) ?? campaign.regionCode },
    campaign: { name: campaign.name, wave: campaign.wave, phase: campaign.phase },
    grid: { label: grid.label, scale: gridScale(grid), threshold: grid.divergenceThreshold ?? 2 },
    attendance,
    quorum: quorumOf(meeting.quorumRule, meeting.quorumValue, meeting.quorum.active, attendance.length),
    keyboard: ref(meeting.keyboardMemberId === null ? undefined : members.get(meeting.keyboardMemberId)),
    chair: ref(meeting.chairMemberId === null ? undefined : members.get(meeting.chairMemberId)),
    correspondent: ref(correspondent),
    dossiers,
  };
}

/** The séances of a campaign that hold at least one committee decision or consensus (for the package). */
export function decidedMeetingIds(db: Database, campaignId: number): number[] {
  return (
    db
      .prepare(
        `SELECT m.id FROM meetings m WHERE m.campaign_id = ? AND (
           EXISTS (SELECT 1 FROM committee_decisions cd WHERE cd.meeting_id = m.id)
           OR EXISTS (SELECT 1 FROM consensus_scores cs WHERE cs.meeting_id = m.id))
         ORDER BY m.held_on, m.id`,
      )
      .all(campaignId) as { id: number }[]
  ).map((r) => r.id);
}
