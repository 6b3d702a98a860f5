import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MIGRATIONS, LATEST_SCHEMA_VERSION } from '../../../main/core/db/migrations';
import { openDatabase } from '../../../main/core/db/open';
import { seedDemo } from '../../../main/core/demo';
import type { Logger } from '../../../main/core/log';
import { restoreArchive, writeArchive, type ArchiveLimits } from '../../../main/core/store/archive';
import { attachmentPath } from '../../../main/core/store/paths';
import { getSetting, setSetting } from '../../../main/core/store/settings';
import { Store } from '../../../main/core/store/store';
import { AppFailure } from '../../../shared/errors';
import { corruptTablePage } from '../../support/corrupt';
import { tempDir } from '../../support/tmp';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).reverse().forEach((c) => c()));

const NOW = new Date(Date.UTC(2024, 2, 1, 8, 0, 0));
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

function recordingLog() {
  const events: { event: string; data?: Record<string, unknown> }[] = [];
  const push = (event: string, data?: Record<string, unknown>) => void events.push({ event, data });
  const log: Logger = { info: push, warn: push, error: push };
  return { log, events, reasons: () => events.filter((e) => e.event === 'archive.restore_refused').map((e) => e.data?.reason) };
}

function putBlob(store: Store, content: string): string {
  const data = Buffer.from(content);
  const sha = sha256(data);
  const file = attachmentPath(store.paths.filesDir, sha);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, data);
  return sha;
}

/** A demo store with two attachments and a marker setting; `dir` is its folder. */
function makeStore(marker = 'archived') {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const store = Store.open(join(t.dir, 'store', 'store.sqlite'));
  cleanups.push(() => store.close());
  seedDemo(store.db, NOW);
  setSetting(store.db, 'marker', marker);
  const blobs = [putBlob(store, '%PDF-1.4 one'), putBlob(store, '%PDF-1.4 two')];
  return { store, dir: t.dir, blobs };
}

async function readZip(file: string): Promise<{ name: string; method: number; data: Buffer; mode: number }[]> {
  const zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false });
  const entries: yauzl.Entry[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (e: yauzl.Entry) => {
      entries.push(e);
      zip.readEntry();
    });
    zip.readEntry();
    zip.on('end', resolve);
    zip.on('error', reject);
  });
  const out = [];
  for (const e of entries) {
    const chunks: Buffer[] = [];
    for await (const c of await zip.openReadStreamPromise(e)) chunks.push(c as Buffer);
    out.push({ name: e.fileName, method: e.compressionMethod, data: Buffer.concat(chunks), mode: e.externalFileAttributes >>> 16 });
  }
  zip.close();
  return out;
}

/** Builds a zip from raw entries (names may be anything yazl accepts). */
async function buildZip(file: string, entries: { name: string; data: Buffer; mode?: number }[]): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const e of entries) zip.addBuffer(e.data, e.name, { compress: false, mode: e.mode ?? 0o100644 });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream as AsyncIterable<Buffer>) chunks.push(c);
  writeFileSync(file, Buffer.concat(chunks));
}

function manifestFor(entries: { name: string; data: Buffer }[], schema = LATEST_SCHEMA_VERSION): Buffer {
  return Buffer.from(
    JSON.stringify({
      format: 'comite-ptce-backup',
      version: 1,
      createdAt: NOW.toISOString(),
      appSchemaVersion: schema,
      entries: entries.map((e) => ({ name: e.name, size: e.data.length, sha256: sha256(e.data) })),
    }),
  );
}

/** The entries of a genuine archive of a fresh store (to tamper with). */
async function genuineEntries() {
  const { store, dir } = makeStore('from-archive');
  const file = join(dir, 'genuine.zip');
  await writeArchive(store, file, { now: NOW });
  return (await readZip(file)).map(({ name, data }) => ({ name, data }));
}

