import { createHash, createPublicKey, verify as verifySignature, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
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

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

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

export async function verifyPackageBytes(zipBytes: Buffer, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const reasons: Reason[] = [];
  const result: VerifyResult = {
    ok: false,
    signer: { name: null, keyFingerprint: null, authenticated: false, certificate: null },
    manifest: null,
    reasons,
  };
  let entries: Map<string, Buffer>;
  try {
    const read = await readZipEntries(zipBytes);
    entries = read.files;
    for (const d of read.duplicates) reasons.push({ code: 'file_duplicate', path: d });
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
    const bytes = entries.get(f.path);
    if (!bytes) reasons.push({ code: 'file_missing', path: f.path });
    else if (bytes.length !== f.size || sha256(bytes) !== f.sha256) reasons.push({ code: 'file_changed', path: f.path });
  }
  for (const name of entries.keys()) {
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

export function verifyPackage(file: string, opts: VerifyOptions = {}): Promise<VerifyResult> {
  return verifyPackageBytes(readFileSync(file), opts);
}
