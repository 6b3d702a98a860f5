import { beforeAll, describe, expect, it } from 'vitest';
import { page } from 'vitest/browser';
import { render } from 'vitest-browser-react';
import { App } from '../../renderer/src/App';
import '../../renderer/src/boot';
import defaultGrid from '../../resources/grids/ami-ptce-emergents-2021-phase1.json';
import { loadApiShim } from '../support/browser-api';

beforeAll(async () => {
  await page.viewport(1280, 900);
  await loadApiShim();
});

const jsonFile = (name: string, value: unknown) =>
  new File([typeof value === 'string' ? value : JSON.stringify(value)], name, { type: 'application/json' });

describe('a new campaign on an imported grid file', () => {
  it('refuses files that are not grids, then creates the campaign on the chosen grid', async () => {
    window.location.hash = '#/campaigns/new';
    const screen = await render(<App />);
    await expect.element(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Nouvelle campagne');
    await expect.element(screen.getByText('Par défaut', { exact: false }).first()).toBeVisible();
    await screen.getByLabelText('Région', { exact: true }).selectOptions('27');
    await screen.getByLabelText(/^Date$/).fill('2027-06-23');
    const upload = screen.getByLabelText(/Importer une autre grille/);

    // Not JSON: said at once, and the form is not sent.
    await upload.upload(jsonFile('notes.json', 'pas du json'));
    await expect.element(screen.getByText('Ce fichier n’est pas une grille d’évaluation lisible.')).toBeVisible();

    // Labelled JSON that is not a grid: main checks it against the grid schema and refuses it.
    await upload.upload(jsonFile('incomplete.json', { id: 'x', version: 1, label: { fr: 'Grille incomplète' } }));
    await expect.element(screen.getByText('Grille choisie : Grille incomplète (version 1)')).toBeVisible();
    await screen.getByRole('button', { name: 'Créer la campagne' }).click();
    await expect.element(screen.getByText('Ce fichier n’est pas une grille d’évaluation valide.')).toBeVisible();
    await expect.element(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Nouvelle campagne');

    // A real grid of another season: the campaign is created on it and named after it.
    const label = `PESSII ${Date.now()} — phase 1`;
    await upload.upload(jsonFile('pessii.json', { ...defaultGrid, id: `pessii-${Date.now()}`, version: 3, label: { fr: label, en: label } }));
    await expect.element(screen.getByText(`Grille choisie : ${label} (version 3)`)).toBeVisible();
    await screen.getByRole('button', { name: 'Créer la campagne' }).click();
    await expect.element(screen.getByRole('heading', { level: 1 })).toHaveTextContent(`${label} — Bourgogne-Franche-Comté`);
  });
});
