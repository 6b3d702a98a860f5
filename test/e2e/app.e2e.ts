import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { seedDemo } from '../../main/core/demo';
import { ARTIFACTS, expectAccessible, newPage, startE2eApp, type E2eApp } from '../support/e2e';


describe('the production renderer over the HTTP bridge', () => {
  let app: E2eApp;

  beforeAll(async () => {
    app = await startE2eApp({ seed: (runtime) => void seedDemo(runtime.store.db, new Date('2021-07-08T09:30:00Z')) });
  });

  afterAll(() => app?.close());

  it('walks from the campaign home to a dossier, in French then English, accessibly and without errors', async () => {
    const { page, errors } = await newPage(app.browser, { width: 1280, height: 900 });
    await page.goto(app.url);

    // Home: the demo campaign, in French, with the DSFR look.
    const h1 = page.getByRole('heading', { level: 1 });
    await expect.poll(() => h1.textContent()).toBe('Campagnes');
    const campaign = page.getByRole('link', { name: 'AMI PTCE émergents 2021 — phase 1' });
    await campaign.waitFor();
    const main = page.locator('main#content');
    expect(await main.textContent()).toContain('6 dossiers');
    expect(await main.textContent()).toContain('Bourgogne-Franche-Comté');
    expect(await main.textContent()).toContain('1 page = 3\u202f000 caractères, 1 ligne = 80 caractères');
    expect(await main.textContent()).toMatch(/24 juin 2021 à 00:00/); // 22:00 UTC = midnight in Paris
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr');
    expect(await page.title()).toBe('Campagnes — Comité PTCE');
    expect(await page.evaluate(() => getComputedStyle(document.body).fontFamily)).toContain('Marianne');
    await page.evaluate(() => document.fonts.ready);
    expect(await page.evaluate(() => document.fonts.check('16px Marianne'))).toBe(true);
    const isolation = await page.evaluate(() => ({
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
      frozen: Object.isFrozen((window as unknown as { api: object }).api),
    }));
    expect(isolation).toEqual({ require: 'undefined', process: 'undefined', frozen: true });
    await expectAccessible(page);
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-home.png'), fullPage: true });

    // Dossier list: a real table with 6 rows.
    await campaign.click();
    await expect.poll(() => h1.textContent()).toBe('AMI PTCE émergents 2021 — phase 1');
    const rows = page.locator('main table tbody tr');
    await expect.poll(() => rows.count()).toBe(6);
    expect(await page.locator('main table caption').textContent()).toBe('Dossiers de la campagne (6)');
    expect(await page.locator('main table').getByRole('columnheader', { name: 'Mon instruction' }).count()).toBe(1);
    await expectAccessible(page);
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-list.png'), fullPage: true });

    // One dossier: its ten rubrics, each with a length gauge.
    await page.getByRole('link', { name: 'PTCE activités culturelles et créatives de Beaucourt' }).click();
    await expect.poll(() => h1.textContent()).toBe('PTCE activités culturelles et créatives de Beaucourt');
    await expect.poll(() => page.locator('main section[data-rubric]').count()).toBe(10);
    expect(await page.getByRole('meter').count()).toBe(10);
    expect(await main.textContent()).toContain('1\u202f069 / 3\u202f000 caractères (0,36 page)');
    expect(await main.textContent()).not.toContain('Dépasse la limite');
    expect(await page.title()).toBe('PTCE activités culturelles et créatives de Beaucourt — Comité PTCE');
    await expectAccessible(page);
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-dossier.png'), fullPage: true });

    // The next dossiers in the list's order (by number), by keyboard: the second one's « périmètre »
    // (2 638 characters for ½ page) is over the limit.
    await page.getByRole('link', { name: /^Dossier suivant/ }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => h1.textContent()).toBe('PTCE textile en Parnes');
    await page.getByRole('link', { name: /^Dossier suivant/ }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => h1.textContent()).toBe('PTCE énergies renouvelables du pays de Clux-Villeneuve');
    const perimetre = page.locator('section[data-rubric="perimetre"]');
    await expect.poll(() => perimetre.textContent()).toContain('Dépasse la limite');
    expect(await perimetre.textContent()).toContain('2\u202f638 / 1\u202f500 caractères (0,88 page)');
    expect(await perimetre.getByRole('meter').getAttribute('aria-valuemax')).toBe('1500');

    // English, and back to the home page.
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
    await expect.poll(() => page.getByRole('heading', { name: 'Identification', exact: true }).count()).toBe(1);
    expect(await perimetre.textContent()).toContain('2,638 / 1,500 characters (0.88 pages)');
    expect(await perimetre.textContent()).toContain('Over the limit');
    await page.getByRole('link', { name: /^Home/ }).first().click();
    await expect.poll(() => h1.textContent()).toBe('Campaigns');
    await expect.poll(() => main.textContent()).toContain('6 applications');
    expect(await main.textContent()).toContain('Submission deadline: 24 June 2021 at 00:00');
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-english.png'), fullPage: true });

    // The choice is persisted in the store: a reload stays in English.
    await page.reload();
    await expect.poll(() => h1.textContent()).toBe('Campaigns');
    await page.getByRole('button', { name: 'Français' }).click();
    await expect.poll(() => h1.textContent()).toBe('Campagnes');

    expect(errors).toEqual([]);
  });
});
