import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import { AppFailure } from '../../../shared/errors';
import { canonicalBytes } from '../package/format';
import { deterministicZip } from '../package/zip';
import { readEntries, refusalReason } from '../import/zip/safe-zip';
import { formatFingerprint } from '../keys/keys';
import { getReview } from '../review/reviews';
import { requireMember, getMember } from '../review/members';
import { findKeyByFingerprint } from './contribution-keys';
import { cellValue, isKnownCellName, type CellValue } from './contribution-cells';
import { mergeIncoming, type MergeReport } from './merge';

/**
 * « Mes évaluations »: a member's reviews of a campaign as a signed contribution file
 * (resources/docs/contribution-format.md). A deterministic ZIP (stored, sorted, fixed dates) holding
 * `contribution.json` (canonical JSON + "\n") and `contribution.json.sig` (the raw 64-byte Ed25519
 * signature over the exact bytes of contribution.json).
 */
export const CONTRIBUTION_FORMAT = 'comite-ptce-contribution';
export const CONTRIBUTION_FORMAT_VERSION = 1;
export const CONTRIBUTION_JSON = 'contribution.json';
export const CONTRIBUTION_SIG = 'contribution.json.sig';
const MAX_JSON_BYTES = 32 * 1024 * 1024;

export interface CampaignIdentity {
  ami: string;
  wave: number;
  phase: number;
  region: string;
  grid: { id: string; version: number };
}

const identitySchema = z
  .object({
    ami: z.string().max(200),
    wave: z.number().int(),
    phase: z.number().int(),
    region: z.string().max(10),
    grid: z.object({ id: z.string().max(200), version: z.number().int() }).strict(),
  })
  .strict();

const documentSchema = z
  .object({
    format: z.literal(CONTRIBUTION_FORMAT),
    formatVersion: z.literal(CONTRIBUTION_FORMAT_VERSION),
    createdAt: z.string().max(40),
    campaign: identitySchema.extend({ name: z.string().max(500) }),
    member: z
      .object({
        fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
        name: z.string().max(200),
        role: z.string().max(50),
        organisation: z.string().max(200),
      })
      .strict(),
    dossiers: z
      .array(
        z
          .object({
            number: z.number().int().positive(),
            status: z.enum(['draft', 'submitted']),
            cells: z
              .array(
                z
                  .object({ cell: z.string().max(220).refine(isKnownCellName), rev: z.number().int().nonnegative(), value: z.unknown() })
                  .strict(),
              )
              .max(500),
          })
          .strict(),
      )
      .max(20_000),
  })
  .strict();
export type ContributionDocument = z.infer<typeof documentSchema>;

export function campaignIdentity(db: Database, campaignId: number): CampaignIdentity & { name: string } {
  const c = db
    .prepare('SELECT name, ami, wave, phase, region_code, grid_id, grid_version FROM campaigns WHERE id = ?')
    .get(campaignId) as
    | { name: string; ami: string; wave: number; phase: number; region_code: string; grid_id: string; grid_version: number }
    | undefined;
  if (!c) throw new AppFailure('not_found', { entity: 'campaign', id: campaignId });
  return { name: c.name, ami: c.ami, wave: c.wave, phase: c.phase, region: c.region_code, grid: { id: c.grid_id, version: c.grid_version } };
}

/** The campaign with this identity (AMI, wave, phase, region, grid id + version), else `contribution_campaign`. */
export function findCampaign(db: Database, id: CampaignIdentity): number {
  const row = db
    .prepare('SELECT id FROM campaigns WHERE ami = ? AND wave = ? AND phase = ? AND region_code = ? AND grid_id = ? AND grid_version = ? ORDER BY id')
    .get(id.ami, id.wave, id.phase, id.region, id.grid.id, id.grid.version) as { id: number } | undefined;
  if (!row)
    throw new AppFailure('contribution_campaign', {
      campaign: `${id.ami} ${id.wave}/${id.phase}, région ${id.region}, grille ${id.grid.id} v${id.grid.version}`,
    });
  return row.id;
}

