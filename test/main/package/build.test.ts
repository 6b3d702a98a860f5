import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { buildPackage, exportPackage } from '../../../main/core/package/build';
import { readZipEntries, verifyPackage } from '../../../main/core/package/verify';
import { neutralise } from '../../../main/core/package/tables';
import { saveReviewPatch } from '../../../main/core/review/reviews';
import type { AvisDocument } from '../../../main/core/package/avis';
import { CLOCK, demoStore } from './support';

let cleanup = () => {};
afterEach(() => cleanup());

describe('package build', () => {
  it('exports the ready dossiers, signed, with a canonical manifest listing every file', async () => {
    const s = demoStore();
    cleanup = s.cleanup;
    const { path, built } = await exportPackage(s.store.db, s.dir, { signer: s.signer, now: () => CLOCK });
    expect(path).toBe(join(s.dir, `avis-ptce_27_${built.manifest.campaign.slug}_2026-06-15.zip`));
    expect(path).toMatch(/avis-ptce_27_[a-z0-9-]+_2026-06-15\.zip$/);
    const names = [...(await readZipEntries(readFileSync(path))).files.keys()];
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(['manifest.json', 'manifest.json.sig', 'SHA256SUMS', 'journal.jsonl', 'synthese.csv', 'synthese.xlsx']));
    const m = built.manifest;
    expect(m.formatVersion).toBe(1);
    expect(m.createdAt).toBe(CLOCK.toISOString());
    expect(m.draft).toBe(false);
    expect(m.dossiers.length).toBeGreaterThan(0);
    expect(m.dossiers.every((d) => d.state === 'ready')).toBe(true);
    expect(m.files.map((f) => f.path)).toEqual(names.filter((n) => !n.startsWith('manifest.json')));
    for (const d of m.dossiers) {
      expect(names).toContain(`avis/${d.number}.json`);
      expect(built.files.get(`avis/${d.number}.pdf`)!.subarray(0, 5).toString()).toBe('%PDF-');
    }
    const manifestText = built.files.get('manifest.json')!.toString('utf8');
    expect(manifestText.endsWith('}\n')).toBe(true);
    expect(Object.keys(JSON.parse(manifestText) as object)).toEqual(Object.keys(JSON.parse(manifestText) as object).sort());
    const avis = JSON.parse(built.files.get(`avis/${m.dossiers[0]!.number}.json`)!.toString('utf8')) as AvisDocument;
    expect(avis.state).toBe('ready');
    expect(avis.scores.some((sc) => sc.status === 'submitted' && sc.total > 0)).toBe(true);
    expect(avis.consensus).toBeNull();
    expect(avis.recusals).toEqual([]);
    expect(avis.avis).not.toBeNull();
    const r = await verifyPackage(path);
    expect(r).toMatchObject({ ok: true, reasons: [], signer: { authenticated: false, name: 'Camille Rousseau' } });
    const pinned = await verifyPackage(path, { pubkeyPem: s.signer.key.publicPem });
    expect(pinned).toMatchObject({ ok: true, signer: { authenticated: true } });
  });

  it('with --dossiers all, marks each dossier with its state and flags the package as draft', async () => {
    const s = demoStore();
    cleanup = s.cleanup;
    const ready = await buildPackage(s.store.db, { signer: s.signer, now: () => CLOCK });
    const all = await buildPackage(s.store.db, { signer: s.signer, now: () => CLOCK, dossiers: 'all' });
    expect(all.manifest.dossiers.length).toBeGreaterThan(ready.manifest.dossiers.length);
    expect(all.manifest.draft).toBe(true);
    expect(all.manifest.dossiers.some((d) => d.state === 'draft')).toBe(true);
    const draft = all.manifest.dossiers.find((d) => d.state === 'draft')!;
    expect((JSON.parse(all.files.get(`avis/${draft.number}.json`)!.toString()) as AvisDocument).state).toBe('draft');
  });

  it('two exports of the same database with the same clock are byte-identical; a changed review changes them', async () => {
    const s = demoStore();
    cleanup = s.cleanup;
    const a = await buildPackage(s.store.db, { signer: s.signer, now: () => CLOCK });
    const b = await buildPackage(s.store.db, { signer: s.signer, now: () => new Date(CLOCK.getTime()) });
    expect(a.zip.equals(b.zip)).toBe(true);
    const dossierId = (s.store.db.prepare('SELECT id FROM dossiers ORDER BY id DESC LIMIT 1').get() as { id: number }).id;
    saveReviewPatch(s.store.db, { dossierId, memberId: s.memberId, patch: { details: { motivation: 'changé' } }, now: CLOCK });
    const c = await buildPackage(s.store.db, { signer: s.signer, now: () => CLOCK });
    expect(c.zip.equals(a.zip)).toBe(false);
  });

  it('zipinfo shows stored entries, a fixed 2000-01-01 date, mode 0644 and no folder entries', async () => {
    const s = demoStore();
    cleanup = s.cleanup;
    const { path } = await exportPackage(s.store.db, join(s.dir, 'p.zip'), { signer: s.signer, now: () => CLOCK });
    const lines = execFileSync('zipinfo', [path]).toString().split('\n').filter((l) => /^[-d]r/.test(l));
    expect(lines.length).toBeGreaterThan(5);
    for (const l of lines) expect(l).toMatch(/^-rw-r--r--.* stor 00-Jan-01 00:00 /);
    execFileSync('unzip', ['-tq', path]);
  });

  it('neutralises formula injection in the CSV and XLSX, keeps computed numbers as numbers', async () => {
    expect(neutralise('=HYPERLINK("x")')).toBe(`'=HYPERLINK("x")`);
    for (const c of ['+', '-', '@', '\t', '\r', '\n']) expect(neutralise(`${c}1`)).toBe(`'${c}1`);
    expect(neutralise('Projet')).toBe('Projet');
    const s = demoStore();
    cleanup = s.cleanup;
    const dossierId = (s.store.db.prepare('SELECT id, number FROM dossiers ORDER BY number LIMIT 1').get() as { id: number }).id;
    s.store.db.prepare('UPDATE dossiers SET project_name = ? WHERE id = ?').run('=cmd|\' /C calc\'!A0', dossierId);
    const built = await buildPackage(s.store.db, { signer: s.signer, now: () => CLOCK, dossiers: 'all' });
    const csv = built.files.get('synthese.csv')!.toString('utf8');
    expect(csv).toContain(`"'=cmd|' /C calc'!A0"`);
    expect(csv).not.toMatch(/(^|;)"?=cmd/m);
    const row = csv.split('\r\n').find((l) => l.includes('calc'))!;
    expect(row).toMatch(/^\d+;/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(built.files.get('synthese.xlsx')! as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('synthese')!;
    let found = false;
    ws.eachRow((r) => {
      r.eachCell((cell) => {
        expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
        if (String(cell.value).includes('calc')) {
          found = true;
          expect(cell.value).toBe(`'=cmd|' /C calc'!A0`);
        }
      });
    });
    expect(found).toBe(true);
    expect(typeof ws.getRow(2).getCell(1).value).toBe('number');
  });

  it('writes atomically: replaces an existing file whole, leaves no temporary file, keeps the old file when building fails', async () => {
    const s = demoStore();
    cleanup = s.cleanup;
    const out = join(s.dir, 'p.zip');
    writeFileSync(out, 'previous package');
    const { built } = await exportPackage(s.store.db, out, { signer: s.signer, now: () => CLOCK });
    const written = readFileSync(out);
    // The streamed file is the in-memory package, and its SHA-256 was computed while writing.
    expect(written.equals((await buildPackage(s.store.db, { signer: s.signer, now: () => CLOCK })).zip)).toBe(true);
    expect(built.sha256).toBe(createHash('sha256').update(written).digest('hex'));
    expect(built.size).toBe(written.length);
    expect(readdirSync(s.dir).filter((f) => f.includes('.tmp'))).toEqual([]);
    const failing = () => Promise.reject(new Error('renderer crashed'));
    await expect(exportPackage(s.store.db, out, { signer: s.signer, now: () => CLOCK, renderPdf: failing })).rejects.toThrow('renderer crashed');
    expect(readFileSync(out).equals(written)).toBe(true);
    await expect(exportPackage(s.store.db, join(s.dir, 'missing', 'p.zip'), { signer: s.signer, now: () => CLOCK })).rejects.toThrow();
    expect(readdirSync(s.dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });
});
