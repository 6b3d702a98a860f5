import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { avisDocumentDate, renderAvisPdf } from '../../../../main/core/package/pdf/avis-pdf';
import { tempDir } from '../../../support/tmp';
import { sampleAvis } from './sample';

const RESULTS = resolve('test-results');

function pdfText(pdf: Buffer, dir: string, name: string): string {
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}
const flat = (s: string) => s.replace(/\s+/g, ' ');

/** Share of dark pixels of a grey PGM (P5) image. */
function inkRatio(pgm: Buffer): number {
  const header = pgm.toString('latin1', 0, 64).match(/^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/);
  if (!header) throw new Error('not a PGM');
  const pixels = pgm.subarray(header[0].length);
  let dark = 0;
  for (const p of pixels) if (p < 200) dark++;
  return dark / pixels.length;
}

/** Pixels of a colour PPM (P6) carrying the watermark's pale red tint. */
function pinkPixels(ppm: Buffer): number {
  const header = ppm.toString('latin1', 0, 64).match(/^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/);
  if (!header) throw new Error('not a PPM');
  const px = ppm.subarray(header[0].length);
  let n = 0;
  for (let i = 0; i + 2 < px.length; i += 3) {
    const [r, g, b] = [px[i] ?? 0, px[i + 1] ?? 0, px[i + 2] ?? 0];
    if (r >= 235 && r - g >= 10 && r - b >= 10) n++;
  }
  return n;
}

