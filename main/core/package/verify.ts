import { createHash, createPublicKey, verify as verifySignature, type KeyObject } from 'node:crypto';
import { readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import yauzl from 'yauzl';
import type { PackageReasonCode } from '../../../shared/domain/package';
import { GENESIS_HASH, entryHash, type AuditEntry } from '../review/audit';
import { publicKeyFingerprint } from '../keys/keys';
import { verifyCms } from './cms';
import { JOURNAL, MANIFEST, MANIFEST_P7S, MANIFEST_SIG, PACKAGE_FORMAT_VERSION, SUMS, type Manifest } from './format';

/**
 * Verifies a package: the Ed25519 signature over manifest.json (against a pinned public key, or
 * the key the manifest embeds — then the signer is unauthenticated), the CMS signature when
 * present (chain checked with a CA), every file's size and SHA-256, no file missing or unlisted,
 * SHA256SUMS consistent with the manifest, and the journal's hash chain.
 */
export type ReasonCode = PackageReasonCode;

export interface Reason {
  code: ReasonCode;
  path?: string;
  detail?: string;
}

export interface VerifyResult {
  ok: boolean;
  signer: {
    name: string | null;
    keyFingerprint: string | null;
    /** True only when checked against a pinned public key (--pubkey) or a CA (--ca). */
    authenticated: boolean;
    certificate: { subject: string; sha256: string } | null;
  };
  manifest: Pick<Manifest, 'formatVersion' | 'createdAt' | 'draft' | 'dossiers'> | null;
  reasons: Reason[];
}

export interface VerifyOptions {
  pubkeyPem?: string;
  caPem?: string;
}


export function readZipEntries(zipBytes: Buffer): Promise<{ files: Map<string, Buffer>; duplicates: string[] }> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zipBytes, { lazyEntries: true, strictFileNames: true, validateEntrySizes: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('zip'));
      const files = new Map<string, Buffer>();
      const duplicates: string[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error('entry'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            if (files.has(entry.fileName)) duplicates.push(entry.fileName);
            files.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
          stream.on('error', reject);
        });
      });
      zip.on('end', () => resolve({ files, duplicates }));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

/** Size and SHA-256 of one entry, as read from the archive. */
export interface EntryDigest {
  size: number;
  sha256: string;
}

/** What verification reads from an archive: every entry's digest, and the bytes of the few it parses. */
export interface ZipDigests {
  digests: Map<string, EntryDigest>;
  kept: Map<string, Buffer>;
  duplicates: string[];
}

const KEPT = new Set([MANIFEST, MANIFEST_SIG, MANIFEST_P7S, SUMS, JOURNAL]);
const CHUNK = 1 << 20;
const WINDOW = 1 << 20;

/** Random access to the archive: a file (read in 1 MB chunks, never whole) or bytes in memory. */
interface Source {
  read(buf: Buffer, length: number, position: number): Promise<number>;
}

function bufferSource(bytes: Buffer): Source {
  return {
    read: (buf, length, position) => Promise.resolve(bytes.copy(buf, 0, position, Math.min(bytes.length, position + length))),
  };
}

/**
 * A package file: small reads (headers, the central directory, small entries) are served from a
 * 1 MB window refilled by one synchronous read, so that 600 entries cost a few reads rather than
 * 2 000 round trips through the thread pool; large reads (attachment chunks) go straight to the
 * file, asynchronously.
 */
