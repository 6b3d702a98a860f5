import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants, crc32, deflateRawSync } from 'node:zlib';

/**
 * A raw ZIP writer for hostile test archives: every header field can lie. Built at test run time (nothing
 * committed), with Node only (CI may not have Python).
 */
export interface RawEntry {
  name: string | Buffer;
  /** Bytes written as the entry's file data (already deflated when `method` is 8). */
  data?: Buffer;
  method?: 0 | 8;
  /** Declared sizes (central directory and local header); default: the real ones. */
  compressedSize?: number;
  uncompressedSize?: number;
  crc?: number;
  flags?: number;
  externalAttributes?: number;
  versionMadeBy?: number;
  /** Name written in the local header when it should differ from the central one. */
  localName?: string | Buffer;
  /** Make the central directory point at the local header of entry #n instead of writing one for this entry. */
  shareLocalHeaderOf?: number;
}

const buf = (name: string | Buffer): Buffer => (typeof name === 'string' ? Buffer.from(name, 'utf8') : name);

export function buildZip(entries: RawEntry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  const offsets: number[] = [];
  let offset = 0;
  for (const entry of entries) {
    const data = entry.data ?? Buffer.alloc(0);
    const method = entry.method ?? 0;
    const name = buf(entry.name);
    const crc = entry.crc ?? (method === 0 ? crc32(data) : 0);
    const compressedSize = entry.compressedSize ?? data.length;
    const uncompressedSize = entry.uncompressedSize ?? data.length;
    const flags = (entry.flags ?? 0) | (typeof entry.name === 'string' ? 0x800 : 0);
    let localOffset: number;
    if (entry.shareLocalHeaderOf !== undefined) {
      localOffset = offsets[entry.shareLocalHeaderOf]!;
    } else {
      localOffset = offset;
      const localName = entry.localName === undefined ? name : buf(entry.localName);
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4);
      local.writeUInt16LE(flags, 6);
      local.writeUInt16LE(method, 8);
      local.writeUInt16LE(0, 10);
      local.writeUInt16LE(0x5321, 12); // 2021-09-01
      local.writeUInt32LE(crc >>> 0, 14);
      local.writeUInt32LE(compressedSize, 18);
      local.writeUInt32LE(uncompressedSize, 22);
      local.writeUInt16LE(localName.length, 26);
      local.writeUInt16LE(0, 28);
      parts.push(local, localName, data);
      offset += local.length + localName.length + data.length;
    }
    offsets.push(localOffset);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(entry.versionMadeBy ?? 20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(flags, 8);
    header.writeUInt16LE(method, 10);
    header.writeUInt16LE(0, 12);
    header.writeUInt16LE(0x5321, 14);
    header.writeUInt32LE(crc >>> 0, 16);
    header.writeUInt32LE(compressedSize, 20);
    header.writeUInt32LE(uncompressedSize, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt16LE(0, 30);
    header.writeUInt16LE(0, 32);
    header.writeUInt16LE(0, 34);
    header.writeUInt16LE(0, 36);
    header.writeUInt32LE((entry.externalAttributes ?? 0) >>> 0, 38);
    header.writeUInt32LE(localOffset, 42);
    central.push(header, name);
  }
  const centralBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Math.min(entries.length, 0xffff), 8);
  end.writeUInt16LE(Math.min(entries.length, 0xffff), 10);
  end.writeUInt32LE(centralBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, centralBytes, end]);
}

export function writeZip(dir: string, fileName: string, entries: RawEntry[]): string {
  const path = join(dir, fileName);
  writeFileSync(path, buildZip(entries));
  return path;
}

/** A small valid-looking PDF (magic bytes `%PDF-`). */
export function pdfBytes(text = 'test'): Buffer {
  return Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`);
}

/**
 * A raw DEFLATE stream of `totalBytes` zeros, built without ever holding or compressing them all: one
 * full-flushed block of `chunkBytes` zeros (byte-aligned, no back-reference across it) repeated, then an
 * empty final block. 1 GiB of zeros → ~1 MB.
 */
export function deflatedZeros(totalBytes: number, chunkBytes = 1024 * 1024): Buffer {
  if (totalBytes % chunkBytes !== 0) throw new Error('totalBytes must be a multiple of chunkBytes');
  const block = deflateRawSync(Buffer.alloc(chunkBytes), { finishFlush: constants.Z_FULL_FLUSH });
  const final = deflateRawSync(Buffer.alloc(0));
  const count = totalBytes / chunkBytes;
  return Buffer.concat([...Array.from({ length: count }, () => block), final]);
}

/** Unix mode bits in the high half of the external attributes, as Info-ZIP writes them. */
export function unixAttributes(mode: number): number {
  return (mode << 16) >>> 0;
}

export const UNIX_MADE_BY = (3 << 8) | 20;
