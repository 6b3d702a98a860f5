import { afterEach, describe, expect, it } from 'vitest';
import { AppFailure } from '../../../shared/errors';
import { countExits, proposeOrder } from '../../../main/core/meeting/order';
import {
  createMeeting,
  endMeeting,
  enterDossier,
  getMeeting,
  proposeMeetingOrder,
  setAttendance,
  setMeetingOrder,
  updateMeeting,
} from '../../../main/core/meeting/meetings';
import { getMeetingDossier, recordConsensus, recordDecision } from '../../../main/core/meeting/consensus';
import { verifyJournal } from '../../../main/core/review/audit';
import { getSynthesis } from '../../../main/core/synthesis/synthesis';
import { meetingStore, NOW } from './support';

let cleanup = () => {};
afterEach(() => cleanup());

const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    return e instanceof AppFailure ? e.code : String(e);
  }
  return 'no error';
};

function setup() {
  const s = meetingStore();
  cleanup = s.cleanup;
  const campaignId = (s.db.prepare('SELECT id FROM campaigns').get() as { id: number }).id;
  const meeting = createMeeting(s.db, campaignId, { heldOn: '2021-07-05', place: 'DREETS, salle 3', keyboardMemberId: s.alice, chairMemberId: s.bob }, at(0));
  return { ...s, campaignId, meeting };
}

describe('proposed discussion order', () => {
  const c = (dossierId: number, recused: number[], divergent = 0, maxSpread = 0) => ({ dossierId, number: dossierId, recused, divergent, maxSpread });

  it('groups dossiers by recused members so each leaves the room as few times as possible', () => {
    const cands = [c(1, [7]), c(2, []), c(3, [8]), c(4, [7]), c(5, []), c(6, [7, 8]), c(7, [8])];
    const naive = countExits(cands);
    const p = proposeOrder(cands);
    expect(p.dossierIds).toEqual([2, 5, 1, 4, 6, 3, 7]);
    // 7 leaves once (1, 4, 6), 8 leaves once (6, 3, 7).
    expect(p.exits).toBe(2);
    expect(naive).toBeGreaterThan(p.exits);
  });

  it('puts the most divergent first or last on request, inside each group', () => {
    const cands = [c(1, [], 0, 1), c(2, [], 3, 3), c(3, [], 1, 2)];
    expect(proposeOrder(cands, 'first').dossierIds).toEqual([2, 3, 1]);
    expect(proposeOrder(cands, 'last').dossierIds).toEqual([1, 3, 2]);
    expect(proposeOrder(cands, 'none').dossierIds).toEqual([1, 2, 3]);
  });
});