class FileWindow {
  private readonly win = Buffer.allocUnsafe(WINDOW);
  private start = 0;
  private length = 0;
  constructor(private readonly fh: FileHandle) {}
  readSmall(buf: Buffer, offset: number, length: number, position: number): number {
    if (position < this.start || position + length > this.start + this.length) {
      this.start = position;
      this.length = readSync(this.fh.fd, this.win, 0, WINDOW, position);
    }
    const n = Math.max(0, Math.min(length, this.start + this.length - position));
    this.win.copy(buf, offset, position - this.start, position - this.start + n);
    return n;
  }
  source(): Source {
    return {
      read: async (buf, length, position) =>
        length <= WINDOW / 4 ? this.readSmall(buf, 0, length, position) : (await this.fh.read(buf, 0, length, position)).bytesRead,
    };
  }
  readSyncAny(buf: Buffer, offset: number, length: number, position: number): number {
    return length <= WINDOW ? this.readSmall(buf, offset, length, position) : readSync(this.fh.fd, buf, offset, length, position);
  }
}

/** yauzl's reader of the central directory, served by the window. */
class WindowReader extends yauzl.RandomAccessReader {
  constructor(private readonly window: FileWindow) {
    super();
  }
  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null, bytesRead?: number) => void): void {
    let n: number;
    try {
      n = this.window.readSyncAny(buffer, offset, length, position);
    } catch (e) {
      return process.nextTick(callback, e as Error);
    }
    process.nextTick(callback, null, n);
  }
}

async function readExactly(src: Source, buf: Buffer, length: number, position: number): Promise<void> {
  let done = 0;
  while (done < length) {
    const n = await src.read(done === 0 ? buf : buf.subarray(done), length - done, position + done);
    if (n === 0) throw new Error('unexpected end of archive');
    done += n;
  }
}

/**
 * Reads the central directory with yauzl (strict names, sizes validated), then hashes every entry
 * once, straight from its stored bytes (the package's entries are never compressed; a compressed
 * or encrypted entry is refused as unreadable). The read of the next chunk overlaps the hashing of
 * the current one. Only manifest.json, its signatures, SHA256SUMS and the journal are kept in memory.
 */
