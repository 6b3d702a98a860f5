import type { Handlers } from '../../shared/ipc/api';
import { AppFailure } from '../../shared/errors';
import { LANGUAGES, type Language } from '../../shared/domain/types';
import { countDossiers, getDossier, listDossiers } from './store/dossiers';
import { campaignGrid, getCampaign, listCampaigns } from './store/campaigns';
import { getSetting, setSetting } from './store/settings';
import { backupNow, listBackups } from './store/backup';
import { restoreArchive, writeArchive } from './store/archive';
import { schemaVersion } from './db/open';
import { createImportHandlers } from './handlers-import';
import { createReviewHandlers } from './handlers-review';
import { createListHandlers } from './handlers-list';
import { createCommitteeHandlers } from './handlers-committee';
import { createMeetingHandlers } from './handlers-meeting';
import { createPackageHandlers } from './handlers-package';
import type { KeyProtector } from './keys/protector';
import { createContributionHandlers } from './handlers-contribution';
import { createSynthesisHandlers } from './handlers-synthesis';
import type { Store } from './store/store';
import type { Logger } from './log';
import type { AvisPdfRenderer } from './package/pdf/avis-pdf-cache';
import type { SynthesePdfRenderer } from './package/pdf/avis-pdf-store';

/** What the handlers need from the outside world, injected so they run under plain Node. */
export interface HandlerContext {
  store: Store;
  appVersion: string;
  log: Logger;
  now: () => Date;
  backupRetentionDays: number;
  /** Native dialogs in Electron; scripted answers in tests and in the browser bridge. */
  dialogs: {
    chooseArchiveDestination(defaultName: string): Promise<string | null>;
    chooseArchiveToRestore(): Promise<string | null>;
    /** The DS export files to import (several at once); null when cancelled. */
    chooseImportFiles?(): Promise<string[] | null>;
    /** Where to save a séance's procès-verbal PDF; null when cancelled (default: chooseArchiveDestination). */
    chooseMinutesDestination?(defaultName: string): Promise<string | null>;
    /** Where to save the signed package (proposed file name given); null when cancelled. */
    chooseExportDestination?(defaultName: string): Promise<string | null>;
    /** The package file to verify; null when cancelled. */
    choosePackageToVerify?(): Promise<string | null>;
    /** Where to save a contribution (.zip) or an XLSX grid; null when cancelled. */
    chooseContributionDestination?(defaultName: string): Promise<string | null>;
    /** A contribution (.zip) or a filled XLSX grid to import; null when cancelled. */
    chooseContributionFile?(): Promise<string | null>;
    /** Where to save the synthesis XLSX; null when cancelled (default: beside the store, like archives). */
    chooseSynthesisDestination?(defaultName: string): Promise<string | null>;
  };
  /** Seals members' signing keys (Electron safeStorage in the app); export is refused without one. */
  keyProtector?: KeyProtector;
  /** Marianne font folder for the PDFs (the app passes <resources>/fonts); default: node_modules. */
  pdfFontDir?: string | null;
  /** Renders an avis PDF on a cache miss (the runtime's worker pool); default: on this thread. */
  renderAvisPdf?: AvisPdfRenderer;
  /** Renders the synthesis PDF on a cache miss (the runtime's worker pool); default: on this thread. */
  renderSynthesePdf?: SynthesePdfRenderer;
  /** Sends a main→renderer event (no-op when nobody listens). */
  emit?: (event: 'backup:progress' | 'store:changed', payload: unknown) => void;
}

export function createHandlers(ctx: HandlerContext): Handlers {
  const db = () => ctx.store.db;
  const language = (): Language => {
    const value = getSetting(db(), 'language');
    return (LANGUAGES as readonly string[]).includes(value ?? '') ? (value as Language) : 'fr';
  };

  return {
    ...createImportHandlers(ctx),
    ...createReviewHandlers(ctx),
    ...createListHandlers(ctx),
    ...createCommitteeHandlers(ctx),
    ...createMeetingHandlers(ctx),
    ...createPackageHandlers(ctx),
    ...createContributionHandlers(ctx),
    ...createSynthesisHandlers(ctx),
    'app:info': () => {
      const d = db();
      const integrity = String(d.pragma('integrity_check', { simple: true }));
      const count = (table: string) => (d.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
      return {
        appVersion: ctx.appVersion,
        schemaVersion: schemaVersion(d),
        campaigns: count('campaigns'),
        dossiers: countDossiers(d),
        members: count('members'),
        integrity,
        dbPath: ctx.store.paths.dbPath,
        lastBackupAt: listBackups(ctx.store.paths)[0]?.createdAt ?? null,
      };
    },
    'prefs:get': () => ({ language: language() }),
    'prefs:set': ({ language: lang }) => {
      setSetting(db(), 'language', lang);
      return { language: lang };
    },
    'campaign:list': () => listCampaigns(db()),
    'campaign:get': ({ campaignId }) => {
      const c = getCampaign(db(), campaignId);
      if (!c) throw new AppFailure('not_found');
      return c;
    },
    'dossier:list': ({ campaignId }) => {
      if (!getCampaign(db(), campaignId)) throw new AppFailure('not_found');
      return listDossiers(db(), campaignId);
    },
    'dossier:get': ({ campaignId, number }) => {
      const grid = campaignGrid(db(), campaignId);
      const dossier = grid && getDossier(db(), campaignId, number, grid);
      if (!dossier) throw new AppFailure('not_found');
      return dossier;
    },
    'backup:list': () => listBackups(ctx.store.paths),
    'backup:now': () => backupNow(db(), ctx.store.paths, ctx.now(), ctx.backupRetentionDays),
    'backup:saveAs': async () => {
      const now = ctx.now();
      const defaultName = `comite-ptce-sauvegarde-${localDate(now)}.comite-ptce.zip`;
      const file = await ctx.dialogs.chooseArchiveDestination(defaultName);
      if (file === null) return null;
      let lastPercent = -1;
      try {
        const written = await writeArchive(ctx.store, file, {
          now,
          log: ctx.log,
          onProgress: (p) => {
            // At most ~100 events, however many chunks.
            const percent = Math.floor((100 * p.done) / Math.max(1, p.total));
            if (percent === lastPercent) return;
            lastPercent = percent;
            ctx.emit?.('backup:progress', p);
          },
        });
        return { file: written.file, size: written.size };
      } catch (error) {
        ctx.log.error('backup.save_as_failed', { error });
        throw new AppFailure('backup_failed');
      }
    },
    'backup:restore': async () => {
      const file = await ctx.dialogs.chooseArchiveToRestore();
      if (file === null) return null;
      try {
        await restoreArchive(ctx.store, file, { now: ctx.now(), log: ctx.log });
      } catch (error) {
        if (error instanceof AppFailure) throw error;
        ctx.log.error('backup.restore_failed', { error });
        throw new AppFailure('restore_failed');
      }
      ctx.emit?.('store:changed', { reason: 'restored' });
      return { restoredFrom: file };
    },
  };
}

/** YYYY-MM-DD in the user's local calendar (the name they will see in their folder). */
function localDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
