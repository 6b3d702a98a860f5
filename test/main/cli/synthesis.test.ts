import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { tempDir } from '../../support/tmp';

const ROOT = resolve(__dirname, '../../..');
let dir: { dir: string; cleanup: () => void };
let db: string;

function cli(...args: string[]) {
  const r = spawnSync('npx', ['tsx', 'main/cli/index.ts', '--db', db, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, LANG: 'fr_FR.UTF-8', COMITE_PTCE_CLOCK: '2021-07-09T08:00:00.000Z' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  dir = tempDir();
  db = join(dir.dir, 'store.sqlite');
  expect(cli('demo').code).toBe(0);
  // The committee recommended dossier 5349504 for phase 2 and holds target b.
  const d = new Database(db);
  const campaignId = (d.prepare('SELECT id FROM campaigns').get() as { id: number }).id;
  d.prepare("INSERT INTO meetings (campaign_id, held_on, created_at) VALUES (?, '2021-07-05', '2021-07-05T08:00:00Z')").run(campaignId);
  d.prepare(
    "INSERT INTO committee_decisions (dossier_id, meeting_id, avis, phase2, target_b, decided_at) VALUES ((SELECT id FROM dossiers WHERE number = 5349504), 1, 'favorable', 1, 1, '2021-07-05T09:00:00Z')",
  ).run();
  d.close();
}, 60_000);
afterAll(() => dir.cleanup());

describe('comite-ptce synthesis', () => {
  it('prints the ranking and the phase-2 shortlist', () => {
    const r = cli('synthesis');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Synthèse régionale — .+ \(6 dossiers, total maximum 30\)/);
    expect(r.stdout).toContain('Phase 2 (ordre du comité) : 1. 5349504');
    expect(r.stdout).toContain('Pas encore en séance');
    expect(r.stdout).toMatch(/n° 5349504 {2}consensus — {2}moyenne [\d.]+ {2}médiane [\d.]+ {2}\(\d évaluations\) {2}Favorable/);
  });

  it('--json prints the whole view; --out writes the same XLSX twice for the same clock', async () => {
    const out = join(dir.dir, 'synthese.xlsx');
    const r = cli('synthesis', '--json', '--out', out, '--campaign', '1');
    expect(r.code, r.stderr).toBe(0);
    const v = JSON.parse(r.stdout) as { dossiers: unknown[]; phase2: { number: number }[]; written: { path: string } };
    expect(v.dossiers).toHaveLength(6);
    expect(v.phase2.map((p) => p.number)).toEqual([5349504]);
    expect(v.written.path).toBe(out);
    const first = readFileSync(out);
    expect(cli('synthesis', '--out', out).stdout).toContain(`Synthèse XLSX écrite : ${out}`);
    expect(Buffer.compare(first, readFileSync(out))).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(first as unknown as ArrayBuffer);
    expect(wb.getWorksheet('Phase 2')!.getRow(2).getCell(2).value).toBe(5349504);
  });

  it('refuses an unknown campaign', () => {
    const r = cli('synthesis', '--campaign', '99');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('introuvable');
  });
});
