import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openRuntime, type Runtime } from '../../main/core/runtime';
import { seedDemo, seedDemoDossiers } from '../../main/core/demo';
import { nullLogger } from '../../main/core/log';
import { createMember } from '../../main/core/review/members';
import { createMemberKey, getMemberKey } from '../../main/core/keys/keys';
import { passphraseProtector, type KeyProtector } from '../../main/core/keys/protector';
import { tempDir } from '../support/tmp';
import { flip, rezip } from './package/tamper-support';

const runtimes: Runtime[] = [];
const temps: { cleanup: () => void }[] = [];
afterEach(() => {
  for (const r of runtimes.splice(0)) r.close();
  for (const t of temps.splice(0)) t.cleanup();
});

function open(
  name: string,
  save: { path: string | null },
  pick: { path: string | null } = { path: null },
  keyProtector?: KeyProtector,
) {
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
    keyProtector,
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
    expect(exported).toEqual({ file: save.path, count: expect.any(Number), keyFingerprint: key.fingerprint, keyCreated: false });
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

  it('signs with the app’s key protector: the key is created on the first export (not when cancelled), then reused', async () => {
    const save: { path: string | null } = { path: null };
    // A fake OS keystore (its kind differs from the passphrase protector's, like safeStorage's).
    const sealed = new Map<string, Buffer>();
    const keystore: KeyProtector = {
      kind: 'test-keystore',
      protect: (plain) => {
        const handle = Buffer.from(`sealed-${sealed.size}`);
        sealed.set(handle.toString(), Buffer.from(plain));
        return handle;
      },
      unprotect: (handle) => Buffer.from(sealed.get(handle.toString())!),
    };
    const home = open('keystore', save, { path: null }, keystore);
    seedDemo(home.rt.store.db, new Date('2026-05-01T08:00:00Z'));
    const members = await home.rt.handlers['member:list']({});
    const yann = members.find((m) => m.name === 'Yann Leroy')!;
    const camille = members.find((m) => m.name === 'Camille Rousseau')!;
    const campaignId = (await home.rt.handlers['campaign:list']({}))[0]!.id;

    expect(await home.rt.handlers['contribution:signing']({ memberId: yann.id })).toEqual({ memberId: yann.id, keyFingerprint: null, passphrase: false });
    // Cancelled: no key is created.
    expect(await home.rt.handlers['contribution:export']({ memberId: yann.id, campaignId })).toBeNull();
    expect(getMemberKey(home.rt.store.db, yann.id)).toBeUndefined();

    save.path = join(home.dir, 'yann.zip');
    const first = await home.rt.handlers['contribution:export']({ memberId: yann.id, campaignId });
    const key = getMemberKey(home.rt.store.db, yann.id)!;
    expect(key.protection).toBe('test-keystore');
    expect(first).toMatchObject({ file: save.path, keyFingerprint: key.fingerprint, keyCreated: true });
    expect(sealed.size).toBe(1);
    const again = await home.rt.handlers['contribution:export']({ memberId: yann.id, campaignId });
    expect(again).toMatchObject({ keyFingerprint: key.fingerprint, keyCreated: false });
    expect(sealed.size).toBe(1);
    expect(await home.rt.handlers['contribution:signing']({ memberId: yann.id })).toEqual({
      memberId: yann.id,
      keyFingerprint: key.fingerprint,
      passphrase: false,
    });
    expect(existsSync(save.path)).toBe(true);

    // Camille's key was sealed with a passphrase (the CLI): the page asks for it, and it unlocks it.
    const cliKey = createMemberKey(home.rt.store.db, camille.id, passphraseProtector('phrase de Camille'), new Date());
    expect(await home.rt.handlers['contribution:signing']({ memberId: camille.id })).toMatchObject({ passphrase: true });
    expect(await home.rt.dispatch('contribution:export', { memberId: camille.id, campaignId })).toMatchObject({
      ok: false,
      error: { code: 'key_passphrase' },
    });
    expect(await home.rt.handlers['contribution:export']({ memberId: camille.id, campaignId, passphrase: 'phrase de Camille' })).toMatchObject({
      keyFingerprint: cliKey.fingerprint,
      keyCreated: false,
    });
  });

  it('without a key protector: a passphrase is asked, and never creates a key', async () => {
    const home = open('nokeystore', { path: null });
    seedDemo(home.rt.store.db, new Date('2026-05-01T08:00:00Z'));
    const yann = (await home.rt.handlers['member:list']({})).find((m) => m.name === 'Yann Leroy')!;
    const campaignId = (await home.rt.handlers['campaign:list']({}))[0]!.id;
    expect(await home.rt.handlers['contribution:signing']({ memberId: yann.id })).toMatchObject({ passphrase: true, keyFingerprint: null });
    expect(await home.rt.dispatch('contribution:export', { memberId: yann.id, campaignId })).toMatchObject({
      ok: false,
      error: { code: 'key_storage_unavailable' },
    });
    expect(await home.rt.dispatch('contribution:export', { memberId: yann.id, campaignId, passphrase: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'key_missing' },
    });
    expect(getMemberKey(home.rt.store.db, yann.id)).toBeUndefined();
  });
});
