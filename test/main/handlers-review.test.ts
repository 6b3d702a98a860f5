import { describe, expect, it } from 'vitest';
import type { Runtime } from '../../main/core/runtime';
import { seedDemo, seedDemoDossiers } from '../../main/core/demo';
import { verifyJournal } from '../../main/core/review/audit';
import { runtimeFixture } from '../support/runtime';

const openRuntime = runtimeFixture();

function open(): Runtime {
  let minute = 0;
  return openRuntime({ now: () => new Date(Date.UTC(2021, 6, 9, 8, minute++)) }).runtime;
}

const firstDossierId = (rt: Runtime, campaignId: number): number =>
  (rt.store.db.prepare('SELECT id FROM dossiers WHERE campaign_id = ? ORDER BY number LIMIT 1').get(campaignId) as { id: number }).id;

const SCORES = ['V1', 'V2', 'V3', 'V4', 'V5', 'O1', 'O2', 'O3', 'E1', 'E2'];

describe('review handlers', () => {
  it('first launch: no member, then one created and activated', async () => {
    const rt = open();
    seedDemoDossiers(rt.store.db, new Date());
    expect(await rt.handlers['member:list']({})).toEqual([]);
    expect(await rt.handlers['member:getActive']({})).toEqual({ active: null, keyboard: null });
    const created = await rt.dispatch('member:create', { name: 'Alex Martin', role: 'expert', organisation: 'France Active', activate: true });
    expect(created.ok).toBe(true);
    const active = await rt.handlers['member:getActive']({});
    expect(active.active).toMatchObject({ name: 'Alex Martin', role: 'expert', organisation: 'France Active' });
    expect(active.keyboard).toBeNull();
    // A role outside the four is refused by the contract.
    expect(await rt.dispatch('member:create', { name: 'X', role: 'president', organisation: '' })).toMatchObject({
      ok: false,
      error: { code: 'validation' },
    });
  });

  it('setActive records the keyboard member only when different', async () => {
    const rt = open();
    seedDemo(rt.store.db, new Date('2021-07-08T09:30:00Z'));
    const [camille, yann] = await rt.handlers['member:list']({});
    const both = await rt.handlers['member:setActive']({ memberId: yann!.id, keyboardMemberId: camille!.id });
    expect(both.active?.name).toBe('Yann Leroy');
    expect(both.keyboard?.name).toBe('Camille Rousseau');
    const same = await rt.handlers['member:setActive']({ memberId: camille!.id, keyboardMemberId: camille!.id });
    expect(same).toEqual({ active: camille, keyboard: null });
  });

  it('an empty draft, saves with totals and majority, conflicts, submit, reopen and history', async () => {
    const rt = open();
    const { campaignId } = seedDemoDossiers(rt.store.db, new Date());
    const me = await rt.handlers['member:create']({ name: 'Alex', role: 'cress', organisation: '', activate: true });
    const other = await rt.handlers['member:create']({ name: 'Sam', role: 'expert', organisation: '' });
    const dossierId = firstDossierId(rt, campaignId);
    // An admissibility finding so that the reviewer has something to confirm.
    rt.store.db
      .prepare("INSERT INTO dossier_findings VALUES (?, 1, 1, 'au_fil_de_l_eau', ?, '2021-07-08T09:30:00Z')")
      .run(dossierId, JSON.stringify(['late']));

    const empty = await rt.handlers['review:get']({ dossierId, memberId: me.id });
    expect(empty).toMatchObject({ reviewId: null, revision: 0, status: 'draft', findingKeys: ['status', 'late'], findingStatus: 'au_fil_de_l_eau' });
    expect(empty.grid.eligibility).toHaveLength(7);
    expect(empty.grid.sections.map((s) => s.criteria.length)).toEqual([5, 3, 2]);
    expect(empty.grid.scale.levels.map((l) => l.label.fr)).toEqual(['Insuffisant', 'Partiel', 'Satisfaisant', 'Très satisfaisant']);
    expect(empty.missing.length).toBeGreaterThan(20);

    const number = (rt.store.db.prepare('SELECT number FROM dossiers WHERE id = ?').get(dossierId) as { number: number }).number;
    expect((await rt.handlers['review:get']({ campaignId, number, memberId: me.id })).dossierId).toBe(dossierId);

    let r = await rt.handlers['review:save']({
      dossierId,
      memberId: me.id,
      baseRevision: 0,
      patch: {
        eligibility: { 'E-1': { answer: 'oui' }, 'E-2': { answer: 'en_perspective' }, 'E-3': { answer: 'oui' }, 'E-4': { answer: 'oui' }, 'E-5': { answer: 'non' } },
        scores: { V1: { score: 3, justification: 'Équipe expérimentée.' }, V2: { score: 2 } },
      },
    });
    expect(r.revision).toBe(1);
    expect(r.eligibility).toMatchObject({ met: 4, needed: 4, outcome: 'majority' });
    expect(r.totals.sections[0]).toMatchObject({ key: 'vision', subtotal: 5, max: 15, scored: 2 });
    expect(r.totals.max).toBe(30);

    // A stale base revision is refused and nothing changes.
    const stale = await rt.dispatch('review:save', { dossierId, memberId: me.id, baseRevision: 0, patch: { scores: { V3: { score: 1 } } } });
    expect(stale).toMatchObject({ ok: false, error: { code: 'review_conflict' } });
    expect((await rt.handlers['review:get']({ dossierId, memberId: me.id })).content.scores.V3).toBeUndefined();

    // Phase 2 without target b or c is refused.
    expect(
      await rt.dispatch('review:save', { dossierId, memberId: me.id, patch: { details: { targets: { a: true, b: false, c: false }, phase2: true } } }),
    ).toMatchObject({ ok: false, error: { code: 'phase2_not_allowed' } });

    const notYet = await rt.handlers['review:submit']({ dossierId, memberId: me.id });
    expect(notYet.ok).toBe(false);
    if (!notYet.ok) expect(notYet.missing).toContainEqual({ kind: 'score', key: 'V3' });

    r = await rt.handlers['review:save']({
      dossierId,
      memberId: me.id,
      keyboardMemberId: other.id,
      baseRevision: r.revision,
      patch: {
        admissibility: { status: { decision: 'confirmed' }, late: { decision: 'overridden', reason: 'Dépôt reçu par courriel à temps.' } },
        eligibility: { 'E-6': { answer: 'oui' }, 'E-7': { answer: 'oui' } },
        scores: Object.fromEntries(SCORES.slice(2).map((k) => [k, { score: 2 }])),
        details: {
          maturity: 'emergente',
          targets: { a: true, b: true, c: false },
          avis: 'favorable',
          motivation: 'Coopération crédible.',
          phase2: true,
          support: ['Gouvernance'],
        },
      },
    });
    expect(r.missing).toEqual([]);
    expect(r.totals).toMatchObject({ total: 21, complete: true });

    const submitted = await rt.handlers['review:submit']({ dossierId, memberId: me.id, baseRevision: r.revision });
    expect(submitted.ok).toBe(true);
    if (submitted.ok) expect(submitted.review.status).toBe('submitted');
    expect(await rt.dispatch('review:save', { dossierId, memberId: me.id, patch: { details: { motivation: 'x' } } })).toMatchObject({
      ok: false,
      error: { code: 'review_locked' },
    });

    // The other member's review of the same dossier is independent.
    const theirs = await rt.handlers['review:get']({ dossierId, memberId: other.id });
    expect(theirs).toMatchObject({ reviewId: null, revision: 0, content: { scores: {} } });

    const reopened = await rt.handlers['review:reopen']({ dossierId, memberId: me.id });
    expect(reopened.status).toBe('draft');

    const history = await rt.handlers['audit:history']({ dossierId });
    const actions = history.map((h) => h.action);
    expect(actions).toContain('submit');
    expect(actions.at(-1)).toBe('reopen');
    const override = history.find((h) => h.entityId.endsWith('/late') && JSON.stringify(h.after).includes('overridden'));
    expect(override).toMatchObject({ memberId: me.id, keyboardMemberId: other.id, before: { decision: null } });
    expect(verifyJournal(rt.store.db)).toMatchObject({ ok: true });
  });

  it('unknown dossier or member: not_found', async () => {
    const rt = open();
    seedDemoDossiers(rt.store.db, new Date());
    expect(await rt.dispatch('review:get', { dossierId: 999_999, memberId: 1 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await rt.dispatch('audit:history', { dossierId: 999_999 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await rt.dispatch('review:get', { memberId: 1 })).toMatchObject({ ok: false, error: { code: 'validation' } });
  });
});
