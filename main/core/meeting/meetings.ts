import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import { AppFailure } from '../../../shared/errors';
import type {
  AttendanceView,
  DivergentPlacement,
  MeetingSummary,
  MeetingView,
  OrderItemView,
  ProposedOrder,
  QuorumRule,
  QuorumView,
} from '../../../shared/domain/meeting';
import { QUORUM_RULE_LIST } from '../../../shared/domain/meeting';
import { getCampaign, campaignGrid } from '../store/campaigns';
import { appendAudit, type NewAuditEntry } from '../review/audit';
import { requireMember, type Member } from '../review/members';
import { getDossierReviews } from '../review/reviews';
import { selectionCriteria } from '../review/scoring';
import type { Grid } from '../grid';
import { proposeOrder, type OrderCandidate } from './order';

/**
 * A séance of the committee: setup, attendance and quorum, who is at the keyboard, the discussion
 * order, and which dossier is on screen (entering a dossier records the recused present members
 * as having left the room; leaving it records their return). Every write is one immediate
 * transaction journaled with appendAudit: member_id = null (the committee acts as a body),
 * keyboard_member_id = the member at the keyboard.
 */

interface MeetingRow {
  id: number;
  campaign_id: number;
  held_on: string;
  place: string;
  quorum_rule: QuorumRule;
  quorum_value: number | null;
  chair_member_id: number | null;
  keyboard_member_id: number | null;
  current_dossier_id: number | null;
  created_at: string;
  started_at: string | null;
  ended_at: string | null;
}

const id = z.number().int().positive();
export const meetingSetupSchema = z
  .object({
    heldOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    place: z.string().trim().max(300).default(''),
    quorumRule: z.enum(QUORUM_RULE_LIST).default('majority'),
    quorumValue: z.number().int().min(1).max(500).nullable().default(null),
    chairMemberId: id.nullable().default(null),
    keyboardMemberId: id.nullable().default(null),
  })
  .strict()
  .refine((v) => v.quorumRule !== 'fixed' || v.quorumValue !== null, { message: 'quorumValue' });
export type MeetingSetup = z.input<typeof meetingSetupSchema>;

export function invalid(reason: string): never {
  throw new AppFailure('validation', { reason });
}

export function meetingRow(db: Database, meetingId: number): MeetingRow {
  const row = db.prepare('SELECT * FROM meetings WHERE id = ?').get(meetingId) as MeetingRow | undefined;
  if (!row) throw new AppFailure('not_found', { entity: 'meeting', id: meetingId });
  return row;
}

/** Refuses writes on an ended séance. */
export function openMeetingRow(db: Database, meetingId: number): MeetingRow {
  const row = meetingRow(db, meetingId);
  if (row.ended_at) throw new AppFailure('meeting_closed', { meeting: meetingId });
  return row;
}

export function meetingGrid(db: Database, campaignId: number): Grid {
  const grid = campaignGrid(db, campaignId);
  if (!grid) throw new AppFailure('not_found', { entity: 'campaign', id: campaignId });
  return grid;
}

/** A journal entry for a committee write (member = null, keyboard = the séance's keyboard member). */
export function meetingAudit(
  row: Pick<MeetingRow, 'keyboard_member_id'>,
  at: string,
  entity: string,
  entityId: string,
  dossierId: number | null,
  action: string,
  before: unknown,
  after: unknown,
): NewAuditEntry {
  return { at, memberId: null, keyboardMemberId: row.keyboard_member_id, entity, entityId, dossierId, action, before, after };
}

const summary = (r: MeetingRow): MeetingSummary => ({
  id: r.id,
  campaignId: r.campaign_id,
  heldOn: r.held_on,
  place: r.place,
  startedAt: r.started_at,
  endedAt: r.ended_at,
});

const setupOf = (r: MeetingRow) => ({
  heldOn: r.held_on,
  place: r.place,
  quorumRule: r.quorum_rule,
  quorumValue: r.quorum_value,
  chairMemberId: r.chair_member_id,
  keyboardMemberId: r.keyboard_member_id,
});

export function listMeetings(db: Database, campaignId: number): MeetingSummary[] {
  return (db.prepare('SELECT * FROM meetings WHERE campaign_id = ? ORDER BY held_on, id').all(campaignId) as MeetingRow[]).map(summary);
}

