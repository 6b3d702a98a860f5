import { afterEach, describe, expect, it } from 'vitest';
import { generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yazl from 'yazl';
import { AppFailure } from '../../../shared/errors';
import { getReview, reopenReview, saveReviewPatch, submitReview, type ReviewPatch } from '../../../main/core/review/reviews';
import { registerPublicKey } from '../../../main/core/committee/contribution-keys';
import { checkContribution, importContribution } from '../../../main/core/committee/contribution';
import { listOpenConflicts, resolveConflict } from '../../../main/core/committee/merge';
import { canonicalBytes } from '../../../main/core/package/format';
import { deterministicZip } from '../../../main/core/package/zip';
import { verifyJournal } from '../../../main/core/review/audit';
import { createCampaign } from '../../../main/core/store/campaigns';
import { DEFAULT_GRID } from '../../../main/core/grid';
import { at, cleanupMachines, exportTo, machine, memberKey, type Machine } from './support';
import { rezip, flip } from '../package/tamper-support';

afterEach(() => cleanupMachines());

const YANN = { name: 'Yann Leroy', role: 'cress' as const, organisation: 'CRESS' };
const ZOE = { name: 'Zoé Martin', role: 'expert' as const, organisation: 'PTCE compagnon' };
const CAMILLE = { name: 'Camille Rousseau', role: 'correspondant' as const, organisation: 'DREETS' };

async function refusal(p: Promise<unknown>): Promise<AppFailure> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppFailure) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

/** Every non-default cell a review holds, for comparing two machines. */
function content(m: Machine, number: number, memberId: number) {
  return getReview(m.db, m.dossier(number), memberId)?.content;
}

/** The correspondent's machine, Yann's and Zoé's, with both keys registered by the correspondent. */
function committee() {
  const yannM = machine([YANN]);
  const zoeM = machine([ZOE]);
  const corr = machine([CAMILLE, YANN, ZOE]);
  const yann = yannM.member(YANN.name);
  const zoe = zoeM.member(ZOE.name);
  const yKey = memberKey(yannM, yann);
  const zKey = memberKey(zoeM, zoe);
  const camille = corr.member(CAMILLE.name);
  registerPublicKey(corr.db, { memberId: corr.member(YANN.name), pem: yKey.publicPem, now: at(1), registeredBy: camille });
  registerPublicKey(corr.db, { memberId: corr.member(ZOE.name), pem: zKey.publicPem, now: at(2), registeredBy: camille });
  return { yannM, zoeM, corr, yann, zoe, yKey, zKey, camille, cy: corr.member(YANN.name), cz: corr.member(ZOE.name) };
}

