import { expect } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { openRuntime, type Runtime, type RuntimeOptions } from '../../main/core/runtime';
import { nullLogger } from '../../main/core/log';
import { createBridge, startBridgeServer } from '../../main/devtools/bridge';
import { launchChromium } from './chromium';
import { tempDir } from './tmp';

/** Where e2e screenshots go (CI keeps test-results/). */
export const ARTIFACTS = process.env.E2E_ARTIFACTS || 'test-results';

export interface E2eApp {
  runtime: Runtime;
  browser: Browser;
  /** The served production renderer, e.g. http://127.0.0.1:41234/ */
  url: string;
  close(): Promise<void>;
}

/**
 * A store in a temporary folder (filled by `seed`), the production renderer build (out/renderer)
 * served with the HTTP bridge over the real handlers, and Debian's Chromium.
 */
export async function startE2eApp(
  options: {
    seed?: (runtime: Runtime) => void | Promise<void>;
    dialogs?: RuntimeOptions['dialogs'];
    keyProtector?: RuntimeOptions['keyProtector'];
  } = {},
): Promise<E2eApp> {
  const t = tempDir();
  let emit: (event: string, payload: unknown) => void = () => {};
  const runtime = openRuntime({
    dbPath: join(t.dir, 'store.sqlite'),
    log: nullLogger,
    emit: (e, p) => emit(e, p),
    dialogs: options.dialogs,
    keyProtector: options.keyProtector,
  });
  await options.seed?.(runtime);
  const bridge = createBridge({ dispatch: runtime.dispatch });
  emit = bridge.emit;
  const server = await startBridgeServer({ root: 'out/renderer', bridge });
  const browser = await launchChromium();
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    runtime,
    browser,
    url: server.url,
    async close() {
      await browser.close();
      await server.close();
      runtime.close();
      t.cleanup();
    },
  };
}

/** A fresh page that records console errors and uncaught page errors (CSP violations included). */
export async function newPage(browser: Browser, viewport = { width: 1280, height: 900 }): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, errors };
}

/** Axe on the page (or the given parts of it): no serious or critical violation. */
export async function expectAccessible(page: Page, include: string[] = []): Promise<void> {
  let builder = new AxeBuilder({ page });
  for (const selector of include) builder = builder.include(selector);
  const results = await builder.analyze();
  const bad = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(bad).toEqual([]);
}
