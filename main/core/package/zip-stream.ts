import { createHash, type Hash } from 'node:crypto';
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { crc32 } from 'node:zlib';

/**
 * A streamed, byte-reproducible ZIP writer for the package. It writes exactly the layout of
 * `deterministicZip` (yazl, stored entries, DOS timestamp 2000-01-01 00:00, mode 0644, UTF-8
 * names, no extra fields, no comment) — a test compares the bytes with yazl's — but never holds
 * a large file in memory:
 *  - in-memory entries (`data`) are written as yazl's `addBuffer` does (CRC-32 and sizes in the
 *    local header, no data descriptor);
 *  - file entries (`file`, e.g. the attachments of the blob store) are read once, in chunks, as
 *    yazl's `addReadStream` with a known size does (general purpose bit 3, data descriptor after
 *    the data). Each chunk is hashed (SHA-256, checked against the expected digest: the blob
 *    store's name), CRC'd and written; a size or digest mismatch aborts the write.
 * The output's SHA-256 is computed as it is written. `writeZipFileAtomic` writes to a temporary
 * file beside the target, fsyncs it, renames it over the target and fsyncs the folder.
 */

export type ZipSource =
  | { name: string; data: Buffer }
  | { name: string; file: string; size: number; sha256: string };

export interface ZipWritten {
  size: number;
  sha256: string;
}

/** A mismatch between a file entry and its expected size or SHA-256 (the file changed or is corrupt). */
export class ZipSourceMismatch extends Error {
  constructor(readonly entry: string) {
    super(`zip source changed: ${entry}`);
  }
}

// 2000-01-01 00:00:00 as DOS date/time (what yazl writes for ZIP_MTIME in any time zone).
const DOS_TIME = 0;
const DOS_DATE = ((2000 - 1980) << 9) | (1 << 5) | 1;
const VERSION_NEEDED_UTF8 = 20;
const VERSION_NEEDED_ZIP64 = 45;
const VERSION_MADE_BY = (3 << 8) | 63;
const FLAG_UTF8 = 1 << 11;
const FLAG_DATA_DESCRIPTOR = 1 << 3;
const EXTERNAL_ATTRIBUTES = (0o100644 << 16) >>> 0;
const CHUNK = 1 << 20;
const MAX_ENTRY = 0xfffffffe;

function u64(buf: Buffer, n: number, at: number): void {
  buf.writeUInt32LE(n % 0x100000000, at);
  buf.writeUInt32LE(Math.floor(n / 0x100000000), at + 4);
}

function checkName(name: string): Buffer {
  if (name === '' || name.includes('\\') || name.startsWith('/') || /^[a-zA-Z]:/.test(name) || name.endsWith('/') || name.split('/').includes('..'))
    throw new Error(`invalid zip entry name: ${name}`);
  const b = Buffer.from(name, 'utf8');
  if (b.length > 0xffff) throw new Error('zip entry name too long');
  return b;
}

interface Central {
  name: Buffer;
  flags: number;
  crc: number;
  size: number;
  offset: number;
}

export interface ZipSink {
  write(chunk: Buffer): Promise<void>;
}

/**
 * Writes the entries, in the given order, to `sink`; returns the archive's size and SHA-256.
 * `onFileWritten` is called after each entry streamed from a file (progress of the attachments).
 */