describe('renderAvisPdf', () => {
  let tmp: { dir: string; cleanup: () => void };
  beforeAll(() => {
    tmp = tempDir();
  });
  afterAll(() => tmp.cleanup());

  it('is deterministic: two renders of the same avis are byte-identical, dated from the avis', async () => {
    const a = await renderAvisPdf(sampleAvis(), { lang: 'fr', place: 'Lyon', signedOn: '2021-07-12' });
    const b = await renderAvisPdf(sampleAvis(), { lang: 'fr', place: 'Lyon', signedOn: '2021-07-12' });
    expect(a.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
    expect(a.equals(b)).toBe(true);
    const raw = a.toString('latin1');
    const file = join(tmp.dir, 'dates.pdf');
    writeFileSync(file, a);
    const info = execFileSync('pdfinfo', ['-isodates', file], { encoding: 'utf8' });
    expect(info).toMatch(/CreationDate:\s+2021-07-08T14:30:00(Z|\+00)/);
    expect(info).toMatch(/ModDate:\s+2021-07-08T14:30:00(Z|\+00)/);
    const id = raw.match(/\/ID \[<([0-9a-f]+)> <([0-9a-f]+)>\]/);
    expect(id?.[1]).toBeTruthy();
    // A different avis gives a different document and trailer ID.
    const other = sampleAvis();
    other.dossier.number = 4218;
    const c = await renderAvisPdf(other, { lang: 'fr', place: 'Lyon', signedOn: '2021-07-12' });
    expect(c.toString('latin1').match(/\/ID \[<([0-9a-f]+)>/)?.[1]).not.toBe(id?.[1]);
  });

  it('dates the document from the latest submission, else the campaign deadline', () => {
    expect(avisDocumentDate(sampleAvis()).toISOString()).toBe('2021-07-08T14:30:00.000Z');
    expect(avisDocumentDate(sampleAvis('draft')).toISOString()).toBe('2021-06-23T21:59:59.000Z');
  });

  it('embeds Marianne and renders every part of the avis, accents and long text intact', async () => {
    const pdf = await renderAvisPdf(sampleAvis(), { lang: 'fr', place: 'Lyon', signedOn: '2021-07-12' });
    const file = join(tmp.dir, 'fonts.pdf');
    writeFileSync(file, pdf);
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
    expect(fonts).toMatch(/Marianne-Bold/);
    expect(fonts).toMatch(/Marianne-Regular/);
    expect(fonts).not.toMatch(/Helvetica/);
    const text = flat(pdfText(pdf, tmp.dir, 'ready'));
    for (const expected of [
      'RÉPUBLIQUE FRANÇAISE',
      'Liberté Égalité Fraternité',
      'Avis du comité régional — AMI PTCE émergents 2021 — phase 1',
      'Comité régional — Auvergne-Rhône-Alpes',
      'Dossier n° 4217',
      'SCIC Ondaine Coopérations',
      'Rubrique trop longue : acteurs',
      'Corrigé',
      '5 / 7 (4 requis) : majorité atteinte',
      'V1 — Crédibilité de la proposition',
      'E2 — Caractère exemplaire',
      'Sous-total — Opérationnalité',
      'Totaux pondérés',
      'Favorable avec réserves',
      'Le comité recommande d’inviter ce dossier',
      'Aucun membre ne s’est récusé.',
      'Fait à Lyon, le 12 juillet 2021',
      'Camille Rousseau Correspondant régional de l’ESS',
      'Signature',
    ])
      expect(text).toContain(expected);
    // The long justification wraps without losing a word; the motivation too.
    expect(text).toContain(flat(sampleAvis().scores[0]?.scores.V3?.justification.trim() ?? 'missing'));
    expect(text).toContain(flat(sampleAvis().motivation));
    // A justification longer than a page is split across pages, continued, and complete.
    const e2 = sampleAvis().scores[0]?.scores.E2?.justification ?? 'missing';
    expect(e2.length).toBeGreaterThan(5000);
    expect(text).toContain(flat(e2.slice(0, 300)));
    expect(text).toContain(flat(e2.slice(-300)));
    const sentence = /mériterait d’être étayée par des engagements écrits\./g;
    const written = sampleAvis()
      .scores.flatMap((s) => Object.values(s.scores).map((e) => e.justification))
      .join(' ');
    expect(text.match(sentence)?.length).toBe(written.match(sentence)?.length);
    expect(text).toContain('Camille Rousseau (suite)');
    const pages = Number(execFileSync('pdfinfo', [file], { encoding: 'utf8' }).match(/Pages:\s+(\d+)/)?.[1]);
    expect(pages).toBeGreaterThan(1);
    expect(text).toContain(`Page 1 / ${pages}`);
    expect(text).toContain(`Page ${pages} / ${pages}`);
    expect(text).not.toContain('BROUILLON');
  });

  it('marks a draft with a BROUILLON watermark on every page and leaves the signature place blank', async () => {
    const pdf = await renderAvisPdf(sampleAvis('draft'), { lang: 'fr' });
    const text = pdfText(pdf, tmp.dir, 'draft');
    // The diagonal watermark comes out of pdftotext in fragments: look for its letters, then its tint.
    expect(flat(text).replace(/[^A-Z]/g, '')).toMatch(/B.*R.*O.*U.*I.*L.*L.*O.*N/);
    execFileSync('pdftoppm', ['-r', '30', join(tmp.dir, 'draft.pdf'), join(tmp.dir, 'tint-draft')]);
    const ready = join(tmp.dir, 'tint-ready.pdf');
    writeFileSync(ready, await renderAvisPdf(sampleAvis(), { lang: 'fr' }));
    execFileSync('pdftoppm', ['-r', '30', '-f', '1', '-l', '1', ready, join(tmp.dir, 'tint-ready')]);
    const tinted = (prefix: string) =>
      readdirSync(tmp.dir)
        .filter((f) => f.startsWith(prefix) && f.endsWith('.ppm'))
        .sort()
        .map((f) => pinkPixels(readFileSync(join(tmp.dir, f))));
    const draftTints = tinted('tint-draft');
    expect(draftTints.length).toBeGreaterThan(1);
    for (const n of draftTints) expect(n).toBeGreaterThan(500);
    expect(tinted('tint-ready')[0]).toBeLessThan(50);
    expect(flat(text)).toContain('Document de travail');
    expect(flat(text)).toContain('Avis non arrêté');
    expect(flat(text)).toContain('Fait à ………………………, le ………………………');
  });

  it('speaks English when asked', async () => {
    const text = flat(pdfText(await renderAvisPdf(sampleAvis('draft'), { lang: 'en' }), tmp.dir, 'en'));
    expect(text).toContain('Regional committee opinion — AMI « PTCE émergents » 2021 — phase 1');
    expect(text.replace(/[^A-Z]/g, '')).toMatch(/D.*R.*A.*F.*T/);
    expect(text).toContain('Weighted totals');
    expect(text).not.toContain('Totaux pondérés');
  });

  it('renders an avis nobody has reviewed yet: empty sections say so, the signer is left blank', async () => {
    const avis = sampleAvis('draft');
    avis.members = [];
    avis.scores = [];
    avis.eligibility.members = [];
    avis.admissibility = { findings: null, decisions: [] };
    const text = flat(pdfText(await renderAvisPdf(avis, { lang: 'fr' }), tmp.dir, 'empty'));
    for (const expected of [
      'Aucun membre n’a évalué ce dossier.',
      'Aucun constat enregistré pour ce dossier.',
      'Aucune décision enregistrée.',
      'Aucune évaluation d’éligibilité.',
      'Aucune notation.',
      'Avis non arrêté',
      'Aucune motivation saisie.',
      'Nom et qualité du signataire',
    ])
      expect(text).toContain(expected);
    expect(text).toMatch(/Page 1 \/ [12] /);
    expect(text).not.toContain('Camille Rousseau');
  });

  it('falls back to Helvetica when the Marianne fonts are missing', async () => {
    const pdf = await renderAvisPdf(sampleAvis(), { lang: 'fr', fontDir: join(tmp.dir, 'no-fonts') });
    const file = join(tmp.dir, 'helvetica.pdf');
    writeFileSync(file, pdf);
    expect(execFileSync('pdffonts', [file], { encoding: 'utf8' })).toMatch(/Helvetica/);
    expect(flat(pdfText(pdf, tmp.dir, 'helvetica'))).toContain('Éligibilité');
  });

  it('rasterises to non-blank pages (saved to test-results/avis-page-*.png)', async () => {
    mkdirSync(RESULTS, { recursive: true });
    for (const f of readdirSync(RESULTS)) if (/^avis-(draft-)?page-/.test(f)) rmSync(join(RESULTS, f));
    for (const state of ['ready', 'draft'] as const) {
      const pdf = await renderAvisPdf(sampleAvis(state), { lang: 'fr', place: 'Lyon', signedOn: state === 'ready' ? '2021-07-12' : undefined });
      const file = join(tmp.dir, `raster-${state}.pdf`);
      writeFileSync(file, pdf);
      const prefix = state === 'ready' ? 'avis-page' : 'avis-draft-page';
      execFileSync('pdftoppm', ['-png', '-r', '60', file, join(RESULTS, prefix)]);
      const pngs = readdirSync(RESULTS).filter((f) => f.startsWith(`${prefix}-`) && f.endsWith('.png'));
      const pages = Number(execFileSync('pdfinfo', [file], { encoding: 'utf8' }).match(/Pages:\s+(\d+)/)?.[1]);
      expect(pngs.length).toBe(pages);
      for (const png of pngs) {
        const bytes = readFileSync(join(RESULTS, png));
        expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
        expect(statSync(join(RESULTS, png)).size).toBeGreaterThan(5000);
      }
      // Pixel check on greyscale renders: every page carries ink, none is a solid block.
      execFileSync('pdftoppm', ['-gray', '-r', '30', file, join(tmp.dir, `gray-${state}`)]);
      const pgms = readdirSync(tmp.dir).filter((f) => f.startsWith(`gray-${state}`));
      expect(pgms.length).toBe(pages);
      for (const pgm of pgms) {
        const ratio = inkRatio(readFileSync(join(tmp.dir, pgm)));
        expect(ratio).toBeGreaterThan(0.005);
        expect(ratio).toBeLessThan(0.5);
      }
    }
  });
});