describe('signed contributions: two members, two machines, one correspondent', () => {
  it('merges both exactly, re-importing changes nothing, a conflicting edit is surfaced then resolved', async () => {
    const c = committee();
    const [n1, n2, n3] = c.yannM.numbers as [number, number, number];
    const save = (m: Machine, member: number, n: number, patch: Parameters<typeof saveReviewPatch>[1]['patch'], min = 10) =>
      saveReviewPatch(m.db, { dossierId: m.dossier(n), memberId: member, patch, now: at(min) });
    save(c.yannM, c.yann, n1, {
      scores: { V1: { score: 3, justification: 'Très bon ancrage' }, V2: { score: 2 } },
      eligibility: { 'E-1': { answer: 'oui', note: 'ok' } },
      details: { avis: 'favorable', motivation: 'Projet solide', targets: { b: true } },
    });
    save(c.yannM, c.yann, n2, { scores: { O1: { score: 1 } } });
    save(c.zoeM, c.zoe, n1, { scores: { V1: { score: 1 }, E2: { score: 0, justification: 'Aucune donnée' } } });
    save(c.zoeM, c.zoe, n3, { details: { maturity: 'emergente' }, eligibility: { 'E-7': { answer: 'non' } } });

    const yFile = await exportTo(c.yannM, c.yann, c.yKey, 'yann.zip');
    const zFile = await exportTo(c.zoeM, c.zoe, c.zKey, 'zoe.zip');
    // The file is deterministic: the same state exports the same bytes.
    expect(readFileSync(await exportTo(c.yannM, c.yann, c.yKey, 'yann-again.zip'))).toEqual(readFileSync(yFile));

    const r1 = await importContribution(c.corr.db, yFile, { now: at(100), importerId: c.camille });
    // Yann: n1 has V1, V2, E-1, avis, motivation, targets.b = 6 cells; n2 has O1 = 1.
    expect(r1).toMatchObject({ memberId: c.cy, memberName: 'Yann Leroy', applied: 7, unchanged: 0, conflicts: 0, skipped: [] });
    const r2 = await importContribution(c.corr.db, zFile, { now: at(101), importerId: c.camille });
    expect(r2).toMatchObject({ memberId: c.cz, applied: 4, unchanged: 0, conflicts: 0 });
    const again = await importContribution(c.corr.db, yFile, { now: at(102), importerId: c.camille });
    expect(again).toMatchObject({ applied: 0, unchanged: 7, conflicts: 0 });

    // Exact: each member's reviews on the correspondent's machine equal the author's.
    for (const n of [n1, n2, n3]) {
      expect(content(c.corr, n, c.cy)).toEqual(content(c.yannM, n, c.yann));
      expect(content(c.corr, n, c.cz)).toEqual(content(c.zoeM, n, c.zoe));
    }
    expect(content(c.corr, n1, c.cy)?.scores.V1).toEqual({ score: 3, justification: 'Très bon ancrage' });

    // Yann changes V1 and V2 at home; meanwhile V1 was corrected on the correspondent's machine.
    save(c.yannM, c.yann, n1, { scores: { V1: { score: 2, justification: 'Ancrage à confirmer' }, V2: { score: 3 } } }, 200);
    saveReviewPatch(c.corr.db, { dossierId: c.corr.dossier(n1), memberId: c.cy, keyboardMemberId: c.camille, patch: { scores: { V1: { score: 1 } } }, now: at(201) });
    const y2 = await exportTo(c.yannM, c.yann, c.yKey, 'yann-2.zip', at(210));
    const r3 = await importContribution(c.corr.db, y2, { now: at(220), importerId: c.camille });
    expect(r3).toMatchObject({ applied: 1, unchanged: 5, conflicts: 1 });
    expect(content(c.corr, n1, c.cy)?.scores.V2?.score).toBe(3);
    // Not lost: the local value stays, both are listed side by side.
    expect(content(c.corr, n1, c.cy)?.scores.V1).toEqual({ score: 1, justification: 'Très bon ancrage' });
    const conflicts = listOpenConflicts(c.corr.db);
    expect(conflicts).toEqual([
      expect.objectContaining({
        memberId: c.cy,
        dossierNumber: n1,
        cell: 'scores/V1',
        local: { score: 1, justification: 'Très bon ancrage' },
        incoming: { score: 2, justification: 'Ancrage à confirmer' },
      }),
    ]);
    // The same file again: nothing applied, no second conflict.
    expect(await importContribution(c.corr.db, y2, { now: at(221), importerId: c.camille })).toMatchObject({ applied: 0, conflicts: 0 });
    expect(listOpenConflicts(c.corr.db)).toHaveLength(1);

    resolveConflict(c.corr.db, { conflictId: conflicts[0]!.id, choice: 'incoming', now: at(230), keyboardMemberId: c.camille });
    expect(listOpenConflicts(c.corr.db)).toEqual([]);
    expect(content(c.corr, n1, c.cy)).toEqual(content(c.yannM, n1, c.yann));
    expect(() => resolveConflict(c.corr.db, { conflictId: conflicts[0]!.id, choice: 'local', now: at(231), keyboardMemberId: c.camille })).toThrow(
      AppFailure,
    );

    // A later edit by Yann on the resolved cell applies again (the chosen value is the agreed base).
    save(c.yannM, c.yann, n1, { scores: { V1: { score: 3 } } }, 300);
    const y3 = await exportTo(c.yannM, c.yann, c.yKey, 'yann-3.zip', at(310));
    expect(await importContribution(c.corr.db, y3, { now: at(320), importerId: c.camille })).toMatchObject({ applied: 1, conflicts: 0 });
    expect(content(c.corr, n1, c.cy)?.scores.V1?.score).toBe(3);

    // Merges are journaled and the journal still verifies.
    const entries = c.corr.db.prepare("SELECT count(*) AS n FROM audit_journal WHERE entity = 'contribution' AND action = 'import'").get() as { n: number };
    expect(entries.n).toBe(6);
    expect(verifyJournal(c.corr.db)).toMatchObject({ ok: true });
  });

  it('keep local: the local value stays and becomes the agreed value', async () => {
    const c = committee();
    const n1 = c.yannM.numbers[0]!;
    saveReviewPatch(c.yannM.db, { dossierId: c.yannM.dossier(n1), memberId: c.yann, patch: { details: { motivation: 'A' } }, now: at(10) });
    saveReviewPatch(c.corr.db, { dossierId: c.corr.dossier(n1), memberId: c.cy, patch: { details: { motivation: 'B' } }, now: at(11) });
    const f = await exportTo(c.yannM, c.yann, c.yKey, 'y.zip');
    expect(await importContribution(c.corr.db, f, { now: at(20), importerId: c.camille })).toMatchObject({ applied: 0, conflicts: 1 });
    const [k] = listOpenConflicts(c.corr.db);
    expect(k).toMatchObject({ cell: 'details/motivation', local: 'B', incoming: 'A' });
    resolveConflict(c.corr.db, { conflictId: k!.id, choice: 'local', now: at(21), keyboardMemberId: c.camille });
    expect(content(c.corr, n1, c.cy)?.details.motivation).toBe('B');
  });

  it('skips and reports dossiers where the member has a confirmed conflict of interest', async () => {
    const c = committee();
    const [n1, n2] = c.zoeM.numbers as [number, number];
    for (const n of [n1, n2])
      saveReviewPatch(c.zoeM.db, { dossierId: c.zoeM.dossier(n), memberId: c.zoe, patch: { scores: { V1: { score: 2 } } }, now: at(10) });
    c.corr.db
      .prepare("INSERT INTO conflicts (member_id, dossier_id, source, status, created_at) VALUES (?, ?, 'declared', 'confirmed', ?)")
      .run(c.cz, c.corr.dossier(n2), at(5).toISOString());
    const r = await importContribution(c.corr.db, await exportTo(c.zoeM, c.zoe, c.zKey, 'z.zip'), { now: at(20), importerId: c.camille });
    expect(r).toMatchObject({ applied: 1, skipped: [{ number: n2, reason: 'conflict_of_interest' }] });
    expect(content(c.corr, n2, c.cz)).toBeUndefined();
  });
});

