import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { seedDemo } from '../../main/core/demo';
import { passphraseProtector } from '../../main/core/keys/protector';
import { verifyPackage } from '../../main/core/package/verify';
import { ARTIFACTS, expectAccessible, newPage, startE2eApp, type E2eApp } from '../support/e2e';
import { tempDir } from '../support/tmp';

describe('the signed package screens in the production renderer', () => {
  let app: E2eApp;
  const out = tempDir();
  let saved: string | null = null;

  beforeAll(async () => {
    app = await startE2eApp({
      seed: (runtime) => void seedDemo(runtime.store.db, new Date('2021-07-08T09:30:00Z')),
      keyProtector: passphraseProtector('e2e store only'),
      dialogs: {
        chooseArchiveDestination: async () => null,
        chooseArchiveToRestore: async () => null,
        chooseExportDestination: async (name) => (saved = join(out.dir, name)),
        choosePackageToVerify: async () => saved,
      },
    });
  });

  afterAll(async () => {
    await app?.close();
    out.cleanup();
  });

  it('export from the campaign page, verify from the header, read the help; accessible, no console error', async () => {
    const { page, errors } = await newPage(app.browser, { width: 1280, height: 1000 });
    await page.goto(app.url);
    const h1 = page.getByRole('heading', { level: 1 });
    await page.getByRole('link', { name: /AMI PTCE/ }).first().click();
    await page.getByRole('link', { name: 'Exporter le paquet' }).click();
    await expect.poll(() => h1.textContent()).toBe('Exporter le paquet d’avis signé');
    await expectAccessible(page, ['main']);
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-package-export.png'), fullPage: true });

    await page.getByRole('button', { name: 'Exporter…' }).click();
    await page.getByText('Paquet écrit').waitFor({ timeout: 20_000 });
    const sha = await page.getByTestId('package-sha256').textContent();
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    expect(saved && existsSync(saved)).toBe(true);
    expect((await verifyPackage(saved!)).ok).toBe(true);
    await expectAccessible(page, ['main']);
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-package-exported.png'), fullPage: true });

    await page.getByRole('link', { name: 'Vérifier un paquet' }).first().click();
    await expect.poll(() => h1.textContent()).toBe('Vérifier un paquet');
    await page.getByRole('button', { name: 'Choisir un paquet…' }).click();
    await page.getByText('Paquet valide').waitFor();
    await expectAccessible(page, ['main']);
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-package-verify.png'), fullPage: true });

    await page.getByRole('link', { name: 'Aide' }).first().click();
    await expect.poll(() => h1.textContent()).toBe('Aide');
    await expectAccessible(page, ['main']);
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-package-help.png') });

    expect(errors).toEqual([]);
    await page.context().close();
  });
});
