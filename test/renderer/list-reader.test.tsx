import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-react';
import { App } from '../../renderer/src/App';
import type { CampaignSummary } from '../../shared/domain/types';
import { api, loadApiShim } from '../support/browser-api';



let demo: CampaignSummary;

beforeAll(async () => {
  await page.viewport(1280, 900);
  await loadApiShim();
  const result = await api().invoke('campaign:list', {});
  if (!result.ok) throw new Error('campaigns');
  demo = result.value.find((c) => c.name === 'AMI PTCE émergents 2021 — phase 1')!;
});

beforeEach(() => {
  window.location.hash = '';
});

const renderAt = (hash: string) => {
  window.location.hash = hash;
  return render(<App />);
};

describe('the dossier reader', () => {
  it('shows partners, the DS avis and the territory', async () => {
    const screen = await renderAt(`#/campaigns/${demo.id}/dossiers/5220756`);
    await expect.element(screen.getByRole('heading', { level: 1 })).toHaveTextContent('PTCE textile en Parnes');
    const partners = screen.getByRole('table', { name: 'Partenaires déclarés (2)' });
    await expect.element(partners).toBeVisible();
    const cells = partners.getByRole('row').elements().slice(1).map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent));
    expect(cells).toEqual([
      ['Communauté de communes des Parnes', '20004123400017', 'Cofinanceur'],
      ['Atelier Fil Rouge', 'Non renseigné', 'Membre fondateur'],
    ]);
    await expect.element(screen.getByText('Favorable, partenariats solides.')).toBeVisible();
    await expect.element(screen.getByRole('heading', { name: 'Territoire', exact: true })).toBeVisible();
    await expect.element(screen.getByText('Bassin d\'emploi désindustrialisé')).toBeVisible();
  });

  it('draws a PDF attachment on a canvas; other files show metadata only', async () => {
    const screen = await renderAt(`#/campaigns/${demo.id}/dossiers/5220756`);
    await expect.element(screen.getByText('budget-previsionnel.pdf', { exact: true })).toBeVisible();
    await expect.element(screen.getByText('application/pdf', { exact: true })).toBeVisible();
    expect(screen.getByText('Ce fichier n’est pas affiché dans l’application : seules ses métadonnées sont présentées.').elements()).toHaveLength(1);
    expect(screen.getByRole('button', { name: 'Afficher « statuts.docx »' }).elements()).toHaveLength(0);
    await screen.getByRole('button', { name: 'Afficher « budget-previsionnel.pdf »' }).click();
    const canvas = screen.getByRole('img', { name: '« budget-previsionnel.pdf », page 1' });
    await expect.element(canvas).toHaveAttribute('data-rendered', 'true');
    await expect.element(screen.getByText('Page 1 sur 1')).toBeVisible();
    // Pixels were drawn: the blue rectangle is there.
    const el = canvas.element() as HTMLCanvasElement;
    const data = el.getContext('2d')!.getImageData(0, 0, el.width, el.height).data;
    let blue = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i + 2]! > 150 && data[i]! < 100) blue++;
    expect(blue).toBeGreaterThan(1000);
  });

  it('goes to the next and previous dossier in the list order with Alt+arrows and j/k', async () => {
    const screen = await renderAt(`#/campaigns/${demo.id}`);
    // Sort by project name, descending: the reader follows this order.
    const header = screen.getByRole('columnheader', { name: 'Projet' });
    await header.getByRole('button').click();
    await header.getByRole('button').click();
    await expect.element(header).toHaveAttribute('aria-sort', 'descending');
    await screen.getByRole('link', { name: 'PTCE textile en Parnes' }).click();
    await expect.element(screen.getByRole('heading', { level: 1 })).toHaveTextContent('PTCE textile en Parnes');
    await userEvent.keyboard('{Alt>}{ArrowRight}{/Alt}');
    await expect.element(screen.getByRole('heading', { level: 1 })).toHaveTextContent('PTCE services aux personnes de Rouvres-en-Plaine');
    await userEvent.keyboard('j');
    await expect.element(screen.getByRole('heading', { level: 1 })).toHaveTextContent('PTCE recyclage et réemploi de Talant');
    await userEvent.keyboard('k');
    await expect.element(screen.getByRole('heading', { level: 1 })).toHaveTextContent('PTCE services aux personnes de Rouvres-en-Plaine');
    await userEvent.keyboard('{Alt>}{ArrowLeft}{/Alt}');
    await expect.element(screen.getByRole('heading', { level: 1 })).toHaveTextContent('PTCE textile en Parnes');
    await expect.element(screen.getByRole('link', { name: /^Dossier suivant : PTCE services/ })).toBeVisible();
    // Back to the list (five dossier pages back): its sort comes back with it.
    window.history.go(-5);
    await expect.element(screen.getByRole('heading', { level: 1 })).toHaveTextContent('AMI PTCE émergents 2021 — phase 1');
    await expect.element(screen.getByRole('columnheader', { name: 'Projet' })).toHaveAttribute('aria-sort', 'descending');
    await expect.poll(() => document.querySelector('tbody tr[aria-rowindex="2"] td:nth-child(2) a')?.textContent).toBe('PTCE textile en Parnes');
  });
});
