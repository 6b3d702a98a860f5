import { afterAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yazl from 'yazl';
import { ZIP_MTIME, deterministicZip } from '../../../main/core/package/zip';
import { ZipSourceMismatch, writeZipFileAtomic, zipToBuffer, type ZipSource } from '../../../main/core/package/zip-stream';
import { readZipEntries } from '../../../main/core/package/verify';
import { tempDir } from '../../support/tmp';

const t = tempDir();
afterAll(() => t.cleanup());
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** What yazl writes for the same entries: buffers as addBuffer, files as addReadStream with a known size. */
function yazlZip(entries: { name: string; data: Buffer; stream: boolean }[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const o = { mtime: ZIP_MTIME(), mode: 0o100644, compress: false, forceDosTimestamp: true };
  for (const e of entries) {
    if (e.stream) {
      const file = join(t.dir, `y-${sha256(e.data)}`);
      writeFileSync(file, e.data);
      zip.addFile(file, e.name, o);
    } else zip.addBuffer(e.data, e.name, o);
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

describe('streamed deterministic ZIP', () => {
  const small = new Map([
    ['SHA256SUMS', Buffer.from('abc\n')],
    ['avis/1.json', Buffer.from('{"é":1}\n')],
    ['empty.txt', Buffer.alloc(0)],
    ['pièces/2/rapport été.pdf', randomBytes(5000)],
  ]);

  it('writes in-memory entries byte for byte as deterministicZip (yazl addBuffer)', async () => {
    const ours = await zipToBuffer([...small].map(([name, data]) => ({ name, data })));
    const theirs = await deterministicZip(small, { keepOrder: true });
    expect(ours.zip.equals(theirs)).toBe(true);
    expect(ours.sha256).toBe(sha256(theirs));
    expect(ours.size).toBe(theirs.length);
  });

  it('streams file entries (data descriptor) byte for byte as yazl does, and hashes the output as it writes', async () => {
    const big = randomBytes(3 * 1024 * 1024 + 17);
    const file = join(t.dir, 'blob');
    writeFileSync(file, big);
    const sources: ZipSource[] = [
      { name: 'a.json', data: Buffer.from('{}\n') },
      { name: 'pieces/1/big.bin', file, size: big.length, sha256: sha256(big) },
      { name: 'z.txt', data: Buffer.from('z') },
    ];
    const out = join(t.dir, 'out.zip');
    const written = await writeZipFileAtomic(out, sources);
    const bytes = readFileSync(out);
    const theirs = await yazlZip([
      { name: 'a.json', data: Buffer.from('{}\n'), stream: false },
      { name: 'pieces/1/big.bin', data: big, stream: true },
      { name: 'z.txt', data: Buffer.from('z'), stream: false },
    ]);
    expect(bytes.equals(theirs)).toBe(true);
    expect(written).toEqual({ size: bytes.length, sha256: sha256(bytes) });
    const { files } = await readZipEntries(bytes);
    expect(files.get('pieces/1/big.bin')!.equals(big)).toBe(true);
    // No temporary file is left beside the package.
    expect(readdirSync(t.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses a file whose bytes do not match the expected SHA-256 or size, and leaves no file', async () => {
    const file = join(t.dir, 'changed');
    writeFileSync(file, Buffer.from('hello'));
    const out = join(t.dir, 'bad.zip');
    await expect(writeZipFileAtomic(out, [{ name: 'x', file, size: 5, sha256: sha256(Buffer.from('hellO')) }])).rejects.toBeInstanceOf(ZipSourceMismatch);
    await expect(writeZipFileAtomic(out, [{ name: 'x', file, size: 4, sha256: sha256(Buffer.from('hell')) }])).rejects.toBeInstanceOf(ZipSourceMismatch);
    expect(readdirSync(t.dir).filter((f) => f.startsWith('bad.zip') || f.startsWith('.bad.zip'))).toEqual([]);
  });

  it('refuses unsafe entry names', async () => {
    await expect(zipToBuffer([{ name: '../x', data: Buffer.alloc(1) }])).rejects.toThrow(/invalid/);
    await expect(zipToBuffer([{ name: '/x', data: Buffer.alloc(1) }])).rejects.toThrow(/invalid/);
  });
});
