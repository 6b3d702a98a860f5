import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { writeZip } from '../../support/evil/zip-writer';
import { tempDir } from '../../support/tmp';
import { answerKey, FIXTURES } from '../import/fixtures';

const ROOT = resolve(__dirname, '../../..');
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function cli(db: string, ...args: string[]) {
  const r = spawnSync('npx', ['tsx', 'main/cli/index.ts', '--db', db, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, LANG: 'fr_FR.UTF-8' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('comite-ptce campaign create / import / list', () => {
  it('imports the fixture CSV and prints exactly the report', () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const db = join(dir, 'store.sqlite');
    const created = cli(db, 'campaign', 'create', '--region', '27', '--deadline', '2021-06-23T23:59:59+02:00', '--json');
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ id: 1, regionCode: '27', deadline: '2021-06-23T21:59:59.000Z' });

    const folder = 'ami-2021-bourgogne-franche-comte';
    const csv = join(FIXTURES, folder, 'dossiers_ami-ptce-emergents_2021-07-08_09-30.csv');
    const r = cli(db, 'import', csv, '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Record<string, unknown> & { dossiers: Record<string, unknown>[] };
    expect(Object.keys(report)).toEqual(['created', 'updated', 'unchanged', 'rejected', 'dossiers']);
    expect(report).toMatchObject({ created: 12, updated: 0, unchanged: 0, rejected: [] });
    for (const d of answerKey(folder).dossiers) {
      const got = report.dossiers.find((x) => x.number === d.id)!;
      expect(Object.keys(got)).toEqual(['number', 'region', 'complete', 'onTime', 'status', 'flags']);
      expect(got).toMatchObject({ region: d.region, onTime: !d.late, complete: !d.incomplete });
      expect(['recevable', 'au_fil_de_l_eau', 'irrecevable']).toContain(got.status);
    }

    const refused = cli(db, 'import', join(FIXTURES, folder, 'answer-key.json'));
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('json_not_ds');

    // An ODS workbook: refused with the reason said in words (and its code), nothing written.
    const ods = writeZip(dir, 'dossiers.ods', [
      { name: 'mimetype', data: Buffer.from('application/vnd.oasis.opendocument.spreadsheet'), method: 0 },
      { name: 'content.xml', data: Buffer.from('<office:document-content/>'), method: 0 },
    ]);
    const odsRefused = cli(db, 'import', ods);
    expect(odsRefused.code).toBe(1);
    expect(odsRefused.stderr).toContain('Import refusé');
    expect(odsRefused.stderr).toContain('les classeurs ODS ne sont pas lus : enregistrez-le au format XLSX ou CSV');
    expect(odsRefused.stderr).toContain('(ods_unsupported)');

    const list = cli(db, 'list', '--json');
    expect(list.code).toBe(0);
    expect((JSON.parse(list.stdout) as { campaigns: { dossiers: unknown[] }[] }).campaigns[0]!.dossiers).toHaveLength(12);

    const info = cli(db, 'info');
    expect(info.stdout).toContain('Dossiers: 12');
  });
});
