import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { openRuntime, type Runtime } from '../../main/core/runtime';
import { seedDemo } from '../../main/core/demo';
import { nullLogger } from '../../main/core/log';
import { createBridge, startBridgeServer } from '../../main/devtools/bridge';
import { launchChromium } from '../support/chromium';
import { tempDir } from '../support/tmp';
import { BULK_CAMPAIGN_NAME, seedBulkCampaign, seedReaderExtras } from '../support/bulk';

const ARTIFACTS = process.env.E2E_ARTIFACTS || 'test-results';

async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(bad).toEqual([]);
}

describe('the dossier list and reader, production build', () => {
  let runtime: Runtime;
  let server: Awaited<ReturnType<typeof startBridgeServer>>;
  let browser: Browser;
  let cleanup = () => {};

  beforeAll(async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    runtime = openRuntime({ dbPath: join(t.dir, 'demo.sqlite'), log: nullLogger });
    seedDemo(runtime.store.db, new Date('2021-07-08T09:30:00Z'));
    seedBulkCampaign(runtime.store.db, 3000);
    seedReaderExtras(runtime.store.db, runtime.store.paths.filesDir);
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

  it('sorts, filters, searches, scrolls 3 000 rows and reads a dossier with its PDF, accessibly', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    const workers: string[] = [];
    page.on('worker', (w) => workers.push(w.url()));
    await page.goto(server.url);
    const h1 = page.getByRole('heading', { level: 1 });
    await page.getByRole('link', { name: 'AMI PTCE émergents 2021 — phase 1' }).click();
    await expect.poll(() => h1.textContent()).toBe('AMI PTCE émergents 2021 — phase 1');
    const rows = page.locator('main table.ptce-list__table tbody tr[aria-rowindex]');
    await expect.poll(() => rows.count()).toBe(6);
    await expectAccessible(page);
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-list-campaign.png'), fullPage: true });

    // Sort by mean score, best first.
    const scoreHeader = page.getByRole('columnheader', { name: 'Note moyenne' });
    await scoreHeader.getByRole('button').click();
    await scoreHeader.getByRole('button').click();
    await expect.poll(() => scoreHeader.getAttribute('aria-sort')).toBe('descending');
    // Search, accent-free: snippets highlight the matches in <mark>.
    await page.getByRole('searchbox', { name: /Rechercher dans les dossiers/ }).fill('energies renouvelables');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await page.locator('[data-snippet] mark').count()).toBeGreaterThan(1);
    expect((await page.locator('[data-snippet] mark').first().textContent())?.toLowerCase()).toMatch(/^(énergies|renouvelables)/);
    await expectAccessible(page);
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-list-search.png'), fullPage: true });

    // Reader: partners, DS avis, PDF drawn on a canvas.
    await page.getByRole('searchbox', { name: /Rechercher dans les dossiers/ }).fill('');
    await expect.poll(() => rows.count()).toBe(6);
    await page.getByRole('link', { name: 'PTCE textile en Parnes' }).click();
    await expect.poll(() => h1.textContent()).toBe('PTCE textile en Parnes');
    await page.getByRole('table', { name: 'Partenaires déclarés (2)' }).waitFor();
    await page.getByRole('button', { name: 'Afficher « budget-previsionnel.pdf »' }).click();
    const canvas = page.getByRole('img', { name: '« budget-previsionnel.pdf », page 1' });
    await expect.poll(() => canvas.getAttribute('data-rendered')).toBe('true');
    // pdf.js ran in its own worker, loaded from the app's own assets (not a main-thread fallback).
    expect(workers.some((url) => url.startsWith(server.url) && /pdf\.worker\.min-[\w-]+\.mjs$/.test(url))).toBe(true);
    await expectAccessible(page);
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-list-reader.png') });
    await page.locator('section[aria-labelledby="attachments-title"]').screenshot({ path: join(ARTIFACTS, 'e2e-list-reader-pdf.png') });

    // 3 000 dossiers: a window of rows in the DOM, the last one reachable by keyboard.
    await page.goto(server.url);
    await page.getByRole('link', { name: BULK_CAMPAIGN_NAME }).click();
    await expect.poll(() => page.locator('main table').getAttribute('aria-rowcount')).toBe('3001');
    expect(await rows.count()).toBeLessThan(80);
    await rows.first().focus();
    await page.keyboard.press('End');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-rowindex'))).toBe('3001');
    expect(await rows.count()).toBeLessThan(80);
    await expectAccessible(page);
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-list-bulk.png') });

    expect(errors).toEqual([]);
    await context.close();
  });
});
