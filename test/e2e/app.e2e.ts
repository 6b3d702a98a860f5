import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { openRuntime, type Runtime } from '../../main/core/runtime';
import { seedDemo } from '../../main/core/demo';
import { nullLogger } from '../../main/core/log';
import { createBridge, startBridgeServer } from '../../main/devtools/bridge';
import { launchChromium } from '../support/chromium';
import { tempDir } from '../support/tmp';

const ARTIFACTS = process.env.E2E_ARTIFACTS || 'test-results';

describe('the production renderer over the HTTP bridge', () => {
  let runtime: Runtime;
  let server: Awaited<ReturnType<typeof startBridgeServer>>;
  let browser: Browser;
  let cleanup = () => {};

  beforeAll(async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    runtime = openRuntime({ dbPath: join(t.dir, 'demo.sqlite'), log: nullLogger });
    seedDemo(runtime.store.db, new Date('2021-07-08T09:30:00Z'));
    server = await startBridgeServer({ root: 'out/renderer', bridge: createBridge({ dispatch: runtime.dispatch }) });
    browser = await launchChromium();
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    runtime?.close();
    cleanup();
  });

  it('shows the app with no console error and takes a screenshot', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('Comité PTCE');
    expect(await page.evaluate(() => typeof (window as unknown as { api: unknown }).api)).toBe('object');
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-home.png'), fullPage: true });
    expect(errors).toEqual([]);
  });
});
