import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openRuntime, type Runtime } from '../../main/core/runtime';
import { seedDemo, seedDemoDossiers } from '../../main/core/demo';
import { nullLogger } from '../../main/core/log';
import { createMember } from '../../main/core/review/members';
import { createMemberKey } from '../../main/core/keys/keys';
import { passphraseProtector } from '../../main/core/keys/protector';
import { tempDir } from '../support/tmp';
import { flip, rezip } from './package/tamper-support';

const runtimes: Runtime[] = [];
const temps: { cleanup: () => void }[] = [];
afterEach(() => {
  for (const r of runtimes.splice(0)) r.close();
  for (const t of temps.splice(0)) t.cleanup();
});

function open(name: string, save: { path: string | null }, pick: { path: string | null } = { path: null }) {
  const t = tempDir();
  temps.push(t);
  let minute = 0;
  const rt = openRuntime({
    dbPath: join(t.dir, `${name}.sqlite`),
    log: nullLogger,
    now: () => new Date(Date.UTC(2026, 5, 1, 8, minute++)),
    dialogs: {
      chooseArchiveDestination: async () => null,
      chooseArchiveToRestore: async () => null,
      chooseContributionDestination: async () => save.path,
      chooseContributionFile: async () => pick.path,
    },
  });
  runtimes.push(rt);
  return { rt, dir: t.dir };
}

describe('contribution handlers', () => {
  it('export (save dialog) → register key → import twice → tamper refused; XLSX grid exported', async () => {
    const save: { path: string | null } = { path: null };
    const home = open('yann', save);
    // Yann's laptop: the demo (Camille's and Yann's reviews) and Yann's key.
    seedDemo(home.rt.store.db, new Date('2026-05-01T08:00:00Z'));
    const yann = (await home.rt.handlers['member:list']({})).find((m) => m.name === 'Yann Leroy')!;
    const key = createMemberKey(home.rt.store.db, yann.id, passphraseProtector('secret phrase'), new Date());
    const campaignId = (await home.rt.handlers['campaign:list']({}))[0]!.id;

    // Cancelled save dialog → null, nothing written; wrong passphrase → refused.
    expect(await home.rt.handlers['contribution:export']({ memberId: yann.id, campaignId, passphrase: 'secret phrase' })).toBeNull();
    expect(await home.rt.dispatch('contribution:export', { memberId: yann.id, campaignId, passphrase: 'wrong' })).toMatchObject({
      ok: false,
      error: { code: 'key_passphrase' },
    });
    save.path = join(home.dir, 'yann.zip');
    const exported = await home.rt.handlers['contribution:export']({ memberId: yann.id, campaignId, passphrase: 'secret phrase' });
    expect(exported).toEqual({ file: save.path, count: expect.any(Number) });
    expect(exported!.count).toBeGreaterThan(0);
    expect((await home.rt.handlers['contribution:keys']({}))[0]).toMatchObject({ memberId: yann.id, source: 'local', fingerprint: key.fingerprint });

    const pick: { path: string | null } = { path: save.path };
    const office = open('office', { path: null }, pick);
    seedDemoDossiers(office.rt.store.db, new Date('2026-05-01T08:00:00Z'));
    const camille = await office.rt.handlers['member:create']({ name: 'Camille Rousseau', role: 'correspondant', organisation: '', activate: true });
    const oYann = createMember(office.rt.store.db, { name: 'Yann Leroy', role: 'cress' }, { now: new Date() });

    expect(await office.rt.handlers['contribution:pickFile']({})).toBe(save.path);
    expect(await office.rt.dispatch('contribution:import', { path: save.path })).toMatchObject({
      ok: false,
      error: { code: 'contribution_unknown_key' },
    });
    const registered = await office.rt.handlers['contribution:registerKey']({ memberId: oYann.id, pem: key.publicPem });
    expect(registered).toMatchObject({ memberName: 'Yann Leroy', source: 'registered', fingerprint: key.fingerprint });
    expect(registered.fingerprintGroups).toMatch(/^([0-9A-F]{4} ){15}[0-9A-F]{4}$/);

    const first = await office.rt.handlers['contribution:import']({ path: save.path, expectedMemberId: oYann.id });
    expect(first).toMatchObject({ kind: 'contribution', memberName: 'Yann Leroy', unchanged: 0, conflicts: 0, skipped: [] });
    expect(first.applied).toBeGreaterThan(0);
    expect(await office.rt.handlers['contribution:import']({ path: save.path })).toMatchObject({ applied: 0, unchanged: first.applied });
    expect(await office.rt.handlers['contribution:conflicts']({})).toEqual([]);
    // The import is journaled as done by Camille (keyboard) for Yann.
    const entry = office.rt.store.db
      .prepare("SELECT member_id, keyboard_member_id FROM audit_journal WHERE entity = 'contribution' ORDER BY seq LIMIT 1")
      .get();
    expect(entry).toEqual({ member_id: oYann.id, keyboard_member_id: camille.id });

    const bad = join(office.dir, 'bad.zip');
    writeFileSync(bad, await rezip(readFileSync(save.path), (f) => f.set('contribution.json', flip(f.get('contribution.json')!))));
    expect(await office.rt.dispatch('contribution:import', { path: bad })).toMatchObject({ ok: false, error: { code: 'contribution_signature' } });

    // The grid for a member without the app, saved where chosen.
    save.path = join(home.dir, 'grille.xlsx');
    const grid = await home.rt.handlers['contribution:exportGrid']({ memberId: yann.id, campaignId });
    expect(grid).toEqual({ file: save.path, count: expect.any(Number) });
    expect(existsSync(save.path)).toBe(true);
  });
});