describe('the member’s review status travels with the contribution', () => {
  const ALL = ['V1', 'V2', 'V3', 'V4', 'V5', 'O1', 'O2', 'O3', 'E1', 'E2'];
  const full = (m: Machine, n: number, member: number): ReviewPatch => ({
    scores: Object.fromEntries(ALL.map((k) => [k, { score: 2 }])),
    eligibility: Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((i) => [`E-${i}`, { answer: 'oui' }])),
    admissibility: Object.fromEntries(
      (saveReviewPatch(m.db, { dossierId: m.dossier(n), memberId: member, patch: {}, now: at(9) }), getReview(m.db, m.dossier(n), member)!.findingKeys).map(
        (k) => [k, { decision: 'confirmed' }],
      ),
    ),
    details: { maturity: 'emergente', targets: { a: true, b: true, c: false }, avis: 'favorable', motivation: 'Dynamique réelle.' },
  });
  const status = (m: Machine, n: number, member: number) => getReview(m.db, m.dossier(n), member)?.status;
  const journal = (m: Machine, action: string) =>
    (m.db.prepare("SELECT count(*) AS n FROM audit_journal WHERE entity = 'review' AND action = ?").get(action) as { n: number }).n;
  const submittedCount = (m: Machine, n: number) =>
    (m.db.prepare('SELECT submitted_count AS n FROM dossier_review_stats WHERE dossier_id = ?').get(m.dossier(n)) as { n: number } | undefined)?.n ?? 0;

  it('submitted by the member → submitted here (journaled, counted); reopened → reopened; re-imports change nothing', async () => {
    const c = committee();
    const [n1, n2] = c.yannM.numbers as [number, number];
    const y = (n: number) => c.yannM.dossier(n);
    saveReviewPatch(c.yannM.db, { dossierId: y(n1), memberId: c.yann, patch: full(c.yannM, n1, c.yann), now: at(10) });
    expect(submitReview(c.yannM.db, { dossierId: y(n1), memberId: c.yann, now: at(11) })).toMatchObject({ ok: true });
    saveReviewPatch(c.yannM.db, { dossierId: y(n2), memberId: c.yann, patch: { scores: { V1: { score: 1 } } }, now: at(12) });

    const f1 = await exportTo(c.yannM, c.yann, c.yKey, 'y1.zip', at(13));
    const r1 = await importContribution(c.corr.db, f1, { now: at(20), importerId: c.camille });
    expect(r1).toMatchObject({ conflicts: 0, submitted: 1, reopened: 0, skipped: [] });
    expect(status(c.corr, n1, c.cy)).toBe('submitted');
    expect(status(c.corr, n2, c.cy)).toBe('draft');
    expect(submittedCount(c.corr, n1)).toBe(1);
    expect(journal(c.corr, 'submit')).toBe(1);
    expect(content(c.corr, n1, c.cy)).toEqual(content(c.yannM, n1, c.yann));

    // The same file again: nothing applied, nothing submitted, nothing journaled but the import itself.
    const reviews = () => c.corr.db.prepare('SELECT id, status, revision, updated_at FROM reviews ORDER BY id').all();
    const state = reviews();
    expect(await importContribution(c.corr.db, f1, { now: at(21), importerId: c.camille })).toMatchObject({ applied: 0, submitted: 0, reopened: 0 });
    expect(reviews()).toEqual(state);

    // Yann reopens his review at home and changes the motivation: reopened here, then merged.
    reopenReview(c.yannM.db, { dossierId: y(n1), memberId: c.yann, now: at(30) });
    saveReviewPatch(c.yannM.db, { dossierId: y(n1), memberId: c.yann, patch: { details: { motivation: 'À revoir.' } }, now: at(31) });
    const f2 = await exportTo(c.yannM, c.yann, c.yKey, 'y2.zip', at(32));
    const r2 = await importContribution(c.corr.db, f2, { now: at(40), importerId: c.camille });
    expect(r2).toMatchObject({ applied: 1, conflicts: 0, submitted: 0, reopened: 1, skipped: [] });
    expect(status(c.corr, n1, c.cy)).toBe('draft');
    expect(submittedCount(c.corr, n1)).toBe(0);
    expect(content(c.corr, n1, c.cy)?.details.motivation).toBe('À revoir.');
    expect(journal(c.corr, 'reopen')).toBe(1);
    const state2 = reviews();
    expect(await importContribution(c.corr.db, f2, { now: at(41), importerId: c.camille })).toMatchObject({ applied: 0, submitted: 0, reopened: 0 });
    expect(reviews()).toEqual(state2);
    // The older file (« submitted ») does not submit again what the member reopened since.
    expect(await importContribution(c.corr.db, f1, { now: at(42), importerId: c.camille })).toMatchObject({ applied: 0, submitted: 0 });
    expect(status(c.corr, n1, c.cy)).toBe('draft');

    // He submits again: submitted here again. The journal still verifies and the import entry reports it.
    submitReview(c.yannM.db, { dossierId: y(n1), memberId: c.yann, now: at(50) });
    const r3 = await importContribution(c.corr.db, await exportTo(c.yannM, c.yann, c.yKey, 'y3.zip', at(51)), { now: at(60), importerId: c.camille });
    expect(r3).toMatchObject({ applied: 0, submitted: 1, reopened: 0 });
    expect(status(c.corr, n1, c.cy)).toBe('submitted');
    const last = c.corr.db.prepare("SELECT after_json FROM audit_journal WHERE entity = 'contribution' ORDER BY seq DESC LIMIT 1").get() as { after_json: string };
    expect(JSON.parse(last.after_json)).toMatchObject({ submitted: 1, reopened: 0 });
    expect(verifyJournal(c.corr.db)).toMatchObject({ ok: true });
  });

  it('not submitted while a conflict on that review is open; not reopened when the local copy changed since the sync', async () => {
    const c = committee();
    const n1 = c.yannM.numbers[0]!;
    const y = c.yannM.dossier(n1);
    saveReviewPatch(c.yannM.db, { dossierId: y, memberId: c.yann, patch: full(c.yannM, n1, c.yann), now: at(10) });
    submitReview(c.yannM.db, { dossierId: y, memberId: c.yann, now: at(11) });
    // Meanwhile the motivation was typed differently here: a conflict, so the review stays a draft.
    saveReviewPatch(c.corr.db, { dossierId: c.corr.dossier(n1), memberId: c.cy, patch: { details: { motivation: 'Autre' } }, now: at(12) });
    const f1 = await exportTo(c.yannM, c.yann, c.yKey, 'y1.zip', at(13));
    expect(await importContribution(c.corr.db, f1, { now: at(20), importerId: c.camille })).toMatchObject({ conflicts: 1, submitted: 0 });
    expect(status(c.corr, n1, c.cy)).toBe('draft');
    // Settled in favour of Yann's text: the next import submits it.
    resolveConflict(c.corr.db, { conflictId: listOpenConflicts(c.corr.db)[0]!.id, choice: 'incoming', now: at(21), keyboardMemberId: c.camille });
    expect(await importContribution(c.corr.db, f1, { now: at(22), importerId: c.camille })).toMatchObject({ applied: 0, submitted: 1 });
    expect(status(c.corr, n1, c.cy)).toBe('submitted');

    // Here the review is reopened and submitted again (changed since the sync); Yann reopens at home.
    reopenReview(c.corr.db, { dossierId: c.corr.dossier(n1), memberId: c.cy, keyboardMemberId: c.camille, now: at(30) });
    submitReview(c.corr.db, { dossierId: c.corr.dossier(n1), memberId: c.cy, keyboardMemberId: c.camille, now: at(31) });
    reopenReview(c.yannM.db, { dossierId: y, memberId: c.yann, now: at(32) });
    const f2 = await exportTo(c.yannM, c.yann, c.yKey, 'y2.zip', at(33));
    expect(await importContribution(c.corr.db, f2, { now: at(40), importerId: c.camille })).toMatchObject({ reopened: 0, applied: 0 });
    expect(status(c.corr, n1, c.cy)).toBe('submitted');
  });
});

