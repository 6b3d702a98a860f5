import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppFailure } from '../../../../shared/errors';
import { readDsZip } from '../../../../main/core/import/zip/ds-zip';
import { inspectZip, readEntries } from '../../../../main/core/import/zip/safe-zip';
import { tempDir } from '../../../support/tmp';
import {
  deflatedZeros,
  pdfBytes,
  type RawEntry,
  UNIX_MADE_BY,
  unixAttributes,
  writeZip,
} from '../../../support/evil/zip-writer';

// security.md §3.1, cases 1–9 and 15–16: every hostile archive is refused as a whole, and the attachment store
// (which already holds one blob) is left exactly as it was — no new file, no staging leftover, nothing outside.

const FIXTURE_ZIP = join(
  process.cwd(),
  '../shared/fixtures/ds/ami-2021-bourgogne-franche-comte/dossiers_ami-ptce-emergents_2021-07-08_09-30.zip',
);
const PRE_EXISTING = 'ab/ab' + '0'.repeat(62);

let work: ReturnType<typeof tempDir>;
let filesDir: string;

function listTree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .map((d) => relative(dir, join(d.parentPath, d.name)) + (d.isDirectory() ? '/' : ''))
    .sort();
}

beforeEach(() => {
  work = tempDir('comite-ptce-zip-');
  filesDir = join(work.dir, 'store', 'files');
  mkdirSync(join(filesDir, 'ab'), { recursive: true });
  writeFileSync(join(filesDir, PRE_EXISTING), 'existing blob');
});
afterEach(() => work.cleanup());

async function reasonOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppFailure && error.code === 'import_refused') return String(error.params?.reason);
    throw error;
  }
  throw new Error('expected the archive to be refused');
}

/** Asserts `entries` are refused with `reason` by the DS reader, and nothing was written anywhere. */
async function expectRefused(entries: RawEntry[], reason: string): Promise<void> {
  const zip = writeZip(work.dir, 'evil.zip', entries);
  const before = listTree(work.dir);
  expect(await reasonOf(readDsZip(zip, filesDir))).toBe(reason);
  expect(listTree(filesDir)).toEqual(['ab/', PRE_EXISTING]);
  expect(listTree(work.dir)).toEqual(before);
  expect(await reasonOf(inspectZip(zip))).toBe(reason);
}

const GOOD_PDF: RawEntry = { name: 'export/dossier-1/export-1-01-06-2021-10-00-1.pdf', data: pdfBytes('ok') };
const pj = (name: string, data = pdfBytes(name)): RawEntry => ({
  name: `export/dossier-1/pieces_justificatives/${name}`,
  data,
});

