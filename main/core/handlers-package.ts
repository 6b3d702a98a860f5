import { lstatSync } from 'node:fs';
import { basename } from 'node:path';
import type { Database } from 'better-sqlite3';
import { AppFailure } from '../../shared/errors';
import type { Handlers } from '../../shared/ipc/api';
import type { Events } from '../../shared/ipc/contract';
import type { PackagePlan, PackagePlanDossier, PackageVerifyView } from '../../shared/domain/package';
import { getCampaign } from './store/campaigns';
import { getActiveMember } from './review/members';
import { ensureSigningKey, getMemberKey } from './keys/keys';
import { exportPackage, type PdfRenderer, type SyntheseRenderer } from './package/build';
import { packageFileName } from './package/format';
import { verifyPackage } from './package/verify';
import { renderAvisPdf } from './package/pdf/avis-pdf';
import { avisPdfStore, storedAvisPdfRenderer, storedSynthesePdfRenderer, synthesePdfStore } from './package/pdf/avis-pdf-store';
import { exportAvisPdfOptions } from './package/pdf/warm';
import { renderSynthesePdf } from './package/pdf/synthese-pdf';
import type { HandlerContext } from './handlers';

type PackageHandlers = Pick<Handlers, 'package:plan' | 'package:export' | 'package:verify'>;

/**
 * Packages larger than this are refused for verification. Verification streams the file (it never
 * holds it in memory), so the bound is only a sanity limit for packages with attachments.
 */
export const MAX_VERIFY_BYTES = 64 * 1024 * 1024 * 1024;

/** Every dossier of the campaign with its export state, in number order (the rule of collect.ts). */
export function planDossiers(db: Database, campaignId: number): PackagePlanDossier[] {
  const rows = db
    .prepare(
      `SELECT d.number, d.project_name AS project,
              count(r.id) AS reviews,
              coalesce(sum(r.status = 'submitted'), 0) AS submitted
       FROM dossiers d LEFT JOIN reviews r ON r.dossier_id = d.id
       WHERE d.campaign_id = ? GROUP BY d.id ORDER BY d.number`,
    )
    .all(campaignId) as { number: number; project: string; reviews: number; submitted: number }[];
  return rows.map((r) => ({
    number: r.number,
    project: r.project,
    state: r.submitted > 0 ? 'ready' : 'draft',
    reason: r.submitted > 0 ? null : r.reviews > 0 ? 'drafts_only' : 'no_review',
    drafts: r.reviews - r.submitted,
  }));
}

/**
 * « Exporter le paquet » and « Vérifier un paquet »: the plan (what is ready and why not), the
 * export (save dialog in main, the active member signs; their key is created on first use and
 * sealed by the injected KeyProtector), and verification of a package file.
 */
export function createPackageHandlers(ctx: HandlerContext): PackageHandlers {
  const db = () => ctx.store.db;
  const emit = <E extends keyof Events>(event: E, payload: Events[E]) =>
    (ctx.emit as ((e: keyof Events, p: unknown) => void) | undefined)?.(event, payload);
  const requireCampaign = (campaignId: number) => {
    const campaign = getCampaign(db(), campaignId);
    if (!campaign) throw new AppFailure('not_found', { entity: 'campaign', id: campaignId });
    return campaign;
  };

  return {
    'package:plan': ({ campaignId }): PackagePlan => {
      const campaign = requireCampaign(campaignId);
      const member = getActiveMember(db());
      const dossiers = planDossiers(db(), campaignId);
      return {
        campaignId,
        defaultFileName: packageFileName(campaign.regionCode, campaign.name, ctx.now()),
        signer: member
          ? {
              memberId: member.id,
              name: member.name,
              role: member.role,
              keyFingerprint: getMemberKey(db(), member.id)?.fingerprint ?? null,
            }
          : null,
        dossiers,
        ready: dossiers.filter((d) => d.state === 'ready').length,
      };
    },

    'package:export': async ({ campaignId, dossiers, withAttachments }) => {
      const campaign = requireCampaign(campaignId);
      const member = getActiveMember(db());
      if (!member) throw new AppFailure('member_required');
      const protector = ctx.keyProtector;
      if (!protector) throw new AppFailure('key_storage_unavailable');
      if (!planDossiers(db(), campaignId).some((d) => dossiers === 'all' || d.state === 'ready'))
        throw new AppFailure('export_empty');
      const now = ctx.now();
      const choose = ctx.dialogs.chooseExportDestination;
      if (!choose) throw new AppFailure('cancelled');
      const out = await choose(packageFileName(campaign.regionCode, campaign.name, now));
      if (out === null) return null;

      const { created: keyCreated, ...signing } = ensureSigningKey(db(), member.id, protector, now);
      if (keyCreated) ctx.log.info('package.key_created', { member: member.id });
      const signer = { ...signing, memberId: member.id };
      // The avis PDFs from the store's cache (warmed in idle time by the runtime), rendered on the
      // worker pool and stored when missing or stale: an export renders only the avis that changed.
      const cached = storedAvisPdfRenderer(avisPdfStore(db, ctx.now), ctx.renderAvisPdf ?? renderAvisPdf);
      const renderPdf: PdfRenderer = (avis, options) => cached(avis, { ...options, ...exportAvisPdfOptions(ctx.pdfFontDir) });
      const cachedSynthese = storedSynthesePdfRenderer(synthesePdfStore(db, ctx.now), ctx.renderSynthesePdf ?? renderSynthesePdf);
      const renderSynthese: SyntheseRenderer = (docs, options) => cachedSynthese(docs, { ...options, ...exportAvisPdfOptions(ctx.pdfFontDir) });
      const { path, built } = await exportPackage(db(), out, {
        campaignId,
        dossiers,
        signer,
        now: () => now,
        renderPdf,
        renderSynthese,
        attachments: withAttachments ? { filesDir: ctx.store.paths.filesDir } : null,
        onProgress: (p) => emit('package:progress', p),
      });
      ctx.log.info('package.exported', {
        campaign: campaignId,
        dossiers: built.manifest.dossiers.length,
        attachments: built.attachments.length,
        pdfRendered: cached.stats.misses,
        pdfCached: cached.stats.hits,
        syntheseRendered: cachedSynthese.stats.misses,
      });
      return {
        path,
        fileName: basename(path),
        size: built.size,
        sha256: built.sha256,
        dossiers: built.manifest.dossiers.length,
        draft: built.manifest.draft,
        keyFingerprint: signer.key.fingerprint,
        keyCreated,
      };
    },

    'package:verify': async ({ path }) => {
      const file = path ?? (await ctx.dialogs.choosePackageToVerify?.()) ?? null;
      if (file === null) return null;
      let size: number;
      try {
        const st = lstatSync(file);
        if (!st.isFile()) throw new Error('not a regular file');
        size = st.size;
      } catch {
        throw new AppFailure('not_found', { entity: 'file' });
      }
      if (size > MAX_VERIFY_BYTES) throw new AppFailure('validation', { reason: 'too_large' });
      const r = await verifyPackage(file);
      ctx.log.info('package.verified', { ok: r.ok, reasons: r.reasons.map((x) => x.code).join(',') });
      const view: PackageVerifyView = {
        file,
        ok: r.ok,
        signer: r.signer,
        formatVersion: r.manifest?.formatVersion ?? null,
        createdAt: r.manifest?.createdAt ?? null,
        draft: r.manifest?.draft ?? null,
        dossiers: r.manifest?.dossiers.length ?? null,
        reasons: r.reasons,
      };
      return view;
    },
  };
}