describe('dossiers that cannot take the merge are skipped, and leave nothing behind', () => {
  it('a review submitted here (locked) and a dossier unknown here', async () => {
    const c = committee();
    const [n1, n2, n3] = c.yannM.numbers as [number, number, number];
    for (const n of [n1, n2, n3])
      saveReviewPatch(c.yannM.db, { dossierId: c.yannM.dossier(n), memberId: c.yann, patch: { scores: { V1: { score: 2 } } }, now: at(10) });
    // Here, Yann's review of n1 exists and is submitted; n3 is not in the correspondent's campaign.
    saveReviewPatch(c.corr.db, { dossierId: c.corr.dossier(n1), memberId: c.cy, patch: { details: { motivation: 'x' } }, now: at(11) });
    c.corr.db.prepare("UPDATE reviews SET status = 'submitted' WHERE member_id = ?").run(c.cy);
    c.corr.db.prepare('DELETE FROM dossiers WHERE id = ?').run(c.corr.dossier(n3));
    const r = await importContribution(c.corr.db, await exportTo(c.yannM, c.yann, c.yKey, 'y.zip'), { now: at(20), importerId: c.camille });
    expect(r).toMatchObject({ applied: 1, conflicts: 0 });
    expect(r.skipped).toEqual(
      expect.arrayContaining([
        { number: n1, reason: 'locked' },
        { number: n3, reason: 'unknown_dossier' },
      ]),
    );
    expect(content(c.corr, n1, c.cy)?.scores.V1).toBeUndefined();
    // Nothing was recorded as synced for the locked dossier: once reopened, the same file applies.
    c.corr.db.prepare("UPDATE reviews SET status = 'draft' WHERE member_id = ?").run(c.cy);
    const again = await importContribution(c.corr.db, join(c.yannM.dir, 'y.zip'), { now: at(30), importerId: c.camille });
    expect(again).toMatchObject({ applied: 1, unchanged: 1 });
    expect(content(c.corr, n1, c.cy)?.scores.V1?.score).toBe(2);
  });
});