/** Dossier ids of the campaign where the member has a confirmed conflict of interest. */
export function recusedDossiers(db: Database, memberId: number, campaignId: number): Set<number> {
  return new Set(
    (
      db
        .prepare(
          "SELECT k.dossier_id FROM conflicts k JOIN dossiers d ON d.id = k.dossier_id WHERE k.member_id = ? AND d.campaign_id = ? AND k.status = 'confirmed'",
        )
        .all(memberId, campaignId) as { dossier_id: number }[]
    ).map((r) => r.dossier_id),
  );
}

/** The member's reviews of the campaign, every cell with its revision (recused dossiers left out). */
export function collectContribution(
  db: Database,
  input: { memberId: number; campaignId: number; fingerprint: string; now: Date },
): ContributionDocument {
  const member = requireMember(db, input.memberId);
  const campaign = campaignIdentity(db, input.campaignId);
  const recused = recusedDossiers(db, input.memberId, input.campaignId);
  const reviews = db
    .prepare(
      'SELECT r.id, r.dossier_id, d.number, r.status FROM reviews r JOIN dossiers d ON d.id = r.dossier_id WHERE r.member_id = ? AND d.campaign_id = ? ORDER BY d.number',
    )
    .all(input.memberId, input.campaignId) as { id: number; dossier_id: number; number: number; status: 'draft' | 'submitted' }[];
  const revisions = db.prepare('SELECT cell, revision FROM review_cell_revisions WHERE review_id = ? ORDER BY cell');
  const dossiers: ContributionDocument['dossiers'] = [];
  for (const r of reviews) {
    if (recused.has(r.dossier_id)) continue;
    const content = getReview(db, r.dossier_id, input.memberId)?.content;
    const cells = (revisions.all(r.id) as { cell: string; revision: number }[])
      .filter((c) => isKnownCellName(c.cell))
      .map((c) => ({ cell: c.cell, rev: c.revision, value: cellValue(content, c.cell) as CellValue }));
    if (cells.length > 0) dossiers.push({ number: r.number, status: r.status, cells });
  }
  return {
    format: CONTRIBUTION_FORMAT,
    formatVersion: CONTRIBUTION_FORMAT_VERSION,
    createdAt: input.now.toISOString(),
    campaign,
    member: { fingerprint: input.fingerprint, name: member.name, role: member.role, organisation: member.organisation },
    dossiers,
  };
}

/** The signed contribution file (deterministic ZIP bytes). */
export async function buildContribution(
  db: Database,
  input: { memberId: number; campaignId: number; now: Date; signer: { privateKey: KeyObject; fingerprint: string } },
): Promise<{ bytes: Buffer; document: ContributionDocument }> {
  const document = collectContribution(db, { ...input, fingerprint: input.signer.fingerprint });
  const json = canonicalBytes(document);
  const signature = sign(null, json, input.signer.privateKey);
  const bytes = await deterministicZip(
    new Map([
      [CONTRIBUTION_JSON, json],
      [CONTRIBUTION_SIG, signature],
    ]),
  );
  return { bytes, document };
}