export async function writeZip(entries: readonly ZipSource[], sink: ZipSink, onFileWritten?: () => void): Promise<ZipWritten> {
  const hash = createHash('sha256');
  let offset = 0;
  // Small writes are gathered up to CHUNK bytes, so that 400 small files are not 1 200 syscalls.
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    if (pendingBytes === 0) return;
    const b = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    await sink.write(b);
  };
  const put = async (b: Buffer) => {
    hash.update(b);
    offset += b.length;
    if (b.length >= CHUNK) {
      await flush();
      await sink.write(b);
      return;
    }
    pending.push(b);
    pendingBytes += b.length;
    if (pendingBytes >= CHUNK) await flush();
  };
  const localHeader = (name: Buffer, flags: number, crc: number, size: number): Buffer => {
    const h = Buffer.alloc(30 + name.length);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(VERSION_NEEDED_UTF8, 4);
    h.writeUInt16LE(flags, 6);
    h.writeUInt16LE(0, 8);
    h.writeUInt16LE(DOS_TIME, 10);
    h.writeUInt16LE(DOS_DATE, 12);
    h.writeUInt32LE(crc, 14);
    h.writeUInt32LE(size, 18);
    h.writeUInt32LE(size, 22);
    h.writeUInt16LE(name.length, 26);
    h.writeUInt16LE(0, 28);
    name.copy(h, 30);
    return h;
  };

  const central: Central[] = [];
  for (const e of entries) {
    const name = checkName(e.name);
    const start = offset;
    if ('data' in e) {
      if (e.data.length > MAX_ENTRY) throw new Error('zip entry too large');
      const crc = crc32(e.data);
      await put(localHeader(name, FLAG_UTF8, crc, e.data.length));
      await put(e.data);
      central.push({ name, flags: FLAG_UTF8, crc, size: e.data.length, offset: start });
      continue;
    }
    if (e.size > MAX_ENTRY) throw new Error('zip entry too large');
    await put(localHeader(name, FLAG_UTF8 | FLAG_DATA_DESCRIPTOR, 0, 0));
    await flush();
    const digest: Hash = createHash('sha256');
    let crc = 0;
    let read = 0;
    const fh = await open(e.file, 'r');
    try {
      // Two buffers: the one being written is never the one being filled.
      const bufs = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
      let turn = 0;
      let writing: Promise<void> = Promise.resolve();
      for (;;) {
        const buf = bufs[turn]!;
        const { bytesRead } = await fh.read(buf, 0, CHUNK, null);
        if (bytesRead === 0) break;
        read += bytesRead;
        if (read > e.size) break;
        const chunk = buf.subarray(0, bytesRead);
        digest.update(chunk);
        crc = crc32(chunk, crc);
        hash.update(chunk);
        offset += bytesRead;
        await writing;
        writing = sink.write(chunk);
        turn ^= 1;
      }
      await writing;
    } finally {
      await fh.close();
    }
    if (read !== e.size || digest.digest('hex') !== e.sha256) throw new ZipSourceMismatch(e.name);
    const zip64 = e.size > MAX_ENTRY || start > MAX_ENTRY;
    const dd = Buffer.alloc(zip64 ? 24 : 16);
    dd.writeUInt32LE(0x08074b50, 0);
    dd.writeUInt32LE(crc, 4);
    if (zip64) {
      u64(dd, e.size, 8);
      u64(dd, e.size, 16);
    } else {
      dd.writeUInt32LE(e.size, 8);
      dd.writeUInt32LE(e.size, 12);
    }
    await put(dd);
    central.push({ name, flags: FLAG_UTF8 | FLAG_DATA_DESCRIPTOR, crc, size: e.size, offset: start });
    onFileWritten?.();
  }

  const cdStart = offset;
  for (const c of central) {
    const zip64 = c.size > MAX_ENTRY || c.offset > MAX_ENTRY;
    const r = Buffer.alloc(46 + c.name.length + (zip64 ? 28 : 0));
    r.writeUInt32LE(0x02014b50, 0);
    r.writeUInt16LE(VERSION_MADE_BY, 4);
    r.writeUInt16LE(zip64 ? VERSION_NEEDED_ZIP64 : VERSION_NEEDED_UTF8, 6);
    r.writeUInt16LE(c.flags, 8);
    r.writeUInt16LE(0, 10);
    r.writeUInt16LE(DOS_TIME, 12);
    r.writeUInt16LE(DOS_DATE, 14);
    r.writeUInt32LE(c.crc, 16);
    r.writeUInt32LE(zip64 ? 0xffffffff : c.size, 20);
    r.writeUInt32LE(zip64 ? 0xffffffff : c.size, 24);
    r.writeUInt16LE(c.name.length, 28);
    r.writeUInt16LE(zip64 ? 28 : 0, 30);
    r.writeUInt16LE(0, 32);
    r.writeUInt16LE(0, 34);
    r.writeUInt16LE(0, 36);
    r.writeUInt32LE(EXTERNAL_ATTRIBUTES, 38);
    r.writeUInt32LE(zip64 ? 0xffffffff : c.offset, 42);
    c.name.copy(r, 46);
    if (zip64) {
      const x = 46 + c.name.length;
      r.writeUInt16LE(0x0001, x);
      r.writeUInt16LE(24, x + 2);
      u64(r, c.size, x + 4);
      u64(r, c.size, x + 12);
      u64(r, c.offset, x + 20);
    }
    await put(r);
  }
  const cdSize = offset - cdStart;
  const zip64Eocd = central.length >= 0xffff || cdSize >= 0xffffffff || cdStart >= 0xffffffff;
  if (zip64Eocd) {
    const eocd64At = offset;
    const z = Buffer.alloc(56 + 20);
    z.writeUInt32LE(0x06064b50, 0);
    u64(z, 44, 4);
    z.writeUInt16LE(VERSION_MADE_BY, 12);
    z.writeUInt16LE(VERSION_NEEDED_ZIP64, 14);
    u64(z, central.length, 24);
    u64(z, central.length, 32);
    u64(z, cdSize, 40);
    u64(z, cdStart, 48);
    z.writeUInt32LE(0x07064b50, 56);
    u64(z, eocd64At, 64);
    z.writeUInt32LE(1, 72);
    await put(z);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Math.min(central.length, 0xffff), 8);
  end.writeUInt16LE(Math.min(central.length, 0xffff), 10);
  end.writeUInt32LE(cdSize >= 0xffffffff ? 0xffffffff : cdSize, 12);
  end.writeUInt32LE(cdStart >= 0xffffffff ? 0xffffffff : cdStart, 16);
  await put(end);
  await flush();
  return { size: offset, sha256: hash.digest('hex') };
}

/** The archive in memory (small packages, tests). */
export async function zipToBuffer(entries: readonly ZipSource[]): Promise<{ zip: Buffer } & ZipWritten> {
  const chunks: Buffer[] = [];
  const written = await writeZip(entries, {
    write: (c) => {
      chunks.push(Buffer.from(c));
      return Promise.resolve();
    },
  });
  return { zip: Buffer.concat(chunks), ...written };
}

async function writeAll(fh: FileHandle, chunk: Buffer): Promise<void> {
  let off = 0;
  while (off < chunk.length) off += (await fh.write(chunk, off, chunk.length - off, null)).bytesWritten;
}

/** Streams the archive to `path` atomically: temporary file beside it, fsync, rename, fsync the folder. */
export async function writeZipFileAtomic(path: string, entries: readonly ZipSource[], onFileWritten?: () => void): Promise<ZipWritten> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.tmp`);
  let written: ZipWritten;
  try {
    const fh = await open(tmp, 'w', 0o644);
    try {
      written = await writeZip(entries, { write: (c) => writeAll(fh, c) }, onFileWritten);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  try {
    const dfd = openSync(dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // Folders cannot be opened for fsync on Windows; the rename is already durable there.
  }
  return written;
}
