import { createHash, sign, type KeyObject } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { AppFailure } from '../../../shared/errors';
import { getCampaign } from '../store/campaigns';
import { requireMember } from '../review/members';
import type { AuditEntry } from '../review/audit';
import type { MemberKey } from '../keys/keys';
import type { SigningIdentity } from '../keys/pkcs12';
import type { AvisDocument } from './avis';
import { renderAvisPdf } from './pdf/avis-pdf';
import { renderSynthesePdf } from './pdf/synthese-pdf';
import { signCms } from './cms';
import { collectAvis, resolveCampaignId, type DossierSelection } from './collect';
import {
  JOURNAL,
  MANIFEST,
  MANIFEST_P7S,
  MANIFEST_SIG,
  PACKAGE_FORMAT_VERSION,
  SUMS,
  byteOrder,
  canonicalBytes,
  canonicalJsonOnce,
  packageFileName,
  slugify,
  type Manifest,
} from './format';
import { syntheseCsv, syntheseXlsx } from './tables';
import { procesVerbalFiles } from '../meeting/package';
import { packageAttachments, type PackageAttachment } from './attachments';
import { ZipSourceMismatch, writeZipFileAtomic, zipToBuffer, type ZipSource } from './zip-stream';

export type PdfRenderer = (avis: AvisDocument, options: { lang: 'fr' | 'en' }) => Promise<Buffer>;
export type SyntheseRenderer = (docs: readonly AvisDocument[], options: { lang: 'fr' | 'en' }) => Promise<Buffer>;

export interface BuildOptions {
  campaignId?: number;
  dossiers?: DossierSelection;
  signer: { memberId: number; key: MemberKey; privateKey: KeyObject };
  identity?: SigningIdentity;
  /** Injected clock: the same database and the same clock give a byte-identical package. */
  now: () => Date;
  /** The avis PDF renderer (default renderAvisPdf); null for a package without PDFs. */
  renderPdf?: PdfRenderer | null;
  /** Include the procès-verbal of each séance that decided something (default true). */
  procesVerbal?: boolean;
  /** The synthesis PDF renderer (default renderSynthesePdf; none when renderPdf is null). */
  renderSynthese?: SyntheseRenderer | null;
  /**
   * Include the dossiers' attachments (`pieces/<number>/<name>`), streamed from the blob store in
   * this folder (the store's `filesDir`). Off by default.
   */
  attachments?: { filesDir: string } | null;
  /** Called after each dossier's files are built (done of total dossiers). */
  /** The avis rendered, then (phase 'pieces') the attachments written. */
  onProgress?: (p: { done: number; total: number; phase?: 'pieces' }) => void;
}

/** Everything but the archive: the in-memory files and the ZIP entries (in order) to write. */
export interface PreparedPackage {
  fileName: string;
  manifest: Manifest;
  /** The files built in memory (every file but the attachments). */
  files: Map<string, Buffer>;
  /** The attachments, streamed from the blob store when the archive is written. */
  attachments: PackageAttachment[];
  /** Every entry of the archive, in byte order of names. */
  entries: ZipSource[];
}

export interface BuiltPackage extends PreparedPackage {
  zip: Buffer;
}

export interface ExportedPackage extends PreparedPackage {
  /** Size and SHA-256 of the written archive (computed as it was written). */
  size: number;
  sha256: string;
}

const PDF_CONCURRENCY = 4;
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** The journal as JSON lines, one canonical entry (all columns, hash included) per line, seq order. */
export function journalLines(db: Database): Buffer {
  const rows = db.prepare('SELECT * FROM audit_journal ORDER BY seq').all() as AuditEntry[];
  return Buffer.concat(rows.map((r) => canonicalBytes(r)));
}

