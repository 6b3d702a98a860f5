import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Database } from 'better-sqlite3';
import { buildPackage, exportPackage } from '../../../main/core/package/build';
import { sanitiseAttachmentName } from '../../../main/core/package/attachments';
import { verifyPackage, verifyPackageBytes } from '../../../main/core/package/verify';
import type { Manifest } from '../../../main/core/package/format';
import { storeBlobStream } from '../../../main/core/import/blobs';
import { attachmentPath } from '../../../main/core/store/paths';
import { AppFailure } from '../../../shared/errors';
import { CLOCK, demoStore } from './support';
import { entries, flip, rezip } from './tamper-support';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
let s: ReturnType<typeof demoStore>;
let numbers: number[];
const pieces = new Map<string, Buffer>();

/** Stores `data` in the blob store as the import does and links it to dossier `number`. */
async function addAttachment(db: Database, filesDir: string, number: number, filename: string, data: Buffer): Promise<void> {
  const blob = await storeBlobStream(filesDir, Readable.from([data]), { maxBytes: 1 << 30 });
  const { id } = db.prepare('SELECT id FROM dossiers WHERE number = ?').get(number) as { id: number };
  db.prepare(
    "INSERT INTO attachments (dossier_id, sha256, filename, size, media_type, kind, champ_label) VALUES (?, ?, ?, ?, 'application/pdf', 'piece', NULL)",
  ).run(id, blob.sha256, filename, blob.size);
}

beforeAll(async () => {
  s = demoStore();
  const db = s.store.db;
  numbers = (db.prepare('SELECT number FROM dossiers ORDER BY number').all() as { number: number }[]).map((r) => r.number);
  const [a, b] = numbers as [number, number];
  const big = randomBytes(2 * 1024 * 1024 + 3);
  const add = async (n: number, name: string, data: Buffer, expected: string) => {
    await addAttachment(db, s.store.paths.filesDir, n, name, data);
    pieces.set(expected, data);
  };
  await add(a, 'statuts.pdf', Buffer.from('%PDF-1.4 statuts'), `pieces/${a}/statuts (2).pdf`);
  await add(a, 'Budget/prévisionnel?.xlsx', Buffer.from('budget'), `pieces/${a}/Budget_prévisionnel_.xlsx`);
  // Same name but for the case: the second in (binary) name order gets « (2) ».
  await add(a, 'STATUTS.pdf', Buffer.from('%PDF-1.4 other statuts'), `pieces/${a}/STATUTS.pdf`);
  await add(b, 'scan.pdf', big, `pieces/${b}/scan.pdf`);
  // The same bytes attached to two dossiers: one blob, two entries.
  await add(b, 'statuts.pdf', Buffer.from('%PDF-1.4 statuts'), `pieces/${b}/statuts.pdf`);
});
afterAll(() => s.cleanup());

const opts = () => ({ signer: s.signer, now: () => CLOCK, dossiers: 'all' as const, attachments: { filesDir: s.store.paths.filesDir } });

