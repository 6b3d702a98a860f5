import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { attachmentPath } from '../store/paths';
import { refuse } from './zip/safe-zip';

export interface StoredBlob {
  sha256: string;
  /** MD5 in base64, as démarches-simplifiées publishes it (`checksum` of ActiveStorage blobs). */
  md5Base64: string;
  size: number;
  /** The first bytes (up to 64), for `sniffMediaType`. */
  head: Buffer;
}

export interface StoreBlobOptions {
  /** The stream is refused (`entry_too_large`) as soon as it goes past this many bytes. */
  maxBytes: number;
  /** Where the temporary file is written; defaults to `filesDir`. Must be on the same volume as `filesDir`. */
  tempDir?: string;
}

const HEAD_BYTES = 64;

async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Best effort: makes a rename durable (directories cannot be fsynced on Windows). */
async function fsyncDir(path: string): Promise<void> {
  try {
    await fsyncPath(path);
  } catch {
    // EISDIR/EPERM on Windows: nothing more to do.
  }
}

/**
 * Streams `stream` to `<tempDir>/.blob-<random>` while hashing it (SHA-256 + MD5), fsyncs it, then renames it to its
 * content address `<filesDir>/<sha[0..2]>/<sha>` (or drops it when that blob already exists). Never holds more
 * than one chunk in memory. On any failure the temporary file is removed.
 */
export async function storeBlobStream(filesDir: string, stream: Readable, options: StoreBlobOptions): Promise<StoredBlob> {
  const tempDir = options.tempDir ?? filesDir;
  await mkdir(tempDir, { recursive: true });
  const tempPath = join(tempDir, `.blob-${randomBytes(8).toString('hex')}`);
  const sha256 = createHash('sha256');
  const md5 = createHash('md5');
  let size = 0;
  const headChunks: Buffer[] = [];
  let headLength = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (size > options.maxBytes) return callback(refuse('entry_too_large'));
      sha256.update(chunk);
      md5.update(chunk);
      if (headLength < HEAD_BYTES) {
        const part = chunk.subarray(0, HEAD_BYTES - headLength);
        headChunks.push(Buffer.from(part));
        headLength += part.length;
      }
      callback(null, chunk);
    },
  });
  try {
    await pipeline(stream, meter, createWriteStream(tempPath, { flags: 'wx' }));
    await fsyncPath(tempPath);
    const hex = sha256.digest('hex');
    const target = attachmentPath(filesDir, hex);
    await mkdir(dirname(target), { recursive: true });
    const existing = await stat(target).catch(() => undefined);
    if (existing?.isFile() && existing.size === size) {
      await rm(tempPath, { force: true });
    } else {
      await rename(tempPath, target);
      await fsyncDir(dirname(target));
    }
    return { sha256: hex, md5Base64: md5.digest('base64'), size, head: Buffer.concat(headChunks) };
  } catch (error) {
    await rm(tempPath, { force: true });
    throw error;
  }
}

/**
 * Media type from magic bytes only (never from the name). ZIP-based formats (DOCX, XLSX, ODT…) are all
 * `application/zip` here: telling them apart needs their content, which is never opened.
 */
export function sniffMediaType(firstBytes: Uint8Array): string {
  const b = Buffer.from(firstBytes.buffer, firstBytes.byteOffset, firstBytes.byteLength);
  const starts = (sig: number[], at = 0): boolean => sig.every((byte, i) => b[at + i] === byte);
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf'; // %PDF-
  if (starts([0x50, 0x4b, 0x03, 0x04]) || starts([0x50, 0x4b, 0x05, 0x06])) return 'application/zip';
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x47, 0x49, 0x46, 0x38])) return 'image/gif';
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  if (starts([0x49, 0x49, 0x2a, 0x00]) || starts([0x4d, 0x4d, 0x00, 0x2a])) return 'image/tiff';
  if (starts([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'application/x-ole-storage'; // .doc/.xls
  if (isText(b)) return 'text/plain';
  return 'application/octet-stream';
}

function isText(b: Buffer): boolean {
  if (b.length === 0) return false;
  const body = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? b.subarray(3) : b;
  for (const byte of body) {
    if (byte === 0x09 || byte === 0x0a || byte === 0x0d) continue;
    if (byte < 0x20 || byte === 0x7f) return false;
  }
  return true;
}