describe('refused contributions (nothing merged)', () => {
  async function setup() {
    const c = committee();
    const n1 = c.yannM.numbers[0]!;
    saveReviewPatch(c.yannM.db, { dossierId: c.yannM.dossier(n1), memberId: c.yann, patch: { scores: { V1: { score: 2 } } }, now: at(10) });
    const file = await exportTo(c.yannM, c.yann, c.yKey, 'y.zip');
    const write = (name: string, bytes: Buffer) => {
      const p = join(c.yannM.dir, name);
      writeFileSync(p, bytes);
      return p;
    };
    const reviewsCount = () => (c.corr.db.prepare('SELECT count(*) AS n FROM reviews').get() as { n: number }).n;
    return { ...c, file, write, reviewsCount };
  }

  it('tampered content → bad signature; flipped signature → bad signature', async () => {
    const s = await setup();
    const zip = readFileSync(s.file);
    const tampered = await rezip(zip, (f) => f.set('contribution.json', Buffer.from(f.get('contribution.json')!.toString().replace('"score":2', '"score":3'))));
    expect((await refusal(importContribution(s.corr.db, s.write('t.zip', tampered), { now: at(20), importerId: null }))).code).toBe(
      'contribution_signature',
    );
    const badSig = await rezip(zip, (f) => f.set('contribution.json.sig', flip(f.get('contribution.json.sig')!)));
    expect((await refusal(checkContribution(s.corr.db, s.write('s.zip', badSig)))).code).toBe('contribution_signature');
    expect(s.reviewsCount()).toBe(0);
  });

  it('unknown key, key of another member, key registered twice to two members', async () => {
    const s = await setup();
    // Signed by a key nobody registered (re-signed so the signature itself is valid).
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const stranger = await rezip(readFileSync(s.file), (f) => {
      const doc = JSON.parse(f.get('contribution.json')!.toString()) as { member: { fingerprint: string } };
      doc.member.fingerprint = 'f'.repeat(64);
      const json = canonicalBytes(doc);
      f.set('contribution.json', json);
      f.set('contribution.json.sig', sign(null, json, privateKey));
    });
    const unknown = await refusal(importContribution(s.corr.db, s.write('u.zip', stranger), { now: at(20), importerId: null }));
    expect(unknown.code).toBe('contribution_unknown_key');
    expect(String(unknown.params?.fingerprint)).toMatch(/^FFFF FFFF/);
    // The correspondent expected Zoé's contribution: Yann's key is refused with the owner's name.
    const other = await refusal(importContribution(s.corr.db, s.file, { now: at(20), importerId: null, expectedMemberId: s.cz }));
    expect(other).toMatchObject({ code: 'contribution_key_other_member', params: { member: 'Yann Leroy' } });
    // Registering Yann's key for Zoé is refused; a private key PEM is refused.
    expect(() => registerPublicKey(s.corr.db, { memberId: s.cz, pem: s.yKey.publicPem, now: at(3) })).toThrow(/contribution_key_other_member/);
    const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => registerPublicKey(s.corr.db, { memberId: s.cz, pem: privatePem, now: at(3) })).toThrow(/validation/);
    // Re-registering the same key for the same member is a no-op.
    expect(registerPublicKey(s.corr.db, { memberId: s.cy, pem: s.yKey.publicPem, now: at(3) }).created).toBe(false);
    void publicKey;
    expect(s.reviewsCount()).toBe(0);
  });

  it('other campaign, unknown format version, hostile archive, not a contribution', async () => {
    const s = await setup();
    // Yann's machine has another campaign (other region): the correspondent has none like it.
    const other = createCampaign(s.yannM.db, {
      name: 'Autre',
      ami: 'PTCE émergents',
      wave: 1,
      phase: 1,
      regionCode: '84',
      deadline: '2021-06-23T22:00:00.000Z',
      grid: DEFAULT_GRID,
      createdAt: at(0).toISOString(),
    });
    const { buildContribution } = await import('../../../main/core/committee/contribution');
    const { bytes } = await buildContribution(s.yannM.db, { memberId: s.yann, campaignId: other, now: at(30), signer: s.yKey });
    expect((await refusal(importContribution(s.corr.db, s.write('o.zip', bytes), { now: at(40), importerId: null }))).code).toBe(
      'contribution_campaign',
    );
    // A properly signed file of a future format version.
    const future = await rezip(readFileSync(s.file), (f) => {
      const doc = JSON.parse(f.get('contribution.json')!.toString()) as { formatVersion: number };
      doc.formatVersion = 2;
      const json = canonicalBytes(doc);
      f.set('contribution.json', json);
      f.set('contribution.json.sig', sign(null, json, s.yKey.privateKey));
    });
    expect(await refusal(checkContribution(s.corr.db, s.write('f.zip', future)))).toMatchObject({
      code: 'contribution_format',
      params: { version: '2' },
    });
    // Duplicate entries (a reviewer could be shown one and the app read the other).
    const zip = new yazl.ZipFile();
    zip.addBuffer(Buffer.from('{}'), 'contribution.json');
    zip.addBuffer(Buffer.from('{}'), 'contribution.json');
    zip.end();
    const chunks: Buffer[] = [];
    for await (const c of zip.outputStream as AsyncIterable<Buffer>) chunks.push(c);
    expect(await refusal(checkContribution(s.corr.db, s.write('d.zip', Buffer.concat(chunks))))).toMatchObject({
      code: 'contribution_hostile',
      params: { reason: 'duplicate_name' },
    });
    // An extra entry is refused; so is a file that is not a ZIP.
    const extra = await deterministicZip(new Map([...(await (await import('../package/tamper-support')).entries(readFileSync(s.file)))].concat([['x.txt', Buffer.from('x')]])));
    expect((await refusal(checkContribution(s.corr.db, s.write('e.zip', extra)))).code).toBe('contribution_tampered');
    expect((await refusal(checkContribution(s.corr.db, s.write('n.zip', Buffer.from('{"format":"x"}'))))).code).toBe('contribution_format');
    expect(s.reviewsCount()).toBe(0);
  });
});
