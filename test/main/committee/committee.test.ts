import { afterEach, describe, expect, it } from 'vitest';
import { AppFailure } from '../../../shared/errors';
import { luhnValid, normaliseSiren, normaliseStructureName, sirenOf } from '../../../shared/domain/committee';
import { assign, distribute, listAssignments, memberLoads, unassign } from '../../../main/core/committee/assignments';
import {
  decideConflict,
  detectConflicts,
  dossierConflictState,
  getConflict,
  listConflicts,
} from '../../../main/core/committee/conflicts';
import { declareLink, listLinks, removeLink } from '../../../main/core/committee/links';
import { verifyJournal } from '../../../main/core/review/audit';
import { createMember, getCommitteeMember, listCommitteeMembers, updateMember } from '../../../main/core/review/members';
import { saveReviewPatch, submitReview } from '../../../main/core/review/reviews';
import { freshStore, NOW } from '../review/setup';

let cleanup = () => {};
afterEach(() => cleanup());

function store() {
  const s = freshStore();
  cleanup = s.cleanup;
  const campaignId = (s.db.prepare('SELECT id FROM campaigns').get() as { id: number }).id;
  return { ...s, campaignId, actor: { memberId: s.alice } };
}

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppFailure) return e.code;
    throw e;
  }
  return undefined;
}

/** A Luhn-valid SIREN starting with `prefix` (8 digits). */
function siren(prefix: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(`${prefix}${d}`)) return `${prefix}${d}`;
  throw new Error('unreachable');
}

const journalCount = (db: import('better-sqlite3').Database, entity: string) =>
  (db.prepare('SELECT count(*) AS n FROM audit_journal WHERE entity = ?').get(entity) as { n: number }).n;

describe('normalisation', () => {
  it('strips case, accents, punctuation and legal-form words from structure names', () => {
    expect(normaliseStructureName('Association Le Lien')).toBe('lien');
    expect(normaliseStructureName('LE LIEN (asso.)')).toBe('lien');
    expect(normaliseStructureName('SCIC Les Ateliers')).toBe('ateliers');
    expect(normaliseStructureName('Les Ateliers, SAS')).toBe('ateliers');
    expect(normaliseStructureName('Coopérative Horizons')).toBe(normaliseStructureName('cooperative  HORIZONS !'));
    expect(normaliseStructureName('Régie de quartier Épinal')).toBe('regie quartier epinal');
    expect(normaliseStructureName('Horizons')).not.toBe(normaliseStructureName('Horizons Nord'));
  });

  it('validates SIREN/SIRET: 9 or 14 digits, Luhn on the SIREN', () => {
    const s = siren('73282932');
    expect(normaliseSiren(`${s.slice(0, 3)} ${s.slice(3, 6)} ${s.slice(6)}`)).toBe(s);
    expect(normaliseSiren(`${s}00012`)).toBe(`${s}00012`);
    expect(normaliseSiren('')).toBe('');
    expect(normaliseSiren('12345')).toBeNull();
    expect(normaliseSiren('12345678A')).toBeNull();
    const bad = `${s.slice(0, 8)}${(Number(s[8]) + 1) % 10}`;
    expect(normaliseSiren(bad)).toBeNull();
    expect(sirenOf(`${s}00012`)).toBe(s);
    expect(sirenOf('123')).toBe('');
  });
});

describe('members', () => {
  it('edits role, organisation, SIREN and active flag, journaled with only the changed fields', () => {
    const { db, bob, alice } = store();
    const s = siren('41234567');
    const before = journalCount(db, 'member');
    const m = updateMember(db, bob, { role: 'cress', organisation: 'CRESS BFC', organisationSiren: `${s}00027`, active: false }, { now: NOW, actorId: alice });
    expect(m).toMatchObject({ id: bob, role: 'cress', organisation: 'CRESS BFC', organisationSiren: `${s}00027`, active: false });
    expect(getCommitteeMember(db, bob)).toEqual(m);
    const entry = db.prepare("SELECT member_id, before_json, after_json FROM audit_journal WHERE entity = 'member' ORDER BY seq DESC LIMIT 1").get() as {
      member_id: number;
      before_json: string;
      after_json: string;
    };
    expect(entry.member_id).toBe(alice);
    expect(JSON.parse(entry.before_json)).toEqual({ role: 'expert', organisation: '', organisationSiren: '', active: true });
    expect(journalCount(db, 'member')).toBe(before + 1);
    // No change, no entry.
    updateMember(db, bob, { role: 'cress' }, { now: NOW, actorId: alice });
    expect(journalCount(db, 'member')).toBe(before + 1);
    expect(code(() => updateMember(db, bob, { organisationSiren: '123456789' }, { now: NOW }))).toBe('validation');
    expect(code(() => updateMember(db, 999, { active: true }, { now: NOW }))).toBe('not_found');
    expect(listCommitteeMembers(db).map((x) => x.active)).toEqual([true, false]);
    expect(verifyJournal(db).ok).toBe(true);
  });
});

