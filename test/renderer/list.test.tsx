import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-react';
import { App } from '../../renderer/src/App';
import type { CampaignSummary } from '../../shared/domain/types';
import { api, loadApiShim } from '../support/browser-api';



let demo: CampaignSummary;
let bulk: CampaignSummary;

beforeAll(async () => {
  await page.viewport(1280, 900);
  await loadApiShim();
  const result = await api().invoke('campaign:list', {});
  if (!result.ok) throw new Error('campaigns');
  demo = result.value.find((c) => c.name === 'AMI PTCE émergents 2021 — phase 1')!;
  bulk = result.value.find((c) => c.name === 'Campagne de charge')!;
  if (!demo || !bulk) throw new Error('demo or bulk campaign missing (BRIDGE_EXTRA_DOSSIERS=0?)');
});

beforeEach(() => {
  window.location.hash = '';
});

const renderAt = (hash: string) => {
  window.location.hash = hash;
  return render(<App />);
};

/** The project names of the rendered body rows, in order. */
const projectNames = () =>
  [...document.querySelectorAll('table.ptce-list__table tbody tr[aria-rowindex] td:nth-child(2) a')].map((a) => a.textContent);

describe('the dossier list', () => {
  it('sorts by a column with aria-sort on its header', async () => {
    const screen = await renderAt(`#/campaigns/${demo.id}`);
    await expect.poll(() => projectNames().length).toBe(6);
    const header = screen.getByRole('columnheader', { name: 'Projet' });
    await expect.element(header).toHaveAttribute('aria-sort', 'none');
    await header.getByRole('button').click();
    await expect.element(header).toHaveAttribute('aria-sort', 'ascending');
    await expect.poll(() => projectNames()[0]).toBe('PTCE activités culturelles et créatives de Beaucourt');
    // French order: « énergies » sorts with the e's, before « recyclage ».
    expect(projectNames()[1]).toMatch(/^PTCE énergies/);
    await header.getByRole('button').click();
    await expect.element(header).toHaveAttribute('aria-sort', 'descending');
    await expect.poll(() => projectNames()[0]).toBe('PTCE textile en Parnes');
    expect(screen.getByRole('columnheader', { name: 'N° dossier' }).element().getAttribute('aria-sort')).toBe('none');
  });

  it('filters with the selects and the fragile checkbox', async () => {
    const screen = await renderAt(`#/campaigns/${demo.id}`);
    await expect.poll(() => projectNames().length).toBe(6);
    await screen.getByRole('combobox', { name: 'Avis' }).selectOptions('Défavorable');
    await expect.poll(() => projectNames().length).toBe(1);
    expect(screen.getByRole('table').getByText('Défavorable').elements()).toHaveLength(1);
    await screen.getByRole('combobox', { name: 'Avis' }).selectOptions('Tous');
    await expect.poll(() => projectNames().length).toBe(6);
    // DSFR checkboxes are clicked through their label (the input is drawn by it).
    await screen.getByText('Territoire fragile uniquement').click();
    await expect.element(screen.getByRole('checkbox', { name: 'Territoire fragile uniquement' })).toBeChecked();
    await expect.poll(() => projectNames().length).toBe(5);
    expect(projectNames()).not.toContain('PTCE recyclage et réemploi de Talant');
    await screen.getByRole('combobox', { name: 'Mon instruction' }).selectOptions('En cours');
    await expect.poll(() => projectNames().length).toBe(1);
  });

  it('searches without accents and highlights the matches as <mark> text', async () => {
    const screen = await renderAt(`#/campaigns/${demo.id}`);
    await expect.poll(() => projectNames().length).toBe(6);
    await screen.getByRole('searchbox', { name: /Rechercher dans les dossiers/ }).fill('energies');
    await expect.poll(() => projectNames().length).toBe(2);
    const snippets = [...document.querySelectorAll('[data-snippet]')];
    expect(snippets).toHaveLength(2);
    for (const snippet of snippets) {
      const marks = [...snippet.querySelectorAll('mark')];
      expect(marks.length).toBeGreaterThan(0);
      for (const mark of marks) {
        expect(mark.textContent!.toLowerCase()).toMatch(/^énergies/);
        expect(mark.children).toHaveLength(0); // text only
      }
      expect(snippet.textContent).not.toMatch(/[⟦⟧]/);
    }
    await screen.getByRole('searchbox', { name: /Rechercher dans les dossiers/ }).fill('zzzqqq');
    await expect.element(screen.getByText('Aucun dossier ne correspond à la recherche ou aux filtres.')).toBeVisible();
  });

  it('renders only a window of 3 000 rows, and later rows when scrolled', async () => {
    const screen = await renderAt(`#/campaigns/${bulk.id}`);
    const table = screen.getByRole('table');
    await expect.element(table).toHaveAttribute('aria-rowcount', '3001');
    await expect.poll(() => projectNames().length).toBeGreaterThan(5);
    const rendered = document.querySelectorAll('table.ptce-list__table tbody tr[aria-rowindex]');
    expect(rendered.length).toBeLessThan(80);
    expect(rendered[0]!.getAttribute('aria-rowindex')).toBe('2');
    expect(document.querySelector('tbody tr[aria-rowindex="3001"]')).toBeNull();
    const scroller = document.querySelector<HTMLElement>('.ptce-list__scroll')!;
    scroller.scrollTop = scroller.scrollHeight;
    await expect.poll(() => document.querySelector('tbody tr[aria-rowindex="3001"]')).not.toBeNull();
    expect(document.querySelectorAll('tbody tr[aria-rowindex]').length).toBeLessThan(80);
    expect(document.querySelector('tbody tr[aria-rowindex="2"]')).toBeNull();
    // The header stays in place (sticky) above the scrolled rows.
    const th = document.querySelector('thead th')!.getBoundingClientRect();
    expect(th.top).toBeGreaterThanOrEqual(scroller.getBoundingClientRect().top - 1);
    expect(th.top).toBeLessThan(scroller.getBoundingClientRect().top + 5);
  });

  it('a search over 3 000 dossiers shows snippets on the rows scrolled to, asked from main for those rows', async () => {
    await renderAt(`#/campaigns/${bulk.id}`);
    await expect.poll(() => projectNames().length).toBeGreaterThan(5);
    await page.getByRole('searchbox', { name: /Rechercher dans les dossiers/ }).fill('cooperation');
    // Every bulk dossier says « Coopération autour de … »: the first rows come with their snippet.
    await expect.poll(() => document.querySelector('tbody tr[aria-rowindex="2"] [data-snippet] mark')?.textContent).toBe('Coopération');
    const scroller = document.querySelector<HTMLElement>('.ptce-list__scroll')!;
    scroller.scrollTop = scroller.scrollHeight;
    await expect.poll(() => document.querySelector('tbody tr[aria-rowindex="3001"]')).not.toBeNull();
    // The last rows were sent without one; their snippet arrives for the rows on screen.
    await expect.poll(() => document.querySelector('tbody tr[aria-rowindex="3001"] [data-snippet] mark')?.textContent).toBe('Coopération');
    const rendered = [...document.querySelectorAll('tbody tr[aria-rowindex]')];
    expect(rendered.every((tr) => tr.querySelector('[data-snippet] mark'))).toBe(true);
  });

  it('moves row focus with the arrow keys and opens with Enter', async () => {
    const screen = await renderAt(`#/campaigns/${bulk.id}`);
    await expect.poll(() => projectNames().length).toBeGreaterThan(5);
    const first = document.querySelector<HTMLElement>('tbody tr[aria-rowindex="2"]')!;
    expect(first.tabIndex).toBe(0);
    first.focus();
    await userEvent.keyboard('{ArrowDown}');
    await expect.poll(() => document.activeElement?.getAttribute('aria-rowindex')).toBe('3');
    await userEvent.keyboard('{End}');
    await expect.poll(() => document.activeElement?.getAttribute('aria-rowindex')).toBe('3001');
    await userEvent.keyboard('{ArrowUp}');
    await expect.poll(() => document.activeElement?.getAttribute('aria-rowindex')).toBe('3000');
    await userEvent.keyboard('{Enter}');
    await expect.poll(() => window.location.hash).toBe(`#/campaigns/${bulk.id}/dossiers/102999`);
    await expect.element(screen.getByRole('heading', { level: 1 })).toHaveTextContent(/2999$/);
  });
});
