/**
 * The BrowserWindow options of the one application window, as a pure function so a plain-Node
 * test can assert every security flag (security.md §1.1 rules 2–4, 6, 8–11).
 */
import { dirname, join } from 'node:path';
import type { BrowserWindowConstructorOptions } from 'electron';

export const WINDOW_TITLE = 'Comité PTCE';

/** out/preload/preload.cjs, next to out/main/ where the main bundle runs. */
export function preloadPath(mainBundleDir: string): string {
  return join(mainBundleDir, '..', 'preload', 'preload.cjs');
}

/** The folder the built renderer is served from by the app:// protocol (out/renderer). */
export function rendererRoot(mainBundleDir: string): string {
  return join(mainBundleDir, '..', 'renderer');
}

/** `dirname(fileURLToPath(import.meta.url))` of the main bundle is what callers pass. */
export function mainBundleDirOf(mainBundleFile: string): string {
  return dirname(mainBundleFile);
}

export function windowOptions(mainBundleDir: string, iconPath?: string): BrowserWindowConstructorOptions {
  return {
    title: WINDOW_TITLE,
    width: 1280,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    show: false, // shown on 'ready-to-show', no white flash of an unstyled page
    backgroundColor: '#ffffff',
    ...(iconPath ? { icon: iconPath } : {}),
    webPreferences: {
      preload: preloadPath(mainBundleDir),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
      navigateOnDragDrop: false,
      safeDialogs: true,
    },
  };
}
