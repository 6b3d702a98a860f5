import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { preloadPath, rendererRoot, WINDOW_TITLE, windowOptions } from '../../../main/app/window-options';

describe('windowOptions', () => {
  const mainDir = join('/opt', 'app', 'out', 'main');
  const options = windowOptions(mainDir);
  const prefs = options.webPreferences!;

  it('isolates and sandboxes the renderer with no Node access anywhere', () => {
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
  });

  it('keeps web security on and every risky feature off', () => {
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.spellcheck).toBe(false);
    expect(prefs.disableBlinkFeatures).toBe('Auxclick');
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(prefs).not.toHaveProperty('additionalArguments');
  });

  it('loads the built CommonJS preload next to the main bundle', () => {
    expect(prefs.preload).toBe(join('/opt', 'app', 'out', 'preload', 'preload.cjs'));
    expect(preloadPath(mainDir)).toBe(prefs.preload);
    expect(rendererRoot(mainDir)).toBe(join('/opt', 'app', 'out', 'renderer'));
  });

  it('has the French title, a usable size and waits for ready-to-show on a white background', () => {
    expect(options.title).toBe('Comité PTCE');
    expect(WINDOW_TITLE).toBe('Comité PTCE');
    expect(options.show).toBe(false);
    expect(options.backgroundColor).toBe('#ffffff');
    expect(options.width).toBeGreaterThanOrEqual(options.minWidth!);
    expect(options.height).toBeGreaterThanOrEqual(options.minHeight!);
    expect(options.minWidth).toBeGreaterThanOrEqual(800);
    expect(options.minHeight).toBeGreaterThanOrEqual(600);
  });

  it('returns a fresh object each time (no shared mutable options)', () => {
    const a = windowOptions(mainDir);
    a.webPreferences!.sandbox = false;
    expect(windowOptions(mainDir).webPreferences!.sandbox).toBe(true);
  });
});
