import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { openDatabase } from '../../../main/core/db/open';
import { seedDemoDossiers } from '../../../main/core/demo';
import { createMember, setActiveMember } from '../../../main/core/review/members';
import { createMemberKey } from '../../../main/core/keys/keys';
import { passphraseProtector } from '../../../main/core/keys/protector';
import { getReview, saveReviewPatch } from '../../../main/core/review/reviews';
import { tempDir } from '../../support/tmp';
import { flip, rezip } from '../package/tamper-support';

const ROOT = resolve(__dirname, '../../..');
const NOW = new Date('2026-06-01T08:00:00.000Z');
let t: ReturnType<typeof tempDir>;
let yDb: string;
let cDb: string;
let firstNumber: number;

function cli(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'main/cli/index.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, LANG: 'fr_FR.UTF-8', COMITE_PTCE_PASSPHRASE: 'cli passphrase', COMITE_PTCE_CLOCK: '2026-06-02T08:00:00.000Z' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  t = tempDir();
  yDb = join(t.dir, 'yann.sqlite');
  cDb = join(t.dir, 'correspondant.sqlite');
  // Yann's laptop: the demo dossiers, his key, two scored dossiers.
  const y = openDatabase(yDb);
  const { campaignId } = seedDemoDossiers(y, NOW);
  const yann = createMember(y, { name: 'Yann Leroy', role: 'cress' }, { now: NOW }).id;
  setActiveMember(y, yann, NOW);
  createMemberKey(y, yann, passphraseProtector('cli passphrase'), NOW);
  const ids = y.prepare('SELECT id, number FROM dossiers WHERE campaign_id = ? ORDER BY number').all(campaignId) as { id: number; number: number }[];
  firstNumber = ids[0]!.number;
  saveReviewPatch(y, { dossierId: ids[0]!.id, memberId: yann, patch: { scores: { V1: { score: 3, justification: 'Fort' }, V2: { score: 2 } } }, now: NOW });
  saveReviewPatch(y, { dossierId: ids[1]!.id, memberId: yann, patch: { details: { avis: 'favorable' } }, now: NOW });
  y.close();
  // The correspondent's machine: same dossiers, Camille at the keyboard, Yann as a member.
  const c = openDatabase(cDb);
  seedDemoDossiers(c, NOW);
  const camille = createMember(c, { name: 'Camille Rousseau', role: 'correspondant' }, { now: NOW }).id;
  createMember(c, { name: 'Yann Leroy', role: 'cress' }, { now: NOW });
  setActiveMember(c, camille, NOW);
  c.close();
});
afterAll(() => t.cleanup());

describe('comite-ptce contribution / key register / grid-xlsx', () => {
  it('exports a signed contribution, refuses it until the key is registered, merges it, and re-importing applies 0', () => {
    const pem = cli(['--db', yDb, 'key', 'show', '--public-pem']);
    expect(pem.code, pem.stderr).toBe(0);
    writeFileSync(join(t.dir, 'yann.pem'), pem.stdout);
    const file = join(t.dir, 'yann.zip');
    const exp = cli(['--db', yDb, 'contribution', 'export', '--member', 'Yann Leroy', '--out', file, '--json']);
    expect(exp.code, exp.stderr).toBe(0);
    expect(JSON.parse(exp.stdout)).toMatchObject({ dossiers: 2 });

    const refused = cli(['--db', cDb, 'contribution', 'import', file, '--json']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('n’est enregistrée pour aucun membre');

    const reg = cli(['--db', cDb, 'key', 'register', '--member', 'yann leroy', '--pem', join(t.dir, 'yann.pem')]);
    expect(reg.code, reg.stderr).toBe(0);
    expect(reg.stdout).toMatch(/Yann Leroy.*([0-9A-F]{4} ){15}[0-9A-F]{4}/);
    // The same key for another member is refused.
    const other = cli(['--db', cDb, 'key', 'register', '--member', 'Camille Rousseau', '--pem', join(t.dir, 'yann.pem')]);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('Yann Leroy');

    const first = cli(['--db', cDb, 'contribution', 'import', file, '--json']);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ applied: 3, unchanged: 0, conflicts: 0, submitted: 0, reopened: 0 });
    const second = cli(['--db', cDb, 'contribution', 'import', file, '--json']);
    expect(JSON.parse(second.stdout)).toMatchObject({ applied: 0, unchanged: 3, conflicts: 0 });
    const text = cli(['--db', cDb, 'contribution', 'import', file]);
    expect(text.stdout).toContain('Contribution de Yann Leroy : 0 appliquée(s), 3 inchangée(s), 0 conflit(s).');
  });

  it('refuses a tampered contribution with a non-zero exit', async () => {
    const file = join(t.dir, 'yann.zip');
    const bad = join(t.dir, 'tampered.zip');
    writeFileSync(bad, await rezip(readFileSync(file), (f) => f.set('contribution.json', flip(f.get('contribution.json')!))));
    const r = cli(['--db', cDb, 'contribution', 'import', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('la signature ne correspond pas');
  });

  it('round-trips the XLSX grid filled with exceljs; a bad score is refused with the cell', async () => {
    const grid = join(t.dir, 'grille.xlsx');
    const exp = cli(['--db', cDb, 'grid-xlsx', 'export', '--member', 'Yann Leroy', '--out', grid, '--json']);
    expect(exp.code, exp.stderr).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(grid);
    const sheet = wb.getWorksheet('Grille')!;
    let row = 0;
    for (let r = 2; r <= sheet.rowCount; r++)
      if (sheet.getRow(r).getCell(1).value === firstNumber && sheet.getRow(r).getCell(3).value === 'V3') row = r;
    sheet.getRow(row).getCell(5).value = 1;
    sheet.getRow(row).getCell(6).value = 'Partenariats à formaliser';
    const filled = join(t.dir, 'rempli.xlsx');
    await wb.xlsx.writeFile(filled);
    sheet.getRow(row).getCell(5).value = 7;
    const bad = join(t.dir, 'faux.xlsx');
    await wb.xlsx.writeFile(bad);

    const refused = cli(['--db', cDb, 'grid-xlsx', 'import', bad, '--json']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('note hors barème');
    expect(refused.stderr).toContain(`E${row}`);
    const ok = cli(['--db', cDb, 'grid-xlsx', 'import', filled, '--member', 'Yann Leroy', '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ applied: 1, conflicts: 0 });
    expect(JSON.parse(cli(['--db', cDb, 'grid-xlsx', 'import', filled, '--json']).stdout)).toMatchObject({ applied: 0 });
    const c = openDatabase(cDb);
    try {
      const yann = (c.prepare("SELECT id FROM members WHERE name = 'Yann Leroy'").get() as { id: number }).id;
      const dossier = (c.prepare('SELECT id FROM dossiers WHERE number = ?').get(firstNumber) as { id: number }).id;
      expect(getReview(c, dossier, yann)!.content.scores).toMatchObject({
        V1: { score: 3, justification: 'Fort' },
        V3: { score: 1, justification: 'Partenariats à formaliser' },
      });
    } finally {
      c.close();
    }
  });
});
