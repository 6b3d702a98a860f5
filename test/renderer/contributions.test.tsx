import { beforeAll, describe, expect, it } from 'vitest';
import { page } from 'vitest/browser';
import { render } from 'vitest-browser-react';
import { App } from '../../renderer/src/App';
import { cellLabel, valueText } from '../../renderer/src/pages/ContributionsPage';
import { i18n } from '../../renderer/src/i18n';
import { loadApiShim } from '../support/browser-api';

beforeAll(async () => {
  await page.viewport(1280, 900);
  await loadApiShim();
});

/** A fresh Ed25519 public key as PEM, and its fingerprint as the app shows it (SHA-256 of the raw key, groups of 4). */
async function newPublicKey(): Promise<{ pem: string; groups: string }> {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  const b64 = btoa(String.fromCharCode(...spki));
  const hex = [...new Uint8Array(await crypto.subtle.digest('SHA-256', raw))].map((b) => b.toString(16).padStart(2, '0')).join('');
  return { pem: `-----BEGIN PUBLIC KEY-----\n${b64}\n-----END PUBLIC KEY-----\n`, groups: hex.toUpperCase().match(/.{4}/g)!.join(' ') };
}

describe('« Contributions hors ligne »', () => {
  it('is reached from the home page', async () => {
    window.location.hash = '#/';
    const screen = await render(<App />);
    await screen.getByRole('link', { name: 'Contributions hors ligne' }).click();
    await expect.element(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Contributions hors ligne');
    expect(document.title).toBe('Contributions hors ligne — Comité PTCE');
  });

  it('registers a member’s public key and shows the fingerprint to read back', async () => {
    window.location.hash = '#/contributions';
    const screen = await render(<App />);
    const key = await newPublicKey();
    const keys = screen.getByRole('region', { name: 'Clés publiques des membres' });
    await keys.getByRole('combobox', { name: 'Membre' }).selectOptions('Yann Leroy');
    await keys.getByRole('textbox', { name: /Clé publique \(PEM\)/ }).fill(key.pem);
    await keys.getByRole('button', { name: 'Enregistrer la clé' }).click();
    await expect.element(keys.getByRole('status').filter({ hasText: 'Relisez' })).toHaveTextContent(
      `Clé enregistrée pour Yann Leroy. Relisez cette empreinte avec le membre : ${key.groups}`,
    );
    const row = keys.getByRole('row').filter({ hasText: key.groups });
    await expect.element(row).toHaveTextContent('Yann Leroy');
    await expect.element(row).toHaveTextContent('enregistrée');
    // The same key for another member is refused, with the owner's name.
    await keys.getByRole('combobox', { name: 'Membre' }).selectOptions('Camille Rousseau');
    await keys.getByRole('textbox', { name: /Clé publique \(PEM\)/ }).fill(key.pem);
    await keys.getByRole('button', { name: 'Enregistrer la clé' }).click();
    await expect.element(keys.getByRole('alert')).toHaveTextContent('enregistrée pour un autre membre (Yann Leroy)');
  });

  it('exports a member’s XLSX grid, imports it back (nothing changes), and refuses a signed export without a key', async () => {
    window.location.hash = '#/contributions';
    const screen = await render(<App />);
    const exportSection = screen.getByRole('region', { name: 'Exporter mes évaluations' });
    await exportSection.getByRole('combobox', { name: 'Membre' }).selectOptions('Yann Leroy');
    await exportSection.getByRole('button', { name: 'Exporter une grille XLSX' }).click();
    await expect.element(exportSection.getByRole('status').filter({ hasText: 'Grille enregistrée' })).toHaveTextContent(
      /grille_yann-leroy_\d{4}-\d{2}-\d{2}\.xlsx \(\d+ ligne\(s\)\)/,
    );

    const importSection = screen.getByRole('region', { name: 'Importer une contribution' });
    await importSection.getByRole('button', { name: 'Choisir un fichier…' }).click();
    const report = importSection.getByRole('status').filter({ hasText: 'Contribution de Yann Leroy' });
    await expect.element(report).toHaveTextContent(/0 valeur\(s\) appliquée\(s\), \d+ inchangée\(s\), 0 conflit\(s\) à arbitrer/);
    await expect.element(importSection.getByText('Aucun conflit en attente.')).toBeVisible();

    // Camille has no signing key on this machine: the export is refused with the reason.
    await exportSection.getByRole('combobox', { name: 'Membre' }).selectOptions('Camille Rousseau');
    await exportSection.getByLabelText(/Phrase secrète de la clé/).fill('une phrase');
    await exportSection.getByRole('button', { name: 'Exporter mes évaluations' }).click();
    await expect.element(exportSection.getByRole('alert')).toHaveTextContent('Ce membre n’a pas de clé de signature.');
  });

  it('names conflict cells and shows their values as text', () => {
    const t = i18n.getFixedT('fr');
    expect(cellLabel('scores/V1', t)).toBe('Note V1');
    expect(cellLabel('eligibility/E-3', t)).toBe('Éligibilité E-3');
    expect(cellLabel('details/targets.b', t)).toBe('Cible b');
    expect(cellLabel('details/avis', t)).toBe('Avis');
    expect(valueText({ score: 2, justification: 'Ancrage fort' }, t)).toBe('2 — Ancrage fort');
    expect(valueText({ score: null, justification: '' }, t)).toBe('(vide)');
    expect(valueText(true, t)).toBe('oui');
    expect(valueText(['Incubateur', 'CRESS'], t)).toBe('Incubateur, CRESS');
    expect(valueText('favorable', t)).toBe('favorable');
  });
});
