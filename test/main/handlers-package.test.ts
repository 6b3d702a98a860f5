import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openRuntime, type Runtime, type RuntimeOptions } from '../../main/core/runtime';
import { seedDemo } from '../../main/core/demo';
import { nullLogger } from '../../main/core/log';
import { passphraseProtector } from '../../main/core/keys/protector';
import { getMemberKey } from '../../main/core/keys/keys';
import { tempDir } from '../support/tmp';
import { Readable } from 'node:stream';
import { storeBlobStream } from '../../main/core/import/blobs';
import { readZipEntries } from '../../main/core/package/verify';

let runtime: Runtime | undefined;
let cleanup = () => {};
afterEach(() => {
  runtime?.close();
  runtime = undefined;
  cleanup();
});

const NOW = new Date(Date.UTC(2021, 6, 9, 8, 0));

function open(overrides: Partial<RuntimeOptions> = {}) {
  const t = tempDir();
  cleanup = t.cleanup;
  const events: { event: string; payload: unknown }[] = [];
  const asked: string[] = [];
  let verifyAnswer: string | null = null;
  runtime = openRuntime({
    dbPath: join(t.dir, 'store.sqlite'),
    log: nullLogger,
    now: () => NOW,
    emit: (event, payload) => events.push({ event, payload }),
    keyProtector: passphraseProtector('test passphrase'),
    dialogs: {
      chooseArchiveDestination: async () => null,
      chooseArchiveToRestore: async () => null,
      chooseExportDestination: async (name) => {
        asked.push(name);
        return join(t.dir, name);
      },
      choosePackageToVerify: async () => verifyAnswer,
    },
    ...overrides,
  });
  seedDemo(runtime.store.db, NOW);
  const campaignId = (runtime.store.db.prepare('SELECT id FROM campaigns').get() as { id: number }).id;
  return { rt: runtime, dir: t.dir, events, asked, campaignId, answerVerify: (p: string | null) => (verifyAnswer = p) };
}