async function digestZip(src: Source, openCentral: (cb: (err: Error | null, zip?: yauzl.ZipFile) => void) => void): Promise<ZipDigests> {
  const entries = await new Promise<yauzl.Entry[]>((resolve, reject) => {
    openCentral((err, zip) => {
      if (err || !zip) return reject(err ?? new Error('zip'));
      const list: yauzl.Entry[] = [];
      zip.on('entry', (e: yauzl.Entry) => {
        list.push(e);
        zip.readEntry();
      });
      // Not closed here: the caller owns the file descriptor (fromFd with autoClose false).
      zip.on('end', () => resolve(list));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
  const digests = new Map<string, EntryDigest>();
  const kept = new Map<string, Buffer>();
  const duplicates: string[] = [];
  const header = Buffer.alloc(30);
  const bufs = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
  for (const entry of entries) {
    if (entry.compressionMethod !== 0 || entry.isEncrypted() || entry.compressedSize !== entry.uncompressedSize)
      throw new Error(`unsupported entry ${entry.fileName}`);
    await readExactly(src, header, 30, entry.relativeOffsetOfLocalHeader);
    if (header.readUInt32LE(0) !== 0x04034b50) throw new Error('invalid local file header signature');
    const start = entry.relativeOffsetOfLocalHeader + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    const size = entry.uncompressedSize;
    const keep = KEPT.has(entry.fileName);
    const parts: Buffer[] = [];
    const hash = createHash('sha256');
    let turn = 0;
    let next: Promise<void> | null = size > 0 ? readExactly(src, bufs[0]!, Math.min(CHUNK, size), start) : null;
    for (let done = 0; next; ) {
      await next;
      const length = Math.min(CHUNK, size - done);
      const chunk = bufs[turn]!.subarray(0, length);
      done += length;
      turn ^= 1;
      next = done < size ? readExactly(src, bufs[turn]!, Math.min(CHUNK, size - done), start + done) : null;
      hash.update(chunk);
      if (keep) parts.push(Buffer.from(chunk));
    }
    if (digests.has(entry.fileName)) duplicates.push(entry.fileName);
    digests.set(entry.fileName, { size, sha256: hash.digest('hex') });
    if (keep) kept.set(entry.fileName, Buffer.concat(parts));
  }
  return { digests, kept, duplicates };
}

const YAUZL_OPTIONS = { lazyEntries: true, strictFileNames: true, validateEntrySizes: true } as const;

/** Recomputes the journal chain as main/core/review/audit.ts does; returns the first bad seq. */
export function checkJournal(bytes: Buffer): { ok: true } | { ok: false; seq: number } {
  const lines = bytes.toString('utf8').split('\n');
  if (lines.pop() !== '') return { ok: false, seq: 0 };
  let prev = GENESIS_HASH;
  let expected = 1;
  for (const line of lines) {
    let e: AuditEntry;
    try {
      e = JSON.parse(line) as AuditEntry;
    } catch {
      return { ok: false, seq: expected };
    }
    if (e.seq !== expected || e.prev_hash !== prev || entryHash(e) !== e.hash) return { ok: false, seq: expected };
    prev = e.hash;
    expected += 1;
  }
  return { ok: true };
}

function isManifest(v: unknown): v is Manifest {
  const m = v as Manifest;
  return (
    typeof m === 'object' &&
    m !== null &&
    Array.isArray(m.files) &&
    m.files.every((f) => typeof f?.path === 'string' && typeof f.size === 'number' && typeof f.sha256 === 'string') &&
    typeof m.signer?.publicKeyPem === 'string'
  );
}

export function verifyPackageBytes(zipBytes: Buffer, opts: VerifyOptions = {}): Promise<VerifyResult> {
  return verifyDigests(() => digestZip(bufferSource(zipBytes), (cb) => yauzl.fromBuffer(zipBytes, YAUZL_OPTIONS, cb)), opts);
}

/** Verifies a package file, streamed from disk (each entry read and hashed once; never held whole in memory). */
export async function verifyPackage(file: string, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const fh = await open(file, 'r');
  try {
    const { size } = await fh.stat();
    const window = new FileWindow(fh);
    return await verifyDigests(
      () => digestZip(window.source(), (cb) => yauzl.fromRandomAccessReader(new WindowReader(window), size, YAUZL_OPTIONS, cb)),
      opts,
    );
  } finally {
    await fh.close();
  }
}

async function verifyDigests(read: () => Promise<ZipDigests>, opts: VerifyOptions): Promise<VerifyResult> {
  const reasons: Reason[] = [];
  const result: VerifyResult = {
    ok: false,
    signer: { name: null, keyFingerprint: null, authenticated: false, certificate: null },
    manifest: null,
    reasons,
  };
  let entries: Map<string, Buffer>;
  let digests: Map<string, EntryDigest>;
  try {
    const r = await read();
    entries = r.kept;
    digests = r.digests;
    for (const d of r.duplicates) reasons.push({ code: 'file_duplicate', path: d });
  } catch (e) {
    reasons.push({ code: 'zip_unreadable', detail: e instanceof Error ? e.message : String(e) });
    return result;
  }
  const manifestBytes = entries.get(MANIFEST);
  if (!manifestBytes) {
    reasons.push({ code: 'manifest_missing' });
    return result;
  }
  // With a pinned key, the signature is checked on the raw bytes first, so even an unparsable
  // manifest is reported as not signed by that key.
  const sig = entries.get(MANIFEST_SIG);
  let pinnedKey: KeyObject | null = null;
  if (opts.pubkeyPem) {
    try {
      pinnedKey = createPublicKey(opts.pubkeyPem);
      if (pinnedKey.asymmetricKeyType !== 'ed25519') throw new Error('type');
    } catch {
      reasons.push({ code: 'pubkey_invalid' });
      return result;
    }
    if (!sig) reasons.push({ code: 'signature_missing' });
    else if (!(sig.length === 64 && verifySignature(null, manifestBytes, pinnedKey, sig))) reasons.push({ code: 'signature_invalid' });
  }
  let manifest: Manifest;
  try {
    const parsed: unknown = JSON.parse(manifestBytes.toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && (parsed as Manifest).formatVersion !== PACKAGE_FORMAT_VERSION) {
      reasons.push({ code: 'format_version_unknown', detail: String((parsed as Manifest).formatVersion) });
      return result;
    }
    if (!isManifest(parsed)) throw new Error('shape');
    manifest = parsed;
  } catch {
    reasons.push({ code: 'manifest_invalid' });
    return result;
  }
  result.manifest = { formatVersion: manifest.formatVersion, createdAt: manifest.createdAt, draft: manifest.draft, dossiers: manifest.dossiers };
  result.signer.name = manifest.signer.member?.name ?? null;
  result.signer.keyFingerprint = manifest.signer.keyFingerprint ?? null;

  // Ed25519 signature (against the manifest's own key when none is pinned).
  let key: KeyObject | null = pinnedKey;
  if (!pinnedKey) {
    try {
      key = createPublicKey(manifest.signer.publicKeyPem);
      if (key.asymmetricKeyType !== 'ed25519') throw new Error('type');
    } catch {
      reasons.push({ code: 'pubkey_invalid' });
      key = null;
    }
    if (!sig) reasons.push({ code: 'signature_missing' });
    else if (key && !(sig.length === 64 && verifySignature(null, manifestBytes, key, sig))) reasons.push({ code: 'signature_invalid' });
  }
  if (key && publicKeyFingerprint(key) !== manifest.signer.keyFingerprint) reasons.push({ code: 'pubkey_mismatch' });
  const edOk = Boolean(key && sig) && !reasons.some((r) => r.code.startsWith('signature') || r.code.startsWith('pubkey'));
  if (edOk && pinnedKey) result.signer.authenticated = true;

  // CMS signature.
  const p7s = entries.get(MANIFEST_P7S);
  if (p7s) {
    const cms = verifyCms(p7s, manifestBytes, opts.caPem);
    for (const code of cms.reasons) reasons.push({ code });
    result.signer.certificate = cms.subject && cms.certSha256 ? { subject: cms.subject, sha256: cms.certSha256 } : null;
    if (manifest.signer.certificate && cms.certSha256 !== manifest.signer.certificate.sha256)
      reasons.push({ code: 'cms_invalid', detail: 'certificate differs from manifest' });
    if (opts.caPem && cms.reasons.length === 0) result.signer.authenticated = true;
  } else if (opts.caPem || manifest.signer.certificate) {
    reasons.push({ code: 'cms_missing' });
  }

  // Files.
  const listed = new Set(manifest.files.map((f) => f.path));
  for (const f of manifest.files) {
    const d = digests.get(f.path);
    if (!d) reasons.push({ code: 'file_missing', path: f.path });
    else if (d.size !== f.size || d.sha256 !== f.sha256) reasons.push({ code: 'file_changed', path: f.path });
  }
  for (const name of digests.keys()) {
    if (name === MANIFEST || name === MANIFEST_SIG || name === MANIFEST_P7S || listed.has(name)) continue;
    reasons.push({ code: 'file_unlisted', path: name });
  }
  const sums = entries.get(SUMS);
  if (sums && listed.has(SUMS)) {
    const expected = manifest.files
      .filter((f) => f.path !== SUMS)
      .map((f) => `${f.sha256}  ${f.path}\n`)
      .join('');
    if (sums.toString('utf8') !== expected) reasons.push({ code: 'sums_mismatch', path: SUMS });
  }
  const journal = entries.get(JOURNAL);
  if (journal) {
    const j = checkJournal(journal);
    if (!j.ok) reasons.push({ code: 'journal_broken', path: JOURNAL, detail: `seq ${j.seq}` });
  }
  result.ok = reasons.length === 0;
  if (!result.ok) result.signer.authenticated = false;
  return result;
}
