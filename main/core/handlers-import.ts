import { randomBytes } from 'node:crypto';
import { lstat, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, isAbsolute, join } from 'node:path';
import { AppFailure } from '../../shared/errors';
import { regionName } from '../../shared/domain/regions';
import { ADMISSIBILITY_STATUS_LIST, type DossierFindings, type ImportOutcome, type StagedFile } from '../../shared/domain/import';
import type { Events, ParsedInput } from '../../shared/ipc/contract';
import type { Handlers } from '../../shared/ipc/api';
import type { AppError } from '../../shared/result';
import { RUBRIC_KEYS } from '../../shared/domain/rubrics';
import { DEFAULT_GRID, parseGridDocument } from './grid';
import { createCampaign, getCampaign } from './store/campaigns';
import { detectFormat } from './import/parse';
import { IDENTIFICATION_FIELDS, type ColumnMapping } from './import/types';
import { runImportInWorker, type ImportJob } from './import/run-in-worker';
import type { HandlerContext } from './handlers';

type ImportHandlers = Pick<
  Handlers,
  | 'campaign:create'
  | 'import:pickFiles'
  | 'import:stagePaths'
  | 'import:preview'
  | 'import:run'
  | 'import:cancel'
  | 'dossier:findings'
>;

/** Files held for the renderer, at most this many at once (the oldest are forgotten first). */
const MAX_STAGED = 200;
const EXTENSIONS: Record<string, StagedFile['format']> = { '.csv': 'csv', '.xlsx': 'xlsx', '.json': 'json', '.zip': 'zip' };
const MAPPING_TARGETS = new Set<string>([...IDENTIFICATION_FIELDS, ...RUBRIC_KEYS.map((k) => `rubric:${k}`)]);

function appErrorOf(error: unknown): AppError {
  if (error instanceof AppFailure) return error.params ? { code: error.code, params: error.params } : { code: error.code };
  return { code: 'internal' };
}

/** Checks one path the user chose: an absolute path to a regular file whose content matches its extension. */
async function checkFile(path: string): Promise<Omit<StagedFile, 'id'>> {
  const name = basename(path);
  if (!isAbsolute(path)) throw new AppFailure('validation');
  const info = await lstat(path).catch(() => null);
  if (!info) throw new AppFailure('not_found');
  // A directory, a symbolic link, a device or a pipe is never read.
  if (!info.isFile()) throw new AppFailure('import_refused', { reason: 'special_file', file: name });
  const expected = EXTENSIONS[extname(name).toLowerCase()];
  if (!expected) throw new AppFailure('import_unknown_format', { file: name });
  const format = await detectFormat(path);
  if (format !== expected) throw new AppFailure('import_refused', { reason: 'magic_mismatch', file: name });
  return { name, size: info.size, format };
}

/**
 * Campaign creation and the import wizard. Paths stay in main: the renderer gets ids for the files
 * it chose; imports and previews run in a worker thread with their own database connection.
 */
