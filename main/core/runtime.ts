import { join } from 'node:path';
import pkg from '../../package.json';
import { createHandlers, type HandlerContext } from './handlers';
import { createDispatcher, type Dispatch } from './ipc/dispatch';
import { createFileLogger, type Logger } from './log';
import { Store } from './store/store';
import type { Handlers } from '../../shared/ipc/api';
import type { AvisPdfRenderer } from './package/pdf/avis-pdf-cache';
import { renderAvisPdf } from './package/pdf/avis-pdf';
import { avisPdfStore, synthesePdfStore, type SynthesePdfRenderer } from './package/pdf/avis-pdf-store';
import { renderSynthesePdf } from './package/pdf/synthese-pdf';
import { avisPdfPool } from './package/pdf/pool';
import { exportAvisPdfOptions, startAvisPdfWarmup } from './package/pdf/warm';

export const APP_VERSION: string = pkg.version;
export const DEFAULT_BACKUP_RETENTION_DAYS = 14;

export interface RuntimeOptions {
  dbPath: string;
  dialogs?: HandlerContext['dialogs'];
  log?: Logger;
  now?: () => Date;
  backupRetentionDays?: number;
  emit?: HandlerContext['emit'];
  keyProtector?: HandlerContext['keyProtector'];
  pdfFontDir?: HandlerContext['pdfFontDir'];
  /** Idle WAL checkpoint period in ms (default 2 000; 0 = none). */
  checkpointEveryMs?: number;
  /** Worker threads rendering avis PDFs (default: 2, or 1 on a single core; 0 = render on this thread). */
  pdfWorkers?: number;
  /**
   * Period in ms of the idle-time rendering of avis PDFs ahead of export (default 0 = off; the
   * app turns it on). A slice starts only after 1 s without a request.
   */
  warmAvisPdfsEveryMs?: number;
}

export interface Runtime {
  store: Store;
  handlers: Handlers;
  dispatch: Dispatch;
  log: Logger;
  /** Renders one avis PDF for an export (on the worker pool and this thread unless pdfWorkers is 0); not cached. */
  renderAvisPdf: AvisPdfRenderer;
  /** Renders a synthesis PDF (on the worker pool unless pdfWorkers is 0); not cached. */
  renderSynthesePdf: SynthesePdfRenderer;
  close(): void;
}

/** Store + handlers + dispatcher, wired the same way for Electron, the CLI and the bridge. */
export function openRuntime(options: RuntimeOptions): Runtime {
  const store = Store.open(options.dbPath);
  const log = options.log ?? createFileLogger({ dir: store.paths.logDir });
  const now = options.now ?? (() => new Date());
  const dialogs = options.dialogs ?? {
    // Without a window (CLI, browser bridge) archives go next to the store.
    chooseArchiveDestination: async (name: string) => join(store.paths.backupDir, '..', name),
    chooseArchiveToRestore: async () => null,
    chooseImportFiles: async () => null,
  };
  const pool = options.pdfWorkers === 0 ? null : avisPdfPool(options.pdfWorkers);
  // Idle-time warming renders on the workers only; a foreground export also on this thread.
  const render: AvisPdfRenderer = pool ? pool.render : renderAvisPdf;
  const renderForExport: AvisPdfRenderer = pool ? pool.renderWithThisThread : renderAvisPdf;
  const renderSynthese: SynthesePdfRenderer = pool ? pool.renderSynthese : renderSynthesePdf;
  const handlers = createHandlers({
    store,
    appVersion: APP_VERSION,
    log,
    now,
    backupRetentionDays: options.backupRetentionDays ?? DEFAULT_BACKUP_RETENTION_DAYS,
    dialogs,
    emit: options.emit,
    keyProtector: options.keyProtector,
    pdfFontDir: options.pdfFontDir,
    renderAvisPdf: renderForExport,
    renderSynthesePdf: renderSynthese,
  });
  const stopCheckpoints = startIdleCheckpoints(() => store.db, options.checkpointEveryMs ?? 2_000);
  const dispatcher = createDispatcher(handlers, log);
  let lastActivity = Date.now();
  let inFlight = 0;
  const dispatch: Dispatch = async (channel, payload) => {
    inFlight++;
    lastActivity = Date.now();
    try {
      return await dispatcher(channel, payload);
    } finally {
      inFlight--;
      lastActivity = Date.now();
    }
  };
  const warmer = startAvisPdfWarmup({
    db: () => store.db,
    store: avisPdfStore(() => store.db, now),
    render,
    synthese: { store: synthesePdfStore(() => store.db, now), render: renderSynthese },
    options: exportAvisPdfOptions(options.pdfFontDir),
    everyMs: options.warmAvisPdfsEveryMs ?? 0,
    // Never while a request runs (an export renders its own), nor within 1 s of one.
    lastActivity: () => (inFlight > 0 ? Date.now() : lastActivity),
    idleMs: 1_000,
    onError: (e) => log.warn('package.pdf_warm_failed', { error: e instanceof Error ? e.name : 'unknown' }),
  });
  return {
    store,
    handlers,
    dispatch,
    log,
    renderAvisPdf: renderForExport,
    renderSynthesePdf: renderSynthese,
    close: () => {
      warmer.stop();
      void pool?.close();
      stopCheckpoints();
      store.close();
    },
  };
}

/**
 * A PASSIVE WAL checkpoint every `everyMs` between requests (it never waits for readers or
 * writers, and costs nothing when the WAL is already checkpointed), so that saves do not pay for
 * checkpoints. The timer does not keep the process alive. Returns the function that stops it.
 */
export function startIdleCheckpoints(db: () => { pragma(sql: string): unknown }, everyMs: number): () => void {
  if (everyMs <= 0) return () => {};
  const timer = setInterval(() => {
    try {
      db().pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // The store is closing or being restored; the next tick (or close) checkpoints.
    }
  }, everyMs);
  timer.unref?.();
  return () => clearInterval(timer);
}
