import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { seedDemoDossiers } from '../../main/core/demo';
import { ARTIFACTS, expectAccessible, newPage, startE2eApp, type E2eApp } from '../support/e2e';

const CRITERIA = ['V1', 'V2', 'V3', 'V4', 'V5', 'O1', 'O2', 'O3', 'E1', 'E2'];
const MOTIVATION = 'Coopération crédible entre acteurs de l’ESS et entreprises locales ; plan de financement à consolider.';

/** DSFR radios and checkboxes are drawn by their label, which takes the click. */
const tick = (page: Page, id: string) => page.locator(`label[for="${id}"]`).click();

describe('a committee member reviews a dossier in the production renderer', () => {
  let app: E2eApp;
  let campaignId: number;
  let number: number;

  beforeAll(async () => {
    app = await startE2eApp({
      seed: (runtime) => {
        // Dossiers only: no member yet, so the app opens on « Qui êtes-vous ? ».
        campaignId = seedDemoDossiers(runtime.store.db, new Date('2021-07-08T09:30:00Z')).campaignId;
        const row = runtime.store.db
          .prepare('SELECT id, number FROM dossiers WHERE campaign_id = ? ORDER BY number LIMIT 1')
          .get(campaignId) as { id: number; number: number };
        number = row.number;
        // An import finding for the reviewer to confirm or override.
        runtime.store.db
          .prepare("INSERT INTO dossier_findings VALUES (?, 1, 0, 'au_fil_de_l_eau', ?, '2021-07-08T09:30:00Z')")
          .run(row.id, JSON.stringify(['late']));
      },
    });
  });

  afterAll(() => app?.close());

  it('first launch, a complete reasoned review, submitted and read back; a second member starts empty', async () => {
    const { page, errors } = await newPage(app.browser, { width: 1440, height: 1000 });
    await page.goto(app.url);
    const h1 = page.getByRole('heading', { level: 1 });

    // « Qui êtes-vous ? »: the first member is created and becomes the active member.
    await expect.poll(() => h1.textContent()).toBe('Qui êtes-vous ?');
    await page.getByRole('button', { name: 'Commencer' }).click();
    await expect.poll(() => page.getByText('Indiquez votre nom.').count()).toBe(1);
    await page.getByLabel('Nom et prénom').fill('Dominique Bernard');
    await page.getByLabel('Rôle au sein du comité').selectOption('correspondant');
    await page.getByLabel('Organisation').fill('DREETS Bourgogne-Franche-Comté');
    await expectAccessible(page, ['main']);
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-review-first-launch.png'), fullPage: true });
    await page.getByRole('button', { name: 'Commencer' }).click();
    await expect.poll(() => h1.textContent()).toBe('Campagnes');
    const activeSelect = page.locator('#active-member');
    expect(await activeSelect.locator('option:checked').textContent()).toBe('Dominique Bernard (Correspondant régional)');

    // The dossier, with the form beside the reader.
    await page.goto(`${app.url}#/campaigns/${campaignId}/dossiers/${number}`);
    const form = page.locator('.ptce-dossier-layout__review');
    await form.getByRole('heading', { name: 'Mon évaluation' }).waitFor();
    const reader = await page.locator('.ptce-dossier-layout__reader').boundingBox();
    const aside = await form.boundingBox();
    expect(aside!.x).toBeGreaterThan(reader!.x + reader!.width - 1); // two columns on a wide screen

    // Recevabilité: confirm the status, override « hors délai » with a reason.
    await tick(page, 'rv-adm-status');
    await tick(page, 'rv-adm-late-overridden');
    await page.locator('#rv-adm-late-reason').fill('Dépôt reçu par courriel avant la date limite.');

    // Éligibilité: the majority rule is computed as the answers come.
    for (const [i, k] of ['E-1', 'E-2', 'E-3', 'E-4', 'E-5', 'E-6', 'E-7'].entries())
      await tick(page, `rv-elig-${k}-${i === 2 ? 'en_perspective' : i === 5 ? 'non' : 'oui'}`);
    expect(await page.locator('#rv-majority').textContent()).toBe('6 critères sur 7 remplis ou en perspective : éligible');

    // Sélection: scores by keyboard (number keys on the focused criterion), each justified.
    for (const key of CRITERIA) {
      await page.locator(`#rv-score-${key}-0`).focus();
      await page.keyboard.press(key === 'V1' ? '3' : '2');
      await page.locator(`#rv-just-${key}`).fill(`Justification du critère ${key}.`);
    }
    expect(await page.locator('#rv-total').textContent()).toBe('Total pondéré : 21 / 30');

    await page.locator('#rv-maturity').selectOption('emergente');
    await tick(page, 'rv-target-a');
    await tick(page, 'rv-target-b');
    await tick(page, 'rv-avis-favorable');
    await page.locator('#rv-motivation').fill(MOTIVATION);
    await tick(page, 'rv-phase2');
    await page.locator('#rv-support').fill('Structuration de la gouvernance');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#review-save-status').textContent()).toMatch(/^Enregistré à \d{2}:\d{2}$/);

    await expectAccessible(page, ['.ptce-dossier-layout__review', '.ptce-member-bar']);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.locator('#rv-h-adm').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-review-form.png') });
    await page.locator('#rv-h-sel').evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-review-scores.png') });
    await form.screenshot({ path: join(ARTIFACTS, 'e2e-review-form-column.png') });

    // « Soumettre »: the form locks.
    await form.getByRole('button', { name: 'Soumettre' }).click();
    await expect.poll(() => page.locator('#review-save-status').textContent()).toMatch(/^Évaluation soumise le/);
    expect(await page.locator('#rv-motivation').isDisabled()).toBe(true);
    await form.getByRole('button', { name: 'Rouvrir' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-review-submitted.png') });

    // Reload: everything is there.
    await page.reload();
    await form.getByRole('heading', { name: 'Mon évaluation' }).waitFor();
    expect(await page.locator('#rv-motivation').inputValue()).toBe(MOTIVATION);
    expect(await page.locator('#rv-adm-late-reason').inputValue()).toBe('Dépôt reçu par courriel avant la date limite.');
    expect(await page.locator('#rv-score-V1-3').isChecked()).toBe(true);
    expect(await page.locator('#rv-score-E2-2').isChecked()).toBe(true);
    expect(await page.locator('#rv-just-O3').inputValue()).toBe('Justification du critère O3.');
    expect(await page.locator('#rv-phase2').isChecked()).toBe(true);
    expect(await page.locator('#rv-maturity').inputValue()).toBe('emergente');
    expect(await form.getByRole('button', { name: 'Retirer « Structuration de la gouvernance »' }).count()).toBe(1);
    expect(await page.locator('#rv-total').textContent()).toBe('Total pondéré : 21 / 30');
    expect(await page.locator('#review-save-status').textContent()).toMatch(/^Évaluation soumise le/);

    // History: the entries of the dossier, the submission last.
    await form.getByRole('button', { name: 'Historique' }).click();
    const rows = form.locator('#history-panel tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThan(30);
    expect(await rows.first().textContent()).toContain('Évaluation : soumission');
    expect(await form.locator('#history-panel').textContent()).toContain('Dépôt reçu par courriel avant la date limite.');
    await expectAccessible(page, ['.ptce-dossier-layout__review']);
    await form.screenshot({ path: join(ARTIFACTS, 'e2e-review-history.png') });

    // A second member: their review of the same dossier is their own, and empty.
    await activeSelect.selectOption({ label: 'Ajouter un membre…' });
    await page.getByLabel('Nom et prénom').fill('Yannick Morel');
    await page.getByLabel('Rôle au sein du comité').selectOption('cress');
    await page.getByRole('button', { name: 'Ajouter le membre' }).click();
    await expect.poll(() => activeSelect.locator('option:checked').textContent()).toBe('Yannick Morel (CRESS)');
    await expect.poll(() => form.textContent()).toContain('Évaluation de Yannick Morel (CRESS).');
    expect(await page.locator('#rv-motivation').inputValue()).toBe('');
    expect(await page.locator('#rv-motivation').isDisabled()).toBe(false);
    expect(await page.locator('#rv-score-V1-3').isChecked()).toBe(false);
    expect(await page.locator('#rv-total').textContent()).toBe('Total pondéré : 0 / 30');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-review-second-member.png') });

    // Narrow screen: the form comes below the reader.
    await page.setViewportSize({ width: 600, height: 900 });
    const narrowReader = await page.locator('.ptce-dossier-layout__reader').boundingBox();
    const narrowAside = await form.boundingBox();
    expect(narrowAside!.y).toBeGreaterThan(narrowReader!.y + narrowReader!.height - 1);
    await form.screenshot({ path: join(ARTIFACTS, 'e2e-review-narrow.png') });

    // Back to the first member: the submitted review is still theirs.
    await page.setViewportSize({ width: 1440, height: 1000 });
    await activeSelect.selectOption({ label: 'Dominique Bernard (Correspondant régional)' });
    await expect.poll(() => page.locator('#rv-motivation').inputValue()).toBe(MOTIVATION);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
