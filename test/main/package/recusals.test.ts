import { afterEach, describe, expect, it } from 'vitest';
import { buildPackage } from '../../../main/core/package/build';
import { collectAvis } from '../../../main/core/package/collect';
import type { AvisDocument } from '../../../main/core/package/avis';
import { declareLink } from '../../../main/core/committee/links';
import { decideConflict, detectConflicts } from '../../../main/core/committee/conflicts';
import { createMember, updateMember } from '../../../main/core/review/members';
import { CLOCK, demoStore, SEED_TIME } from './support';

let cleanup = () => {};
afterEach(() => cleanup());

describe('recusals in the package', () => {
  it('lists each confirmed conflict in avis/<number>.json (member, link kind, source, decided at), deterministically', async () => {
    const s = demoStore();
    cleanup = s.cleanup;
    const db = s.store.db;
    const campaignId = (db.prepare('SELECT id FROM campaigns').get() as { id: number }).id;
    // The first demo dossier (ready: two submitted reviews) gets a declared and a detected-then-confirmed recusal.
    const first = db.prepare('SELECT id, number, structure_name FROM dossiers ORDER BY deposited_at, number LIMIT 1').get() as {
      id: number;
      number: number;
      structure_name: string;
    };
    const actor = { memberId: s.memberId };
    const expert = createMember(db, { name: 'Expert Externe', role: 'expert' }, { now: SEED_TIME }).id;
    const declared = createMember(db, { name: 'Élue Locale', role: 'compagnon' }, { now: SEED_TIME }).id;
    updateMember(db, expert, { organisation: first.structure_name.toUpperCase() }, { now: SEED_TIME });
    detectConflicts(db, campaignId, actor, new Date('2026-05-02T10:00:00.000Z'));
    decideConflict(db, { memberId: expert, dossierId: first.id, decision: 'confirmed', actor, now: new Date('2026-05-03T10:00:00.000Z') });
    declareLink(db, { memberId: declared, kind: 'elu', dossierId: first.id }, actor, new Date('2026-05-04T10:00:00.000Z'));

    const avis = collectAvis(db, campaignId, 'ready').find((a) => a.dossier.number === first.number)!;
    expect(avis.recusals).toEqual([
      { memberId: expert, reason: expect.stringContaining('structure porteuse') as string, linkKind: null, source: 'detected', decidedAt: '2026-05-03T10:00:00.000Z' },
      { memberId: declared, reason: 'lien déclaré avec le dossier', linkKind: 'elu', source: 'declared', decidedAt: '2026-05-04T10:00:00.000Z' },
    ]);
    // Recused members are listed among the members (the PDF names them), in id order.
    expect(avis.members.map((m) => m.id)).toEqual([...avis.members.map((m) => m.id)].sort((a, b) => a - b));
    expect(avis.members.map((m) => m.name)).toEqual(expect.arrayContaining(['Expert Externe', 'Élue Locale']));
    // Other dossiers carry none.
    expect(collectAvis(db, campaignId, 'ready').filter((a) => a.dossier.number !== first.number).every((a) => a.recusals.length === 0)).toBe(true);

    const a = await buildPackage(db, { signer: s.signer, now: () => CLOCK });
    const b = await buildPackage(db, { signer: s.signer, now: () => CLOCK });
    const json = a.files.get(`avis/${first.number}.json`)!;
    expect(json.equals(b.files.get(`avis/${first.number}.json`)!)).toBe(true);
    const parsed = JSON.parse(json.toString('utf8')) as AvisDocument;
    expect(parsed.recusals.map((r) => [r.memberId, r.source, r.linkKind])).toEqual([
      [expert, 'detected', null],
      [declared, 'declared', 'elu'],
    ]);
    expect(a.files.get(`avis/${first.number}.pdf`)!.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('leaves a recused member’s own review out of the avis (findings, scores, lead avis) but lists the recusal', () => {
    const s = demoStore();
    cleanup = s.cleanup;
    const db = s.store.db;
    const campaignId = (db.prepare('SELECT id FROM campaigns').get() as { id: number }).id;
    const first = db.prepare('SELECT id, number FROM dossiers ORDER BY deposited_at, number LIMIT 1').get() as { id: number; number: number };
    const reviewers = () => collectAvis(db, campaignId, 'all').find((a) => a.dossier.number === first.number)!;
    const before = reviewers();
    expect(before.scores.length).toBe(2);
    const [kept, recused] = before.scores.map((r) => r.memberId) as [number, number];
    // The second reviewer turns out to sit on the structure's board: declared, hence confirmed.
    declareLink(db, { memberId: recused, kind: 'administrateur', dossierId: first.id }, { memberId: s.memberId }, new Date('2026-05-04T10:00:00.000Z'));
    const after = reviewers();
    expect(after.scores.map((r) => r.memberId)).toEqual([kept]);
    expect(after.eligibility.members.map((m) => m.memberId)).toEqual([kept]);
    expect(after.admissibility.decisions.every((d) => d.memberId === kept)).toBe(true);
    expect(after.recusals.map((r) => r.memberId)).toEqual([recused]);
    expect(after.members.map((m) => m.id)).toContain(recused);
  });
});