describe('assignments', () => {
  it('assigns and unassigns many × many in one journaled transaction, and counts the load', () => {
    const { db, dossierIds, alice, bob, campaignId, actor } = store();
    const [d1, d2, d3] = dossierIds as [number, number, number];
    expect(assign(db, { dossierIds: [d1, d2, d3], memberIds: [alice, bob], actor, now: NOW })).toEqual({ added: 6 });
    expect(assign(db, { dossierIds: [d1], memberIds: [alice], actor, now: NOW })).toEqual({ added: 0 });
    expect(journalCount(db, 'assignment')).toBe(6);
    expect(unassign(db, { dossierIds: [d2, d3], memberIds: [bob], actor, now: NOW })).toEqual({ removed: 2 });
    expect(listAssignments(db, campaignId).map((a) => [a.dossierId, a.memberId]).sort()).toEqual(
      [[d1, alice], [d1, bob], [d2, alice], [d3, alice]].sort(),
    );
    expect(journalCount(db, 'assignment')).toBe(8);
    expect(memberLoads(db, campaignId)).toEqual([
      { memberId: alice, assigned: 3, submitted: 0 },
      { memberId: bob, assigned: 1, submitted: 0 },
    ]);
    expect(code(() => assign(db, { dossierIds: [999], memberIds: [alice], actor, now: NOW }))).toBe('not_found');
    updateMember(db, bob, { active: false }, { now: NOW });
    expect(code(() => assign(db, { dossierIds: [d2], memberIds: [bob], actor, now: NOW }))).toBe('validation');
  });

  it('refuses a recused member, writing nothing', () => {
    const { db, dossierIds, alice, bob, actor } = store();
    const [d1, d2] = dossierIds as [number, number];
    declareLink(db, { memberId: bob, kind: 'administrateur', dossierId: d2 }, actor, NOW);
    const before = journalCount(db, 'assignment');
    expect(code(() => assign(db, { dossierIds: [d1, d2], memberIds: [alice, bob], actor, now: NOW }))).toBe('conflict_of_interest');
    expect(db.prepare('SELECT count(*) AS n FROM assignments').get()).toEqual({ n: 0 });
    expect(journalCount(db, 'assignment')).toBe(before);
  });

  it('« Répartir »: N per dossier, least-loaded first, never a conflicted member, deterministic', () => {
    const run = () => {
      const s = store();
      const { db, dossierIds, alice, bob, campaignId, actor } = s;
      const carol = createMember(db, { name: 'Carol', role: 'cress' }, { now: NOW }).id;
      const dan = createMember(db, { name: 'Dan', role: 'compagnon' }, { now: NOW }).id;
      // Dan is recused from the first dossier; Carol has an undecided proposal on the second.
      declareLink(db, { memberId: dan, kind: 'salarie', dossierId: dossierIds[0]! }, actor, NOW);
      db.prepare(
        "INSERT INTO conflicts (member_id, dossier_id, source, evidence, status, created_at) VALUES (?, ?, 'detected', 'x', 'proposed', ?)",
      ).run(carol, dossierIds[1]!, NOW.toISOString());
      const out = distribute(db, { campaignId, perDossier: 2, actor, now: NOW });
      const loads = memberLoads(db, campaignId);
      const pairs = listAssignments(db, campaignId).map((a) => `${a.dossierId}/${a.memberId}`);
      s.cleanup();
      return { out, loads, pairs, ids: { alice, bob, carol, dan, d1: dossierIds[0]!, d2: dossierIds[1]! } };
    };
    const a = run();
    expect(a.out.added).toHaveLength(12);
    expect(a.out.short).toEqual([]);
    expect(a.pairs).not.toContain(`${a.ids.d1}/${a.ids.dan}`);
    expect(a.pairs).not.toContain(`${a.ids.d2}/${a.ids.carol}`);
    const counts = a.loads.map((l) => l.assigned);
    expect(counts.reduce((x, y) => x + y, 0)).toBe(12);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    expect(run().pairs).toEqual(a.pairs);
  });

  it('« Répartir » keeps existing assignments and reports dossiers it cannot fill', () => {
    const { db, dossierIds, alice, bob, campaignId, actor } = store();
    assign(db, { dossierIds: [dossierIds[0]!], memberIds: [alice], actor, now: NOW });
    declareLink(db, { memberId: bob, kind: 'membre', dossierId: dossierIds[1]! }, actor, NOW);
    const out = distribute(db, { campaignId, perDossier: 2, actor, now: NOW });
    expect(out.short).toEqual([dossierIds[1]]);
    expect(out.added.filter((p) => p.dossierId === dossierIds[0])).toEqual([{ dossierId: dossierIds[0], memberId: bob, assignedAt: NOW.toISOString() }]);
    expect(distribute(db, { campaignId, perDossier: 2, actor, now: NOW }).added).toEqual([]);
    expect(code(() => distribute(db, { campaignId, perDossier: 0, actor, now: NOW }))).toBe('validation');
  });
});

