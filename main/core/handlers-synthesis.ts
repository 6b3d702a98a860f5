import { AppFailure } from '../../shared/errors';
import type { Handlers } from '../../shared/ipc/api';
import { getSynthesis } from './synthesis/synthesis';
import { reorderPhase2 } from './synthesis/phase2';
import { exportSynthesisXlsx } from './synthesis/xlsx';
import type { HandlerContext } from './handlers';

type SynthesisHandlers = Pick<Handlers, 'synthesis:get' | 'synthesis:export' | 'synthesis:reorderPhase2'>;

/** The default file name: synthese-regionale-<region>-<YYYY-MM-DD>.xlsx (local calendar day). */
export function synthesisFileName(regionCode: string, now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const day = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  return `synthese-regionale-${regionCode.replace(/[^A-Za-z0-9]/g, '')}-${day}.xlsx`;
}

/**
 * « Synthèse régionale »: the view, the XLSX export (destination asked through the injected
 * dialog, like « Sauvegarder sous… »; beside the store without a window) and the phase-2 order.
 */
export function createSynthesisHandlers(ctx: HandlerContext): SynthesisHandlers {
  const db = () => ctx.store.db;
  return {
    'synthesis:get': ({ campaignId }) => getSynthesis(db(), campaignId),
    'synthesis:export': async ({ campaignId }) => {
      const view = getSynthesis(db(), campaignId);
      const now = ctx.now();
      const choose = ctx.dialogs.chooseSynthesisDestination ?? ctx.dialogs.chooseArchiveDestination;
      const file = await choose(synthesisFileName(view.regionCode, now));
      if (file === null) return null;
      try {
        const written = await exportSynthesisXlsx(view, file, now);
        ctx.log.info('synthesis.exported', { campaignId, size: written.size });
        return { file: written.path, size: written.size };
      } catch (error) {
        ctx.log.error('synthesis.export_failed', { campaignId, error });
        throw new AppFailure('synthesis_export_failed');
      }
    },
    'synthesis:reorderPhase2': ({ campaignId, dossierIds }) => reorderPhase2(db(), campaignId, dossierIds, ctx.now()),
  };
}
