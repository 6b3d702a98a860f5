import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-react';
import { App } from '../../renderer/src/App';
import type { CampaignSummary } from '../../shared/domain/types';
import axe from 'axe-core';
import { invoke, loadApiShim } from '../support/browser-api';

let demo: CampaignSummary;
let camilleId: number;

beforeAll(async () => {
  await page.viewport(1400, 1000);
  await loadApiShim();
  demo = (await invoke('campaign:list', {})).find((c) => c.name === 'AMI PTCE émergents 2021 — phase 1')!;
  camilleId = (await invoke('member:list', {})).find((m) => m.name === 'Camille Rousseau')!.id;
});

beforeEach(async () => {
  await invoke('member:setActive', { memberId: camilleId });
  window.location.hash = '';
});

// The other browser tests share this store: leave Camille at the keyboard.
afterEach(async () => {
  await invoke('member:setActive', { memberId: camilleId });
});

const renderAt = (hash: string) => {
  window.location.hash = hash;
  return render(<App />);
};

describe('the « Comité » page', () => {
  it('is reached from the campaign page and lists members with their role, organisation and load', async () => {
    const screen = await renderAt(`#/campaigns/${demo.id}`);
    await screen.getByRole('link', { name: 'Comité et conflits d’intérêts' }).click();
    await expect.element(screen.getByRole('heading', { level: 1, name: 'Comité' })).toBeVisible();
    const members = screen.getByRole('table', { name: /Membres du comité/ });
    const ines = members.getByRole('row', { name: /Inès Moreau/ });
    await expect.element(ines).toHaveTextContent('Expert');
    await expect.element(ines).toHaveTextContent('France Active Bourgogne-Franche-Comté');
    // The demo reviews' assignments: Camille reviews four dossiers, Yann two.
    await expect.element(members.getByRole('row', { name: /Camille Rousseau/ })).toHaveTextContent('4 affecté(s) · 3 soumis');
    // No serious or critical accessibility violation on the page (axe-core, as the e2e tests do).
    const results = await axe.run(screen.getByRole('main').element());
    const bad = results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(bad).toEqual([]);
  });

  it('edits a member: an invalid SIREN is refused, a valid one is saved', async () => {
    const created = await invoke('member:create', { name: `Expert SIREN ${Date.now()}`, role: 'expert', organisation: '' });
    const screen = await renderAt(`#/campaigns/${demo.id}/committee`);
    await screen.getByRole('button', { name: `Modifier ${created.name}` }).click();
    const siren = screen.getByLabelText(/SIREN \/ SIRET/).first();
    await siren.fill('123 456 789');
    await screen.getByRole('button', { name: 'Enregistrer' }).click();
    await expect.element(screen.getByText('SIREN ou SIRET invalide : 9 ou 14 chiffres, clé de contrôle comprise.')).toBeVisible();
    await siren.fill('732 829 320');
    await screen.getByRole('button', { name: 'Enregistrer' }).click();
    await expect.element(screen.getByText('Membre enregistré.')).toBeVisible();
    await expect.element(screen.getByRole('table', { name: /Membres du comité/ }).getByRole('row', { name: new RegExp(created.name) })).toHaveTextContent('732829320');
  });

  it('shows the detected proposal; dismissing needs a reason; a declared link recuses and blocks the matrix cell', async () => {
    const elected = await invoke('member:create', { name: `Élu local ${Date.now()}`, role: 'compagnon', organisation: 'Ville' });
    const screen = await renderAt(`#/campaigns/${demo.id}/committee`);
    const conflicts = screen.getByRole('table', { name: /Conflits d’intérêts/ });
    const row = conflicts.getByRole('row', { name: /Inès Moreau/ });
    await expect.element(row).toHaveTextContent('5401010');
    await expect.element(row).toHaveTextContent('À examiner');
    await expect.element(row).toHaveTextContent('partenaire « Association France Active Bourgogne-Franche-Comté »');
    // The matrix warns on the proposed pair but still allows it.
    await expect.element(screen.getByRole('checkbox', { name: 'Affecter Inès Moreau au dossier 5401010' })).toBeEnabled();

    await screen.getByRole('button', { name: 'Écarter le conflit de Inès Moreau sur le dossier 5401010' }).click();
    await screen.getByRole('button', { name: 'Écarter ce conflit' }).click();
    await expect.element(screen.getByText('Indiquez le motif.')).toBeVisible();
    const reason = screen.getByRole('textbox', { name: /Motif de l’écart/ });
    await expect.element(reason).toHaveFocus();
    await reason.fill('Partenaire financier sans lien avec l’experte');
    await userEvent.keyboard('{Enter}');
    await expect.element(row).toHaveTextContent('Écarté : Partenaire financier sans lien avec l’experte');
    // Re-running detection brings nothing back.
    await screen.getByRole('button', { name: 'Détecter les conflits' }).click();
    await expect.element(screen.getByText('0 conflit(s) proposé(s).')).toBeVisible();

    // A declared link (board seat) on the first demo dossier, with the keyboard only.
    await screen.getByRole('combobox', { name: 'Membre', exact: true }).last().selectOptions(String(elected.id));
    await screen.getByRole('combobox', { name: 'Nature du lien' }).selectOptions('administrateur');
    const first = (await invoke('committee:overview', { campaignId: demo.id })).dossiers[0]!;
    await screen.getByRole('combobox', { name: 'Ou un dossier' }).selectOptions(String(first.id));
    await screen.getByRole('button', { name: 'Déclarer le lien' }).click();
    await expect.element(screen.getByText('Lien déclaré : déport sur 1 dossier(s).')).toBeVisible();
    const electedRow = conflicts.getByRole('row', { name: new RegExp(elected.name) });
    await expect.element(electedRow).toHaveTextContent('Confirmé (déport)');
    await expect.element(electedRow).toHaveTextContent('Déclaré — Administrateur (siège au conseil)');
    // Looked at: each section scrolled into the frame (the test frame paints only what is in view).
    for (const [name, file] of [
      ['Membres du comité', 'committee-members'],
      ['Affectation des dossiers', 'committee-assignments'],
      ['Conflits d’intérêts', 'committee-conflicts'],
    ] as const) {
      const section = screen.getByRole('region', { name, exact: true });
      section.element().scrollIntoView();
      await page.screenshot({ path: `../../test-results/${file}.png`, element: section });
    }
  });

  it('« Répartir » fills every dossier, never the recused pair, and a recused active member gets a banner instead of the form', async () => {
    const member = await invoke('member:create', { name: `Expert recusé ${Date.now()}`, role: 'expert', organisation: '' });
    const { dossiers } = await invoke('committee:overview', { campaignId: demo.id });
    const target = dossiers.find((d) => d.number === 5157673)!;
    await invoke('committee:declareLink', { memberId: member.id, kind: 'salarie', dossierId: target.id });
    const screen = await renderAt(`#/campaigns/${demo.id}/committee`);
    await screen.getByRole('spinbutton', { name: 'Évaluateurs par dossier' }).fill('3');
    await screen.getByRole('button', { name: 'Répartir' }).click();
    await expect.element(screen.getByText(/affectation\(s\) ajoutée\(s\)/)).toBeVisible();
    const overview = await invoke('committee:overview', { campaignId: demo.id });
    for (const d of overview.dossiers) expect(overview.assignments.filter((a) => a.dossierId === d.id).length).toBeGreaterThanOrEqual(3);
    expect(overview.assignments.some((a) => a.memberId === member.id && a.dossierId === target.id)).toBe(false);

    screen.unmount();
    await invoke('member:setActive', { memberId: member.id });
    const dossier = await renderAt(`#/campaigns/${demo.id}/dossiers/5157673`);
    await expect.element(dossier.getByText('Déport : conflit d’intérêts confirmé')).toBeVisible();
    expect(dossier.getByRole('heading', { name: 'Mon évaluation' }).elements()).toHaveLength(0);
    await page.screenshot({ path: '../../test-results/committee-recusal.png', element: dossier.getByRole('complementary', { name: 'Évaluation du dossier' }) });
  });

  it('« Retirer » withdraws a declared link and lifts the recusal it alone gave', async () => {
    const member = await invoke('member:create', { name: `Lien retiré ${Date.now()}`, role: 'expert', organisation: '' });
    const { dossiers } = await invoke('committee:overview', { campaignId: demo.id });
    const target = dossiers.find((d) => d.number === 5157673)!;
    await invoke('committee:declareLink', { memberId: member.id, kind: 'financeur', dossierId: target.id });
    const screen = await renderAt(`#/campaigns/${demo.id}/committee`);
    await screen.getByRole('button', { name: new RegExp(`^Retirer le lien : ${member.name}`) }).click();
    await expect.element(screen.getByText('Lien retiré : 1 déport(s) levé(s), 0 conservé(s)', { exact: false })).toBeVisible();
    expect(await invoke('committee:dossierConflict', { dossierId: target.id, memberId: member.id })).toMatchObject({ status: null });
    // The links list reloads after the notice: wait for the withdrawn link to leave it.
    await expect.poll(() => screen.getByRole('button', { name: new RegExp(`^Retirer le lien : ${member.name}`) }).elements()).toHaveLength(0);
  });
});
