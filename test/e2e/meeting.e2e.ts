import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { seedDemo } from '../../main/core/demo';
import { ARTIFACTS, expectAccessible, newPage, startE2eApp, type E2eApp } from '../support/e2e';
import { tempDir } from '../support/tmp';

const CRITERIA = ['V1', 'V2', 'V3', 'V4', 'V5', 'O1', 'O2', 'O3', 'E1', 'E2'];
const flat = (s: string) => s.replace(/\s+/g, ' ');

/** Chooses an option of a focused <select> with the keyboard only. */
async function chooseByKeyboard(page: Page, selector: string, value: string) {
  await page.locator(selector).focus();
  await page.locator(selector).selectOption(value);
}

describe('a committee séance on one projected laptop, ending with the procès-verbal', () => {
  let app: E2eApp;
  let campaignId: number;
  let numbers: { d1: number; d2: number; d4: number };
  const out = tempDir();

  beforeAll(async () => {
    app = await startE2eApp({
      dialogs: {
        chooseArchiveDestination: async () => null,
        chooseArchiveToRestore: async () => null,
        chooseMinutesDestination: async (name) => join(out.dir, name),
      },
      seed: (runtime) => {
        const db = runtime.store.db;
        campaignId = seedDemo(db, new Date('2021-07-08T09:30:00Z')).campaignId;
        const ids = (db.prepare('SELECT id, number FROM dossiers WHERE campaign_id = ? ORDER BY deposited_at, number').all(campaignId) as {
          id: number;
          number: number;
        }[]);
        const [d1, d2, , d4] = ids as [{ id: number; number: number }, { id: number; number: number }, unknown, { id: number; number: number }];
        numbers = { d1: d1.number, d2: d2.number, d4: d4.number };
        // The demo's divergent draft (Yann, second dossier) counts once submitted: V2 3 vs 1, O2 3 vs 0.
        db.prepare(
          "UPDATE reviews SET status = 'submitted', submitted_at = '2021-07-09T08:00:00.000Z' WHERE dossier_id = ? AND member_id = (SELECT id FROM members WHERE name = 'Yann Leroy')",
        ).run(d2.id);
        // The demo committee's third member, Inès Moreau, has a detected conflict on the fourth
        // dossier (her organisation is a partner): the correspondent confirmed it (a recusal).
        const ines = (db.prepare("SELECT id FROM members WHERE name = 'Inès Moreau'").get() as { id: number }).id;
        db.prepare(
          `INSERT INTO conflicts (member_id, dossier_id, source, status, created_at) VALUES (?, ?, 'declared', 'confirmed', ?)
           ON CONFLICT (member_id, dossier_id) DO UPDATE SET status = 'confirmed'`,
        ).run(ines, d4.id, '2021-07-08T10:00:00.000Z');
      },
    });
  });

  afterAll(async () => {
    await app?.close();
    out.cleanup();
  });

  it('setup, attendance and quorum, order, three dossiers with consensus and avis, end, procès-verbal PDF', async () => {
    const { page, errors } = await newPage(app.browser, { width: 1366, height: 900 });
    page.on('dialog', (d) => void d.accept());
    const h1 = page.getByRole('heading', { level: 1 });
    await page.goto(`${app.url}#/campaigns/${campaignId}`);
    await page.getByRole('link', { name: 'Séances du comité' }).click();
    await expect.poll(() => h1.textContent()).toBe('Séances du comité');

    // Setup.
    await page.getByLabel('Date de la séance').fill('2021-07-12');
    await page.getByLabel('Lieu').fill('Dijon, DREETS, salle Vauban');
    await chooseByKeyboard(page, '#meeting-keyboard', (await page.locator('#meeting-keyboard option', { hasText: 'Camille Rousseau' }).getAttribute('value'))!);
    await chooseByKeyboard(page, '#meeting-chair', (await page.locator('#meeting-chair option', { hasText: 'Yann Leroy' }).getAttribute('value'))!);
    await page.getByRole('button', { name: 'Créer la séance' }).press('Enter');
    await expect.poll(() => h1.textContent()).toBe('Séance du 12 juillet 2021');

    // Attendance: the quorum follows (majority of the 3 active members = 2).
    const quorum = page.locator('.ptce-meeting__quorum');
    expect(await quorum.textContent()).toBe('Quorum non atteint : 0 présents / 2 requis');
    for (const name of ['Camille Rousseau', 'Yann Leroy', 'Inès Moreau']) {
      await page.getByLabel(new RegExp(name)).focus();
      await page.keyboard.press('Space');
    }
    await expect.poll(() => quorum.textContent()).toBe('Quorum atteint : 3 présents / 2 requis');

    // Order: recused Inès's dossier last; divergent first on request; then a keyboard reorder.
    const order = page.locator('.ptce-meeting__order > li strong');
    const label = (n: number) => new RegExp(`^Dossier n° ${n} `);
    await expect.poll(async () => (await order.allTextContents()).length).toBe(3);
    expect((await order.allTextContents())[2]).toMatch(label(numbers.d4));
    expect(await page.locator('.ptce-meeting__order > li').nth(2).textContent()).toContain('Quittent la salle : Inès Moreau');
    await page.getByRole('button', { name: 'Dossiers divergents en premier' }).press('Enter');
    await expect.poll(async () => (await order.allTextContents())[0]).toMatch(label(numbers.d2));
    await page.getByRole('button', { name: `Descendre le dossier ${numbers.d2}` }).press('Enter');
    await expect.poll(async () => (await order.allTextContents())[1]).toMatch(label(numbers.d2));
    await page.getByRole('button', { name: `Monter le dossier ${numbers.d2}` }).press('Enter');
    await expect.poll(async () => (await order.allTextContents())[0]).toMatch(label(numbers.d2));
    await expectAccessible(page, ['main']);
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-meeting-setup.png'), fullPage: true });

    // Dossier 1 (divergent): a note is required on V2 and O2.
    await page.getByRole('button', { name: 'Commencer la séance' }).press('Enter');
    await expect.poll(() => h1.textContent()).toMatch(label(numbers.d2));
    expect(await page.locator('tr.ptce-meeting__divergent th strong').allTextContents()).toEqual(['V2', 'O2']);
    for (const key of CRITERIA) await chooseByKeyboard(page, `#consensus-${key}`, key === 'O2' ? '1' : '2');
    await page.getByRole('button', { name: 'Enregistrer le consensus' }).press('Enter');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Une note de conciliation est requise pour le critère V2');
    await page.locator('#note-V2').fill('Analyse de positionnement jugée solide après échange.');
    await page.locator('#note-O2').fill('Cofinancements annoncés mais non confirmés.');
    await page.getByRole('button', { name: 'Enregistrer le consensus' }).press('Enter');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Consensus enregistré.' }).count()).toBe(1);
    expect(await page.getByText(/^Total du consensus : /).textContent()).toBe('Total du consensus : 19 / 30');
    await page.locator('#avis-favorable_reserves').focus();
    await page.keyboard.press('Space');
    await page.getByLabel('Motivation').fill('Ancrage fort en quartier prioritaire ; cofinancements à confirmer.');
    await page.getByLabel('Votes ou objections').fill('Adopté à l’unanimité des présents.');
    // Targets b and c, labelled from the grid, pre-ticked from the reviews' majority; the committee finds c only.
    const targetB = page.getByLabel(/^Cible b — Des dynamiques de coopération déjà émergentes/);
    const targetC = page.getByLabel(/^Cible c — Des territoires fragiles/);
    expect([await targetB.isChecked(), await targetC.isChecked()]).toEqual([true, true]);
    await targetB.focus();
    await page.keyboard.press('Space');
    expect([await targetB.isChecked(), await targetC.isChecked()]).toEqual([false, true]);
    await page.getByRole('button', { name: 'Enregistrer l’avis du comité' }).press('Enter');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Avis du comité enregistré.' }).count()).toBe(1);
    await expectAccessible(page, ['main']);
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-meeting-dossier.png'), fullPage: true });

    // Dossier 2.
    await page.getByRole('button', { name: 'Dossier suivant' }).press('Enter');
    await expect.poll(() => h1.textContent()).toMatch(label(numbers.d1));
    for (const key of CRITERIA) await chooseByKeyboard(page, `#consensus-${key}`, '2');
    await page.getByRole('button', { name: 'Enregistrer le consensus' }).press('Enter');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Consensus enregistré.' }).count()).toBe(1);
    await page.locator('#avis-favorable').focus();
    await page.keyboard.press('Space');
    await page.locator('#committee-phase2').focus();
    await page.keyboard.press('Space');
    await page.getByRole('button', { name: 'Enregistrer l’avis du comité' }).press('Enter');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Avis du comité enregistré.' }).count()).toBe(1);

    // Dossier 3 (Alt+→ from anywhere): Inès left the room.
    await page.keyboard.press('Alt+ArrowRight');
    await expect.poll(() => h1.textContent()).toMatch(label(numbers.d4));
    expect(await page.locator('.ptce-meeting__left').textContent()).toMatch(/^Inès Moreau a quitté la salle à \d\d:\d\d \(conflit d’intérêts\)$/);
    for (const key of CRITERIA) await chooseByKeyboard(page, `#consensus-${key}`, '1');
    await page.getByRole('button', { name: 'Enregistrer le consensus' }).press('Enter');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Consensus enregistré.' }).count()).toBe(1);
    await page.locator('#avis-defavorable').focus();
    await page.keyboard.press('Space');
    await page.getByLabel('Motivation').fill('Critères d’éligibilité majoritairement non remplis.');
    await page.getByRole('button', { name: 'Enregistrer l’avis du comité' }).press('Enter');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Avis du comité enregistré.' }).count()).toBe(1);

    // End of the séance, then the procès-verbal through the save dialog.
    await page.getByRole('button', { name: 'Ordre du jour' }).press('Enter');
    await expect.poll(() => h1.textContent()).toBe('Séance du 12 juillet 2021');
    expect(await page.locator('.ptce-meeting__order .fr-badge').count()).toBe(3);
    await page.getByRole('button', { name: 'Clore la séance' }).press('Enter');
    await page.getByRole('heading', { name: /^Séance close à \d\d:\d\d$/ }).waitFor();
    await page.getByRole('button', { name: 'Enregistrer le procès-verbal (PDF)…' }).press('Enter');
    const file = join(out.dir, 'proces-verbal_27_2021-07-12.pdf');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Procès-verbal enregistré' }).textContent()).toBe(`Procès-verbal enregistré : ${file}`);
    await expectAccessible(page, ['main']);
    expect(errors).toEqual([]);

    // The PDF: pages, text, and PNG renders (test-results/e2e-meeting-pv-*.png, looked at).
    expect(existsSync(file)).toBe(true);
    const pages = Number(execFileSync('pdfinfo', [file], { encoding: 'utf8' }).match(/Pages:\s+(\d+)/)?.[1]);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(pages).toBeLessThanOrEqual(8);
    const text = flat(execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }));
    for (const s of [
      'Procès-verbal de la séance du comité régional',
      'Séance du lundi 12 juillet 2021',
      'Dijon, DREETS, salle Vauban',
      'Quorum : 3 présents pour 2 requis',
      'Analyse de positionnement jugée solide après échange.',
      'Adopté à l’unanimité des présents.',
      'b : non · c : oui (avis du comité)',
      'Favorable avec réserves',
      'Défavorable',
      'Inès Moreau a quitté la salle à',
      'La présidence de séance',
      'Yann Leroy',
    ])
      expect(text).toContain(s);
    expect(text.indexOf(`Dossier n° ${numbers.d2}`)).toBeLessThan(text.indexOf(`Dossier n° ${numbers.d1}`));
    mkdirSync(ARTIFACTS, { recursive: true });
    for (const f of readdirSync(ARTIFACTS)) if (f.startsWith('e2e-meeting-pv-')) rmSync(join(ARTIFACTS, f));
    execFileSync('pdftoppm', ['-png', '-r', '70', file, join(ARTIFACTS, 'e2e-meeting-pv')]);
    const pngs = readdirSync(ARTIFACTS).filter((f) => f.startsWith('e2e-meeting-pv-') && f.endsWith('.png'));
    expect(pngs.length).toBe(pages);
    for (const png of pngs) expect(statSync(join(ARTIFACTS, png)).size).toBeGreaterThan(5000);
  });
});
