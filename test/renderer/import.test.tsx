import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { page } from 'vitest/browser';
import { render } from 'vitest-browser-react';
import { App } from '../../renderer/src/App';
import { ImportErrorAlert } from '../../renderer/src/components/ImportErrorAlert';
import { RunStep } from '../../renderer/src/pages/ImportWizardPage';
import '../../renderer/src/boot';
import { api, loadApiShim } from '../support/browser-api';

/** window.api as the renderer sees it (its global declaration lives in the renderer's project). */


beforeAll(async () => {
  await page.viewport(1280, 900);
  await loadApiShim();
});

beforeEach(() => {
  window.location.hash = '';
});

const renderAt = (hash: string) => {
  window.location.hash = hash;
  return render(<App />);
};

describe('creating a campaign and importing DS exports through the wizard', () => {
  it('creates a campaign, previews the XLSX + ZIP, imports them and lists the admissibility of each dossier', async () => {
    const name = `Essai import ${Date.now()}`;
    const screen = await renderAt('#/');
    await screen.getByRole('link', { name: 'Nouvelle campagne' }).click();
    await expect.element(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Nouvelle campagne');

    // The region is required: submitting without it says so and creates nothing.
    await screen.getByRole('button', { name: 'Créer la campagne' }).click();
    await expect.element(screen.getByText('Choisissez une région.')).toBeVisible();

    await screen.getByLabelText('Nom de la campagne').fill(name);
    await screen.getByLabelText('Région', { exact: true }).selectOptions('27');
    await screen.getByLabelText(/^Date$/).fill('2021-06-23');
    await expect.element(screen.getByLabelText(/^Heure/)).toHaveValue('24:00');
    // 23 June at 24:00 in Paris is shown back as the next day at 00:00.
    await expect.element(screen.getByText('Soit le 24 juin 2021 à 00:00 (heure de Paris).')).toBeVisible();
    await screen.getByRole('button', { name: 'Créer la campagne' }).click();

    await expect.element(screen.getByRole('heading', { level: 1 })).toHaveTextContent(name);
    await expect.element(screen.getByText(/Bourgogne-Franche-Comté · Vague 1 · phase 1 · date limite : 24 juin 2021 à 00:00/)).toBeVisible();
    await expect.element(screen.getByText('Aucun dossier dans cette campagne.')).toBeVisible();

    // Wizard, step 1: the scripted dialog chooses the XLSX and the ZIP.
    await screen.getByRole('link', { name: 'Importer des dossiers' }).click();
    await expect.element(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Importer des dossiers');
    await expect.element(screen.getByText('Étape 1 sur 4')).toBeVisible();
    await expect.element(screen.getByRole('button', { name: 'Voir l’aperçu' })).toBeDisabled();
    await screen.getByRole('button', { name: 'Choisir des fichiers…' }).click();
    const files = screen.getByRole('table');
    await expect.element(files.getByRole('caption')).toHaveTextContent('Fichiers choisis (2)');
    await expect.element(files.getByText('Classeur XLSX')).toBeVisible();
    await expect.element(files.getByText('Archive ZIP')).toBeVisible();
    expect(document.body.textContent).not.toContain('/shared/fixtures'); // the renderer never sees a path

    // Step 2: the preview, nothing written yet.
    await screen.getByRole('button', { name: 'Voir l’aperçu' }).click();
    await expect.element(screen.getByText('Étape 2 sur 4')).toBeVisible();
    await expect.element(screen.getByText('Voici ce que l’import ferait. Rien n’a encore été enregistré.')).toBeVisible();
    const slow = { timeout: 30_000 }; // a worker thread reads the XLSX and the ZIP
    await expect.poll(() => document.querySelector('[data-count="created"] strong')?.textContent, slow).toBe('12');
    await expect.element(screen.getByRole('table').getByRole('caption')).toHaveTextContent('Dossiers (12)');
    expect(screen.getByRole('table').getByText('Hors délai').elements()).toHaveLength(2);
    const campaigns = await api().invoke('campaign:list', {});
    expect(campaigns.ok && campaigns.value.find((c) => c.name === name)?.dossierCount).toBe(0);

    // Steps 3 and 4: run, then the report.
    await screen.getByRole('button', { name: 'Lancer l’import' }).click();
    await expect.element(screen.getByText('Import terminé'), slow).toBeVisible();
    await expect.element(screen.getByText('Étape 4 sur 4')).toBeVisible();
    expect(document.querySelector('[data-count="created"] strong')?.textContent).toBe('12');
    expect(document.querySelector('[data-count="rejected"] strong')?.textContent).toBe('0');

    // The list: twelve dossiers, each with its admissibility.
    await screen.getByRole('link', { name: 'Voir la liste des dossiers' }).click();
    await expect.element(screen.getByRole('heading', { level: 1 })).toHaveTextContent(name);
    const table = screen.getByRole('table');
    await expect.poll(() => table.getByRole('row').elements().length).toBe(13);
    await expect.element(table.getByRole('columnheader', { name: 'Recevabilité' })).toBeVisible();
    await expect.poll(() => table.getByText('Hors délai').elements().length).toBe(2);
    expect(table.getByText('Non évaluée').elements()).toHaveLength(0);
    const row = [...document.querySelectorAll('tbody tr')].find((tr) => tr.textContent?.startsWith('5220756'))!;
    expect(row.textContent).toContain('Autre région');
  });

  it('explains that drag and drop needs the desktop application in a browser', async () => {
    const list = await api().invoke('campaign:list', {});
    if (!list.ok || !list.value[0]) throw new Error('no campaign');
    const screen = await renderAt(`#/campaigns/${list.value[0].id}/import`);
    await expect.element(screen.getByRole('button', { name: 'Choisir des fichiers…' })).toBeVisible();
    const zone = document.querySelector('.ptce-dropzone')!;
    const data = new DataTransfer();
    data.items.add(new File(['x'], 'export.xlsx'));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    await expect.element(screen.getByText(/Le glisser-déposer n’est possible que dans l’application de bureau/)).toBeVisible();
  });

  it('translates a refused file with its reason and its name', async () => {
    const screen = await render(
      <ImportErrorAlert error={{ code: 'import_refused', params: { reason: 'magic_mismatch', file: 'export.xlsx' } }} />,
    );
    await expect
      .element(screen.getByRole('alert'))
      .toHaveTextContent(
        'Import refusé : le fichier n’a pas été importé et rien n’a été modifié. le contenu d’un fichier ne correspond pas à son extension (par exemple un « .pdf » qui n’est pas un PDF). Fichier : export.xlsx',
      );
  });

  it('shows the run as a labelled progress bar with a cancel button', async () => {
    let cancelled = 0;
    const screen = await render(<RunStep progress={{ phase: 'write', done: 6, total: 12 }} onCancel={() => cancelled++} />);
    const bar = screen.getByRole('progressbar', { name: 'Import en cours' });
    await expect.element(bar).toHaveAttribute('aria-valuenow', '55'); // 10 % reading + half of the 90 % writing
    await expect.element(bar).toHaveAttribute('aria-valuetext', 'Enregistrement des dossiers (6 sur 12)');
    await screen.getByRole('button', { name: 'Annuler l’import' }).click();
    expect(cancelled).toBe(1);
  });
});
