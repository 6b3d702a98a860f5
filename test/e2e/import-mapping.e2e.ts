import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Runtime } from '../../main/core/runtime';
import { ARTIFACTS, expectAccessible, newPage, startE2eApp, type E2eApp } from '../support/e2e';
import { tempDir } from '../support/tmp';

const CSV = resolve(
  '../shared/fixtures/ds/ami-2021-bourgogne-franche-comte/dossiers_ami-ptce-emergents_2021-07-08_09-30.csv',
);

/**
 * An export template whose instructeur renamed « Nom du projet »: the wizard asks which column it
 * is, imports with that answer, remembers it for the campaign, and a second import of the same
 * file goes straight to the preview and changes nothing.
 */
describe('the import wizard’s column mapping step, production build', () => {
  let app: E2eApp;
  const files = tempDir();
  const renamed = join(files.dir, 'export-modele-instructeur.csv');

  beforeAll(async () => {
    writeFileSync(renamed, readFileSync(CSV, 'utf8').replace('Nom du projet,', 'Intitulé de la dynamique,'));
    app = await startE2eApp({
      dialogs: {
        chooseArchiveDestination: async () => null,
        chooseArchiveToRestore: async () => null,
        chooseImportFiles: async () => [renamed],
      },
      seed: async (runtime) => {
        await runtime.handlers['member:create']({ name: 'Camille Rousseau', role: 'correspondant', organisation: 'DREETS', activate: true });
        await runtime.handlers['campaign:create']({
          name: 'PTCE émergents 2021 — BFC',
          wave: 1,
          phase: 1,
          regionCode: '27',
          deadline: '2021-06-23T22:00:00.000Z',
        });
      },
    });
  });

  afterAll(async () => {
    await app?.close();
    files.cleanup();
  });

  it('asks for the renamed column, imports with it, and reuses the saved mapping on the next import', async () => {
    const { page, errors } = await newPage(app.browser);
    const [campaign] = app.runtime.handlers['campaign:list']({}) as Awaited<ReturnType<Runtime['handlers']['campaign:list']>>;
    await page.goto(`${app.url}#/campaigns/${campaign!.id}/import`);
    const h1 = page.getByRole('heading', { level: 1 });
    const main = page.locator('main#content');
    const slow = { timeout: 60_000 };
    await expect.poll(() => h1.textContent()).toBe('Importer des dossiers');

    await page.getByRole('button', { name: 'Choisir des fichiers…' }).click();
    await expect.poll(() => page.locator('main table tbody tr').count()).toBe(1);
    await page.getByRole('button', { name: 'Voir l’aperçu' }).click();

    // The mapping step names the file and the missing rubric; nothing is written yet.
    await expect.poll(() => main.textContent(), slow).toContain('Correspondance des colonnes');
    expect(await main.textContent()).toContain('« export-modele-instructeur.csv »');
    expect(app.runtime.store.db.prepare('SELECT count(*) AS n FROM dossiers').get()).toEqual({ n: 0 });
    const select = page.getByLabel('Nom du projet', { exact: true });
    // Saving without a choice is refused with the field's own message.
    await page.getByRole('button', { name: 'Enregistrer la correspondance' }).click();
    await expect.poll(() => main.textContent()).toContain('Choisissez une colonne pour chaque rubrique.');
    await expectAccessible(page);
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-import-mapping.png'), fullPage: true });

    // Keyboard only: focus the select, pick the renamed column, save with Enter.
    await select.focus();
    await select.selectOption('Intitulé de la dynamique');
    await page.getByRole('button', { name: 'Enregistrer la correspondance' }).press('Enter');
    await expect.poll(() => page.locator('[data-count="created"] strong').textContent(), slow).toBe('12');
    await page.getByRole('button', { name: 'Lancer l’import' }).click();
    await expect.poll(() => main.textContent(), slow).toContain('Import terminé');

    // The project names came from the renamed column.
    const names = app.runtime.store.db.prepare("SELECT count(*) AS n FROM dossiers WHERE project_name <> ''").get();
    expect(names).toEqual({ n: 12 });

    // A second import of the same file (a fresh start of the wizard): no mapping step, since it was
    // saved for the campaign, and nothing changes.
    await page.goto('about:blank');
    await page.goto(`${app.url}#/campaigns/${campaign!.id}/import`);
    await expect.poll(() => h1.textContent()).toBe('Importer des dossiers');
    await page.getByRole('button', { name: 'Choisir des fichiers…' }).click();
    await expect.poll(() => page.locator('main table tbody tr').count()).toBe(1);
    await page.getByRole('button', { name: 'Voir l’aperçu' }).click();
    await expect.poll(() => page.locator('[data-count="unchanged"] strong').textContent(), slow).toBe('12');
    expect(await main.textContent()).not.toContain('Correspondance des colonnes');
    expect(await page.locator('[data-count="created"] strong').textContent()).toBe('0');

    expect(errors).toEqual([]);
  });
});
