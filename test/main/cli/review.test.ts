import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { tempDir } from '../../support/tmp';

const ROOT = resolve(__dirname, '../../..');
let dir: { dir: string; cleanup: () => void };
let db: string;

function cli(...args: string[]) {
  const r = spawnSync('npx', ['tsx', 'main/cli/index.ts', '--db', db, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, LANG: 'fr_FR.UTF-8' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  dir = tempDir();
  db = join(dir.dir, 'store.sqlite');
  expect(cli('demo').code).toBe(0);
});
afterAll(() => dir.cleanup());

describe('comite-ptce review show / search / audit verify', () => {
  it('review show prints every member’s review with totals and the divergence', () => {
    const r = cli('review', 'show', '5349504');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Dossier 5349504 — évaluation de Camille Rousseau (correspondant régional) : soumise');
    expect(r.stdout).toContain('Total pondéré : 22 / 30');
    expect(r.stdout).toContain('Yann Leroy (CRESS) : brouillon');
    expect(r.stdout).toContain('Écart entre membres sur : V2 (1–3), O2 (0–3)');

    const json = cli('review', 'show', '5349504', '--member', 'Yann Leroy', '--json');
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as { reviews: { status: string; totals: { total: number }; missing: unknown[] }[] };
    expect(parsed.reviews).toHaveLength(1);
    expect(parsed.reviews[0]).toMatchObject({ status: 'draft', totals: { total: 3 } });
    expect(parsed.reviews[0]!.missing.length).toBeGreaterThan(0);

    const missing = cli('review', 'show', '42');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('introuvable');
    expect(cli('review', 'show', 'abc').code).toBe(2);
  });

  it('search --json gives an array of {number, project, snippet}, accent-insensitive', () => {
    const r = cli('search', 'ECONOMIQUE', '--json');
    expect(r.code).toBe(0);
    const hits = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(hits.length).toBeGreaterThan(0);
    for (const h of hits) {
      expect(Object.keys(h)).toEqual(['number', 'project', 'snippet']);
      expect(String(h.snippet)).toMatch(/⟦économique⟧/i);
    }
    expect(JSON.parse(cli('search', 'introuvablezz', '--json').stdout)).toEqual([]);
    expect(cli('search', '"', 'NEAR(').code).toBe(0);
  });

  it('audit verify exits 0 on the intact chain and 1 once the journal is tampered with', () => {
    const ok = cli('audit', 'verify', '--json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true });
    const raw = new Database(db);
    raw.exec('DROP TRIGGER audit_journal_no_update');
    raw.prepare(`UPDATE audit_journal SET after_json = '{"score":0}' WHERE seq = 10`).run();
    raw.close();
    const bad = cli('audit', 'verify');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('Journal d’audit altéré à l’entrée 10');
  });
});