export function createImportHandlers(ctx: HandlerContext): ImportHandlers {
  const db = () => ctx.store.db;
  const staged = new Map<string, StagedFile & { path: string }>();
  const runs = new Map<string, ImportJob>();
  const emit = <E extends keyof Events>(event: E, payload: Events[E]) =>
    (ctx.emit as ((e: keyof Events, p: unknown) => void) | undefined)?.(event, payload);

  const stage = async (paths: string[]): Promise<StagedFile[]> => {
    const checked = [];
    for (const path of paths) checked.push({ path, ...(await checkFile(path)) });
    return checked.map(({ path, ...file }) => {
      const id = randomBytes(16).toString('hex');
      staged.set(id, { id, path, ...file });
      while (staged.size > MAX_STAGED) staged.delete(staged.keys().next().value!);
      return { id, ...file };
    });
  };

  const request = (input: ParsedInput<'import:preview'>) => {
    if (!getCampaign(db(), input.campaignId)) throw new AppFailure('not_found');
    const files = input.fileIds.map((id) => {
      const file = staged.get(id);
      if (!file) throw new AppFailure('not_found');
      return file.path;
    });
    const mapping: ColumnMapping = {};
    for (const [target, header] of Object.entries(input.mapping ?? {})) {
      if (!MAPPING_TARGETS.has(target)) throw new AppFailure('validation');
      mapping[target as keyof ColumnMapping] = header;
    }
    return {
      dbPath: ctx.store.paths.dbPath,
      campaignId: input.campaignId,
      files,
      mapping,
      now: ctx.now().toISOString(),
    };
  };

  return {
    'campaign:create': (input) => {
      const region = regionName(input.regionCode)!;
      const grid = input.grid === undefined ? DEFAULT_GRID : parseGridDocument(input.grid);
      const d = db();
      const id = d.transaction(() =>
        createCampaign(d, {
          name: input.name ?? `${grid.label.fr} — ${region}`,
          ami: input.ami ?? 'PTCE émergents',
          wave: input.wave,
          phase: input.phase,
          regionCode: input.regionCode,
          deadline: new Date(input.deadline).toISOString(),
          grid,
          createdAt: ctx.now().toISOString(),
        }),
      )();
      ctx.log.info('campaign.created', { id, region: input.regionCode, grid: grid.id, gridVersion: grid.version });
      return getCampaign(d, id)!;
    },
    'import:pickFiles': async () => {
      const paths = await ctx.dialogs.chooseImportFiles?.();
      if (!paths || paths.length === 0) return null as never; // the contract's `| null` (Output<> strips it)
      if (paths.length > 20) throw new AppFailure('validation');
      return stage(paths);
    },
    'import:stagePaths': ({ paths }) => stage(paths),
    'import:preview': async (input) => {
      const job = request(input);
      // Attachments of a preview go to a throw-away folder: the store's blob folder is untouched.
      const filesDir = await mkdtemp(join(tmpdir(), 'comite-ptce-preview-'));
      try {
        return (await runImportInWorker({ ...job, filesDir, dryRun: true }).result) as ImportOutcome;
      } finally {
        await rm(filesDir, { recursive: true, force: true });
      }
    },
    'import:run': (input) => {
      const job = request(input);
      const runId = randomBytes(16).toString('hex');
      const started = runImportInWorker({ ...job, filesDir: ctx.store.paths.filesDir, dryRun: false }, (p) =>
        emit('import:progress', { runId, ...p }),
      );
      runs.set(runId, started);
      ctx.log.info('import.started', { runId, campaignId: input.campaignId, files: job.files.length });
      started.result.then(
        (result) => {
          ctx.log.info('import.done', { runId });
          emit('import:done', { runId, result: result as ImportOutcome });
        },
        (error: unknown) => {
          const appError = appErrorOf(error);
          ctx.log.warn('import.failed', { runId, code: appError.code });
          emit('import:done', { runId, result: { error: appError } });
        },
      ).finally(() => runs.delete(runId));
      return { runId };
    },
    'import:cancel': ({ runId }) => {
      const job = runs.get(runId);
      if (!job) return { cancelled: false };
      job.cancel();
      return { cancelled: true };
    },
    'dossier:findings': ({ campaignId }) => {
      if (!getCampaign(db(), campaignId)) throw new AppFailure('not_found');
      const rows = db()
        .prepare(
          `SELECT d.number, f.status, f.flags_json FROM dossier_findings f JOIN dossiers d ON d.id = f.dossier_id
           WHERE d.campaign_id = ?`,
        )
        .all(campaignId) as { number: number; status: string; flags_json: string }[];
      const out: Record<number, DossierFindings> = {};
      for (const r of rows) {
        if (!(ADMISSIBILITY_STATUS_LIST as readonly string[]).includes(r.status)) continue;
        const flags = JSON.parse(r.flags_json) as unknown;
        out[r.number] = {
          status: r.status as DossierFindings['status'],
          flags: Array.isArray(flags) ? flags.filter((f): f is string => typeof f === 'string') : [],
        };
      }
      return out;
    },
  };
}
