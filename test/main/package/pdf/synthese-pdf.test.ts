import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderSynthesePdf } from '../../../../main/core/package/pdf/synthese-pdf';
import type { AvisDocument } from '../../../../main/core/package/avis';
import { tempDir } from '../../../support/tmp';
import { sampleAvis } from './sample';

const RESULTS = resolve('test-results');
const tmp = tempDir();
afterAll(() => tmp.cleanup());

const flat = (s: string) => s.replace(/\s+/g, ' ');
function info(pdf: Buffer, name: string): { text: string; pages: number; file: string; fonts: string } {
  const file = join(tmp.dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  return {
    file,
    text: execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }),
    pages: Number(execFileSync('pdfinfo', [file], { encoding: 'utf8' }).match(/Pages:\s+(\d+)/)?.[1]),
    fonts: execFileSync('pdffonts', [file], { encoding: 'utf8' }),
  };
}

/** n dossiers: ready ones (favorable with reservations, phase 2) and drafts, distinct numbers. */
function docs(n: number, drafts = 1): AvisDocument[] {
  return Array.from({ length: n }, (_, i) => {
    const d = sampleAvis(i < n - drafts ? 'ready' : 'draft');
    return { ...d, dossier: { ...d.dossier, number: 5000 + i, project: i === 0 ? d.dossier.project : `PTCE numéro ${i}` } };
  });
}

describe('synthese.pdf', () => {
  it('lists every dossier with its state, total and avis, the totals and a signature box, in Marianne', async () => {
    const pdf = await renderSynthesePdf(docs(3), { lang: 'fr' });
    const r = info(pdf, 'three');
    expect(r.pages).toBe(1);
    expect(r.fonts).toMatch(/Marianne/);
    const text = flat(r.text);
    expect(text).toContain('Synthèse des avis du comité régional');
    for (const n of [5000, 5001, 5002]) expect(text).toContain(String(n));
    expect(text).toContain('Favorable avec réserves');
    expect(text).toContain('Avis non arrêté');
    expect(text).toContain('Brouillon');
    expect(text).toContain('Document de travail');
    expect(text).toContain('3 dossier(s), dont 2 avec un avis du comité');
    expect(text).toContain('Recommandés pour la phase 2 : 2');
    expect(text).toContain('Signature');
    expect(text).toContain('Page 1 / 1');
    // No draft: no warning.
    expect(flat(info(await renderSynthesePdf(docs(2, 0), { lang: 'fr' }), 'ready').text)).not.toContain('Document de travail');
  });

  it('is deterministic, repeats the table header over pages and keeps the signature with the totals', async () => {
    const many = docs(60, 5);
    const a = await renderSynthesePdf(many, { lang: 'fr' });
    const b = await renderSynthesePdf(many, { lang: 'fr' });
    expect(a.equals(b)).toBe(true);
    const r = info(a, 'many');
    expect(r.pages).toBeGreaterThan(1);
    const pages = r.text.split('\f').filter((p) => p.trim() !== '');
    expect(pages).toHaveLength(r.pages);
    for (const p of pages.slice(0, -1)) expect(p).toContain('Structure porteuse');
    const last = flat(pages.at(-1)!);
    expect(last).toContain('Totaux');
    expect(last).toContain('Nom et qualité du signataire');
    expect(last).toContain('60 dossier(s), dont 55 avec un avis du comité');
    expect(flat(r.text)).toContain(`Page ${r.pages} / ${r.pages}`);
  });

  it('rasterises to non-blank pages (saved to test-results/synthese-page-*.png)', async () => {
    mkdirSync(RESULTS, { recursive: true });
    for (const f of readdirSync(RESULTS)) if (/^synthese-page-/.test(f)) rmSync(join(RESULTS, f));
    const r = info(await renderSynthesePdf(docs(8, 2), { lang: 'fr' }), 'raster');
    execFileSync('pdftoppm', ['-png', '-r', '70', r.file, join(RESULTS, 'synthese-page')]);
    const pngs = readdirSync(RESULTS).filter((f) => f.startsWith('synthese-page-') && f.endsWith('.png'));
    expect(pngs.length).toBe(r.pages);
    for (const png of pngs) {
      expect(readFileSync(join(RESULTS, png)).subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(statSync(join(RESULTS, png)).size).toBeGreaterThan(5000);
    }
  });
});