/** Reads the two entries of a contribution file through the hostile-archive checks. */
async function readContributionFile(path: string): Promise<{ json: Buffer; sig: Buffer }> {
  const found = new Map<string, Buffer>();
  try {
    await readEntries(
      path,
      async (entry, stream) => {
        if (entry.name !== CONTRIBUTION_JSON && entry.name !== CONTRIBUTION_SIG)
          throw new AppFailure('contribution_tampered', { reason: `unexpected entry ${entry.name.slice(0, 100)}` });
        const chunks: Buffer[] = [];
        for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
        found.set(entry.name, Buffer.concat(chunks));
      },
      { maxEntries: 8, maxEntryBytes: MAX_JSON_BYTES, maxTotalBytes: MAX_JSON_BYTES + 1024, maxRatio: 1000, ratioMinBytes: 1024 * 1024 },
    );
  } catch (error) {
    const reason = refusalReason(error);
    if (reason === 'not_a_zip') throw new AppFailure('contribution_format', { version: '?' });
    if (reason) throw new AppFailure('contribution_hostile', { reason });
    throw error;
  }
  const json = found.get(CONTRIBUTION_JSON);
  const sig = found.get(CONTRIBUTION_SIG);
  if (!json || !sig) throw new AppFailure('contribution_tampered', { reason: 'missing entry' });
  return { json, sig };
}

export interface ContributionCheck {
  document: ContributionDocument;
  memberId: number;
  campaignId: number;
  sha256: string;
}

/**
 * Verifies a contribution file before anything is merged: archive checks, format and version,
 * the signing key is registered (to `expectedMemberId` when given), the Ed25519 signature over the
 * exact bytes, the document's shape, and the campaign.
 */
export async function checkContribution(
  db: Database,
  path: string,
  opts: { expectedMemberId?: number } = {},
): Promise<ContributionCheck> {
  const { json, sig } = await readContributionFile(path);
  let raw: unknown;
  try {
    raw = JSON.parse(json.toString('utf8'));
  } catch {
    throw new AppFailure('contribution_tampered', { reason: 'json' });
  }
  const head = (raw ?? {}) as { format?: unknown; formatVersion?: unknown; member?: { fingerprint?: unknown } };
  if (head.format !== CONTRIBUTION_FORMAT || head.formatVersion !== CONTRIBUTION_FORMAT_VERSION)
    throw new AppFailure('contribution_format', { version: String(head.formatVersion ?? '?').slice(0, 20) });
  const fingerprint = typeof head.member?.fingerprint === 'string' ? head.member.fingerprint : '';
  const key = /^[0-9a-f]{64}$/.test(fingerprint) ? findKeyByFingerprint(db, fingerprint) : undefined;
  if (!key) throw new AppFailure('contribution_unknown_key', { fingerprint: formatFingerprint(fingerprint.slice(0, 64)) });
  if (sig.length !== 64 || !verify(null, json, createPublicKey(key.publicPem), sig)) throw new AppFailure('contribution_signature');
  if (opts.expectedMemberId !== undefined && key.memberId !== opts.expectedMemberId)
    throw new AppFailure('contribution_key_other_member', {
      fingerprint: formatFingerprint(fingerprint),
      member: getMember(db, key.memberId)?.name ?? String(key.memberId),
    });
  const parsed = documentSchema.safeParse(raw);
  if (!parsed.success) throw new AppFailure('contribution_tampered', { reason: parsed.error.issues[0]?.path.join('.') || 'schema' });
  const campaignId = findCampaign(db, parsed.data.campaign);
  return { document: parsed.data, memberId: key.memberId, campaignId, sha256: createHash('sha256').update(json).digest('hex') };
}

/** Verifies then merges a contribution file (one transaction). */
export async function importContribution(
  db: Database,
  path: string,
  opts: { now: Date; importerId: number | null; expectedMemberId?: number },
): Promise<MergeReport & { memberName: string }> {
  const check = await checkContribution(db, path, opts);
  const report = mergeIncoming(db, {
    kind: 'contribution',
    memberId: check.memberId,
    campaignId: check.campaignId,
    importerId: opts.importerId,
    now: opts.now,
    sha256: check.sha256,
    authoredAt: check.document.createdAt,
    dossiers: check.document.dossiers.map((d) => ({ number: d.number, status: d.status, cells: d.cells.map((c) => ({ cell: c.cell, rev: c.rev, value: c.value })) })),
  });
  return { ...report, memberName: getMember(db, check.memberId)?.name ?? '' };
}
