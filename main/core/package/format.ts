import { canonicalJson } from '../review/audit';

/** Package format (see resources/docs/package-format.md). */
export const PACKAGE_FORMAT_VERSION = 1;
export const MANIFEST = 'manifest.json';
export const MANIFEST_SIG = 'manifest.json.sig';
export const MANIFEST_P7S = 'manifest.json.p7s';
export const SUMS = 'SHA256SUMS';
export const JOURNAL = 'journal.jsonl';

export interface ManifestFile {
  path: string;
  size: number;
  sha256: string;
}

export interface Manifest {
  formatVersion: number;
  createdAt: string;
  draft: boolean;
  campaign: { id: number; name: string; slug: string; ami: string; wave: number; phase: number };
  region: { code: string; name: string };
  grid: { id: string; version: number };
  signer: {
    member: { id: number; name: string; role: string; organisation: string };
    keyFingerprint: string;
    publicKeyPem: string;
    certificate: { subject: string; sha256: string } | null;
  };
  dossiers: { number: number; state: 'ready' | 'draft' }[];
  files: ManifestFile[];
}

const canonicalMemo = new WeakMap<object, string>();

function deepFreeze(v: unknown): void {
  if (v === null || typeof v !== 'object' || Object.isFrozen(v)) return;
  Object.freeze(v);
  for (const x of Object.values(v)) deepFreeze(x);
}

/**
 * canonicalJson of a document that is computed once per object: the package writes each avis
 * document's canonical JSON as its file and hashes it into the PDF cache key. The object is deeply
 * frozen when first serialised, so the memo can never go stale.
 */
export function canonicalJsonOnce(value: object): string {
  let json = canonicalMemo.get(value);
  if (json === undefined) {
    deepFreeze(value);
    json = canonicalJson(value);
    canonicalMemo.set(value, json);
  }
  return json;
}

/** Canonical JSON (keys sorted, no spaces, UTF-8) plus a final newline. */
export function canonicalBytes(value: unknown): Buffer {
  return Buffer.from(canonicalJson(value) + '\n', 'utf8');
}

/** Lowercase ASCII slug: accents dropped, runs of other characters become one '-'. */
export function slugify(text: string): string {
  return (
    text
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'campagne'
  );
}

/** `avis-ptce_<region>_<campaign-slug>_<YYYY-MM-DD>.zip`, the date of creation in UTC. */
export function packageFileName(regionCode: string, campaignName: string, createdAt: Date): string {
  return `avis-ptce_${regionCode}_${slugify(campaignName)}_${createdAt.toISOString().slice(0, 10)}.zip`;
}

export const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));
