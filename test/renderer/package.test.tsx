import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-react';
import { App } from '../../renderer/src/App';
import { VerifyReport } from '../../renderer/src/pages/VerifyPackagePage';
import { parseMarkdown } from '../../renderer/src/package/markdown';
import { api, loadApiShim, invoke } from '../support/browser-api';

let campaignId: number;
/** The bridge's store is shared by every browser test file: the active member is put back after. */
let previousActive: number | null = null;

beforeAll(async () => {
  await page.viewport(1400, 900);
  await loadApiShim();
  // The demo campaign (the bridge's store may hold others: the first one created is the demo).
  const campaigns = await invoke('campaign:list', {});
  campaignId = [...campaigns].sort((a, b) => a.id - b.id)[0]!.id;
  previousActive = (await invoke('member:getActive', {})).active?.id ?? null;
  // A signer of our own, so the test does not depend on who else is active.
  await invoke('member:create', { name: `Signataire ${Date.now()}`, role: 'correspondant', organisation: 'DREETS', activate: true });
});

afterAll(async () => {
  if (previousActive !== null) await invoke('member:setActive', { memberId: previousActive, keyboardMemberId: null });
});

describe('« Exporter le paquet » and « Vérifier un paquet »', () => {
  it('lists what is not ready and why, exports with progress, shows the SHA-256; verify accepts the package', async () => {
    const plan = await invoke('package:plan', { campaignId });
    expect(plan.ready).toBeGreaterThan(0);
    const notReady = plan.dossiers.filter((d) => d.state !== 'ready');
    expect(notReady.length).toBeGreaterThan(0);
    expect(plan.signer?.keyFingerprint).toBeNull();

    window.location.hash = `#/campaigns/${campaignId}`;
    const screen = await render(<App />);
    // Reached from the campaign page.
    await userEvent.click(screen.getByRole('link', { name: 'Exporter le paquet' }));
    await expect.element(screen.getByRole('heading', { level: 1, name: 'Exporter le paquet d’avis signé' })).toBeVisible();
    await expect.element(screen.getByText(`Dossiers avec un avis du comité (${plan.ready})`)).toBeVisible();
    const table = screen.getByRole('table');
    await expect.element(table).toHaveTextContent(String(notReady[0]!.number));
    const expectedReasons = notReady.map((d) => (d.reason === 'no_review' ? 'Aucune évaluation commencée' : 'en brouillon, aucune soumise'));
    for (const r of expectedReasons) expect(document.querySelector('table')!.textContent).toContain(r);
    await expect.element(screen.getByText(/elle sera créée à l’export/)).toBeVisible();
    await expect.element(screen.getByText(`Nom proposé : ${plan.defaultFileName}`)).toBeVisible();

    // Keyboard: the radios and the button are reachable and work.
    const ready = document.getElementById('pkg-selection-ready') as HTMLInputElement;
    expect(ready.checked).toBe(true);
    ready.focus();
    await userEvent.keyboard('{ArrowDown}');
    await expect.poll(() => (document.getElementById('pkg-selection-all') as HTMLInputElement).checked).toBe(true);
    await userEvent.keyboard('{ArrowUp}');
    await expect.poll(() => ready.checked).toBe(true);

    // The attachments are an option, off by default.
    const pieces = screen.getByRole('checkbox', { name: /Joindre les pièces des dossiers/ });
    await expect.element(pieces).not.toBeChecked();
    // DSFR draws the box over the label: a person clicks the label.
    await userEvent.click(screen.getByText('Joindre les pièces des dossiers'));
    await expect.element(pieces).toBeChecked();

    const progressSeen: number[] = [];
    const off = api().on('package:progress', (p) => progressSeen.push(p.done));
    const button = screen.getByRole('button', { name: 'Exporter…' });
    (button.element() as HTMLButtonElement).focus();
    await userEvent.keyboard('{Enter}');
    // Three signed PDFs are rendered in the bridge's process: allow it time.
    await expect.poll(() => document.body.textContent, { timeout: 20_000 }).toMatch(/Paquet écrit|Erreur/);
    expect(document.querySelector('[role="alert"]')?.textContent ?? '').toBe('');
    await expect.element(screen.getByText('Paquet écrit')).toBeVisible();
    off();
    expect(document.activeElement?.classList.contains('ptce-outcome')).toBe(true);
    expect(progressSeen.at(-1)).toBe(plan.ready);
    const sha = document.querySelector('[data-testid="package-sha256"]')!.textContent!;
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    await expect.element(screen.getByText(/Clé de signature créée/)).toBeVisible();
    const after = await invoke('package:plan', { campaignId });
    expect(after.signer?.keyFingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(document.body.textContent).toContain(plan.defaultFileName);

    // « Vérifier un paquet » from the header; the scripted dialog answers with the package just saved.
    await userEvent.click(screen.getByRole('link', { name: 'Vérifier un paquet' }).first());
    await expect.element(screen.getByRole('heading', { level: 1, name: 'Vérifier un paquet' })).toBeVisible();
    await userEvent.click(screen.getByRole('button', { name: 'Choisir un paquet…' }));
    await expect.element(screen.getByText('Paquet valide')).toBeVisible();
    const fp = document.querySelector('[data-testid="verify-fingerprint"]')!.textContent!;
    expect(fp.replace(/ /g, '').toLowerCase()).toBe(after.signer!.keyFingerprint);
    expect(fp).toMatch(/^([0-9A-F]{4} ){15}[0-9A-F]{4}$/);
    const facts = document.querySelector('.ptce-facts')!.textContent!;
    expect(facts).toContain(after.signer!.name);
    expect(facts).toContain(`Version du format1`);
    expect(facts).toContain(`Dossiers${plan.ready}`);
    await expect.element(screen.getByText(/Le signataire n’est pas authentifié/)).toBeVisible();

    // A dropped file without the desktop preload: a notice, nothing verified.
    const zone = document.querySelector('[data-testid="verify-dropzone"]')!;
    const dt = new DataTransfer();
    dt.items.add(new File(['PK'], 'paquet.zip', { type: 'application/zip' }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    await expect.element(screen.getByText(/Le dépôt de fichier n’est possible que dans l’application de bureau/)).toBeVisible();
  });

  it('an invalid file: the verdict and the precise translated reason', async () => {
    const plan = await invoke('package:plan', { campaignId });
    // Verify something that is not a package: the store's database, next to the saved packages.
    const exported = await invoke('package:export', { campaignId, dossiers: 'ready' });
    const notAPackage = exported!.path.replace(/[^/\\]+$/, 'store.sqlite');
    const view = (await invoke('package:verify', { path: notAPackage }))!;
    expect(view.ok).toBe(false);
    expect(view.reasons.map((r) => r.code)).toEqual(['zip_unreadable']);
    const screen = await render(<VerifyReport view={view} />);
    await expect.element(screen.getByText('Paquet invalide')).toBeVisible();
    await expect.element(screen.getByRole('alert')).toBeVisible();
    expect(document.querySelector('[data-testid="verify-reasons"]')!.textContent).toBe('archive ZIP illisible');
    expect(document.querySelector('.ptce-facts')!.textContent).toContain('inconnu');
    expect(plan.ready).toBeGreaterThan(0);
  });

  it('the help page shows the shipped documents, as text (no HTML injected)', async () => {
    window.location.hash = '#/';
    const screen = await render(<App />);
    await userEvent.click(screen.getByRole('link', { name: 'Aide' }).first());
    await expect.element(screen.getByRole('heading', { level: 1, name: 'Aide' })).toBeVisible();
    await expect.element(screen.getByRole('heading', { name: /Format du paquet d’avis — version 1/ })).toBeVisible();
    await expect.element(screen.getByRole('heading', { name: /Vérifier un paquet d’avis avec OpenSSL/ })).toBeVisible();
    await expect.element(screen.getByRole('heading', { name: /Séance du comité \(meeting mode\)/ })).toBeVisible();
    await expect.element(screen.getByRole('heading', { name: /Offline contributions: format and merge rules/ })).toBeVisible();
    await expect.element(screen.getByRole('link', { name: 'Séance du comité' })).toBeVisible();
    const pres = [...document.querySelectorAll('.ptce-doc pre')].map((p) => p.textContent ?? '');
    expect(pres.some((p) => p.includes('openssl pkeyutl -verify -pubin -inkey pub.pem -rawin'))).toBe(true);
    expect(pres.some((p) => p.includes('sha256sum -c SHA256SUMS'))).toBe(true);
    expect(document.querySelectorAll('.ptce-doc table').length).toBeGreaterThan(0);

    // Markup in a document stays text.
    const blocks = parseMarkdown('# T <img src=x onerror=alert(1)>\n\nSee <script>x()</script> and `code`.\n');
    expect(blocks).toEqual([
      { kind: 'heading', level: 1, text: 'T <img src=x onerror=alert(1)>' },
      { kind: 'paragraph', text: 'See <script>x()</script> and `code`.' },
    ]);
  });
});