describe('package handlers', () => {
  it('plans the export: ready dossiers, and why the others are not ready', async () => {
    const { rt, campaignId } = open();
    const plan = await rt.handlers['package:plan']({ campaignId });
    expect(plan.defaultFileName).toMatch(/^avis-ptce_\d{2}_[a-z0-9-]+_2021-07-09\.zip$/);
    expect(plan.ready).toBe(3);
    expect(plan.signer).toMatchObject({ name: 'Camille Rousseau', role: 'correspondant', keyFingerprint: null });
    const byNumber = Object.fromEntries(plan.dossiers.map((d) => [d.number, d]));
    expect(byNumber[4813832]).toMatchObject({ state: 'draft', reason: 'drafts_only', drafts: 1 });
    expect(byNumber[4916164]).toMatchObject({ state: 'draft', reason: 'no_review', drafts: 0 });
    expect(byNumber[5349504]).toMatchObject({ state: 'ready', reason: null });
    expect(await rt.dispatch('package:plan', { campaignId: 999 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('exports: creates the signer key on first use, reports progress, returns the file SHA-256; verify accepts it', async () => {
    const { rt, campaignId, events, asked, dir } = open();
    const out = await rt.handlers['package:export']({ campaignId, dossiers: 'ready' });
    expect(out).not.toBeNull();
    expect(asked).toHaveLength(1);
    expect(out!.path).toBe(join(dir, asked[0]!));
    expect(out!.dossiers).toBe(3);
    expect(out!.draft).toBe(false);
    expect(out!.keyCreated).toBe(true);
    const bytes = readFileSync(out!.path);
    expect(out!.size).toBe(bytes.length);
    expect(out!.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    const key = getMemberKey(rt.store.db, 1)!;
    expect(key.protection).toBe('passphrase-scrypt-aes256gcm');
    expect(out!.keyFingerprint).toBe(key.fingerprint);
    const progress = events.filter((e) => e.event === 'package:progress').map((e) => e.payload);
    expect(progress[0]).toEqual({ done: 0, total: 3 });
    expect(progress.at(-1)).toEqual({ done: 3, total: 3 });

    const v = await rt.handlers['package:verify']({ path: out!.path });
    expect(v).toMatchObject({
      ok: true,
      formatVersion: 1,
      dossiers: 3,
      draft: false,
      signer: { name: 'Camille Rousseau', keyFingerprint: key.fingerprint, authenticated: false },
      reasons: [],
    });

    // The second export (same name: it replaces the first) reuses the key.
    const again = await rt.handlers['package:export']({ campaignId, dossiers: 'all' });
    expect(again).toMatchObject({ keyCreated: false, dossiers: 6, draft: true, keyFingerprint: key.fingerprint });

    expect(await rt.handlers['package:verify']({ path: out!.path })).toMatchObject({ ok: true, dossiers: 6, draft: true });
  });

  it('exports with the dossiers’ attachments when asked (withAttachments), streamed from the store’s blob folder', async () => {
    const { rt, campaignId } = open();
    const piece = Buffer.from('%PDF-1.4 pièce du dossier');
    const blob = await storeBlobStream(rt.store.paths.filesDir, Readable.from([piece]), { maxBytes: 1 << 20 });
    const { id, number } = rt.store.db
      .prepare("SELECT d.id, d.number FROM dossiers d JOIN reviews r ON r.dossier_id = d.id WHERE r.status = 'submitted' ORDER BY d.number LIMIT 1")
      .get() as { id: number; number: number };
    rt.store.db
      .prepare("INSERT INTO attachments (dossier_id, sha256, filename, size, media_type, kind) VALUES (?, ?, 'statuts.pdf', ?, 'application/pdf', 'piece')")
      .run(id, blob.sha256, blob.size);
    const plain = await rt.handlers['package:export']({ campaignId, dossiers: 'ready' });
    expect((await readZipEntries(readFileSync(plain!.path))).files.has(`pieces/${number}/statuts.pdf`)).toBe(false);
    const out = await rt.handlers['package:export']({ campaignId, dossiers: 'ready', withAttachments: true });
    const bytes = readFileSync(out!.path);
    expect((await readZipEntries(bytes)).files.get(`pieces/${number}/statuts.pdf`)!.equals(piece)).toBe(true);
    expect(out!.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(await rt.handlers['package:verify']({ path: out!.path })).toMatchObject({ ok: true, reasons: [] });
  });

  it('verify reports the precise reason for a tampered package, and the dialog answer when no path is given', async () => {
    const { rt, campaignId, dir, answerVerify } = open();
    const out = (await rt.handlers['package:export']({ campaignId, dossiers: 'ready' }))!;
    const bytes = readFileSync(out.path);
    // Flip one byte inside journal.jsonl (stored entries: the content is in clear in the ZIP).
    const at = bytes.indexOf(Buffer.from('"action":"'));
    expect(at).toBeGreaterThan(0);
    bytes[at + 11] = bytes[at + 11]! ^ 0x01;
    const tampered = join(dir, 'tampered.zip');
    writeFileSync(tampered, bytes);
    answerVerify(tampered);
    const v = await rt.handlers['package:verify']({});
    expect(v?.ok).toBe(false);
    expect(v?.file).toBe(tampered);
    expect(v?.reasons.map((x) => x.code)).toContain('file_changed');
    expect(v?.reasons.find((x) => x.code === 'file_changed')?.path).toBe('journal.jsonl');

    answerVerify(null);
    expect(await rt.handlers['package:verify']({})).toBeNull();
    expect(await rt.dispatch('package:verify', { path: join(dir, 'nope.zip') })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await rt.dispatch('package:verify', { path: dir })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('refuses without a key protector or an active member, and writes nothing when the dialog is cancelled', async () => {
    const a = open({ keyProtector: undefined });
    expect(await a.rt.dispatch('package:export', { campaignId: a.campaignId })).toMatchObject({
      ok: false,
      error: { code: 'key_storage_unavailable' },
    });
    expect(getMemberKey(a.rt.store.db, 1)).toBeUndefined();
    a.rt.close();
    cleanup();

    const b = open({
      dialogs: { chooseArchiveDestination: async () => null, chooseArchiveToRestore: async () => null, chooseExportDestination: async () => null },
    });
    expect(await b.rt.handlers['package:export']({ campaignId: b.campaignId, dossiers: 'ready' })).toBeNull();
    expect(getMemberKey(b.rt.store.db, 1)).toBeUndefined();
    b.rt.store.db.prepare("DELETE FROM settings WHERE key = 'review.activeMember'").run();
    expect(await b.rt.dispatch('package:export', { campaignId: b.campaignId })).toMatchObject({ ok: false, error: { code: 'member_required' } });
    expect(existsSync(join(b.dir, 'x'))).toBe(false);
  });
});