describe('package with the dossiers’ attachments', () => {
  it('are off by default', async () => {
    const built = await buildPackage(s.store.db, { signer: s.signer, now: () => CLOCK, dossiers: 'all' });
    expect([...(await entries(built.zip)).keys()].some((p) => p.startsWith('pieces/'))).toBe(false);
  });

  it('round trip: pieces/<number>/<sanitised unique name>, listed with size and SHA-256 in the manifest and SHA256SUMS, accepted by verify and sha256sum -c', async () => {
    const out = join(s.dir, 'with.zip');
    const progress: { done: number; total: number; phase?: string }[] = [];
    const { built } = await exportPackage(s.store.db, out, { ...opts(), onProgress: (p) => progress.push(p) });
    // The progress goes through the avis, then through the pieces as they are written.
    const phases = progress.filter((p) => p.phase === 'pieces');
    expect(progress.indexOf(phases[0]!)).toBeGreaterThan(0);
    expect(phases.map((p) => p.done)).toEqual(Array.from({ length: pieces.size + 1 }, (_, i) => i));
    expect(phases.every((p) => p.total === pieces.size)).toBe(true);
    const zip = readFileSync(out);
    const files = await entries(zip);
    const names = [...files.keys()].filter((p) => p.startsWith('pieces/'));
    expect(names.sort()).toEqual([...pieces.keys()].sort());
    for (const [p, data] of pieces) expect(files.get(p)!.equals(data), p).toBe(true);
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8')) as Manifest;
    for (const [p, data] of pieces) expect(manifest.files).toContainEqual({ path: p, size: data.length, sha256: sha256(data) });
    const sums = files.get('SHA256SUMS')!.toString('utf8');
    for (const [p, data] of pieces) expect(sums).toContain(`${sha256(data)}  ${p}\n`);
    expect(built.attachments).toHaveLength(pieces.size);
    expect(await verifyPackage(out)).toMatchObject({ ok: true, reasons: [] });
    const x = join(s.dir, 'x');
    mkdirSync(x);
    execFileSync('unzip', ['-q', out, '-d', x]);
    expect(execFileSync('sha256sum', ['-c', '--strict', 'SHA256SUMS'], { cwd: x, encoding: 'utf8' })).toContain(`pieces/${numbers[1]}/scan.pdf: OK`);
  });

  it('is deterministic: the streamed file equals the in-memory build, twice', async () => {
    const a = join(s.dir, 'a.zip');
    const b = join(s.dir, 'b.zip');
    const ea = await exportPackage(s.store.db, a, opts());
    await exportPackage(s.store.db, b, opts());
    const bytes = readFileSync(a);
    expect(bytes.equals(readFileSync(b))).toBe(true);
    expect(bytes.equals((await buildPackage(s.store.db, opts())).zip)).toBe(true);
    expect(ea.built.sha256).toBe(sha256(bytes));
  });

  it('rejects a package whose attachment was changed, swapped or removed', async () => {
    const zip = readFileSync(join(s.dir, 'with.zip'));
    const scan = `pieces/${numbers[1]}/scan.pdf`;
    const flipped = await verifyPackageBytes(await rezip(zip, (f) => f.set(scan, flip(f.get(scan)!))));
    expect(flipped.ok).toBe(false);
    expect(flipped.reasons).toContainEqual({ code: 'file_changed', path: scan });
    const removed = await verifyPackageBytes(await rezip(zip, (f) => f.delete(scan)));
    expect(removed.reasons).toContainEqual({ code: 'file_missing', path: scan });
    const added = await verifyPackageBytes(await rezip(zip, (f) => f.set(`pieces/${numbers[1]}/extra.pdf`, Buffer.from('x'))));
    expect(added.reasons).toContainEqual({ code: 'file_unlisted', path: `pieces/${numbers[1]}/extra.pdf` });
  });

  it('verify reads the file in a stream: a truncated or foreign file is unreadable, not a crash', async () => {
    const zip = readFileSync(join(s.dir, 'with.zip'));
    const cut = join(s.dir, 'cut.zip');
    // The central directory kept, the data of the big piece cut short: entries overflow the file.
    writeFileSync(cut, Buffer.concat([zip.subarray(0, 1000), zip.subarray(zip.length - 60_000)]));
    expect((await verifyPackage(cut)).reasons[0]).toMatchObject({ code: 'zip_unreadable' });
    writeFileSync(cut, randomBytes(5000));
    expect((await verifyPackage(cut)).reasons[0]).toMatchObject({ code: 'zip_unreadable' });
  });

  it('stops the export (old file kept, no package written) when a blob changed in the store', async () => {
    const out = join(s.dir, 'with.zip');
    const before = readFileSync(out);
    const data = pieces.get(`pieces/${numbers[1]}/scan.pdf`)!;
    const blob = attachmentPath(s.store.paths.filesDir, sha256(data));
    writeFileSync(blob, flip(data));
    try {
      const err = await exportPackage(s.store.db, out, opts()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppFailure);
      expect(err).toMatchObject({ code: 'package_attachment_invalid', params: { dossier: numbers[1] } });
      expect(readFileSync(out).equals(before)).toBe(true);
    } finally {
      writeFileSync(blob, data);
    }
    // A blob missing from the store: same refusal, with the reason.
    renameSync(blob, `${blob}.away`);
    try {
      await expect(exportPackage(s.store.db, out, opts())).rejects.toMatchObject({ code: 'package_attachment_invalid', params: { dossier: numbers[1], reason: 'missing' } });
      expect(readFileSync(out).equals(before)).toBe(true);
    } finally {
      renameSync(`${blob}.away`, blob);
    }
  });

  it('sanitises names for every system', () => {
    expect(sanitiseAttachmentName('a/b\\c:d*e?f"g<h>i|j.pdf')).toBe('a_b_c_d_e_f_g_h_i_j.pdf');
    expect(sanitiseAttachmentName('../../etc/passwd')).toBe('_.._etc_passwd');
    expect(sanitiseAttachmentName('  .hidden. ')).toBe('hidden');
    expect(sanitiseAttachmentName('CON.txt')).toBe('_CON.txt');
    expect(sanitiseAttachmentName('')).toBe('piece');
    expect(sanitiseAttachmentName('e\u0301te\u0301.pdf')).toBe('été.pdf');
    const long = sanitiseAttachmentName('é'.repeat(200) + '.pdf');
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(150);
    expect(long.endsWith('.pdf')).toBe(true);
  });
});
