import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import type { Runtime } from '../../main/core/runtime';
import { ARTIFACTS, expectAccessible, newPage, startE2eApp, type E2eApp } from '../support/e2e';

const EXPORT = resolve('../shared/fixtures/ds/ami-2021-bourgogne-franche-comte/dossiers_ami-ptce-emergents_2021-07-08_09-30');

describe('the import wizard in the production renderer', () => {
  let app: E2eApp;

  beforeAll(async () => {
    app = await startE2eApp({
      // The scripted « Choisir des fichiers… » dialog: the DS export of the fixture, spreadsheet and attachments.
      dialogs: {
        chooseArchiveDestination: async () => null,
        chooseArchiveToRestore: async () => null,
        chooseImportFiles: async () => [`${EXPORT}.xlsx`, `${EXPORT}.zip`],
      },
      // The correspondent has already said who they are (first launch is covered by review.e2e.ts).
      seed: async (runtime) => {
        await runtime.handlers['member:create']({ name: 'Camille Rousseau', role: 'correspondant', organisation: 'DREETS', activate: true });
      },
    });
  });

  afterAll(() => app?.close());

  it('creates a campaign, then goes from the file choice to the report and the list with admissibility', async () => {
    const { page, errors } = await newPage(app.browser, { width: 1280, height: 900 });
    await page.goto(app.url);
    const h1 = page.getByRole('heading', { level: 1 });
    const main = page.locator('main#content');
    await expect.poll(() => h1.textContent()).toBe('Campagnes');

    // A new campaign: Bourgogne-Franche-Comté, wave 1 phase 1, deadline 23 June 2021 at 24:00 in Paris.
    await page.getByRole('link', { name: 'Nouvelle campagne' }).click();
    await expect.poll(() => h1.textContent()).toBe('Nouvelle campagne');
    await page.getByLabel('Nom de la campagne').fill('PTCE émergents 2021 — BFC');
    await page.getByLabel('Région', { exact: true }).selectOption('27');
    await page.getByLabel('Date', { exact: true }).fill('2021-06-23');
    await page.getByLabel(/^Heure/).fill('24:00');
    await expect.poll(() => main.textContent()).toContain('Soit le 24 juin 2021 à 00:00 (heure de Paris).');
    await expectAccessible(page);
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-import-campaign.png'), fullPage: true });
    await page.getByRole('button', { name: 'Créer la campagne' }).click();
    await expect.poll(() => h1.textContent()).toBe('PTCE émergents 2021 — BFC');
    expect(await main.textContent()).toContain('Bourgogne-Franche-Comté · Vague 1 · phase 1 · date limite : 24 juin 2021 à 00:00');
    const [campaign] = app.runtime.handlers['campaign:list']({}) as Awaited<ReturnType<Runtime['handlers']['campaign:list']>>;
    expect(campaign!.deadline).toBe('2021-06-23T22:00:00.000Z');

    // Step 1: the files.
    await page.getByRole('link', { name: 'Importer des dossiers' }).click();
    await expect.poll(() => h1.textContent()).toBe('Importer des dossiers');
    await page.getByRole('button', { name: 'Choisir des fichiers…' }).click();
    await expect.poll(() => page.locator('main table tbody tr').count()).toBe(2);
    expect(await page.locator('main table').textContent()).toMatch(/Classeur XLSX.*Archive ZIP/);
    await expectAccessible(page);
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-import-files.png'), fullPage: true });

    // Step 2: the preview, with each dossier's admissibility; nothing written.
    await page.getByRole('button', { name: 'Voir l’aperçu' }).click();
    const slow = { timeout: 60_000 }; // a worker thread reads the XLSX and the ZIP
    await expect.poll(() => page.locator('[data-count="created"] strong').textContent(), slow).toBe('12');
    expect(await page.locator('main table caption').first().textContent()).toBe('Dossiers (12)');
    expect(await page.locator('main table').getByText('Hors délai').count()).toBe(2);
    expect(app.runtime.store.db.prepare('SELECT count(*) AS n FROM dossiers').get()).toEqual({ n: 0 });
    await expectAccessible(page);
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-import-preview.png'), fullPage: true });

    // Steps 3 and 4: run, then the report.
    await page.getByRole('button', { name: 'Lancer l’import' }).click();
    await expect.poll(() => main.textContent(), slow).toContain('Import terminé');
    expect(await page.locator('[data-count="created"] strong').textContent()).toBe('12');
    expect(await page.locator('[data-count="rejected"] strong').textContent()).toBe('0');
    expect(await page.getByRole('progressbar').count()).toBe(0);
    await expectAccessible(page);
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-import-report.png'), fullPage: true });

    // The list: twelve dossiers, two late, 5220756 from another region.
    await page.getByRole('link', { name: 'Voir la liste des dossiers' }).click();
    await expect.poll(() => page.locator('main table tbody tr').count()).toBe(12);
    await expect.poll(() => page.locator('main table').getByText('Hors délai').count()).toBe(2);
    const row = page.locator('main table tbody tr', { hasText: '5220756' });
    expect(await row.textContent()).toContain('Autre région');
    expect(await page.locator('main table thead').textContent()).toContain('Recevabilité');
    await expectAccessible(page);
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-import-list.png'), fullPage: true });

    // Searching right after the import finds the imported text (the job indexes it after its report; a search
    // that comes first indexes it itself).
    await page.getByRole('searchbox', { name: /Rechercher dans les dossiers/ }).fill('Beaucourt');
    await expect.poll(() => page.locator('main table tbody tr').count()).toBeLessThan(12);
    expect(await page.locator('main table tbody tr').count()).toBeGreaterThan(0);
    expect(await page.locator('main table tbody tr').first().textContent()).toContain('Beaucourt');
    expect(app.runtime.store.db.prepare('SELECT count(*) AS n FROM dossier_text_pending').get()).toEqual({ n: 0 });
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-import-search.png'), fullPage: true });

    expect(errors).toEqual([]);
  });
});
