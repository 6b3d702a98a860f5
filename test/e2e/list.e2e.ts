import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { seedDemo } from '../../main/core/demo';
import { BULK_CAMPAIGN_NAME, seedBulkCampaign, seedReaderExtras } from '../support/bulk';
import { ARTIFACTS, expectAccessible, newPage, startE2eApp, type E2eApp } from '../support/e2e';


describe('the dossier list and reader, production build', () => {
  let app: E2eApp;

  beforeAll(async () => {
    app = await startE2eApp({
      seed: (runtime) => {
        seedDemo(runtime.store.db, new Date('2021-07-08T09:30:00Z'));
        seedBulkCampaign(runtime.store.db, 3000);
        seedReaderExtras(runtime.store.db, runtime.store.paths.filesDir);
      },
    });
  });

  afterAll(() => app?.close());

  it('sorts, filters, searches, scrolls 3 000 rows and reads a dossier with its PDF, accessibly', async () => {
    const { page, errors } = await newPage(app.browser, { width: 1280, height: 900 });
    const workers: string[] = [];
    page.on('worker', (w) => workers.push(w.url()));
    await page.goto(app.url);
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
    expect(workers.some((url) => url.startsWith(app.url) && /pdf\.worker\.min-[\w-]+\.mjs$/.test(url))).toBe(true);
    await expectAccessible(page);
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-list-reader.png') });
    await page.locator('section[aria-labelledby="attachments-title"]').screenshot({ path: join(ARTIFACTS, 'e2e-list-reader-pdf.png') });

    // 3 000 dossiers: a window of rows in the DOM, the last one reachable by keyboard.
    await page.goto(app.url);
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
    await page.context().close();
  });
});