describe('séance', () => {
  it('starts with the proposed order of the reviewed dossiers and shows the quorum (majority of active members)', () => {
    const { db, meeting, d0, d1, d2, alice, bob, carol } = setup();
    expect(meeting.order.map((o) => o.dossierId)).toEqual([d0, d1, d2]);
    expect(meeting.order.find((o) => o.dossierId === d1)).toMatchObject({ divergent: 2, maxSpread: 3 });
    expect(meeting.order.find((o) => o.dossierId === d2)?.recused).toEqual([carol]);
    expect(meeting.quorum).toMatchObject({ rule: 'majority', present: 0, required: 2, active: 3, met: false });
    setAttendance(db, meeting.id, alice, true, at(1));
    const m = setAttendance(db, meeting.id, bob, true, at(2));
    expect(m.quorum).toMatchObject({ present: 2, required: 2, met: true });
    const fixed = updateMeeting(db, meeting.id, { quorumRule: 'fixed', quorumValue: 3 }, at(3));
    expect(fixed.quorum).toMatchObject({ rule: 'fixed', present: 2, required: 3, met: false });
    expect(setAttendance(db, meeting.id, bob, false, at(4)).attendance.find((a) => a.member.id === bob)).toMatchObject({
      present: false,
      arrivedAt: at(2).toISOString(),
      departedAt: at(4).toISOString(),
    });
    expect(code(() => updateMeeting(db, meeting.id, { quorumRule: 'fixed', quorumValue: null }, at(5)))).toBe('validation');
  });

  it('divergent-first proposal and a reorder by the correspondent (journaled, validated)', () => {
    const { db, meeting, d0, d1, d2 } = setup();
    expect(proposeMeetingOrder(db, meeting.id, 'first').dossierIds).toEqual([d1, d0, d2]);
    const m = setMeetingOrder(db, meeting.id, [d2, d0, d1], at(1));
    expect(m.order.map((o) => [o.dossierId, o.position])).toEqual([[d2, 1], [d0, 2], [d1, 3]]);
    expect(code(() => setMeetingOrder(db, meeting.id, [d0, d0], at(2)))).toBe('validation');
    const entry = db.prepare("SELECT before_json, after_json, keyboard_member_id FROM audit_journal WHERE entity = 'meeting.order'").get() as {
      before_json: string;
      after_json: string;
      keyboard_member_id: number;
    };
    expect(JSON.parse(entry.after_json)).toEqual([d2, d0, d1]);
    expect(JSON.parse(entry.before_json)).toEqual([d0, d1, d2]);
  });

  it('records a recused member leaving the room for their dossier and coming back after it', () => {
    const { db, meeting, d1, d2, alice, bob, carol } = setup();
    for (const m of [alice, bob, carol]) setAttendance(db, meeting.id, m, true, at(1));
    enterDossier(db, meeting.id, d1, at(10));
    expect(getMeetingDossier(db, meeting.id, d1).departures).toEqual([]);
    const m = enterDossier(db, meeting.id, d2, at(30));
    expect(m.startedAt).toBe(at(10).toISOString());
    expect(getMeetingDossier(db, meeting.id, d2).departures).toEqual([
      { memberId: carol, name: 'Carol Test', leftAt: at(30).toISOString(), returnedAt: null },
    ]);
    enterDossier(db, meeting.id, d1, at(45));
    expect(getMeetingDossier(db, meeting.id, d2).departures[0]?.returnedAt).toBe(at(45).toISOString());
  });

  it('a recused member who arrives while their dossier is on screen is recorded as out of the room at once', () => {
    const { db, meeting, d1, d2, alice, bob, carol } = setup();
    for (const m of [alice, bob]) setAttendance(db, meeting.id, m, true, at(1));
    enterDossier(db, meeting.id, d2, at(10));
    expect(getMeetingDossier(db, meeting.id, d2).departures).toEqual([]);
    setAttendance(db, meeting.id, carol, true, at(15));
    expect(getMeetingDossier(db, meeting.id, d2).departures).toEqual([
      { memberId: carol, name: 'Carol Test', leftAt: at(15).toISOString(), returnedAt: null },
    ]);
    const leave = db
      .prepare("SELECT action, dossier_id FROM audit_journal WHERE entity = 'meeting.departure' AND entity_id = ?")
      .all(`${meeting.id}/${d2}/${carol}`);
    expect(leave).toEqual([{ action: 'leave', dossier_id: d2 }]);
    // Not recused on d1: she comes back with it; arriving on a dossier without recusal records nothing.
    enterDossier(db, meeting.id, d1, at(20));
    expect(getMeetingDossier(db, meeting.id, d2).departures[0]?.returnedAt).toBe(at(20).toISOString());
    setAttendance(db, meeting.id, carol, false, at(21));
    setAttendance(db, meeting.id, carol, true, at(22));
    expect(getMeetingDossier(db, meeting.id, d1).departures).toEqual([]);
    expect(verifyJournal(db).ok).toBe(true);
  });
});