function parseSetup(input: MeetingSetup) {
  const parsed = meetingSetupSchema.safeParse(input);
  if (!parsed.success) invalid(parsed.error.issues[0]?.path.join('.') || parsed.error.issues[0]?.message || 'meeting');
  const s = parsed.data;
  if (Number.isNaN(Date.parse(`${s.heldOn}T12:00:00Z`))) invalid('heldOn');
  return s;
}

/** Creates a séance of the campaign; its order starts as the proposed one (recusals grouped). */
export function createMeeting(db: Database, campaignId: number, input: MeetingSetup, now: Date): MeetingView {
  const s = parseSetup(input);
  const meetingId = db
    .transaction(() => {
      if (!getCampaign(db, campaignId)) throw new AppFailure('not_found', { entity: 'campaign', id: campaignId });
      if (s.chairMemberId !== null) requireMember(db, s.chairMemberId);
      if (s.keyboardMemberId !== null) requireMember(db, s.keyboardMemberId);
      const at = now.toISOString();
      const newId = Number(
        db
          .prepare(
            `INSERT INTO meetings (campaign_id, held_on, place, quorum_rule, quorum_value, chair_member_id, keyboard_member_id, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(campaignId, s.heldOn, s.place, s.quorumRule, s.quorumRule === 'fixed' ? s.quorumValue : null, s.chairMemberId, s.keyboardMemberId, at)
          .lastInsertRowid,
      );
      const proposal = proposeMeetingOrder(db, newId, 'none');
      writeOrder(db, newId, proposal.dossierIds);
      const row = meetingRow(db, newId);
      appendAudit(db, [
        meetingAudit(row, at, 'meeting', String(newId), null, 'create', null, { campaignId, ...setupOf(row), order: proposal.dossierIds }),
      ]);
      return newId;
    })
    .immediate();
  return getMeeting(db, meetingId);
}

/** Changes the séance's date, place, quorum rule, chair or keyboard member (journaled per field). */
export function updateMeeting(db: Database, meetingId: number, patch: Partial<MeetingSetup>, now: Date): MeetingView {
  db.transaction(() => {
    const row = openMeetingRow(db, meetingId);
    const before = setupOf(row);
    const s = parseSetup({ ...before, ...patch });
    if (s.chairMemberId !== null) requireMember(db, s.chairMemberId);
    if (s.keyboardMemberId !== null) requireMember(db, s.keyboardMemberId);
    const after = { ...s, quorumValue: s.quorumRule === 'fixed' ? s.quorumValue : null };
    const changed = (Object.keys(after) as (keyof typeof after)[]).filter((k) => before[k] !== after[k]);
    if (changed.length === 0) return;
    db.prepare(
      `UPDATE meetings SET held_on = ?, place = ?, quorum_rule = ?, quorum_value = ?, chair_member_id = ?, keyboard_member_id = ?
       WHERE id = ?`,
    ).run(after.heldOn, after.place, after.quorumRule, after.quorumValue, after.chairMemberId, after.keyboardMemberId, meetingId);
    const at = now.toISOString();
    // The keyboard change is attributed to the new keyboard member.
    const updated = meetingRow(db, meetingId);
    appendAudit(
      db,
      changed.map((k) => meetingAudit(updated, at, 'meeting', String(meetingId), null, 'update', { [k]: before[k] }, { [k]: after[k] })),
    );
  }).immediate();
  return getMeeting(db, meetingId);
}

/**
 * Marks a member present (arrival now) or gone (departure now); journaled. A member arriving while a
 * dossier they are recused on is on screen is recorded as having left the room for it.
 */
export function setAttendance(db: Database, meetingId: number, memberId: number, present: boolean, now: Date): MeetingView {
  db.transaction(() => {
    const row = openMeetingRow(db, meetingId);
    requireMember(db, memberId);
    const cur = db.prepare('SELECT arrived_at, departed_at FROM meeting_attendance WHERE meeting_id = ? AND member_id = ?').get(meetingId, memberId) as
      | { arrived_at: string | null; departed_at: string | null }
      | undefined;
    const wasPresent = !!cur?.arrived_at && !cur.departed_at;
    if (wasPresent === present) return;
    const at = now.toISOString();
    if (present) {
      db.prepare(
        `INSERT INTO meeting_attendance (meeting_id, member_id, arrived_at, departed_at) VALUES (?, ?, ?, NULL)
         ON CONFLICT (meeting_id, member_id) DO UPDATE SET arrived_at = coalesce(arrived_at, excluded.arrived_at), departed_at = NULL`,
      ).run(meetingId, memberId, at);
    } else {
      db.prepare('UPDATE meeting_attendance SET departed_at = ? WHERE meeting_id = ? AND member_id = ?').run(at, meetingId, memberId);
    }
    const audit: NewAuditEntry[] = [
      meetingAudit(row, at, 'meeting.attendance', `${meetingId}/${memberId}`, null, present ? 'arrive' : 'depart', { present: wasPresent }, { present }),
    ];
    // Arriving while a dossier they are recused on is on screen: they leave the room for it at once,
    // as when the dossier is put on screen (they come back with the next dossier).
    const onScreen = row.current_dossier_id;
    if (present && onScreen !== null && recusedMembers(db, onScreen).includes(memberId)) {
      db.prepare(
        `INSERT INTO meeting_departures (meeting_id, dossier_id, member_id, left_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (meeting_id, dossier_id, member_id) DO UPDATE SET returned_at = NULL`,
      ).run(meetingId, onScreen, memberId, at);
      audit.push(meetingAudit(row, at, 'meeting.departure', `${meetingId}/${onScreen}/${memberId}`, onScreen, 'leave', null, { leftAt: at }));
    }
    appendAudit(db, audit);
  }).immediate();
  return getMeeting(db, meetingId);
}

function activeMemberCount(db: Database): number {
  return (db.prepare('SELECT count(*) AS n FROM members WHERE active = 1').get() as { n: number }).n;
}

export function quorumOf(rule: QuorumRule, value: number | null, active: number, present: number): QuorumView {
  const required = rule === 'fixed' ? (value ?? 1) : Math.floor(active / 2) + 1;
  return { rule, present, required, active, met: present >= required };
}

/** Members with a confirmed conflict on the dossier (a recusal). */
export function recusedMembers(db: Database, dossierId: number): number[] {
  return (
    db.prepare("SELECT member_id FROM conflicts WHERE dossier_id = ? AND status = 'confirmed' ORDER BY member_id").all(dossierId) as {
      member_id: number;
    }[]
  ).map((r) => r.member_id);
}

/** Per-criterion spread of the submitted individual scores (recused members excluded). */
export function dossierSpread(
  db: Database,
  grid: Grid,
  dossierId: number,
  recused: readonly number[],
): { reviews: ReturnType<typeof getDossierReviews>['reviews']; spreads: Map<string, number | null> } {
  const out = new Set(recused);
  const reviews = getDossierReviews(db, dossierId).reviews.filter((r) => r.status === 'submitted' && !out.has(r.memberId));
  const spreads = new Map<string, number | null>();
  for (const c of selectionCriteria(grid)) {
    const values = reviews.map((r) => r.content.scores[c.key]?.score).filter((v): v is number => typeof v === 'number');
    spreads.set(c.key, values.length < 2 ? null : Math.max(...values) - Math.min(...values));
  }
  return { reviews, spreads };
}

export const divergenceThreshold = (grid: Grid): number => grid.divergenceThreshold ?? 2;

function candidates(db: Database, grid: Grid, dossiers: { id: number; number: number }[]): OrderCandidate[] {
  const threshold = divergenceThreshold(grid);
  return dossiers.map((d) => {
    const recused = recusedMembers(db, d.id);
    const spreads = [...dossierSpread(db, grid, d.id, recused).spreads.values()].filter((v): v is number => v !== null);
    return {
      dossierId: d.id,
      number: d.number,
      recused,
      divergent: spreads.filter((s) => s >= threshold).length,
      maxSpread: spreads.length ? Math.max(...spreads) : 0,
    };
  });
}

/**
 * The proposed order for the séance's dossiers: the campaign's dossiers with at least one
 * submitted review, grouped by recusals, most divergent first or last on request.
 */
export function proposeMeetingOrder(db: Database, meetingId: number, divergent: DivergentPlacement): ProposedOrder {
  const row = meetingRow(db, meetingId);
  const grid = meetingGrid(db, row.campaign_id);
  const dossiers = db
    .prepare(
      `SELECT d.id, d.number FROM dossiers d WHERE d.campaign_id = ?
         AND EXISTS (SELECT 1 FROM reviews r WHERE r.dossier_id = d.id AND r.status = 'submitted')
       ORDER BY d.number`,
    )
    .all(row.campaign_id) as { id: number; number: number }[];
  return proposeOrder(candidates(db, grid, dossiers), divergent);
}

function writeOrder(db: Database, meetingId: number, dossierIds: readonly number[]): void {
  db.prepare('DELETE FROM meeting_order WHERE meeting_id = ?').run(meetingId);
  const insert = db.prepare('INSERT INTO meeting_order (meeting_id, dossier_id, position) VALUES (?, ?, ?)');
  dossierIds.forEach((d, i) => insert.run(meetingId, d, i + 1));
}

export function meetingOrderIds(db: Database, meetingId: number): number[] {
  return (
    db.prepare('SELECT dossier_id FROM meeting_order WHERE meeting_id = ? ORDER BY position').all(meetingId) as { dossier_id: number }[]
  ).map((r) => r.dossier_id);
}

/** The correspondent's order: every dossier of the campaign at most once (journaled before → after). */
export function setMeetingOrder(db: Database, meetingId: number, dossierIds: readonly number[], now: Date): MeetingView {
  db.transaction(() => {
    const row = openMeetingRow(db, meetingId);
    if (new Set(dossierIds).size !== dossierIds.length) invalid('order.duplicate');
    const inCampaign = db.prepare('SELECT 1 FROM dossiers WHERE id = ? AND campaign_id = ?');
    for (const d of dossierIds) if (!inCampaign.get(d, row.campaign_id)) invalid(`order.${d}`);
    const before = meetingOrderIds(db, meetingId);
    if (before.join(',') === dossierIds.join(',')) return;
    writeOrder(db, meetingId, dossierIds);
    appendAudit(db, [meetingAudit(row, now.toISOString(), 'meeting.order', String(meetingId), null, 'update', before, [...dossierIds])]);
  }).immediate();
  return getMeeting(db, meetingId);
}

function presentMembers(db: Database, meetingId: number): number[] {
  return (
    db
      .prepare('SELECT member_id FROM meeting_attendance WHERE meeting_id = ? AND arrived_at IS NOT NULL AND departed_at IS NULL ORDER BY member_id')
      .all(meetingId) as { member_id: number }[]
  ).map((r) => r.member_id);
}

/**
 * Puts a dossier on screen: the recused members present leave the room (left_at = now), those
 * who had left for the previous dossier and are not recused on this one come back (returned_at).
 * The séance starts with its first dossier. null = no dossier on screen (pause / end).
 */
export function enterDossier(db: Database, meetingId: number, dossierId: number | null, now: Date): MeetingView {
  db.transaction(() => {
    const row = openMeetingRow(db, meetingId);
    if (dossierId !== null && !meetingOrderIds(db, meetingId).includes(dossierId)) invalid('dossier');
    if (row.current_dossier_id === dossierId) return;
    const at = now.toISOString();
    const audit: NewAuditEntry[] = [];
    if (!row.started_at && dossierId !== null) {
      db.prepare('UPDATE meetings SET started_at = ? WHERE id = ?').run(at, meetingId);
      audit.push(meetingAudit(row, at, 'meeting', String(meetingId), null, 'start', null, { startedAt: at }));
    }
    if (row.current_dossier_id !== null) {
      const back = db
        .prepare('SELECT member_id FROM meeting_departures WHERE meeting_id = ? AND dossier_id = ? AND returned_at IS NULL')
        .all(meetingId, row.current_dossier_id) as { member_id: number }[];
      db.prepare('UPDATE meeting_departures SET returned_at = ? WHERE meeting_id = ? AND dossier_id = ? AND returned_at IS NULL').run(
        at,
        meetingId,
        row.current_dossier_id,
      );
      for (const b of back)
        audit.push(meetingAudit(row, at, 'meeting.departure', `${meetingId}/${row.current_dossier_id}/${b.member_id}`, row.current_dossier_id, 'return', null, { returnedAt: at }));
    }
    if (dossierId !== null) {
      const present = new Set(presentMembers(db, meetingId));
      const leave = db.prepare(
        `INSERT INTO meeting_departures (meeting_id, dossier_id, member_id, left_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (meeting_id, dossier_id, member_id) DO UPDATE SET returned_at = NULL`,
      );
      for (const m of recusedMembers(db, dossierId)) {
        if (!present.has(m)) continue;
        leave.run(meetingId, dossierId, m, at);
        audit.push(meetingAudit(row, at, 'meeting.departure', `${meetingId}/${dossierId}/${m}`, dossierId, 'leave', null, { leftAt: at }));
      }
    }
    db.prepare('UPDATE meetings SET current_dossier_id = ? WHERE id = ?').run(dossierId, meetingId);
    audit.push(meetingAudit(row, at, 'meeting', String(meetingId), dossierId, 'enter', { dossierId: row.current_dossier_id }, { dossierId }));
    appendAudit(db, audit);
  }).immediate();
  return getMeeting(db, meetingId);
}

/** Ends the séance (the last dossier's departures are closed); it is read-only afterwards. */
export function endMeeting(db: Database, meetingId: number, now: Date): MeetingView {
  enterDossier(db, meetingId, null, now);
  db.transaction(() => {
    const row = openMeetingRow(db, meetingId);
    const at = now.toISOString();
    db.prepare('UPDATE meetings SET started_at = coalesce(started_at, ?), ended_at = ? WHERE id = ?').run(at, at, meetingId);
    appendAudit(db, [meetingAudit(row, at, 'meeting', String(meetingId), null, 'end', null, { endedAt: at })]);
  }).immediate();
  return getMeeting(db, meetingId);
}

function memberInfo(m: Member): Member {
  return { id: m.id, name: m.name, role: m.role, organisation: m.organisation };
}

export function getMeeting(db: Database, meetingId: number): MeetingView {
  const row = meetingRow(db, meetingId);
  const grid = meetingGrid(db, row.campaign_id);
  const members = db
    .prepare(
      `SELECT m.id, m.name, m.role, m.organisation, a.arrived_at, a.departed_at FROM members m
       LEFT JOIN meeting_attendance a ON a.member_id = m.id AND a.meeting_id = ?
       WHERE m.active = 1 OR a.member_id IS NOT NULL ORDER BY m.id`,
    )
    .all(meetingId) as (Member & { arrived_at: string | null; departed_at: string | null })[];
  const attendance: AttendanceView[] = members.map((m) => ({
    member: memberInfo(m),
    present: !!m.arrived_at && !m.departed_at,
    arrivedAt: m.arrived_at,
    departedAt: m.departed_at,
  }));
  const orderRows = db
    .prepare(
      `SELECT o.dossier_id, o.position, d.number, d.project_name, cd.avis FROM meeting_order o
       JOIN dossiers d ON d.id = o.dossier_id LEFT JOIN committee_decisions cd ON cd.dossier_id = o.dossier_id
       WHERE o.meeting_id = ? ORDER BY o.position`,
    )
    .all(meetingId) as { dossier_id: number; position: number; number: number; project_name: string; avis: string | null }[];
  const info = new Map(candidates(db, grid, orderRows.map((o) => ({ id: o.dossier_id, number: o.number }))).map((c) => [c.dossierId, c]));
  const order: OrderItemView[] = orderRows.map((o) => ({
    dossierId: o.dossier_id,
    number: o.number,
    project: o.project_name,
    position: o.position,
    recused: info.get(o.dossier_id)?.recused.slice() ?? [],
    divergent: info.get(o.dossier_id)?.divergent ?? 0,
    maxSpread: info.get(o.dossier_id)?.maxSpread ?? 0,
    decided: o.avis !== null,
  }));
  return {
    ...summary(row),
    quorumRule: row.quorum_rule,
    quorumValue: row.quorum_value,
    chairMemberId: row.chair_member_id,
    keyboardMemberId: row.keyboard_member_id,
    currentDossierId: row.current_dossier_id,
    attendance,
    quorum: quorumOf(row.quorum_rule, row.quorum_value, activeMemberCount(db), attendance.filter((a) => a.present).length),
    order,
  };
}