describe('links and conflicts', () => {
  function withPartner(db: import('better-sqlite3').Database, dossierId: number, name: string, siret: string) {
    db.prepare(
      "INSERT INTO dossier_partners (dossier_id, position, name, siret, kind, role, fields_json) VALUES (?, (SELECT coalesce(max(position), 0) + 1 FROM dossier_partners WHERE dossier_id = ?), ?, ?, 'association', '', '{}')",
    ).run(dossierId, dossierId, name, siret);
  }

  it('detects the organisation name (structure porteuse) and SIREN (partner) as proposals with evidence', () => {
    const { db, dossierIds, bob, alice, campaignId, actor } = store();
    const s = siren('55512345');
    // « Association Le Lien » is the structure porteuse of a demo dossier.
    updateMember(db, bob, { organisation: 'LE LIEN (asso) – Clux-Villeneuve' }, { now: NOW });
    withPartner(db, dossierIds[3]!, 'Régie Bois & Forêts', `${s}00019`);
    updateMember(db, alice, { organisationSiren: s }, { now: NOW });
    const { added } = detectConflicts(db, campaignId, actor, NOW);
    const lien = (db.prepare("SELECT id, number FROM dossiers WHERE structure_name = 'Association Le Lien Clux-Villeneuve'").get() as { id: number; number: number });
    expect(added.map((c) => [c.memberId, c.dossierId, c.status, c.source])).toEqual(
      expect.arrayContaining([
        [bob, lien.id, 'proposed', 'detected'],
        [alice, dossierIds[3], 'proposed', 'detected'],
      ]),
    );
    expect(added).toHaveLength(2);
    expect(getConflict(db, bob, lien.id)!.evidence).toContain('structure porteuse « Association Le Lien Clux-Villeneuve »');
    expect(getConflict(db, alice, dossierIds[3]!)!.evidence).toBe(`SIREN ${s} = partenaire « Régie Bois & Forêts »`);
    // A proposal warns but does not block.
    expect(dossierConflictState(db, lien.id, bob).status).toBe('proposed');
    saveReviewPatch(db, { dossierId: lien.id, memberId: bob, patch: { scores: { V1: { score: 2 } } }, now: NOW });
    expect(journalCount(db, 'conflict')).toBe(2);
  });

  it('never resurrects a dismissed proposal, never duplicates, and requires a reason to dismiss', () => {
    const { db, bob, campaignId, actor } = store();
    updateMember(db, bob, { organisation: 'Les Ateliers, Parnes' }, { now: NOW });
    const first = detectConflicts(db, campaignId, actor, NOW).added;
    expect(first).toHaveLength(1);
    const { dossierId } = first[0]!;
    expect(detectConflicts(db, campaignId, actor, NOW).added).toEqual([]);
    expect(code(() => decideConflict(db, { memberId: bob, dossierId, decision: 'dismissed', reason: '  ', actor, now: NOW }))).toBe('validation');
    const dismissed = decideConflict(db, { memberId: bob, dossierId, decision: 'dismissed', reason: 'Homonymie', actor, now: NOW });
    expect(dismissed).toMatchObject({ status: 'dismissed', reason: 'Homonymie', decidedBy: actor.memberId });
    expect(detectConflicts(db, campaignId, actor, NOW).added).toEqual([]);
    expect(getConflict(db, bob, dossierId)!.status).toBe('dismissed');
    expect(listConflicts(db, campaignId)).toHaveLength(1);
    expect(dossierConflictState(db, dossierId, bob).status).toBeNull();
    const actions = (db.prepare("SELECT action FROM audit_journal WHERE entity = 'conflict' ORDER BY seq").all() as { action: string }[]).map((r) => r.action);
    expect(actions).toEqual(['propose', 'dismiss']);
    expect(verifyJournal(db).ok).toBe(true);
  });

  it('confirming a proposal recuses the member: unassigned, cannot score or submit, cannot be assigned', () => {
    const { db, bob, campaignId, actor } = store();
    updateMember(db, bob, { organisation: 'COOPERATIVE HORIZONS TALANT' }, { now: NOW });
    assign(db, { dossierIds: (db.prepare('SELECT id FROM dossiers').all() as { id: number }[]).map((r) => r.id), memberIds: [bob], actor, now: NOW });
    const [c] = detectConflicts(db, campaignId, actor, NOW).added;
    saveReviewPatch(db, { dossierId: c!.dossierId, memberId: bob, patch: { scores: { V1: { score: 1 } } }, now: NOW });
    decideConflict(db, { memberId: bob, dossierId: c!.dossierId, decision: 'confirmed', actor, now: NOW });
    expect(listAssignments(db, campaignId).some((a) => a.memberId === bob && a.dossierId === c!.dossierId)).toBe(false);
    expect(code(() => saveReviewPatch(db, { dossierId: c!.dossierId, memberId: bob, patch: { scores: { V1: { score: 2 } } }, now: NOW }))).toBe(
      'conflict_of_interest',
    );
    expect(code(() => submitReview(db, { dossierId: c!.dossierId, memberId: bob, now: NOW }))).toBe('conflict_of_interest');
    expect(code(() => assign(db, { dossierIds: [c!.dossierId], memberIds: [bob], actor, now: NOW }))).toBe('conflict_of_interest');
    expect(dossierConflictState(db, c!.dossierId, bob)).toMatchObject({ status: 'confirmed' });
    const unassigned = db.prepare("SELECT after_json FROM audit_journal WHERE entity = 'assignment' AND action = 'unassign'").get() as { after_json: string };
    expect(JSON.parse(unassigned.after_json)).toEqual({ reason: 'conflict_of_interest' });
  });

  it('a declared link confirms conflicts on the dossier named and on matching structures, upgrading a proposal', () => {
    const { db, dossierIds, bob, campaignId, actor } = store();
    updateMember(db, bob, { organisation: 'Le Lien Clux Villeneuve' }, { now: NOW });
    const [proposed] = detectConflicts(db, campaignId, actor, NOW).added;
    const { link, conflicts } = declareLink(db, { memberId: bob, kind: 'administrateur', structureName: 'association le lien (clux-villeneuve)' }, actor, NOW);
    expect(link).toMatchObject({ memberId: bob, kind: 'administrateur', structureName: 'association le lien (clux-villeneuve)', dossierId: null });
    expect(conflicts.map((c) => [c.dossierId, c.status, c.source, c.linkKind, c.linkId])).toEqual([
      [proposed!.dossierId, 'confirmed', 'declared', 'administrateur', link.id],
    ]);
    const other = dossierIds.find((d) => d !== proposed!.dossierId)!;
    const second = declareLink(db, { memberId: bob, kind: 'financeur', dossierId: other, note: 'subvention 2020' }, actor, NOW);
    expect(second.conflicts).toMatchObject([{ dossierId: other, status: 'confirmed', source: 'declared', linkKind: 'financeur' }]);
    expect(listLinks(db)).toHaveLength(2);
    expect(code(() => declareLink(db, { memberId: bob, kind: 'elu' }, actor, NOW))).toBe('validation');
    expect(code(() => declareLink(db, { memberId: bob, kind: 'elu', siren: '123' }, actor, NOW))).toBe('validation');
    expect(journalCount(db, 'member_link')).toBe(2);
    expect(verifyJournal(db).ok).toBe(true);
  });

  it('detection re-applies declared structure links to dossiers imported later, confirmed', () => {
    const { db, dossierIds, bob, campaignId, actor } = store();
    const s = siren('99988877');
    declareLink(db, { memberId: bob, kind: 'salarie', siren: s }, actor, NOW);
    expect(listConflicts(db, campaignId)).toEqual([]);
    withPartner(db, dossierIds[2]!, 'Employeur', `${s}00011`);
    const { added } = detectConflicts(db, campaignId, actor, NOW);
    expect(added).toMatchObject([{ memberId: bob, dossierId: dossierIds[2], source: 'declared', status: 'confirmed', linkKind: 'salarie' }]);
  });
});