describe('consensus and committee decision', () => {
  it('shows the scores side by side with the spread, and requires a note where the spread reached the threshold', () => {
    const { db, meeting, d0, d1, alice, bob } = setup();
    const view = getMeetingDossier(db, meeting.id, d1);
    expect(view.reviewers.map((r) => r.id)).toEqual([alice, bob]);
    const v1 = view.criteria.find((c) => c.key === 'V1')!;
    expect(v1).toMatchObject({ scores: { [alice]: 0, [bob]: 3 }, spread: 3, divergent: true, consensus: null });
    expect(view.criteria.find((c) => c.key === 'V2')).toMatchObject({ spread: 0, divergent: false });
    expect(view.threshold).toBe(2);

    expect(code(() => recordConsensus(db, meeting.id, d1, { V1: { score: 2, note: '  ' } }, at(5)))).toBe('consensus_note_required');
    expect(code(() => recordConsensus(db, meeting.id, d1, { V1: { score: 9, note: 'x' } }, at(5)))).toBe('validation');
    expect(code(() => recordConsensus(db, meeting.id, d1, { ZZ: { score: 1 } }, at(5)))).toBe('validation');
    const after = recordConsensus(db, meeting.id, d1, { V1: { score: 2, note: 'Expérience confirmée en séance.' }, V2: { score: 2 } }, at(6));
    expect(after.criteria.find((c) => c.key === 'V1')?.consensus).toEqual({ score: 2, note: 'Expérience confirmée en séance.' });
    expect(after.consensusTotal.complete).toBe(false);
    // Individual scores are untouched.
    expect(
      db.prepare("SELECT rs.score FROM review_scores rs JOIN reviews r ON r.id = rs.review_id WHERE r.dossier_id = ? AND rs.criterion_key = 'V1' ORDER BY r.member_id").all(d1),
    ).toEqual([{ score: 0 }, { score: 3 }]);
    const journal = db.prepare("SELECT member_id, keyboard_member_id, entity_id, after_json FROM audit_journal WHERE entity = 'committee.consensus' ORDER BY seq").all() as {
      member_id: number | null;
      keyboard_member_id: number;
      entity_id: string;
      after_json: string;
    }[];
    expect(journal.map((j) => [j.member_id, j.keyboard_member_id, j.entity_id])).toEqual([
      [null, alice, `${d1}/V1`],
      [null, alice, `${d1}/V2`],
    ]);
    expect(JSON.parse(journal[0]!.after_json)).toMatchObject({ score: 2, spread: 3 });
    // Recording the same values again writes nothing.
    recordConsensus(db, meeting.id, d1, { V1: { score: 2, note: 'Expérience confirmée en séance.' } }, at(7));
    expect((db.prepare("SELECT count(*) AS n FROM audit_journal WHERE entity = 'committee.consensus'").get() as { n: number }).n).toBe(2);

    const decided = recordDecision(db, meeting.id, d1, { avis: 'favorable_reserves', motivation: 'Projet solide.', phase2: true, votes: 'Unanimité moins une abstention.' }, at(8));
    expect(decided.decision).toMatchObject({ avis: 'favorable_reserves', phase2: true, votes: 'Unanimité moins une abstention.' });
    expect(getMeeting(db, meeting.id).order.find((o) => o.dossierId === d1)?.decided).toBe(true);
    // Phase 2 needs target b or c in a submitted review.
    db.prepare('UPDATE review_details SET target_b = 0 WHERE review_id IN (SELECT id FROM reviews WHERE dossier_id = ?)').run(d0);
    expect(getMeetingDossier(db, meeting.id, d0).phase2Allowed).toBe(false);
    expect(code(() => recordDecision(db, meeting.id, d0, { avis: 'favorable', phase2: true }, at(9)))).toBe('phase2_not_allowed');
    expect(verifyJournal(db)).toMatchObject({ ok: true });
  });

  it('the committee records its own view of targets b and c; phase 2 follows it when recorded, else the reviews', () => {
    const { db, meeting, campaignId, d0, d1, alice } = setup();
    // Both reviews of d0 and d1 find a and b, not c.
    const fresh = getMeetingDossier(db, meeting.id, d1);
    expect(fresh.targets.map((tg) => [tg.key, tg.reviews, tg.committee])).toEqual([
      ['b', true, null],
      ['c', false, null],
    ]);
    expect(fresh.targets[0]?.label.fr).toMatch(/^Des dynamiques de coopération déjà émergentes/);
    expect(fresh.targets[1]?.label.fr).toMatch(/^Des territoires fragiles/);
    expect(fresh.phase2Targets).toEqual(['b', 'c']);
    expect(fresh.phase2Allowed).toBe(true);

    // The committee finds neither b nor c on d1: no phase 2, although the reviews find b.
    expect(code(() => recordDecision(db, meeting.id, d1, { avis: 'favorable', targetB: false, targetC: false, phase2: true }, at(1)))).toBe(
      'phase2_not_allowed',
    );
    const noPhase2 = recordDecision(db, meeting.id, d1, { avis: 'favorable', targetB: false, targetC: false }, at(2));
    expect(noPhase2.decision).toMatchObject({ targetB: false, targetC: false, phase2: false });
    expect(noPhase2.phase2Allowed).toBe(false);

    // On d0 no review finds b or c, the committee finds c: phase 2 is allowed.
    db.prepare('UPDATE review_details SET target_b = 0 WHERE review_id IN (SELECT id FROM reviews WHERE dossier_id = ?)').run(d0);
    expect(getMeetingDossier(db, meeting.id, d0).phase2Allowed).toBe(false);
    const withC = recordDecision(db, meeting.id, d0, { avis: 'favorable', targetC: true, phase2: true }, at(3));
    expect(withC.decision).toMatchObject({ targetB: null, targetC: true, phase2: true });
    expect(withC.targets.find((tg) => tg.key === 'c')).toMatchObject({ reviews: false, committee: true });
    expect(withC.phase2Allowed).toBe(true);
    // Withdrawing target c while phase 2 stays recommended is refused; nothing is written.
    expect(code(() => recordDecision(db, meeting.id, d0, { targetC: false }, at(4)))).toBe('phase2_not_allowed');
    expect(getMeetingDossier(db, meeting.id, d0).decision).toMatchObject({ targetC: true, phase2: true });

    // Journaled per field, as the other decision fields.
    const journal = db
      .prepare(
        `SELECT entity_id, keyboard_member_id, before_json, after_json FROM audit_journal
         WHERE entity = 'committee.decision' AND after_json LIKE '{"target%' ORDER BY seq`,
      )
      .all() as { entity_id: string; keyboard_member_id: number; before_json: string; after_json: string }[];
    expect(journal.map((j) => [j.entity_id, j.keyboard_member_id, JSON.parse(j.before_json), JSON.parse(j.after_json)])).toEqual([
      [String(d1), alice, { targetB: null }, { targetB: false }],
      [String(d1), alice, { targetC: null }, { targetC: false }],
      [String(d0), alice, { targetC: null }, { targetC: true }],
    ]);
    expect(verifyJournal(db)).toMatchObject({ ok: true });

    // The regional synthesis reads the committee's targets (the unrecorded b of d0 takes the reviews' majority).
    const synthesis = getSynthesis(db, campaignId);
    expect(synthesis.dossiers.find((d) => d.dossierId === d0)?.targets).toEqual({ b: false, c: true, source: 'committee' });
    expect(synthesis.dossiers.find((d) => d.dossierId === d1)?.targets).toEqual({ b: false, c: false, source: 'committee' });
    expect(synthesis.phase2.map((p) => p.dossierId)).toEqual([d0]);
  });

  it('a member recused on the dossier cannot record anything on it, and an ended séance is read-only', () => {
    const { db, meeting, d0, d2, carol } = setup();
    updateMeeting(db, meeting.id, { keyboardMemberId: carol }, at(1));
    expect(code(() => recordConsensus(db, meeting.id, d2, { V2: { score: 2 } }, at(2)))).toBe('meeting_recused');
    expect(code(() => recordDecision(db, meeting.id, d2, { avis: 'favorable' }, at(2)))).toBe('meeting_recused');
    expect(getMeetingDossier(db, meeting.id, d2).keyboardRecused).toBe(true);
    recordDecision(db, meeting.id, d0, { avis: 'favorable' }, at(3));
    const ended = endMeeting(db, meeting.id, at(4));
    expect(ended.endedAt).toBe(at(4).toISOString());
    expect(code(() => recordDecision(db, meeting.id, d0, { avis: 'defavorable' }, at(5)))).toBe('meeting_closed');
    expect(getMeetingDossier(db, meeting.id, d0).readOnly).toBe(true);
  });
});
