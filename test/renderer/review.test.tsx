import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-react';
import { App } from '../../renderer/src/App';
import { loadApiShim, invoke } from '../support/browser-api';




let campaignId: number;
let number: number;
let counter = 0;

beforeAll(async () => {
  await page.viewport(1400, 900);
  await loadApiShim();
  const [campaign] = await invoke('campaign:list', {});
  campaignId = campaign!.id;
  const dossiers = await invoke('dossier:list', { campaignId });
  number = dossiers.at(-1)!.number;
});

/** Each test reviews as a brand-new member, so its review starts empty and is its own. */
let memberId: number;
beforeEach(async () => {
  counter += 1;
  const m = await invoke('member:create', { name: `Membre test ${counter} ${Date.now()}`, role: 'expert', organisation: '', activate: true });
  memberId = m.id;
  window.location.hash = '';
});

/** DSFR radios and checkboxes are drawn by their label, which takes the click. */
const tick = (id: string) => userEvent.click(document.querySelector(`label[for="${id}"]`)!);
const el = (id: string) => document.getElementById(id) as HTMLInputElement | HTMLTextAreaElement | null;

async function openForm() {
  window.location.hash = `#/campaigns/${campaignId}/dossiers/${number}`;
  const screen = await render(<App />);
  await expect.element(screen.getByRole('heading', { name: 'Mon évaluation' })).toBeVisible();
  return screen;
}

describe('the review form', () => {
  it('number keys score the focused criterion; the justification becomes required at the extremes; totals follow', async () => {
    const screen = await openForm();
    el('rv-score-V1-0')!.focus();
    await userEvent.keyboard('3');
    await expect.poll(() => (el('rv-score-V1-3') as HTMLInputElement).checked).toBe(true);
    expect(document.activeElement?.id).toBe('rv-score-V1-3');
    await expect.element(screen.getByLabelText('Justification (obligatoire pour cette note)').first()).toBeVisible();
    expect(el('rv-just-V1')!.required).toBe(true);
    await userEvent.keyboard('2');
    await expect.poll(() => (el('rv-score-V1-2') as HTMLInputElement).checked).toBe(true);
    expect(el('rv-just-V1')!.required).toBe(false);
    el('rv-score-O1-0')!.focus();
    await userEvent.keyboard('1');
    await expect.element(screen.getByText('Total pondéré : 3 / 30')).toBeVisible();
    await expect.element(screen.getByText(/Sous-total « Opérationnalité » : 1 \/ 9/)).toBeVisible();
    // Typing digits in a justification writes them, and does not change the score.
    el('rv-just-V1')!.focus();
    await userEvent.keyboard('0');
    expect(el('rv-just-V1')!.value).toBe('0');
    expect((el('rv-score-V1-2') as HTMLInputElement).checked).toBe(true);
  });

  it('applies the majority rule live', async () => {
    const screen = await openForm();
    await expect.element(screen.getByText('0 critères sur 7 remplis ou en perspective : à compléter (4 requis pour être éligible)')).toBeVisible();
    await tick('rv-elig-E-1-oui');
    await tick('rv-elig-E-2-en_perspective');
    await tick('rv-elig-E-3-oui');
    await expect.element(screen.getByText(/^3 critères sur 7/)).toBeVisible();
    await tick('rv-elig-E-4-non');
    await tick('rv-elig-E-5-oui');
    await expect.element(screen.getByText('4 critères sur 7 remplis ou en perspective : éligible')).toBeVisible();
    for (const k of ['E-1', 'E-3', 'E-5', 'E-6']) await tick(`rv-elig-${k}-non`);
    await expect.element(screen.getByText('1 critères sur 7 remplis ou en perspective : non éligible (4 requis)')).toBeVisible();
  });

  it('keeps the phase-2 recommendation disabled without target b or c', async () => {
    const screen = await openForm();
    const phase2 = el('rv-phase2') as HTMLInputElement;
    expect(phase2.disabled).toBe(true);
    await expect.element(screen.getByText(/Possible seulement pour les cibles b\) ou c\)/)).toBeVisible();
    await tick('rv-target-a');
    expect(phase2.disabled).toBe(true);
    await tick('rv-target-b');
    await expect.poll(() => phase2.disabled).toBe(false);
    await tick('rv-phase2');
    expect(phase2.checked).toBe(true);
    // Unticking b un-recommends phase 2 and disables it again.
    await tick('rv-target-b');
    await expect.poll(() => phase2.disabled).toBe(true);
    expect(phase2.checked).toBe(false);
  });

  it('« Soumettre » lists what is missing, as links that focus the field', async () => {
    const screen = await openForm();
    await screen.getByRole('button', { name: 'Soumettre' }).click();
    const alert = screen.getByRole('alert');
    await expect.element(alert).toHaveTextContent(/Il manque \d+ éléments avant de soumettre/);
    await expect.element(alert.getByRole('link', { name: 'motivation de l’avis' })).toBeVisible();
    await alert.getByRole('link', { name: 'note du critère O2' }).click();
    expect(document.activeElement?.id).toBe('rv-score-O2-0');
    await alert.getByRole('link', { name: 'motivation de l’avis' }).click();
    expect(document.activeElement?.id).toBe('rv-motivation');
  });

  it('saves as you type: after a reload the values are there, and they are the member’s own', async () => {
    const screen = await openForm();
    await tick('rv-avis-favorable_reserves');
    await tick('rv-motivation');
    await userEvent.keyboard('Projet solide, gouvernance à préciser.');
    await tick('rv-score-E2-3');
    await expect.element(screen.getByText(/^Enregistré à \d{1,2}:\d{2}$/)).toBeVisible();
    await screen.unmount();

    const stored = await invoke('review:get', { campaignId, number, memberId });
    expect(stored.content.details).toMatchObject({ avis: 'favorable_reserves', motivation: 'Projet solide, gouvernance à préciser.' });
    expect(stored.content.scores.E2).toEqual({ score: 3, justification: '' });

    const again = await openForm();
    await expect.poll(() => el('rv-motivation')!.value).toBe('Projet solide, gouvernance à préciser.');
    expect((el('rv-avis-favorable_reserves') as HTMLInputElement).checked).toBe(true);
    expect((el('rv-score-E2-3') as HTMLInputElement).checked).toBe(true);
    await again.unmount();
  });

  it('leaving a field stores its text', async () => {
    const screen = await openForm();
    await tick('rv-elig-E-7-note');
    await userEvent.keyboard('Citoyens associés');
    // Leaving the field sends the edit (flush on blur; the debounce would send it too).
    await userEvent.click(screen.getByRole('heading', { name: 'Mon évaluation' }));
    (document.activeElement as HTMLElement | null)?.blur();
    await expect
      .poll(async () => (await invoke('review:get', { campaignId, number, memberId })).content.eligibility['E-7']?.note)
      .toBe('Citoyens associés');
  });
});
