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
  packageFileName,
  slugify,
  type Manifest,
} from './format';
import { syntheseCsv, syntheseXlsx } from './tables';
import { procesVerbalFiles } from '../meeting/package';
import { deterministicZip, writeFileAtomic } from './zip';

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
  /** Called after each dossier's files are built (done of total dossiers). */
  onProgress?: (p: { done: number; total: number }) => void;
}

export interface BuiltPackage {
  fileName: string;
  zip: Buffer;
  manifest: Manifest;
  files: Map<string, Buffer>;
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** The journal as JSON lines, one canonical entry (all columns, hash included) per line, seq order. */
export function journalLines(db: Database): Buffer {
  const rows = db.prepare('SELECT * FROM audit_journal ORDER BY seq').all() as AuditEntry[];
  return Buffer.concat(rows.map((r) => canonicalBytes(r)));
}

/** Builds the signed package in memory. */
export async function buildPackage(db: Database, opts: BuildOptions): Promise<BuiltPackage> {
  const campaignId = resolveCampaignId(db, opts.campaignId);
  const campaign = getCampaign(db, campaignId)!;
  const member = requireMember(db, opts.signer.memberId);
  const createdAt = new Date(opts.now().toISOString());
  const docs = collectAvis(db, campaignId, opts.dossiers ?? 'ready');
  if (docs.length === 0) throw new AppFailure('export_empty');

  const files = new Map<string, Buffer>();
  const renderPdf = opts.renderPdf === undefined ? renderAvisPdf : opts.renderPdf;
  opts.onProgress?.({ done: 0, total: docs.length });
  for (const [i, d] of docs.entries()) {
    files.set(`avis/${d.dossier.number}.json`, canonicalBytes(d));
    if (renderPdf) files.set(`avis/${d.dossier.number}.pdf`, await renderPdf(d, { lang: 'fr' }));
    opts.onProgress?.({ done: i + 1, total: docs.length });
  }
  const renderSynthese = opts.renderSynthese === undefined ? (renderPdf ? renderSynthesePdf : null) : opts.renderSynthese;
  if (renderSynthese) files.set('synthese.pdf', await renderSynthese(docs, { lang: 'fr' }));
  files.set('synthese.csv', syntheseCsv(docs));
  files.set('synthese.xlsx', await syntheseXlsx(docs, createdAt));
  if (opts.procesVerbal !== false) for (const [path, pdf] of await procesVerbalFiles(db, campaignId)) files.set(path, pdf);
  files.set(JOURNAL, journalLines(db));
  const content = [...files.keys()].sort(byteOrder);
  files.set(SUMS, Buffer.from(content.map((p) => `${sha256(files.get(p)!)}  ${p}\n`).join(''), 'utf8'));

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
    files: [...files.keys()].sort(byteOrder).map((p) => ({ path: p, size: files.get(p)!.length, sha256: sha256(files.get(p)!) })),
  };
  const manifestBytes = canonicalBytes(manifest);
  files.set(MANIFEST, manifestBytes);
  files.set(MANIFEST_SIG, sign(null, manifestBytes, opts.signer.privateKey));
  if (opts.identity) files.set(MANIFEST_P7S, signCms(manifestBytes, opts.identity, createdAt));

  const zip = await deterministicZip(files);
  return { fileName: packageFileName(campaign.regionCode, campaign.name, createdAt), zip, manifest, files };
}

/**
 * Builds and writes the package atomically. `out` is a folder (the standard file name is used)
 * or a file path. Returns the written path.
 */
export async function exportPackage(db: Database, out: string, opts: BuildOptions): Promise<{ path: string; built: BuiltPackage }> {
  const built = await buildPackage(db, opts);
  const path = existsSync(out) && statSync(out).isDirectory() ? join(out, built.fileName) : out;
  writeFileAtomic(path, built.zip);
  return { path, built };
}
