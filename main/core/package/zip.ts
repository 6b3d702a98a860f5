import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import yazl from 'yazl';

/** Fixed entry time, as local components: yazl writes the DOS date in local time (security.md §5). */
export const ZIP_MTIME = (): Date => new Date(2000, 0, 1);

/**
 * A byte-reproducible ZIP: names sorted (byte order), stored (no deflate: identical under Node's
 * and Electron's zlib), DOS timestamp only, mode 0644, no directory entries, no comment.
 */
export function deterministicZip(files: ReadonlyMap<string, Buffer>, opts: { keepOrder?: boolean } = {}): Promise<Buffer> {
  const names = [...files.keys()];
  if (!opts.keepOrder) names.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const zip = new yazl.ZipFile();
  for (const name of names) {
    zip.addBuffer(files.get(name)!, name, { mtime: ZIP_MTIME(), mode: 0o100644, compress: false, forceDosTimestamp: true });
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

/** Writes `data` to `path` atomically: temp file beside it, fsync, rename, fsync the folder. */
export function writeFileAtomic(path: string, data: Buffer): void {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.tmp`);
  try {
    const fd = openSync(tmp, 'w', 0o644);
    try {
      let off = 0;
      while (off < data.length) off += writeSync(fd, data, off, data.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
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
}