function expectIntact(store: Store, dir: string) {
  expect(getSetting(store.db, 'marker')).toBe('current');
  expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
  const leftovers = readdirSync(dirname(store.paths.dbPath)).filter((n) => n.includes('before-restore') || n.startsWith('.restore-'));
  expect(leftovers).toEqual([]);
  expect(existsSync(join(dir, 'evil.txt'))).toBe(false);
}

async function refusal(store: Store, file: string, limits?: Partial<ArchiveLimits>) {
  const { log, reasons } = recordingLog();
  let code = 'no error';
  try {
    await restoreArchive(store, file, { now: NOW, log, limits });
  } catch (e) {
    code = e instanceof AppFailure ? e.code : String(e);
  }
  return { code, reasons: reasons() };
}

describe('writeArchive', () => {
  it('writes one zip: sorted stored entries, a single-file database, every attachment, a manifest with sizes and hashes', async () => {
    const { store, dir, blobs } = makeStore();
    const dest = join(dir, 'out', 'comite-ptce-sauvegarde.comite-ptce.zip');
    const progress: { done: number; total: number }[] = [];
    const result = await writeArchive(store, dest, { now: NOW, onProgress: (p) => progress.push(p) });

    const entries = await readZip(dest);
    const names = entries.map((e) => e.name);
    expect(names).toEqual(
      ['archive.json', ...blobs.map((s) => `attachments/${s.slice(0, 2)}/${s}`).sort(), 'comite-ptce.sqlite'],
    );
    expect(entries.every((e) => e.method === 0 && e.mode === 0o100644)).toBe(true);
    const manifest = JSON.parse(entries[0]!.data.toString());
    expect(manifest).toMatchObject({ format: 'comite-ptce-backup', version: 1, createdAt: NOW.toISOString(), appSchemaVersion: LATEST_SCHEMA_VERSION });
    expect(manifest.entries).toEqual(entries.slice(1).map((e) => ({ name: e.name, size: e.data.length, sha256: sha256(e.data) })));

    const db = entries.at(-1)!.data;
    expect([db[18], db[19]]).toEqual([1, 1]); // rollback journal, not WAL: one self-contained file
    const copyFile = join(dir, 'copy.sqlite');
    writeFileSync(copyFile, db);
    const copy = new Database(copyFile, { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    expect((copy.prepare("SELECT value FROM settings WHERE key = 'marker'").get() as { value: string }).value).toBe('archived');
    copy.close();

    expect(result).toMatchObject({ file: dest, size: readFileSync(dest).length });
    expect(progress.at(-1)).toEqual({ done: progress.at(-1)!.total, total: progress.at(-1)!.total });
    expect(readdirSync(dirname(dest))).toEqual(['comite-ptce-sauvegarde.comite-ptce.zip']);
    expect(readdirSync(dirname(store.paths.dbPath)).filter((n) => n.startsWith('.archive-'))).toEqual([]);
  });

  it('replaces an existing destination atomically and leaves out a damaged blob (logged by hash only)', async () => {
    const { store, dir, blobs } = makeStore();
    const dest = join(dir, 'a.zip');
    writeFileSync(dest, 'previous');
    writeFileSync(attachmentPath(store.paths.filesDir, blobs[0]!), 'bit rot');
    const { log, events } = recordingLog();
    await writeArchive(store, dest, { now: NOW, log });
    const names = (await readZip(dest)).map((e) => e.name);
    expect(names.some((n) => n.endsWith(blobs[0]!))).toBe(false);
    expect(names.some((n) => n.endsWith(blobs[1]!))).toBe(true);
    expect(events).toContainEqual({ event: 'archive.attachment_mismatch', data: { sha256: blobs[0] } });
  });
});

describe('restoreArchive', () => {
  it('round trip: replaces the database, keeps the previous one aside, adds missing attachments', async () => {
    const { store, dir, blobs } = makeStore();
    const file = join(dir, 'save.zip');
    await writeArchive(store, file, { now: NOW });
    setSetting(store.db, 'marker', 'changed after the save');
    rmSync(attachmentPath(store.paths.filesDir, blobs[0]!));
    const newBlob = putBlob(store, 'added later');

    const result = await restoreArchive(store, file, { now: NOW });

    expect(result.restoredFrom).toBe(file);
    expect(getSetting(store.db, 'marker')).toBe('archived');
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(readFileSync(attachmentPath(store.paths.filesDir, blobs[0]!), 'utf8')).toBe('%PDF-1.4 one');
    expect(existsSync(attachmentPath(store.paths.filesDir, newBlob))).toBe(true);
    const previous = new Database(result.previousKeptAt, { readonly: true });
    expect((previous.prepare("SELECT value FROM settings WHERE key = 'marker'").get() as { value: string }).value).toBe(
      'changed after the save',
    );
    previous.close();
    expect(result.previousKeptAt).toMatch(/store\.sqlite\.before-restore-\d{8}T\d{9}Z\.sqlite$/);
  });

  it('restores an archive of an older schema and migrates it on reopen', async () => {
    const { store, dir } = makeStore('current');
    const oldDb = join(dir, 'old.sqlite');
    const old = openDatabase(oldDb, { migrations: MIGRATIONS.slice(0, 1) });
    old.prepare("INSERT INTO settings (key, value) VALUES ('marker', 'old schema')").run();
    old.pragma('journal_mode = DELETE');
    old.close();
    const data = readFileSync(oldDb);
    const file = join(dir, 'old.zip');
    const entries = [{ name: 'comite-ptce.sqlite', data }];
    await buildZip(file, [{ name: 'archive.json', data: manifestFor(entries, 1) }, ...entries]);
    await restoreArchive(store, file, { now: NOW });
    expect(getSetting(store.db, 'marker')).toBe('old schema');
    expect(store.db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
  });

  describe('refuses, with nothing replaced and the current data intact and readable', () => {
    async function setup() {
      const genuine = await genuineEntries();
      const { store, dir } = makeStore('current');
      return { genuine, store, dir, file: join(dir, 'bad.zip') };
    }

    it('a corrupt database inside the archive (hashes consistent)', async () => {
      const { genuine, store, dir, file } = await setup();
      const dbFile = join(dir, 'inner.sqlite');
      writeFileSync(dbFile, genuine.find((e) => e.name === 'comite-ptce.sqlite')!.data);
      corruptTablePage(dbFile);
      const entries = genuine.filter((e) => e.name !== 'archive.json').map((e) =>
        e.name === 'comite-ptce.sqlite' ? { name: e.name, data: readFileSync(dbFile) } : e,
      );
      await buildZip(file, [{ name: 'archive.json', data: manifestFor(entries) }, ...entries]);
      expect(await refusal(store, file)).toEqual({ code: 'backup_invalid', reasons: ['integrity_check'] });
      expectIntact(store, dir);
    });

    it('a database from a newer version of the app', async () => {
      const { store, dir, file } = await setup();
      const dbFile = join(dir, 'future.sqlite');
      const future = new Database(dbFile);
      future.exec('CREATE TABLE t (x INTEGER)');
      future.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
      future.close();
      const entries = [{ name: 'comite-ptce.sqlite', data: readFileSync(dbFile) }];
      await buildZip(file, [{ name: 'archive.json', data: manifestFor(entries) }, ...entries]);
      expect(await refusal(store, file)).toEqual({ code: 'backup_invalid', reasons: ['from_future'] });
      expectIntact(store, dir);
    });

    it('a wrong hash in archive.json', async () => {
      const { genuine, store, dir, file } = await setup();
      const manifest = JSON.parse(genuine[0]!.data.toString());
      manifest.entries[0].sha256 = 'f'.repeat(64);
      await buildZip(file, [{ name: 'archive.json', data: Buffer.from(JSON.stringify(manifest)) }, ...genuine.slice(1)]);
      expect(await refusal(store, file)).toEqual({ code: 'backup_invalid', reasons: ['hash_mismatch'] });
      expectIntact(store, dir);
    });

    it('an attachment whose content is not its name (manifest rewritten to match)', async () => {
      const { genuine, store, dir, file } = await setup();
      const entries = genuine.slice(1).map((e) => (e.name.startsWith('attachments/') ? { ...e, data: Buffer.from('swapped') } : e));
      await buildZip(file, [{ name: 'archive.json', data: manifestFor(entries) }, ...entries]);
      expect(await refusal(store, file)).toEqual({ code: 'backup_invalid', reasons: ['hash_mismatch'] });
      expectIntact(store, dir);
    });

    it('a zip slip entry (../evil.txt)', async () => {
      const { genuine, store, dir, file } = await setup();
      await buildZip(file, [...genuine, { name: 'ab/evil.txt', data: Buffer.from('pwned') }]);
      const bytes = readFileSync(file);
      const patched = Buffer.from(bytes.toString('latin1').replaceAll('ab/evil.txt', '../evil.txt'), 'latin1');
      expect(patched.equals(bytes)).toBe(false);
      writeFileSync(file, patched);
      expect((await refusal(store, file)).code).toBe('backup_invalid');
      expectIntact(store, dir);
      expect(existsSync(join(dirname(store.paths.dbPath), 'evil.txt'))).toBe(false);
    });

    it('a symlink entry', async () => {
      const { genuine, store, dir, file } = await setup();
      const blob = genuine.find((e) => e.name.startsWith('attachments/'))!;
      await buildZip(file, genuine.map((e) => (e === blob ? { ...e, data: Buffer.from('/etc/passwd'), mode: 0o120777 } : e)));
      expect(await refusal(store, file)).toEqual({ code: 'backup_invalid', reasons: ['symlink_entry'] });
      expectIntact(store, dir);
    });

    it('an unknown entry name', async () => {
      const { genuine, store, dir, file } = await setup();
      await buildZip(file, [...genuine, { name: 'notes.txt', data: Buffer.from('x') }]);
      expect(await refusal(store, file)).toEqual({ code: 'backup_invalid', reasons: ['unknown_entry'] });
      expectIntact(store, dir);
    });

    it('a duplicate entry', async () => {
      const { genuine, store, dir, file } = await setup();
      await buildZip(file, [...genuine, genuine.at(-1)!]);
      expect(await refusal(store, file)).toEqual({ code: 'backup_invalid', reasons: ['duplicate_entry'] });
      expectIntact(store, dir);
    });

    it('an entry over the size limit, refused from the central directory before inflating', async () => {
      const { genuine, store, dir, file } = await setup();
      await buildZip(file, genuine);
      expect(await refusal(store, file, { maxAttachmentBytes: 4 })).toEqual({ code: 'backup_invalid', reasons: ['entry_too_large'] });
      expect(await refusal(store, file, { maxTotalBytes: 1000 })).toEqual({ code: 'backup_invalid', reasons: ['archive_too_large'] });
      expectIntact(store, dir);
    });

    it('a truncated zip', async () => {
      const { store, dir, file } = await setup();
      const good = join(dir, 'good.zip');
      await writeArchive(store, good, { now: NOW });
      const bytes = readFileSync(good);
      writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
      expect(await refusal(store, file)).toEqual({ code: 'backup_invalid', reasons: ['not_a_zip'] });
      expectIntact(store, dir);
    });

    it('a random file that is not a zip, and a missing file', async () => {
      const { store, dir, file } = await setup();
      writeFileSync(file, randomBytes(5000));
      expect((await refusal(store, file)).code).toBe('backup_invalid');
      expect((await refusal(store, join(dir, 'nope.zip'))).code).toBe('backup_invalid');
      expectIntact(store, dir);
    });
  });
});