describe('withdrawing a declared link', () => {
  it('removes the conflicts only it gave and never decided since; a decision or another link keeps them; a proposal comes back', () => {
    const { db, dossierIds, bob, campaignId, actor } = store();
    // d0: upgraded from a proposal (bob's organisation matches it); d1: named; d2: named, then dismissed by a person.
    updateMember(db, bob, { organisation: 'Le Lien Clux Villeneuve' }, { now: NOW });
    const [proposed] = detectConflicts(db, campaignId, actor, NOW).added;
    const d0 = proposed!.dossierId;
    const [d1, d2] = dossierIds.filter((d) => d !== d0) as [number, number];
    const byName = declareLink(db, { memberId: bob, kind: 'administrateur', structureName: 'association le lien (clux-villeneuve)' }, actor, NOW).link;
    const named = declareLink(db, { memberId: bob, kind: 'financeur', dossierId: d1 }, actor, NOW).link;
    const decided = declareLink(db, { memberId: bob, kind: 'elu', dossierId: d2 }, actor, NOW).link;
    decideConflict(db, { memberId: bob, dossierId: d2, decision: 'dismissed', reason: 'Mandat terminé en 2019', actor, now: NOW });
    // A second link naming d1 too: withdrawing the first keeps the conflict, now from the second.
    const again = declareLink(db, { memberId: bob, kind: 'membre', dossierId: d1 }, actor, NOW).link;

    expect(removeLink(db, { linkId: named.id, actor, now: NOW })).toEqual({ removed: 0, kept: 1 });
    expect(getConflict(db, bob, d1)).toMatchObject({ status: 'confirmed', linkId: again.id, linkKind: 'membre' });
    expect(removeLink(db, { linkId: again.id, actor, now: NOW })).toEqual({ removed: 1, kept: 0 });
    expect(getConflict(db, bob, d1)).toBeUndefined();
    expect(dossierConflictState(db, d1, bob).status).toBeNull();
    saveReviewPatch(db, { dossierId: d1, memberId: bob, patch: { scores: { V1: { score: 2 } } }, now: NOW });

    expect(removeLink(db, { linkId: decided.id, actor, now: NOW })).toEqual({ removed: 0, kept: 1 });
    expect(getConflict(db, bob, d2)).toMatchObject({ status: 'dismissed', reason: 'Mandat terminé en 2019', linkId: null });

    // The organisation still matches d0: back to a proposal, as detection would make it.
    expect(removeLink(db, { linkId: byName.id, actor, now: NOW })).toEqual({ removed: 1, kept: 0 });
    expect(getConflict(db, bob, d0)).toMatchObject({ status: 'proposed', source: 'detected', linkId: null });
    expect(listLinks(db)).toEqual([]);
    expect(code(() => removeLink(db, { linkId: byName.id, actor, now: NOW }))).toBe('not_found');

    const actions = (entity: string) =>
      (db.prepare('SELECT action FROM audit_journal WHERE entity = ? ORDER BY seq').all(entity) as { action: string }[]).map((r) => r.action);
    expect(actions('member_link')).toEqual(['declare', 'declare', 'declare', 'declare', 'remove', 'remove', 'remove', 'remove']);
    expect(actions('conflict').filter((a) => a === 'withdraw' || a === 'relink')).toEqual(['relink', 'withdraw', 'withdraw']);
    expect(verifyJournal(db).ok).toBe(true);
  });
});
