import type { Plugin } from 'vite';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { openRuntime, type Runtime } from '../../main/core/runtime';
import { seedDemo } from '../../main/core/demo';
import { createBridge } from '../../main/devtools/bridge';
import { nullLogger } from '../../main/core/log';
import { passphraseProtector } from '../../main/core/keys/protector';
import { seedBulkCampaign, seedReaderExtras } from './bulk';
import { seedSynthesisCampaign } from './synthesis-seed';

/** The DS fixtures the scripted import dialog answers with when COMITE_PTCE_IMPORT_FILES is unset. */
const FIXTURE_EXPORT = resolve(__dirname, '../../../shared/fixtures/ds/ami-2021-bourgogne-franche-comte/dossiers_ami-ptce-emergents_2021-07-08_09-30');

/**
 * The browser has no native dialog: « Choisir des fichiers… » answers with the paths in
 * COMITE_PTCE_IMPORT_FILES (path-delimited), else the fixture XLSX + ZIP when present.
 */
export function scriptedImportFiles(): string[] | null {
  const env = process.env.COMITE_PTCE_IMPORT_FILES;
  if (env) return env.split(delimiter).filter(Boolean);
  const files = [`${FIXTURE_EXPORT}.xlsx`, `${FIXTURE_EXPORT}.zip`];
  return files.every((f) => existsSync(f)) ? files : null;
}

/**
 * Mounts the HTTP bridge (real handlers, real SQLite) on Vite's dev server: used by vitest browser
 * mode and by `npm run dev:web`. The store is WEB_DB, or a fresh demo store in a temp folder.
 */
export function bridgePlugin(options: { injectShim?: boolean } = {}): Plugin {
  let runtime: Runtime | undefined;
  return {
    name: 'comite-ptce-bridge',
    transformIndexHtml(html) {
      return options.injectShim ? html.replace('<head>', '<head>\n    <script src="/__api-shim.js"></script>') : html;
    },
    configureServer(server) {
      const dbPath = process.env.WEB_DB || join(mkdtempSync(join(tmpdir(), 'comite-ptce-web-')), 'store.sqlite');
      let emit: (event: string, payload: unknown) => void = () => {};
      // The package screens: packages are saved next to the store; « Choisir un paquet… » answers
      // with COMITE_PTCE_VERIFY_FILE, else the last package saved. Keys are sealed with a fixed
      // passphrase (a dev/test store only; the app uses the OS keystore).
      let lastPackage: string | null = null;
      let lastContribution: string | null = null;
      runtime = openRuntime({
        dbPath,
        log: nullLogger,
        emit: (e, p) => emit(e, p),
        dialogs: {
          chooseArchiveDestination: async (name) => join(dbPath, '..', name),
          chooseArchiveToRestore: async () => null,
          chooseImportFiles: async () => scriptedImportFiles(),
          chooseExportDestination: async (name) => (lastPackage = join(dbPath, '..', name)),
          choosePackageToVerify: async () => process.env.COMITE_PTCE_VERIFY_FILE || lastPackage,
          // Contributions: saved beside the store; « Choisir un fichier… » answers with the last file saved.
          chooseContributionDestination: async (name) => (lastContribution = join(dbPath, '..', name)),
          chooseContributionFile: async () => lastContribution,
        },
        keyProtector: passphraseProtector('bridge test store only'),
      });
      if (!process.env.WEB_DB) seedDemo(runtime.store.db, new Date());
      // BRIDGE_EXTRA_DOSSIERS=N adds a second campaign of N synthetic dossiers (default 3 000 under
      // vitest, for the list's virtualisation test; 0 = none).
      const extra = Number(process.env.BRIDGE_EXTRA_DOSSIERS ?? (process.env.VITEST ? 3000 : 0));
      if (!process.env.WEB_DB && Number.isSafeInteger(extra) && extra > 0) {
        seedBulkCampaign(runtime.store.db, extra);
        seedReaderExtras(runtime.store.db, runtime.store.paths.filesDir);
      }
      // Under vitest, a small campaign that went through a séance (the « Synthèse régionale » test).
      if (!process.env.WEB_DB && process.env.VITEST) seedSynthesisCampaign(runtime.store.db);
      const bridge = createBridge({ dispatch: runtime.dispatch });
      emit = bridge.emit;
      server.middlewares.use((req, res, next) => {
        bridge.handle(req, res).then((handled) => (handled ? undefined : next()), next);
      });
      server.httpServer?.on('close', () => runtime?.close());
    },
  };
}
