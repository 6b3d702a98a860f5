import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-react';
import { App } from '../../renderer/src/App';
import type { SynthesisView } from '../../shared/domain/synthesis';
import { invoke, loadApiShim } from '../support/browser-api';
import { SYNTHESIS_CAMPAIGN_NAME } from '../support/synthesis-seed';

let view: SynthesisView;

beforeAll(async () => {
  await page.viewport(1280, 900);
  await loadApiShim();
  const campaign = (await invoke('campaign:list', {})).find((c) => c.name === SYNTHESIS_CAMPAIGN_NAME);
  if (!campaign) throw new Error('synthesis campaign missing (test/support/bridge-plugin.ts)');
  view = await invoke('synthesis:get', { campaignId: campaign.id });
  // A known starting order, whatever an earlier run left: 900002 then 900001.
  const id = (n: number) => view.dossiers.find((d) => d.number === n)!.dossierId;
  view = await invoke('synthesis:reorderPhase2', { campaignId: campaign.id, dossierIds: [id(900_002), id(900_001)] });
});

beforeEach(() => {
  window.location.hash = '';
});

const items = () => [...document.querySelectorAll('.ptce-phase2__label')].map((el) => el.firstChild?.textContent);

describe('« Synthèse régionale » against the real handlers', () => {
  it('is linked from the campaign page', async () => {
    window.location.hash = `#/campaigns/${view.campaignId}`;
    const screen = await render(<App />);
    await screen.getByRole('link', { name: 'Synthèse régionale' }).click();
    await expect.element(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Synthèse régionale');
    expect(window.location.hash).toBe(`#/campaigns/${view.campaignId}/synthesis`);
  });

  it('shows the ranking, the charts with their data table, the divergences and reorders the phase-2 shortlist', async () => {
    window.location.hash = `#/campaigns/${view.campaignId}/synthesis`;
    const screen = await render(<App />);
    await expect.element(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Synthèse régionale');

    // Ranking: consensus 30, 20, 10, then the dossier never discussed (mean only).
    const ranking = screen.getByRole('table', { name: 'Classement des dossiers (total maximum : 30)' });
    await expect.element(ranking).toBeVisible();
    const rows = [...ranking.element().querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent));
    expect(rows.map((r) => [r[0], r[1], r[3]])).toEqual([
      ['1', '900002', '30'],
      ['2', '900001', '20'],
      ['3', '900003', '10'],
      ['4', '900004', '—'],
    ]);
    expect(rows[3]![8]).toBe('Pas encore en séance');
    expect(rows[0]![8]).toBe('Favorable');

    // Ten charts, each one image with its numbers in words, and the same data as a table.
    const charts = screen.getByRole('img');
    await expect.poll(() => charts.elements().length).toBe(10);
    const v1 = screen.getByRole('img', { name: /^V1 — Crédibilité/ });
    expect(v1.element().getAttribute('aria-label')).toContain('1 note(s) à 0, 1 note(s) à 1, 2 note(s) à 2, 3 note(s) à 3');
    const data = screen.getByRole('table', { name: 'Répartition des notes individuelles par critère (données des graphiques)' });
    const v1Row = [...data.element().querySelectorAll('tbody tr')][0]!;
    expect([...v1Row.querySelectorAll('td')].slice(0, 4).map((td) => td.textContent)).toEqual(['1', '1', '2', '3']);

    // Divergences: 900002 past the threshold on V1 (0–3) and O1 (1–3), highlighted and said in words.
    const div = screen.getByRole('table', { name: 'Écarts par dossier et par critère (seuil : 2)' });
    const flagged = [...div.element().querySelectorAll('td.ptce-divergent')].map((td) => td.textContent);
    expect(flagged).toEqual(['3 (au-delà du seuil)', '2 (au-delà du seuil)']);

    // Phase 2: 900003 was recommended but meets neither b nor c.
    expect(items()).toEqual(['1. Dossier 900002 — PTCE mobilité Isère', '2. Dossier 900001 — PTCE alimentation Drôme']);
    await expect.element(screen.getByRole('button', { name: 'Monter le dossier 900002' })).toBeDisabled();
    await screen.getByRole('button', { name: 'Descendre le dossier 900002' }).click();
    await expect.poll(items).toEqual(['1. Dossier 900001 — PTCE alimentation Drôme', '2. Dossier 900002 — PTCE mobilité Isère']);
    // The moved dossier keeps the focus (its « Descendre » is now disabled: « Monter »).
    await expect.poll(() => document.activeElement?.getAttribute('aria-label')).toBe('Monter le dossier 900002');
    await expect.element(screen.getByText('Dossier 900002 placé en position 2.')).toBeInTheDocument();
    const stored = await invoke('synthesis:get', { campaignId: view.campaignId });
    expect(stored.phase2.map((p) => [p.number, p.stored])).toEqual([
      [900_001, true],
      [900_002, true],
    ]);
    // With the keyboard.
    await userEvent.keyboard('{Enter}');
    await expect.poll(items).toEqual(['1. Dossier 900002 — PTCE mobilité Isère', '2. Dossier 900001 — PTCE alimentation Drôme']);

    // Looked at by a person (test-results/ is ignored by git).
    for (const [name, id] of [['top', 'synthesis-ranking'], ['charts', 'synthesis-criteria'], ['phase2', 'synthesis-divergences']] as const) {
      document.getElementById(id)!.scrollIntoView();
      await page.screenshot({ path: `../../test-results/synthesis-${name}.png` });
    }

    // Export: the bridge's dialog answers with a file beside the store.
    await screen.getByRole('button', { name: 'Exporter en XLSX' }).click();
    await expect.element(screen.getByText(/^Synthèse enregistrée : .*synthese-regionale-84-\d{4}-\d{2}-\d{2}\.xlsx$/)).toBeVisible();
  });
});
