import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tempDir } from '../../support/tmp';
import { makePki, type TestPki } from './pki';
import { entries, flip, rezip } from './tamper-support';
import { Store } from '../../../main/core/store/store';
import { storeBlobStream } from '../../../main/core/import/blobs';

const ROOT = resolve(__dirname, '../../..');
const CLOCK = '2026-06-15T08:30:00.000Z';
let t: ReturnType<typeof tempDir>;
let db: string;
let pki: TestPki;
let piecePath = '';

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'main/cli/index.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, LANG: 'fr_FR.UTF-8', COMITE_PTCE_PASSPHRASE: 'cli passphrase', COMITE_PTCE_CLOCK: CLOCK, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  t = tempDir();
  db = join(t.dir, 'store.sqlite');
  pki = makePki(join(t.dir, 'pki'), new Date(CLOCK));
  expect(cli(['--db', db, 'demo']).code).toBe(0);
});
afterAll(() => t.cleanup());

describe('comite-ptce key / export / verify', () => {
  it('creates the active member’s key, shows its fingerprint and public PEM, refuses a second key', () => {
    const created = cli(['--db', db, 'key', 'create']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/Camille Rousseau.*Empreinte : ([0-9A-F]{4} ){15}[0-9A-F]{4}/);
    const pem = cli(['--db', db, 'key', 'show', '--public-pem']);
    expect(pem.stdout).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+-----END PUBLIC KEY-----\n$/);
    writeFileSync(join(t.dir, 'pub.pem'), pem.stdout);
    const again = cli(['--db', db, 'key', 'create', '--member', 'camille rousseau']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('déjà une clé');
    const none = cli(['--db', db, 'key', 'create'], { COMITE_PTCE_PASSPHRASE: '' });
    expect(none.code).toBe(2);
  });

  it('exports a signed package with CMS and verifies it (exit 0), with --json', () => {
    const out = join(t.dir, 'out');
    mkdirSync(out);
    const r = cli(['--db', db, 'export', '--out', out, '--p12', pki.p12('signer'), '--password-env', 'P12_PASS'], { P12_PASS: pki.password });
    expect(r.code, r.stderr).toBe(0);
    const [file] = readdirSync(out);
    expect(file).toMatch(/^avis-ptce_27_.+_2026-06-15\.zip$/);
    const path = join(out, file!);
    const v = cli(['verify', path, '--pubkey', join(t.dir, 'pub.pem'), '--ca', pki.caPath, '--json']);
    expect(v.code, v.stdout).toBe(0);
    expect(JSON.parse(v.stdout)).toMatchObject({ ok: true, reasons: [], signer: { authenticated: true, name: 'Camille Rousseau' } });
    const unpinned = cli(['verify', path]);
    expect(unpinned.code).toBe(0);
    expect(unpinned.stdout).toContain('non authentifié');
    // A second export with the same clock is byte-identical.
    const again = join(t.dir, 'again.zip');
    expect(cli(['--db', db, 'export', '--out', again, '--p12', pki.p12('signer'), '--password-env', 'P12_PASS'], { P12_PASS: pki.password }).code).toBe(0);
    expect(readFileSync(again).equals(readFileSync(path))).toBe(true);
  });

  it('verify exits 1 with the reasons on a tampered package', async () => {
    const good = join(t.dir, 'plain.zip');
    expect(cli(['--db', db, 'export', '--out', good, '--dossiers', 'all']).code).toBe(0);
    const bad = await rezip(readFileSync(good), (f) => f.set('synthese.csv', flip(f.get('synthese.csv')!)));
    writeFileSync(join(t.dir, 'bad.zip'), bad);
    const v = cli(['verify', join(t.dir, 'bad.zip'), '--pubkey', join(t.dir, 'pub.pem')]);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain('file_changed');
    expect(v.stdout).toContain('synthese.csv');
  });

  it('export --with-attachments puts the dossiers’ pieces in the package (streamed from the blob store); verify accepts it and rejects a changed piece', async () => {
    const piece = randomBytes(300_000);
    const store = Store.open(db);
    try {
      const blob = await storeBlobStream(store.paths.filesDir, Readable.from([piece]), { maxBytes: 1 << 20 });
      const { id, number } = store.db.prepare('SELECT id, number FROM dossiers ORDER BY number LIMIT 1').get() as { id: number; number: number };
      store.db
        .prepare("INSERT INTO attachments (dossier_id, sha256, filename, size, media_type, kind) VALUES (?, ?, 'Relevé d’identité.pdf', ?, 'application/pdf', 'piece')")
        .run(id, blob.sha256, blob.size);
      piecePath = `pieces/${number}/Relevé d’identité.pdf`;
    } finally {
      store.close();
    }
    const file = join(t.dir, 'with-pieces.zip');
    const r = cli(['--db', db, 'export', '--out', file, '--dossiers', 'all', '--with-attachments', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { attachments: number; sha256: string; size: number };
    expect(out.attachments).toBe(1);
    const bytes = readFileSync(file);
    expect(out).toMatchObject({ size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    expect((await entries(bytes)).get(piecePath)!.equals(piece)).toBe(true);
    const v = cli(['verify', file, '--pubkey', join(t.dir, 'pub.pem'), '--json']);
    expect(v.code, v.stdout).toBe(0);
    // Without the option, no piece.
    const plain = join(t.dir, 'without-pieces.zip');
    expect(cli(['--db', db, 'export', '--out', plain, '--dossiers', 'all']).code).toBe(0);
    expect([...(await entries(readFileSync(plain))).keys()].some((p) => p.startsWith('pieces/'))).toBe(false);
    writeFileSync(join(t.dir, 'bad-piece.zip'), await rezip(bytes, (f) => f.set(piecePath, flip(f.get(piecePath)!))));
    const bad = cli(['verify', join(t.dir, 'bad-piece.zip'), '--pubkey', join(t.dir, 'pub.pem')]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('file_changed');
  });

  it('export refuses an expired certificate, a bad --dossiers value and a wrong passphrase', () => {
    const expired = cli(['--db', db, 'export', '--out', join(t.dir, 'e.zip'), '--p12', pki.p12('expired'), '--password-env', 'P12_PASS'], {
      P12_PASS: pki.password,
    });
    expect(expired.code).toBe(1);
    expect(expired.stderr).toContain('expiré');
    expect(cli(['--db', db, 'export', '--out', join(t.dir, 'e.zip'), '--dossiers', 'some']).code).toBe(2);
    const wrong = cli(['--db', db, 'export', '--out', join(t.dir, 'e.zip')], { COMITE_PTCE_PASSPHRASE: 'wrong' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('phrase secrète');
  });
});
