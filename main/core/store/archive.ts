import Database from 'better-sqlite3';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { createHash, randomBytes } from 'node:crypto';
import {
  copyFileSync,
  createReadStream,
  createWriteStream,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { AppFailure } from '../../../shared/errors';
import { LATEST_SCHEMA_VERSION } from '../db/migrations';
import { schemaVersion } from '../db/open';
import { nullLogger, type Logger } from '../log';
import { copyDatabase, fsyncPath, stampOf } from './backup';
import { attachmentPath } from './paths';
import type { Store } from './store';

/**
 * « Sauvegarder sous… » / « Restaurer »: one ZIP holding the whole store.
 *
 *   archive.json                       format, version, creation time, schema version, every entry's size + sha256
 *   attachments/<sha[0..2]>/<sha>      every content-addressed attachment
 *   comite-ptce.sqlite                 a consistent single-file copy of the database
 *
 * Entries are stored (no compression: PDFs are already compressed), sorted by name, with a fixed
 * date and mode.
 */
export const ARCHIVE_FORMAT = 'comite-ptce-backup';
export const ARCHIVE_VERSION = 1;
export const ARCHIVE_MANIFEST = 'archive.json';
export const ARCHIVE_DB = 'comite-ptce.sqlite';
const ATTACHMENT_ENTRY = /^attachments\/([0-9a-f]{2})\/([0-9a-f]{64})$/;
const DIRECTORY_ENTRY = /^attachments\/(?:[0-9a-f]{2}\/)?$/;
const HEX64 = /^[0-9a-f]{64}$/;

const manifestSchema = z.strictObject({
  format: z.literal(ARCHIVE_FORMAT),
  version: z.literal(ARCHIVE_VERSION),
  createdAt: z.string(),
  appSchemaVersion: z.number().int().nonnegative(),
  entries: z
    .array(z.strictObject({ name: z.string(), size: z.number().int().nonnegative(), sha256: z.string().regex(HEX64) }))
    .max(1_000_000),
});
export type ArchiveManifest = z.infer<typeof manifestSchema>;

export interface ArchiveProgress {
  done: number;
  total: number;
}

export interface WriteArchiveOptions {
  now?: Date;
  onProgress?: (progress: ArchiveProgress) => void;
  log?: Logger;
}

interface SourceFile {
  name: string;
  path: string;
  size: number;
  sha256: string;
}

async function hashFile(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}

/** Every well-named regular file of the content-addressed store (symlinks and strays are ignored). */
function attachmentFiles(filesDir: string): { sha: string; path: string }[] {
  const out: { sha: string; path: string }[] = [];
  let prefixes: string[];
  try {
    prefixes = readdirSync(filesDir);
  } catch {
    return out;
  }
  for (const prefix of prefixes.filter((p) => /^[0-9a-f]{2}$/.test(p)).sort()) {
    const dir = join(filesDir, prefix);
    if (!lstatSync(dir).isDirectory()) continue;
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (HEX64.test(name) && name.startsWith(prefix) && lstatSync(path).isFile()) out.push({ sha: name, path });
    }
  }
  return out;
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Writes to a temporary file in the same folder, fsyncs it, renames it over `dest`, fsyncs the folder. */
async function writeAtomically(dest: string, write: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = join(dirname(dest), `.${basename(dest)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await write(tmp);
    fsyncPath(tmp);
    renameSync(tmp, dest);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
  fsyncPath(dirname(dest), true);
}

/**
 * Writes the whole store (database + attachments) as one ZIP at `destFile`, atomically: a
 * crash leaves either the previous file or the complete new one.
 */
export async function writeArchive(
  store: Store,
  destFile: string,
  options: WriteArchiveOptions = {},
): Promise<{ file: string; size: number; manifest: ArchiveManifest }> {
  const now = options.now ?? new Date();
  const log = options.log ?? nullLogger;
  const work = mkdtempSync(join(dirname(store.paths.dbPath), '.archive-'));
  try {
    const dbCopy = join(work, ARCHIVE_DB);
    await copyDatabase(store.db, dbCopy);
    const copy = new Database(dbCopy, { readonly: true });
    const appSchemaVersion = schemaVersion(copy);
    copy.close();

    const sources: SourceFile[] = [{ name: ARCHIVE_DB, path: dbCopy, ...(await hashFile(dbCopy)) }];
    for (const { sha, path } of attachmentFiles(store.paths.filesDir)) {
      const actual = await hashFile(path);
      if (actual.sha256 !== sha) {
        // A damaged blob would make the archive unrestorable: leave it out, say so (hash only).
        log.warn('archive.attachment_mismatch', { sha256: sha });
        continue;
      }
      sources.push({ name: `attachments/${sha.slice(0, 2)}/${sha}`, path, ...actual });
    }
    sources.sort((a, b) => byteOrder(a.name, b.name));

    const manifest: ArchiveManifest = {
      format: ARCHIVE_FORMAT,
      version: ARCHIVE_VERSION,
      createdAt: now.toISOString(),
      appSchemaVersion,
      entries: sources.map(({ name, size, sha256 }) => ({ name, size, sha256 })),
    };
    const manifestBuffer = Buffer.from(JSON.stringify(manifest, null, 2) + '\n', 'utf8');

    const total = manifestBuffer.length + sources.reduce((n, s) => n + s.size, 0);
    let done = 0;
    const progress = (n: number) => {
      done += n;
      options.onProgress?.({ done, total });
    };
    const entryOptions = { mtime: new Date(2000, 0, 1), mode: 0o100644, compress: false, forceDosTimestamp: true };

    mkdirSync(dirname(destFile), { recursive: true });
    await writeAtomically(destFile, async (tmp) => {
      const zip = new yazl.ZipFile();
      // archive.json sorts first; every other entry is read lazily (one open file at a time).
      zip.addBuffer(manifestBuffer, ARCHIVE_MANIFEST, entryOptions);
      for (const source of sources) {
        zip.addReadStreamLazy(source.name, { ...entryOptions, size: source.size }, (cb) => {
          const counter = new Transform({
            transform(chunk: Buffer, _enc, next) {
              progress(chunk.length);
              next(null, chunk);
            },
          });
          const input = createReadStream(source.path);
          input.on('error', (error) => counter.destroy(error));
          cb(null, input.pipe(counter));
        });
      }
      const zipError = new Promise<never>((_, reject) => zip.on('error', reject));
      zip.end();
      await Promise.race([pipeline(zip.outputStream as unknown as Readable, createWriteStream(tmp)), zipError]);
      progress(manifestBuffer.length);
    });
    return { file: destFile, size: lstatSync(destFile).size, manifest };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export interface ArchiveLimits {
  maxEntries: number;
  /** Per attachment, from the central directory, before inflating. */
  maxAttachmentBytes: number;
  maxDatabaseBytes: number;
  maxManifestBytes: number;
  maxTotalBytes: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxEntries: 100_000,
  maxAttachmentBytes: 512 * 1024 * 1024,
  maxDatabaseBytes: 4 * 1024 * 1024 * 1024,
  maxManifestBytes: 64 * 1024 * 1024,
  maxTotalBytes: 32 * 1024 * 1024 * 1024,
};

export interface RestoreArchiveOptions {
  now?: Date;
  limits?: Partial<ArchiveLimits>;
  log?: Logger;
}

/** Every refusal is the same user-facing failure; the reason goes to the log (codes, no data). */
class Invalid extends Error {}
function invalid(reason: string): never {
  throw new Invalid(reason);
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/**
 * Reads the central directory, checks every name, type and declared size, then extracts to
 * `work`, hashing as it goes (yauzl aborts an entry that inflates past its declared size).
 */
async function extract(archiveFile: string, work: string, limits: ArchiveLimits): Promise<Map<string, { path: string; sha256: string; size: number }>> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(archiveFile, {
      lazyEntries: true,
      autoClose: false,
      validateEntrySizes: true,
      strictFileNames: true,
      decodeStrings: true,
    });
  } catch {
    invalid('not_a_zip');
  }
  try {
    const entries: yauzl.Entry[] = [];
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        entries.push(entry);
        if (entries.length > limits.maxEntries) reject(new Invalid('too_many_entries'));
        else zip.readEntry();
      });
      zip.on('end', () => resolve());
      zip.on('error', () => reject(new Invalid('bad_central_directory')));
      zip.readEntry();
    });

    const seen = new Set<string>();
    const files: yauzl.Entry[] = [];
    let total = 0;
    for (const entry of entries) {
      const name = entry.fileName;
      const key = name.normalize('NFC').toLowerCase();
      if (seen.has(key)) invalid('duplicate_entry');
      seen.add(key);
      const type = (entry.externalFileAttributes >>> 16) & S_IFMT;
      if (type === S_IFLNK) invalid('symlink_entry');
      if (entry.isEncrypted()) invalid('encrypted_entry');
      if (DIRECTORY_ENTRY.test(name)) continue;
      let max: number;
      if (name === ARCHIVE_MANIFEST) max = limits.maxManifestBytes;
      else if (name === ARCHIVE_DB) max = limits.maxDatabaseBytes;
      else if (ATTACHMENT_ENTRY.test(name)) max = limits.maxAttachmentBytes;
      else invalid('unknown_entry');
      if (entry.uncompressedSize > max) invalid('entry_too_large');
      total += entry.uncompressedSize;
      if (total > limits.maxTotalBytes) invalid('archive_too_large');
      files.push(entry);
    }

    const out = new Map<string, { path: string; sha256: string; size: number }>();
    for (const entry of files) {
      const m = ATTACHMENT_ENTRY.exec(entry.fileName);
      if (m && !m[2]!.startsWith(m[1]!)) invalid('misplaced_attachment');
      const target = m ? join(work, 'attachments', m[2]!) : join(work, entry.fileName);
      mkdirSync(dirname(target), { recursive: true });
      const hash = createHash('sha256');
      let size = 0;
      const hasher = new Transform({
        transform(chunk: Buffer, _enc, next) {
          hash.update(chunk);
          size += chunk.length;
          next(null, chunk);
        },
      });
      try {
        const input = await zip.openReadStreamPromise(entry);
        await pipeline(input, hasher, createWriteStream(target, { flags: 'wx' }));
      } catch {
        invalid('unreadable_entry');
      }
      out.set(entry.fileName, { path: target, sha256: hash.digest('hex'), size });
    }
    return out;
  } finally {
    zip.close();
  }
}

/** Checks an extracted store; returns the manifest. Nothing outside `work` is touched. */
function verify(extracted: Map<string, { path: string; sha256: string; size: number }>): ArchiveManifest {
  const manifestFile = extracted.get(ARCHIVE_MANIFEST);
  if (!manifestFile) invalid('no_manifest');
  let manifest: ArchiveManifest;
  try {
    manifest = manifestSchema.parse(JSON.parse(readUtf8(manifestFile.path)));
  } catch {
    invalid('bad_manifest');
  }
  const listed = new Set<string>();
  for (const e of manifest.entries) {
    if (listed.has(e.name) || e.name === ARCHIVE_MANIFEST) invalid('bad_manifest');
    listed.add(e.name);
    const file = extracted.get(e.name);
    if (!file) invalid('missing_entry');
    if (file.size !== e.size || file.sha256 !== e.sha256) invalid('hash_mismatch');
    const m = ATTACHMENT_ENTRY.exec(e.name);
    // Content-addressed: the name is the hash of the content.
    if (m && m[2] !== file.sha256) invalid('hash_mismatch');
  }
  for (const name of extracted.keys()) {
    if (name !== ARCHIVE_MANIFEST && !listed.has(name)) invalid('unlisted_entry');
  }
  const db = extracted.get(ARCHIVE_DB);
  if (!db) invalid('no_database');

  let copy: Database.Database | undefined;
  try {
    copy = new Database(db.path, { readonly: true, fileMustExist: true });
    const check = copy.pragma('integrity_check', { simple: true });
    if (check !== 'ok') invalid('integrity_check');
    const version = schemaVersion(copy);
    if (version > LATEST_SCHEMA_VERSION) invalid('from_future');
    if (version < 1) invalid('not_a_store');
  } catch (error) {
    if (error instanceof Invalid) throw error;
    invalid('integrity_check');
  } finally {
    copy?.close();
  }
  return manifest;
}

function readUtf8(path: string): string {
  return new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(path));
}

/**
 * Restores an archive written by writeArchive. Everything is checked in a temporary folder next
 * to the store first (names, types, declared sizes before inflating, sha256 of every entry,
 * integrity_check and schema version of the database); only then is the store closed, the
 * current database moved aside to `<db>.before-restore-<stamp>.sqlite`, the restored one moved
 * in, missing attachments added, and the store reopened (openDatabase migrates an older one).
 * Any failure → AppFailure('backup_invalid') with nothing replaced.
 */
export async function restoreArchive(
  store: Store,
  archiveFile: string,
  options: RestoreArchiveOptions = {},
): Promise<{ restoredFrom: string; previousKeptAt: string; manifest: ArchiveManifest }> {
  const limits = { ...DEFAULT_ARCHIVE_LIMITS, ...options.limits };
  const log = options.log ?? nullLogger;
  const now = options.now ?? new Date();
  const dbPath = store.paths.dbPath;
  const work = mkdtempSync(join(dirname(dbPath), '.restore-'));
  try {
    let manifest: ArchiveManifest;
    let restoredDb: string;
    try {
      const extracted = await extract(archiveFile, work, limits);
      manifest = verify(extracted);
      restoredDb = extracted.get(ARCHIVE_DB)!.path;
    } catch (error) {
      log.warn('archive.restore_refused', { reason: error instanceof Invalid ? error.message : 'internal' });
      throw new AppFailure('backup_invalid');
    }

    const previousKeptAt = `${dbPath}.before-restore-${stampOf(now)}.sqlite`;
    const moved: [string, string][] = [];
    let swapped = false;
    try {
      await store.reopenAfter(async () => {
        for (const suffix of ['', '-wal', '-shm']) {
          if (existsSync(dbPath + suffix)) {
            renameSync(dbPath + suffix, previousKeptAt + suffix);
            moved.push([dbPath + suffix, previousKeptAt + suffix]);
          }
        }
        renameSync(restoredDb, dbPath);
        swapped = true;
        fsyncPath(dirname(dbPath), true);
        // Content-addressed attachments: add the missing blobs, never overwrite one.
        const blobs = join(work, 'attachments');
        for (const sha of existsSync(blobs) ? readdirSync(blobs) : []) {
          const target = attachmentPath(store.paths.filesDir, sha);
          if (existsSync(target)) continue;
          mkdirSync(dirname(target), { recursive: true });
          const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
          copyFileSync(join(blobs, sha), tmp);
          fsyncPath(tmp);
          renameSync(tmp, target);
        }
      });
    } catch (error) {
      // The swap failed, or the restored database did not reopen (e.g. its migration failed):
      // put the current database back exactly as it was and reopen it.
      log.error('archive.restore_swap_failed', { error });
      await store.reopenAfter(async () => {
        if (swapped || moved.some(([from]) => from === dbPath)) {
          // Whatever sits at dbPath now is not the user's current data.
          for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(dbPath + suffix, { force: true });
        }
        for (const [from, to] of moved.reverse()) renameSync(to, from);
      });
      throw new AppFailure('restore_failed');
    }
    log.info('archive.restored', { entries: manifest.entries.length, schemaVersion: manifest.appSchemaVersion });
    return { restoredFrom: archiveFile, previousKeptAt, manifest };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
