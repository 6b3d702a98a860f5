import { beforeAll, describe, expect, it } from 'vitest';
import { page } from 'vitest/browser';
import { render } from 'vitest-browser-react';
import { App } from '../../renderer/src/App';
import { cellLabel, valueText } from '../../renderer/src/pages/ContributionsPage';
import { i18n } from '../../renderer/src/i18n';
import axe from 'axe-core';
import { invoke, loadApiShim } from '../support/browser-api';

beforeAll(async () => {
  await page.viewport(1280, 900);
  await loadApiShim();
});

const member = async (name: string) => (await invoke('member:list', {})).find((m) => m.name === name)!;

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
    await expect.poll(() => document.title).toBe('Contributions hors ligne — Comité PTCE');
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

  it('exports a member’s XLSX grid and imports it back (nothing changes)', async () => {
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

    // Expected from Camille: Yann's grid is refused, with the reason.
    await importSection.getByRole('combobox', { name: /Contribution attendue de/ }).selectOptions('Camille Rousseau');
    await importSection.getByRole('button', { name: 'Choisir un fichier…' }).click();
    await expect.element(importSection.getByRole('alert')).toHaveTextContent('Grille XLSX refusée, rien n’a été importé');
    await expect.element(importSection.getByText('cette grille a été exportée pour un autre membre')).toBeVisible();

  });

  it('signs « mes évaluations » with the app’s key protector (no passphrase), and refuses the file when expected from another member', async () => {
    window.location.hash = '#/contributions';
    const screen = await render(<App />);
    const exportSection = screen.getByRole('region', { name: 'Exporter mes évaluations' });
    await exportSection.getByRole('combobox', { name: 'Membre' }).selectOptions('Camille Rousseau');
    // The key is sealed by the app's protector: no passphrase to type.
    await expect.element(exportSection.getByText(/protégée par le trousseau du système/)).toBeVisible();
    expect(exportSection.getByLabelText(/Phrase secrète/).elements()).toHaveLength(0);
    const before = await invoke('contribution:signing', { memberId: (await member('Camille Rousseau')).id });
    await exportSection.getByRole('button', { name: 'Exporter mes évaluations' }).click();
    const done = exportSection.getByRole('status').filter({ hasText: 'Contribution enregistrée' });
    await expect.element(done).toHaveTextContent(/contribution_camille-rousseau_\d{4}-\d{2}-\d{2}\.zip \(\d+ dossier\(s\)\)/);
    const after = await invoke('contribution:signing', { memberId: (await member('Camille Rousseau')).id });
    expect(after.passphrase).toBe(false);
    expect(after.keyFingerprint).toMatch(/^[0-9a-f]{64}$/);
    const groups = after.keyFingerprint!.toUpperCase().match(/.{4}/g)!.join(' ');
    // First export on this machine: the key is created (and its fingerprint shown); afterwards it is reused.
    await expect.element(done).toHaveTextContent(before.keyFingerprint === null ? `Clé de signature créée` : `Signée avec la clé d’empreinte ${groups}`);
    await expect.element(done).toHaveTextContent(groups);

    // Expected from Yann: Camille's file is refused, with the reason.
    const importSection = screen.getByRole('region', { name: 'Importer une contribution' });
    await importSection.getByRole('combobox', { name: /Contribution attendue de/ }).selectOptions('Yann Leroy');
    await importSection.getByRole('button', { name: 'Choisir un fichier…' }).click();
    await expect.element(importSection.getByRole('alert')).toHaveTextContent(
      `Refusé : la clé d’empreinte ${groups} est enregistrée pour un autre membre (Camille Rousseau).`,
    );
    // Expected from Camille: accepted (her own values: nothing changes).
    await importSection.getByRole('combobox', { name: /Contribution attendue de/ }).selectOptions('Camille Rousseau');
    await importSection.getByRole('button', { name: 'Choisir un fichier…' }).click();
    await expect.element(importSection.getByRole('status').filter({ hasText: 'Contribution de Camille Rousseau' })).toHaveTextContent(
      /0 valeur\(s\) appliquée\(s\), \d+ inchangée\(s\), 0 conflit\(s\) à arbitrer/,
    );
  });

  it('settles merge conflicts side by side: one local value kept, one received value taken', async () => {
    const campaign = (await invoke('campaign:list', {})).find((c) => c.name === 'AMI PTCE émergents 2021 — phase 1')!;
    const dossier = (await invoke('dossier:list', { campaignId: campaign.id }))[0]!;
    const expert = await invoke('member:create', { name: `Experte contribution ${Date.now()}`, role: 'expert', organisation: '' });
    const grid = (await invoke('review:get', { dossierId: dossier.id, memberId: expert.id })).grid;
    const [a, b] = grid.sections.flatMap((s) => s.criteria.map((c) => c.key));
    const { min, max } = grid.scale;
    const save = (score: number, note: string) =>
      invoke('review:save', {
        dossierId: dossier.id,
        memberId: expert.id,
        patch: { scores: { [a!]: { score, justification: `${note} ${a}` }, [b!]: { score, justification: `${note} ${b}` } } },
      });
    const exportAndImport = async () => {
      const out = await invoke('contribution:export', { memberId: expert.id, campaignId: campaign.id });
      return invoke('contribution:import', { path: out!.file, expectedMemberId: expert.id });
    };
    // The expert's values as last agreed (exported and imported back: nothing changes).
    await save(min, 'accord');
    expect(await exportAndImport()).toMatchObject({ applied: 0, conflicts: 0 });
    // Changed at the source and re-exported; meanwhile changed here too.
    await save(max, 'reçue');
    const received = await invoke('contribution:export', { memberId: expert.id, campaignId: campaign.id });
    await save(min + 1, 'locale');
    const report = await invoke('contribution:import', { path: received!.file, expectedMemberId: expert.id });
    expect(report).toMatchObject({ applied: 0, conflicts: 2 });

    window.location.hash = '#/contributions';
    const screen = await render(<App />);
    const select = screen.getByRole('combobox', { name: 'Campagne' });
    if (select.elements().length > 0) await select.selectOptions(campaign.name);
    const card = (criterion: string) =>
      screen.getByRole('article').filter({ hasText: expert.name }).filter({ hasText: `Note ${criterion}` });
    await expect.element(card(a!)).toHaveTextContent(`Valeur locale${min + 1} — locale ${a}`);
    await expect.element(card(a!)).toHaveTextContent(`${max} — reçue ${a}`);
    await expect.element(card(b!)).toHaveTextContent(`${max} — reçue ${b}`);

    // No serious or critical accessibility violation with the conflict cards shown.
    const results = await axe.run(screen.getByRole('main').element());
    const bad = results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(bad).toEqual([]);

    await card(a!).getByRole('button', { name: 'Garder la valeur locale' }).click();
    await expect.element(card(a!)).not.toBeInTheDocument();
    await card(b!).getByRole('button', { name: 'Prendre la valeur reçue' }).click();
    await expect.element(card(b!)).not.toBeInTheDocument();

    const stored = (await invoke('review:get', { dossierId: dossier.id, memberId: expert.id })).content.scores;
    expect(stored[a!]).toEqual({ score: min + 1, justification: `locale ${a}` });
    expect(stored[b!]).toEqual({ score: max, justification: `reçue ${b}` });
    expect((await invoke('contribution:conflicts', {})).filter((k) => k.memberName === expert.name)).toEqual([]);
  });

  it('names conflict cells and shows their values as text', () => {
    const t = i18n.getFixedT('fr');
    expect(cellLabel('scores/V1', t)).toBe('Note V1');
    expect(cellLabel('eligibility/E-3', t)).toBe('Éligibilité E-3');
    expect(cellLabel('details/targets.b', t)).toBe('Cible b');
    expect(cellLabel('details/avis', t)).toBe('Avis');
    expect(valueText({ score: 2, justification: 'Ancrage fort' }, t)).toBe('2 — Ancrage fort');
    // Received values come in canonical (sorted) key order: the score still comes first.
    expect(valueText({ justification: 'Ancrage fort', score: 2 }, t)).toBe('2 — Ancrage fort');
    expect(valueText({ note: 'À confirmer', answer: 'oui' }, t)).toBe('oui — À confirmer');
    expect(valueText({ score: null, justification: '' }, t)).toBe('(vide)');
    expect(valueText(true, t)).toBe('oui');
    expect(valueText(['Incubateur', 'CRESS'], t)).toBe('Incubateur, CRESS');
    expect(valueText('favorable', t)).toBe('favorable');
  });
});