/** Builds the package's files and signed manifest; the archive itself is written by the caller. */
export async function preparePackage(db: Database, opts: BuildOptions): Promise<PreparedPackage> {
  const campaignId = resolveCampaignId(db, opts.campaignId);
  const campaign = getCampaign(db, campaignId)!;
  const member = requireMember(db, opts.signer.memberId);
  const createdAt = new Date(opts.now().toISOString());
  const docs = collectAvis(db, campaignId, opts.dossiers ?? 'ready');
  if (docs.length === 0) throw new AppFailure('export_empty');

  const files = new Map<string, Buffer>();
  const renderPdf = opts.renderPdf === undefined ? renderAvisPdf : opts.renderPdf;
  // The synthesis renders alongside the avis PDFs (on the worker pool, they use both cores).
  const renderSynthese = opts.renderSynthese === undefined ? (renderPdf ? renderSynthesePdf : null) : opts.renderSynthese;
  const synthese = renderSynthese ? renderSynthese(docs, { lang: 'fr' }) : null;
  // Awaited below; a failure of the avis PDFs first must not leave it unhandled.
  synthese?.catch(() => {});
  opts.onProgress?.({ done: 0, total: docs.length });
  // Up to 4 renders in flight (a worker pool renders them on every core); each PDF goes to its own
  // dossier's path whatever the order they finish in, so the package does not depend on timing.
  let done = 0;
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < docs.length) {
      const d = docs[next++]!;
      files.set(`avis/${d.dossier.number}.json`, Buffer.from(canonicalJsonOnce(d) + '\n', 'utf8'));
      try {
        if (renderPdf) pdfs.set(d.dossier.number, await renderPdf(d, { lang: 'fr' }));
      } catch (e) {
        failed = true;
        throw e;
      }
      opts.onProgress?.({ done: ++done, total: docs.length });
    }
  };
  const pdfs = new Map<number, Buffer>();
  await Promise.all(Array.from({ length: renderPdf ? PDF_CONCURRENCY : 1 }, worker));
  for (const d of docs) {
    const pdf = pdfs.get(d.dossier.number);
    if (pdf) files.set(`avis/${d.dossier.number}.pdf`, pdf);
  }
  if (synthese) files.set('synthese.pdf', await synthese);
  files.set('synthese.csv', syntheseCsv(docs));
  files.set('synthese.xlsx', await syntheseXlsx(docs, createdAt));
  if (opts.procesVerbal !== false) for (const [path, pdf] of await procesVerbalFiles(db, campaignId)) files.set(path, pdf);
  files.set(JOURNAL, journalLines(db));
  const attachments = opts.attachments
    ? packageAttachments(
        db,
        campaignId,
        docs.map((d) => d.dossier.number),
        opts.attachments.filesDir,
      )
    : [];
  // Every listed file: path → size and SHA-256 (an attachment's is the blob store's, re-checked when written).
  const listed = new Map<string, { size: number; sha256: string }>();
  for (const [p, b] of files) listed.set(p, { size: b.length, sha256: sha256(b) });
  for (const a of attachments) {
    if (listed.has(a.name)) throw new Error(`duplicate package entry ${a.name}`);
    listed.set(a.name, { size: a.size, sha256: a.sha256 });
  }
  const content = [...listed.keys()].sort(byteOrder);
  files.set(SUMS, Buffer.from(content.map((p) => `${listed.get(p)!.sha256}  ${p}\n`).join(''), 'utf8'));
  listed.set(SUMS, { size: files.get(SUMS)!.length, sha256: sha256(files.get(SUMS)!) });

  const manifest: Manifest = {
    formatVersion: PACKAGE_FORMAT_VERSION,
    createdAt: createdAt.toISOString(),
    draft: docs.some((d) => d.state === 'draft'),
    campaign: {
      id: campaign.id,
      name: campaign.name,
      slug: slugify(campaign.name),
      ami: campaign.ami,
      wave: campaign.wave,
      phase: campaign.phase,
    },
    region: docs[0]!.region,
    grid: { id: campaign.gridId, version: campaign.gridVersion },
    signer: {
      member: { id: member.id, name: member.name, role: member.role, organisation: member.organisation },
      keyFingerprint: opts.signer.key.fingerprint,
      publicKeyPem: opts.signer.key.publicPem,
      certificate: opts.identity ? { subject: opts.identity.subject, sha256: opts.identity.certSha256 } : null,
    },
    dossiers: docs.map((d) => ({ number: d.dossier.number, state: d.state })),
    files: [...listed.keys()].sort(byteOrder).map((p) => ({ path: p, ...listed.get(p)! })),
  };
  const manifestBytes = canonicalBytes(manifest);
  files.set(MANIFEST, manifestBytes);
  files.set(MANIFEST_SIG, sign(null, manifestBytes, opts.signer.privateKey));
  if (opts.identity) files.set(MANIFEST_P7S, signCms(manifestBytes, opts.identity, createdAt));

  const entries: ZipSource[] = [...[...files].map(([name, data]) => ({ name, data })), ...attachments].sort((a, b) => byteOrder(a.name, b.name));
  return { fileName: packageFileName(campaign.regionCode, campaign.name, createdAt), manifest, files, attachments, entries };
}

/** Builds the signed package in memory (small packages and tests; the export streams it to disk). */
export async function buildPackage(db: Database, opts: BuildOptions): Promise<BuiltPackage> {
  const prepared = await preparePackage(db, opts);
  const { zip } = await zipIt(() => zipToBuffer(prepared.entries), prepared);
  return { ...prepared, zip };
}

/** A blob that changed under the export (size or SHA-256 no longer its name) stops it with a precise error. */
async function zipIt<T>(write: () => Promise<T>, prepared: PreparedPackage): Promise<T> {
  try {
    return await write();
  } catch (e) {
    if (e instanceof ZipSourceMismatch) {
      const dossier = Number(e.entry.split('/')[1]);
      throw new AppFailure('package_attachment_invalid', { dossier, reason: 'changed' });
    }
    if ((e as NodeJS.ErrnoException)?.code === 'ENOENT' && prepared.attachments.length > 0 && (e as NodeJS.ErrnoException).path) {
      const a = prepared.attachments.find((x) => x.file === (e as NodeJS.ErrnoException).path);
      if (a) throw new AppFailure('package_attachment_invalid', { dossier: Number(a.name.split('/')[1]), reason: 'missing' });
    }
    throw e;
  }
}

/**
 * Builds and writes the package atomically. `out` is a folder (the standard file name is used)
 * or a file path. Returns the written path.
 */
export async function exportPackage(db: Database, out: string, opts: BuildOptions): Promise<{ path: string; built: ExportedPackage }> {
  const prepared = await preparePackage(db, opts);
  const path = existsSync(out) && statSync(out).isDirectory() ? join(out, prepared.fileName) : out;
  const total = prepared.attachments.length;
  let done = 0;
  if (total > 0) opts.onProgress?.({ done, total, phase: 'pieces' });
  const written = await zipIt(
    () => writeZipFileAtomic(path, prepared.entries, total > 0 ? () => opts.onProgress?.({ done: ++done, total, phase: 'pieces' }) : undefined),
    prepared,
  );
  return { path, built: { ...prepared, ...written } };
}
