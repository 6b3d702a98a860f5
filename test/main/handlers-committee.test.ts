import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openRuntime, type Runtime } from '../../main/core/runtime';
import { seedDemo } from '../../main/core/demo';
import { nullLogger } from '../../main/core/log';
import { verifyJournal } from '../../main/core/review/audit';
import { tempDir } from '../support/tmp';

let runtime: Runtime | undefined;
let cleanup = () => {};
afterEach(() => {
  runtime?.close();
  runtime = undefined;
  cleanup();
});

function open() {
  const t = tempDir();
  cleanup = t.cleanup;
  let minute = 0;
  runtime = openRuntime({ dbPath: join(t.dir, 'store.sqlite'), log: nullLogger, now: () => new Date(Date.UTC(2021, 6, 9, 8, minute++)) });
  const { campaignId } = seedDemo(runtime.store.db, new Date('2021-07-08T09:30:00Z'));
  return { rt: runtime, campaignId };
}

const dossierIds = (rt: Runtime, campaignId: number) =>
  (rt.store.db.prepare('SELECT id FROM dossiers WHERE campaign_id = ? ORDER BY deposited_at, number').all(campaignId) as { id: number }[]).map((r) => r.id);

describe('committee handlers', () => {
  it('overview, member edit, assignment, « Répartir » and loads, attributed to the active member', async () => {
    const { rt, campaignId } = open();
    const before = await rt.handlers['committee:overview']({ campaignId });
    const camille = before.members.find((m) => m.name === 'Camille Rousseau')!;
    const yann = before.members.find((m) => m.name === 'Yann Leroy')!;
    expect(camille).toMatchObject({ role: 'correspondant', active: true, organisationSiren: '' });
    expect(before.dossiers).toHaveLength(6);
    const bad = await rt.dispatch('committee:updateMember', { memberId: yann.id, organisationSiren: '123456789' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'validation' } });
    const ok = await rt.dispatch('committee:updateMember', { memberId: yann.id, organisationSiren: '732 829 320' });
    expect(ok).toMatchObject({ ok: true, value: { organisationSiren: '732829320' } });
    const ids = dossierIds(rt, campaignId);
    expect(await rt.handlers['committee:assign']({ dossierIds: ids.slice(4, 6), memberIds: [yann.id] })).toEqual({ added: 2 });
    const who = rt.store.db.prepare("SELECT member_id FROM audit_journal WHERE entity = 'assignment' ORDER BY seq DESC LIMIT 1").get() as { member_id: number };
    expect(who.member_id).toBe(camille.id);
    const active = before.members.filter((m) => m.active).length;
    const dist = await rt.handlers['committee:distribute']({ campaignId, perDossier: 2 });
    expect(dist.short).toEqual([]);
    const after = await rt.handlers['committee:overview']({ campaignId });
    expect(after.assignments).toHaveLength(12);
    const loads = after.loads.filter((l) => after.members.find((m) => m.id === l.memberId)?.active);
    expect(loads).toHaveLength(active);
    expect(loads.reduce((s, l) => s + l.assigned, 0)).toBe(12);
    // Camille submitted the 1st, 2nd and 4th demo dossiers: those she is assigned to count as submitted.
    const camilleLoad = after.loads.find((l) => l.memberId === camille.id)!;
    const submittedAssigned = after.assignments.filter(
      (a) =>
        a.memberId === camille.id &&
        rt.store.db.prepare("SELECT 1 FROM reviews WHERE dossier_id = ? AND member_id = ? AND status = 'submitted'").get(a.dossierId, camille.id),
    ).length;
    expect(camilleLoad.submitted).toBe(submittedAssigned);
    expect(verifyJournal(rt.store.db).ok).toBe(true);
  });

  it('a recused active member cannot read the others’ reviews, sees no aggregate, cannot save; a proposal only warns', async () => {
    const { rt, campaignId } = open();
    const [d1] = dossierIds(rt, campaignId) as [number];
    const { members } = await rt.handlers['committee:overview']({ campaignId });
    const camille = members.find((m) => m.name === 'Camille Rousseau')!;
    const yann = members.find((m) => m.name === 'Yann Leroy')!;
    // Before: Yann (active) can read Camille's review of d1 and the list shows the mean.
    await rt.handlers['member:setActive']({ memberId: yann.id });
    expect((await rt.dispatch('review:get', { dossierId: d1, memberId: camille.id })).ok).toBe(true);
    const number = (rt.store.db.prepare('SELECT number FROM dossiers WHERE id = ?').get(d1) as { number: number }).number;
    const rowOf = async () => (await rt.handlers['dossier:table']({ campaignId, filters: {} })).rows.find((r) => r.id === d1)!;
    expect((await rowOf()).meanScore).not.toBeNull();

    const declared = await rt.handlers['committee:declareLink']({ memberId: yann.id, kind: 'administrateur', dossierId: d1 });
    expect(declared.conflicts).toMatchObject([{ dossierId: d1, status: 'confirmed', source: 'declared' }]);
    expect(await rt.handlers['committee:dossierConflict']({ dossierId: d1, memberId: yann.id })).toMatchObject({ status: 'confirmed', linkKind: 'administrateur' });
    expect(await rt.dispatch('review:get', { dossierId: d1, memberId: camille.id })).toMatchObject({ ok: false, error: { code: 'conflict_of_interest' } });
    // Their own review stays readable.
    expect((await rt.dispatch('review:get', { dossierId: d1, memberId: yann.id })).ok).toBe(true);
    const row = await rowOf();
    expect(row).toMatchObject({ recused: true, meanScore: null, avis: null, eligibility: null });
    const byAvis = await rt.handlers['dossier:table']({ campaignId, filters: { avis: 'favorable' } });
    expect(byAvis.rows.some((r) => r.id === d1)).toBe(false);
    expect(await rt.dispatch('review:save', { dossierId: d1, memberId: yann.id, patch: { scores: { V1: { score: 1 } } } })).toMatchObject({
      ok: false,
      error: { code: 'conflict_of_interest' },
    });
    expect(await rt.dispatch('committee:assign', { dossierIds: [d1], memberIds: [yann.id] })).toMatchObject({
      ok: false,
      error: { code: 'conflict_of_interest' },
    });
    // Camille (not conflicted) still sees everything.
    await rt.handlers['member:setActive']({ memberId: camille.id });
    expect((await rowOf()).meanScore).not.toBeNull();
    expect((await rt.dispatch('review:get', { dossierId: d1, memberId: yann.id })).ok).toBe(true);
    expect(number).toBeGreaterThan(0);

    // The link withdrawn (committee:removeLink): the recusal it alone gave is lifted.
    await rt.handlers['member:setActive']({ memberId: yann.id });
    expect(await rt.handlers['committee:removeLink']({ linkId: declared.link.id })).toEqual({ removed: 1, kept: 0 });
    expect(await rt.handlers['committee:dossierConflict']({ dossierId: d1, memberId: yann.id })).toMatchObject({ status: null });
    expect((await rt.dispatch('review:get', { dossierId: d1, memberId: camille.id })).ok).toBe(true);
    expect(await rt.dispatch('committee:removeLink', { linkId: declared.link.id })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('detect → proposals; decide needs a reason to dismiss; re-detecting adds nothing', async () => {
    const { rt, campaignId } = open();
    const { members } = await rt.handlers['committee:overview']({ campaignId });
    const yann = members.find((m) => m.name === 'Yann Leroy')!;
    await rt.handlers['committee:updateMember']({ memberId: yann.id, organisation: 'SCIC Ressources (Saint-Symphorien-de-Marmagne)' });
    const first = await rt.handlers['committee:detect']({ campaignId });
    expect(first.added).toBeGreaterThanOrEqual(1);
    const { conflicts } = await rt.handlers['committee:overview']({ campaignId });
    const mine = conflicts.find((c) => c.memberId === yann.id && c.status === 'proposed')!;
    expect(mine.evidence).toContain('SCIC Ressources Saint-Symphorien-de-Marmagne');
    expect(await rt.dispatch('committee:decide', { memberId: yann.id, dossierId: mine.dossierId, decision: 'dismissed' })).toMatchObject({
      ok: false,
      error: { code: 'validation' },
    });
    const dismissed = await rt.handlers['committee:decide']({ memberId: yann.id, dossierId: mine.dossierId, decision: 'dismissed', reason: 'Homonyme' });
    expect(dismissed.status).toBe('dismissed');
    expect(await rt.handlers['committee:detect']({ campaignId })).toEqual({ added: 0 });
  });
});

describe('history of a dossier for a recused member', () => {
  it('hides the other members’ review changes, keeps the committee entries', async () => {
    const { rt, campaignId } = open();
    const [d1] = dossierIds(rt, campaignId) as [number];
    const { members } = await rt.handlers['committee:overview']({ campaignId });
    const camille = members.find((m) => m.name === 'Camille Rousseau')!;
    const yann = members.find((m) => m.name === 'Yann Leroy')!;
    await rt.handlers['member:setActive']({ memberId: yann.id });
    const before = await rt.handlers['audit:history']({ dossierId: d1 });
    expect(before.some((h) => h.entity.startsWith('review') && h.memberId === camille.id)).toBe(true);
    await rt.handlers['committee:declareLink']({ memberId: yann.id, kind: 'membre', dossierId: d1 });
    const after = await rt.handlers['audit:history']({ dossierId: d1 });
    expect(after.some((h) => h.entity.startsWith('review') && h.memberId === camille.id)).toBe(false);
    expect(after.some((h) => h.entity.startsWith('review') && h.memberId === yann.id)).toBe(true);
    expect(after.map((h) => `${h.entity}:${h.action}`)).toEqual(expect.arrayContaining(['conflict:declare', 'assignment:unassign']));
    await rt.handlers['member:setActive']({ memberId: camille.id });
    expect((await rt.handlers['audit:history']({ dossierId: d1 })).length).toBeGreaterThan(after.length);
  });
});