describe('zip threats (refused before anything is written)', () => {
  it('a well-formed archive of the same shape is accepted (control)', async () => {
    const zip = writeZip(work.dir, 'good.zip', [GOOD_PDF, pj('statuts.pdf')]);
    const content = await readDsZip(zip, filesDir);
    expect(content.dossiers.get(1)).toHaveLength(2);
    expect(listTree(filesDir).filter((p) => !p.endsWith('/'))).toHaveLength(3);
  });

  it('zip slip: ../../evil.txt beside a valid file, nothing half-imported, nothing outside', async () => {
    await expectRefused([GOOD_PDF, { name: 'ok.json', data: Buffer.from('{}') }, { name: '../../evil.txt', data: Buffer.from('x') }], 'zip_slip');
    await expectRefused([GOOD_PDF, { name: 'export/dossier-1/../../../evil.txt', data: Buffer.from('x') }], 'zip_slip');
  });

  it.each([
    ['/tmp/x', 'absolute_path'],
    ['C:/x', 'absolute_path'],
    ['c:x.pdf', 'absolute_path'],
    ['\\\\srv\\share\\x', 'absolute_path'],
    ['..\\..\\evil.txt', 'zip_slip'],
    ['export\\dossier-1\\x.pdf', 'invalid_name'],
    ['export//dossier-1/x.pdf', 'invalid_name'],
    ['export/./dossier-1/x.pdf', 'invalid_name'],
    ['export/dossier-1/\u202Efdp.exe', 'invalid_name'],
  ])('absolute / drive / UNC / backslash / odd name %j → %s', async (name, reason) => {
    await expectRefused([GOOD_PDF, { name, data: pdfBytes() }], reason);
  });

  it('symlink entry (mode 0120777) → symlink', async () => {
    await expectRefused(
      [
        GOOD_PDF,
        {
          name: 'export/dossier-1/pieces_justificatives/link.pdf',
          data: Buffer.from('/etc/passwd'),
          externalAttributes: unixAttributes(0o120777),
          versionMadeBy: UNIX_MADE_BY,
        },
      ],
      'symlink',
    );
  });

  it('device or fifo entry → special_file', async () => {
    await expectRefused(
      [GOOD_PDF, { name: 'fifo', externalAttributes: unixAttributes(0o010644), versionMadeBy: UNIX_MADE_BY }],
      'special_file',
    );
  });

  it('duplicate names → duplicate_name', async () => {
    await expectRefused([GOOD_PDF, pj('a.pdf', pdfBytes('1')), pj('a.pdf', pdfBytes('2'))], 'duplicate_name');
  });

  it('a file that is also a folder → duplicate_name', async () => {
    await expectRefused([GOOD_PDF, pj('a'), pj('a/b.pdf')], 'duplicate_name');
  });

  it('case collision Dossier.pdf + dossier.pdf → case_collision', async () => {
    await expectRefused([GOOD_PDF, pj('Dossier.pdf'), pj('dossier.pdf')], 'case_collision');
  });

  it('Unicode normalisation collision (NFC vs NFD) → case_collision', async () => {
    await expectRefused([GOOD_PDF, pj('bilan-\u00e9t\u00e9.pdf'), pj('bilan-e\u0301te\u0301.pdf')], 'case_collision');
  });

  it.each(['CON.json', 'aux', 'nul.txt', 'COM1.pdf', 'lpt9', 'x.pdf. ', 'x.pdf.', 'a<b.pdf', 'a:b.pdf', 'a|b', 'a?b', 'a*b', 'a"b', 'bell\u0007.pdf', 'tab\t.pdf'])(
    'Windows-reserved name %j → reserved_name',
    async (name) => {
      await expectRefused([GOOD_PDF, pj(name)], 'reserved_name');
    },
  );

  it('too many entries (5001 > 5000) → too_many_entries', async () => {
    const entries = Array.from({ length: 5001 }, (_, i) => ({ name: `f${i}.txt`, data: Buffer.from('x') }));
    await expectRefused(entries, 'too_many_entries');
  });

  it('bomb: 1 MB deflating to 1 GiB of zeros is refused from the central directory, nothing inflated', async () => {
    const data = deflatedZeros(1024 * 1024 * 1024);
    expect(data.length).toBeLessThan(2 * 1024 * 1024);
    const entries: RawEntry[] = [GOOD_PDF, { ...pj('zeros.pdf'), data, method: 8, uncompressedSize: 1024 * 1024 * 1024 }];
    await expectRefused(entries, 'entry_too_large');

    // With room for the size, the ratio (≈1000:1) still refuses it — and the handler never sees a byte.
    const zip = writeZip(work.dir, 'bomb.zip', entries);
    const roomy = { maxEntryBytes: 4 * 1024 ** 3, maxTotalBytes: 4 * 1024 ** 3 };
    const rssBefore = process.memoryUsage().rss;
    let handled = 0;
    expect(await reasonOf(readEntries(zip, async () => void handled++, roomy))).toBe('ratio_too_high');
    expect(handled).toBe(0);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);
  });

  it('total size over the limit → total_too_large', async () => {
    const entries = [GOOD_PDF, pj('a.pdf', pdfBytes('a'.repeat(2000))), pj('b.pdf', pdfBytes('b'.repeat(2000)))];
    const zip = writeZip(work.dir, 'big.zip', entries);
    expect(await reasonOf(readDsZip(zip, filesDir, { maxTotalBytes: 3000 }))).toBe('total_too_large');
    expect(listTree(filesDir)).toEqual(['ab/', PRE_EXISTING]);
  });

  it('lying sizes: header says 10 B, data inflates to 10 MiB → lying_size, earlier blobs rolled back', async () => {
    const data = deflateRawSync(Buffer.alloc(10 * 1024 * 1024));
    await expectStreamRefused([GOOD_PDF, pj('liar.pdf'), { ...pj('z.pdf'), data, method: 8, uncompressedSize: 10 }], 'lying_size');
    // Lying the other way: declares more than the data holds.
    const short = deflateRawSync(pdfBytes());
    await expectStreamRefused([GOOD_PDF, { ...pj('short.pdf'), data: short, method: 8, uncompressedSize: 5000 }], 'lying_size');
  });

  it('stored entry whose sizes disagree → lying_size', async () => {
    await expectRefused([GOOD_PDF, { ...pj('s.pdf'), uncompressedSize: 10 }], 'lying_size');
  });

  it('overlapping entries: two central records on one local header → overlapping_entries', async () => {
    await expectRefused([GOOD_PDF, { ...pj('b.pdf'), shareLocalHeaderOf: 0 }, pj('c.pdf')], 'overlapping_entries');
  });

  it('overlapping entries: a declared size swallowing the next entry (Fifield) → overlapping_entries', async () => {
    const inner = pdfBytes('inner');
    const next = pj('next.pdf', inner);
    // The first entry's compressed size covers its data plus the next local header (30 + name) and data.
    const covering = 30 + Buffer.byteLength(String(next.name)) + inner.length;
    const first: RawEntry = { ...pj('first.pdf'), data: deflateRawSync(pdfBytes('first')), method: 8 };
    first.compressedSize = first.data!.length + covering;
    first.uncompressedSize = pdfBytes('first').length;
    await expectRefused([first, next, GOOD_PDF], 'overlapping_entries');
  });

  it('local and central names disagree → inconsistent_headers', async () => {
    await expectRefused([GOOD_PDF, { ...pj('a.pdf'), localName: 'export/dossier-1/pieces_justificatives/b.pdf' }], 'inconsistent_headers');
  });

  it('encrypted entry → encrypted', async () => {
    await expectRefused([GOOD_PDF, { ...pj('e.pdf', Buffer.alloc(12 + 20)), uncompressedSize: 20, flags: 1 }], 'encrypted');
  });

  it('unsupported compression method → unsupported_method', async () => {
    const entry = { ...pj('m.pdf'), method: 12 as unknown as 0 };
    await expectRefused([GOOD_PDF, entry], 'unsupported_method');
  });

  it.each(['inner.zip', 'x.7z', 'x.rar', 'x.tar.gz', 'x.jar'])('nested archive %s → nested_archive', async (name) => {
    await expectRefused([GOOD_PDF, pj(name, Buffer.from('PK\u0003\u0004'))], 'nested_archive');
  });

  it('truncated archive (the DS fixture cut in half) → truncated', async () => {
    const bytes = readFileSync(FIXTURE_ZIP);
    const zip = join(work.dir, 'cut.zip');
    writeFileSync(zip, bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect(await reasonOf(readDsZip(zip, filesDir))).toBe('truncated');
    expect(listTree(filesDir)).toEqual(['ab/', PRE_EXISTING]);
  });

  it('a hole before the central directory (entries running into it) → overlapping_entries', async () => {
    const bytes = readFileSync(FIXTURE_ZIP);
    // Keep the central directory and end record, drop the last local file's bytes before it.
    const eocd = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const cdOffset = bytes.readUInt32LE(eocd + 16);
    const cut = Buffer.concat([bytes.subarray(0, cdOffset - 200), bytes.subarray(cdOffset)]);
    cut.writeUInt32LE(cdOffset - 200, cut.length - 22 + 16);
    const zip = join(work.dir, 'holed.zip');
    writeFileSync(zip, cut);
    expect(await reasonOf(readDsZip(zip, filesDir))).toBe('overlapping_entries');
    expect(listTree(filesDir)).toEqual(['ab/', PRE_EXISTING]);
  });

  it('a text file named .zip → not_a_zip; an empty file → not_a_zip', async () => {
    const text = join(work.dir, 'notes.zip');
    writeFileSync(text, 'Ceci n’est pas une archive.\n'.repeat(20));
    expect(await reasonOf(readDsZip(text, filesDir))).toBe('not_a_zip');
    const empty = join(work.dir, 'empty.zip');
    writeFileSync(empty, '');
    expect(await reasonOf(inspectZip(empty))).toBe('not_a_zip');
    expect(listTree(filesDir)).toEqual(['ab/', PRE_EXISTING]);
  });

  it('a .pdf whose bytes are not %PDF- → magic_mismatch, earlier blobs rolled back', async () => {
    await expectStreamRefused([GOOD_PDF, pj('ok.pdf'), pj('fake.pdf', Buffer.from('MZ\x90\x00 this is an exe'))], 'magic_mismatch');
    await expectStreamRefused([GOOD_PDF, pj('zip-in-disguise.pdf', Buffer.from('PK\x03\x04\x14\x00'))], 'magic_mismatch');
  });

  it('a missing archive is a plain file-system error, not a refusal', async () => {
    await expect(inspectZip(join(work.dir, 'nope.zip'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

/** Refusals found while streaming: the central directory passes, some blobs get staged, then everything is undone. */
async function expectStreamRefused(entries: RawEntry[], reason: string): Promise<void> {
  const zip = writeZip(work.dir, 'evil.zip', entries);
  await expect(inspectZip(zip)).resolves.toBeDefined();
  const before = listTree(work.dir);
  expect(await reasonOf(readDsZip(zip, filesDir))).toBe(reason);
  expect(listTree(filesDir)).toEqual(['ab/', PRE_EXISTING]);
  expect(listTree(work.dir)).toEqual(before);
}
