import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppFailure } from '../../../../shared/errors';
import { sniffMediaType, storeBlobStream } from '../../../../main/core/import/blobs';
import { placeDsEntry, readDsZip, removeStaleStaging } from '../../../../main/core/import/zip/ds-zip';
import { readEntries } from '../../../../main/core/import/zip/safe-zip';
import { attachmentPath } from '../../../../main/core/store/paths';
import { tempDir } from '../../../support/tmp';
import { pdfBytes, writeZip } from '../../../support/evil/zip-writer';

const FIXTURES = join(process.cwd(), '../shared/fixtures/ds/ami-2021-bourgogne-franche-comte');
const FIXTURE_ZIP = join(FIXTURES, 'dossiers_ami-ptce-emergents_2021-07-08_09-30.zip');
const answerKey = JSON.parse(readFileSync(join(FIXTURES, 'answer-key.json'), 'utf8')) as {
  dossiers: { id: number; files: number }[];
};

/** Independent reading of the fixture (plain yauzl, whole buffers): entry name → bytes. */
async function fixtureEntries(): Promise<Map<string, Buffer>> {
  const zip = await yauzl.openPromise(FIXTURE_ZIP);
  const out = new Map<string, Buffer>();
  for await (const entry of zip.eachEntry()) {
    if (entry.fileName.endsWith('/')) continue;
    const stream = await zip.openReadStreamPromise(entry);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    out.set(entry.fileName, Buffer.concat(chunks));
  }
  zip.close();
  return out;
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const md5 = (b: Buffer): string => createHash('md5').update(b).digest('base64');

function blobFiles(filesDir: string): string[] {
  return readdirSync(filesDir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}

let work: ReturnType<typeof tempDir>;
let filesDir: string;
beforeEach(() => {
  work = tempDir('comite-ptce-dszip-');
  filesDir = join(work.dir, 'files');
});
afterEach(() => work.cleanup());

describe('readDsZip on the DS fixture export', () => {
  it('files every entry under its dossier, kinds and counts as in the answer key', async () => {
    const content = await readDsZip(FIXTURE_ZIP, filesDir);
    expect(content.ignored).toEqual([]);
    expect([...content.dossiers.keys()].sort()).toEqual(answerKey.dossiers.map((d) => d.id).sort());
    for (const { id, files } of answerKey.dossiers) {
      const list = content.dossiers.get(id)!;
      // answer-key `files` counts the pièces justificatives; the dossier PDF comes on top.
      expect(list.filter((a) => a.kind === 'piece_justificative'), `dossier ${id}`).toHaveLength(files);
      expect(list.filter((a) => a.kind === 'dossier_pdf'), `dossier ${id}`).toHaveLength(1);
      expect(list).toHaveLength(files + 1);
      for (const a of list) {
        expect(a.dossierNumber).toBe(id);
        expect(a.path.startsWith(`export/dossier-${id}/`)).toBe(true);
        expect(a.filename).toBe(a.path.split('/').pop());
        expect(a.mediaType).toBe('application/pdf');
      }
    }
  });

  it('hashes are right (recomputed from an independent read) and blobs are content-addressed', async () => {
    const content = await readDsZip(FIXTURE_ZIP, filesDir);
    const raw = await fixtureEntries();
    const all = [...content.dossiers.values()].flat();
    expect(all).toHaveLength(raw.size);
    for (const a of all) {
      const bytes = raw.get(a.path)!;
      expect(a.sha256).toBe(sha256(bytes));
      expect(a.md5Base64).toBe(md5(bytes));
      expect(a.size).toBe(bytes.length);
      const blob = attachmentPath(filesDir, a.sha256);
      expect(readFileSync(blob).equals(bytes)).toBe(true);
    }
    const unique = new Set(all.map((a) => a.sha256));
    expect(blobFiles(filesDir)).toHaveLength(unique.size);
    expect(readdirSync(filesDir).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('importing the same export twice reuses the blobs', async () => {
    const first = await readDsZip(FIXTURE_ZIP, filesDir);
    const before = blobFiles(filesDir).sort();
    const second = await readDsZip(FIXTURE_ZIP, filesDir);
    expect(blobFiles(filesDir).sort()).toEqual(before);
    expect([...second.dossiers.values()].flat().map((a) => a.sha256)).toEqual(
      [...first.dossiers.values()].flat().map((a) => a.sha256),
    );
  });
});

describe('readDsZip layouts', () => {
  it('single-dossier download (no export/ root), folders, error list and bills', async () => {
    const same = pdfBytes('same bytes');
    const zip = writeZip(work.dir, 'dossier-42.zip', [
      { name: 'dossier-42/' },
      { name: 'dossier-42/export-42-01-06-2021-10-00-42.pdf', data: pdfBytes('dossier') },
      { name: 'dossier-42/pieces_justificatives/' },
      { name: 'dossier-42/pieces_justificatives/statuts-01-06-2021-10-00-1.pdf', data: same },
      { name: 'dossier-42/pieces_justificatives/copie-01-06-2021-10-00-2.pdf', data: same },
      { name: 'dossier-42/messagerie/message-01-06-2021-10-00-3.txt', data: Buffer.from('Bonjour,\n') },
      { name: 'dossier-42/avis/avis-01-06-2021-10-00-4.pdf', data: pdfBytes('avis') },
      { name: 'dossier-42/dossier/motivation-01-06-2021-10-00-5.png', data: Buffer.from('\x89PNG\r\n\x1a\n....', 'latin1') },
      { name: 'dossier-42/horodatage/operation-abc.json', data: Buffer.from('{"a":1}') },
      { name: 'dossier-42/attestation-42.pdf', data: pdfBytes('attestation') },
      { name: '-LISTE-DES-FICHIERS-EN-ERREURS.txt', data: Buffer.from('Impossible de récupérer le fichier x\n') },
      { name: 'bills/horodatage/bill.json', data: Buffer.from('{}') },
    ]);
    const content = await readDsZip(zip, filesDir);
    expect(content.ignored).toEqual(['-LISTE-DES-FICHIERS-EN-ERREURS.txt', 'bills/horodatage/bill.json']);
    const list = content.dossiers.get(42)!;
    expect(list.map((a) => [a.filename, a.kind, a.mediaType])).toEqual([
      ['export-42-01-06-2021-10-00-42.pdf', 'dossier_pdf', 'application/pdf'],
      ['statuts-01-06-2021-10-00-1.pdf', 'piece_justificative', 'application/pdf'],
      ['copie-01-06-2021-10-00-2.pdf', 'piece_justificative', 'application/pdf'],
      ['message-01-06-2021-10-00-3.txt', 'other', 'text/plain'],
      ['avis-01-06-2021-10-00-4.pdf', 'other', 'application/pdf'],
      ['motivation-01-06-2021-10-00-5.png', 'other', 'image/png'],
      ['operation-abc.json', 'other', 'text/plain'],
      ['attestation-42.pdf', 'other', 'application/pdf'],
    ]);
    // Two names, one content: one blob.
    expect(list[1]!.sha256).toBe(list[2]!.sha256);
    expect(blobFiles(filesDir)).toHaveLength(list.length - 1);
    expect(existsSync(join(filesDir, '-LISTE-DES-FICHIERS-EN-ERREURS.txt'))).toBe(false);
  });

  it('a streamed archive (data descriptors, deflate, Unix modes — as zipline/yazl write them) is accepted', async () => {
    const zip = new yazl.ZipFile();
    const big = Buffer.concat([pdfBytes('big'), Buffer.alloc(300_000, 'a')]);
    zip.addReadStream(Readable.from([big]), 'dossier-9/export-9.pdf', { mode: 0o100644 });
    zip.addBuffer(pdfBytes('pj'), 'dossier-9/pieces_justificatives/pj-9-01.pdf', { compress: true });
    zip.addEmptyDirectory('dossier-9/avis/');
    zip.end();
    const path = join(work.dir, 'streamed.zip');
    const out = zip.outputStream.pipe(createWriteStream(path));
    await once(out, 'close');
    const content = await readDsZip(path, filesDir);
    expect(content.dossiers.get(9)!.map((a) => [a.kind, a.size, a.sha256])).toEqual([
      ['dossier_pdf', big.length, sha256(big)],
      ['piece_justificative', pdfBytes('pj').length, sha256(pdfBytes('pj'))],
    ]);
  });

  it('placeDsEntry recognises the dossier PDF only for its own dossier number', () => {
    expect(placeDsEntry('export/dossier-7/export-7-01-01-2021-00-00-7.pdf')).toEqual({ dossierNumber: 7, kind: 'dossier_pdf' });
    expect(placeDsEntry('export/dossier-7/export-7.pdf')).toEqual({ dossierNumber: 7, kind: 'dossier_pdf' });
    expect(placeDsEntry('export/dossier-7/export-8-01-01-2021-00-00-8.pdf')).toEqual({ dossierNumber: 7, kind: 'other' });
    expect(placeDsEntry('export/dossier-7/pieces_justificatives/a/b.pdf')).toEqual({ dossierNumber: 7, kind: 'piece_justificative' });
    expect(placeDsEntry('export/dossier-x/a.pdf')).toBeUndefined();
    expect(placeDsEntry('export/a.pdf')).toBeUndefined();
    expect(placeDsEntry('dossier-7')).toBeUndefined();
  });
});

describe('cancellation and crash leftovers', () => {
  it('an aborted import stops between entries with cancelled and leaves nothing', async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    const run = readEntries(
      FIXTURE_ZIP,
      async (entry, stream) => {
        seen.push(entry.name);
        stream.resume();
        controller.abort();
      },
      undefined,
      { signal: controller.signal },
    );
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(seen).toHaveLength(1);

    const aborted = AbortSignal.abort();
    await expect(readDsZip(FIXTURE_ZIP, filesDir, undefined, { signal: aborted })).rejects.toMatchObject({ code: 'cancelled' });
    expect(blobFiles(filesDir)).toEqual([]);
    expect(readdirSync(filesDir)).toEqual([]);
  });

  it('removeStaleStaging removes interrupted staging folders and temp blobs, nothing else', async () => {
    const blob = await readDsZip(FIXTURE_ZIP, filesDir);
    const kept = blobFiles(filesDir).sort();
    mkdirSync(join(filesDir, '.staging-0123456789abcdef', 'ab'), { recursive: true });
    writeFileSync(join(filesDir, '.staging-0123456789abcdef', 'ab', 'x'), 'half');
    writeFileSync(join(filesDir, '.blob-fedcba9876543210'), 'half');
    writeFileSync(join(filesDir, '.keep-me'), 'not ours');
    expect(await removeStaleStaging(filesDir)).toBe(2);
    expect(blobFiles(filesDir).sort()).toEqual([...kept, join(filesDir, '.keep-me')].sort());
    expect(blob.dossiers.size).toBe(12);
    expect(await removeStaleStaging(join(work.dir, 'missing'))).toBe(0);
  });
});

describe('blobs', () => {
  it('storeBlobStream refuses a stream past maxBytes and leaves no temporary file', async () => {
    const stream = Readable.from([Buffer.alloc(1000), Buffer.alloc(1000)]);
    await expect(storeBlobStream(filesDir, stream, { maxBytes: 1500 })).rejects.toSatisfy(
      (e: unknown) => e instanceof AppFailure && e.params?.reason === 'entry_too_large',
    );
    expect(readdirSync(filesDir)).toEqual([]);
  });

  it('storeBlobStream hashes chunked input and stores it at its content address', async () => {
    const chunks = Array.from({ length: 50 }, (_, i) => Buffer.alloc(64 * 1024, i));
    const whole = Buffer.concat(chunks);
    const blob = await storeBlobStream(filesDir, Readable.from(chunks), { maxBytes: whole.length });
    expect(blob).toMatchObject({ sha256: sha256(whole), md5Base64: md5(whole), size: whole.length });
    expect(blob.head.equals(whole.subarray(0, 64))).toBe(true);
    expect(readFileSync(attachmentPath(filesDir, blob.sha256)).equals(whole)).toBe(true);
    expect(blobFiles(filesDir)).toHaveLength(1);
  });

  it.each([
    ['%PDF-1.7\n', 'application/pdf'],
    ['PK\x03\x04\x14\x00', 'application/zip'],
    ['\x89PNG\r\n\x1a\n\x00\x00', 'image/png'],
    ['\xff\xd8\xff\xe0\x00\x10JFIF', 'image/jpeg'],
    ['\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1', 'application/x-ole-storage'],
    ['Bonjour, voici le message.\r\n', 'text/plain'],
    ['\xef\xbb\xbfnuméro;nom\n', 'text/plain'],
    ['MZ\x90\x00\x03\x00', 'application/octet-stream'],
    ['', 'application/octet-stream'],
    [' %PDF-1.4', 'text/plain'],
  ])('sniffMediaType(%j) → %s', (bytes, type) => {
    expect(sniffMediaType(Buffer.from(bytes, 'latin1'))).toBe(type);
  });
});
