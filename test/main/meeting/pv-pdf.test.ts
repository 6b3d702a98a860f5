import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectProcesVerbal, type ProcesVerbal } from '../../../main/core/meeting/pv';
import { renderPvPdf } from '../../../main/core/meeting/pv-pdf';
import { tempDir } from '../../support/tmp';
import { meetingStore, runMeeting } from './support';

const RESULTS = resolve('test-results');
const flat = (s: string) => s.replace(/\s+/g, ' ');

let store: ReturnType<typeof meetingStore>;
let pv: ProcesVerbal;
const tmp = tempDir();
beforeAll(() => {
  store = meetingStore();
  const { meetingId } = runMeeting(store);
  pv = collectProcesVerbal(store.db, meetingId);
});
afterAll(() => {
  store.cleanup();
  tmp.cleanup();
});

describe('procès-verbal', () => {
  it('collects attendance, quorum, order, consensus, avis and recusals', () => {
    expect(pv.attendance.map((a) => a.name)).toEqual(['Alice Test', 'Bob Test', 'Carol Test']);
    expect(pv.quorum).toMatchObject({ present: 3, required: 2, met: true });
    expect(pv.correspondent?.name).toBe('Alice Test');
    expect(pv.chair?.name).toBe('Bob Test');
    expect(pv.dossiers.map((d) => d.decision?.avis)).toEqual(['favorable', 'favorable_reserves', 'defavorable']);
    expect(pv.dossiers[2]?.departures).toEqual([
      expect.objectContaining({ name: 'Carol Test', leftAt: '2021-07-05T08:00:00.000Z', returnedAt: '2021-07-05T08:15:00.000Z' }),
    ]);
    expect(pv.dossiers[1]?.criteria.find((c) => c.key === 'V1')).toMatchObject({ spread: 3, divergent: true, consensus: { score: 1 } });
    expect(pv.dossiers.every((d) => d.total.complete)).toBe(true);
    // Targets: the reviews' majority (b yes, c no); on the last dossier the committee recorded b (c stays the reviews').
    expect(pv.dossiers.map((d) => d.targets)).toEqual([
      { b: true, c: false, source: 'reviews' },
      { b: true, c: false, source: 'reviews' },
      { b: true, c: false, source: 'committee' },
    ]);
  });

  it('renders a deterministic PDF with the minutes and the two signature blocks, rasterised to test-results/pv-page-*.png', async () => {
    const pdf = await renderPvPdf(pv, { lang: 'fr' });
    expect(Buffer.compare(pdf, await renderPvPdf(pv, { lang: 'fr' }))).toBe(0);
    const file = join(tmp.dir, 'pv.pdf');
    writeFileSync(file, pdf);
    const text = flat(execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }));
    for (const s of [
      'Procès-verbal de la séance du comité régional',
      'Séance du lundi 5 juillet 2021',
      'Lyon, DREETS, salle 3',
      'ouverte à 09:35, close à 10:15',
      'Quorum : 3 présents pour 2 requis',
      'Carol Test a quitté la salle à 10:00 (conflit d’intérêts) et y est revenu·e à 10:15.',
      'Compétences à démontrer.',
      'Favorable avec réserves',
      'Une objection (Bob Test).',
      'b : oui · c : non (avis du comité)',
      'b : oui · c : non (majorité des évaluations, le comité ne s’étant pas prononcé)',
      'Le correspondant régional de l’ESS',
      'La présidence de séance',
    ])
      expect(text).toContain(s);
    const pages = Number(execFileSync('pdfinfo', [file], { encoding: 'utf8' }).match(/Pages:\s+(\d+)/)?.[1]);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(execFileSync('pdffonts', [file], { encoding: 'utf8' })).toMatch(/Marianne/);
    mkdirSync(RESULTS, { recursive: true });
    for (const f of readdirSync(RESULTS)) if (f.startsWith('pv-page-')) rmSync(join(RESULTS, f));
    execFileSync('pdftoppm', ['-png', '-r', '70', file, join(RESULTS, 'pv-page')]);
    const pngs = readdirSync(RESULTS).filter((f) => f.startsWith('pv-page-') && f.endsWith('.png'));
    expect(pngs.length).toBe(pages);
    for (const png of pngs) expect(readFileSync(join(RESULTS, png)).subarray(1, 4).toString('latin1')).toBe('PNG');
  });
});
