import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ftsQuery, HIGHLIGHT_CLOSE, HIGHLIGHT_OPEN, RANKED_ROWS_LIMIT, searchDossiers, splitHighlights } from '../../../main/core/review/search';
import { freshStore } from './setup';

let cleanup = () => {};
afterEach(() => cleanup());

function store() {
  const s = freshStore();
  cleanup = s.cleanup;
  return s;
}

describe('ftsQuery', () => {
  it('quotes every word so FTS syntax cannot leak through', () => {
    expect(ftsQuery('économie sociale')).toBe('"économie" "sociale" *');
    expect(ftsQuery('a OR b')).toBe('"a" "OR" "b"');
    expect(ftsQuery('  "  ')).toBeNull();
    expect(ftsQuery('dé"but NEAR(x')).toBe('"dé""but" "NEAR(x" *');
  });
});

describe('searchDossiers', () => {
  it('is accent- and case-insensitive and highlights the match', () => {
    const { db } = store();
    const hits = searchDossiers(db, undefined, 'ECONOMIQUE');
    expect(hits.length).toBeGreaterThan(0);
    for (const h of hits) {
      expect(h.snippet).toMatch(new RegExp(`${HIGHLIGHT_OPEN}économique${HIGHLIGHT_CLOSE}`, 'i'));
      expect(Object.keys(h)).toEqual(['dossierId', 'campaignId', 'number', 'project', 'rubric', 'snippet']);
    }
    expect(new Set(hits.map((h) => h.number)).size).toBe(hits.length);
  });

  it('« economie » finds « Économie »; words may sit in different rubrics of one dossier', () => {
    const { db, dossierIds } = store();
    db.prepare("UPDATE dossier_rubrics SET content = 'Pôle d’Économie sociale et solidaire' WHERE dossier_id = ? AND rubric_key = 'implication'").run(
      dossierIds[4],
    );
    expect(searchDossiers(db, 1, 'economie')).toMatchObject([
      { dossierId: dossierIds[4], rubric: 'implication', snippet: `Pôle d’${HIGHLIGHT_OPEN}Économie${HIGHLIGHT_CLOSE} sociale et solidaire` },
    ]);
    // « solidaire » is in the implication rubric, « Parnes » only in the project name.
    expect(searchDossiers(db, 1, 'SOLIDAIRE parnes').map((h) => h.dossierId)).toEqual([dossierIds[4]]);
    expect(searchDossiers(db, 1, 'solidaire beaucourt')).toEqual([]);
  });

  it('finds project and structure names, and nothing for absent words or hostile syntax', () => {
    const { db } = store();
    const hits = searchDossiers(db, 1, 'beaucourt culturelles');
    expect(hits.map((h) => h.number)).toContain(5157673);
    expect(searchDossiers(db, 1, 'zzzqqq')).toEqual([]);
    expect(searchDossiers(db, 2, 'beaucourt')).toEqual([]);
    for (const q of ['"', 'AND', '*', 'body:x', 'NEAR(', '(((', "l'économie"]) expect(() => searchDossiers(db, 1, q)).not.toThrow();
  });

  it('stays in sync with rubric and dossier changes: each changed dossier indexed again once, the index intact', () => {
    const { db, dossierIds } = store();
    // FTS5 compares the index with the text it was given: any stale or missing row fails this.
    const intact = () => db.prepare("INSERT INTO dossier_text (dossier_text) VALUES ('integrity-check')").run();
    const pending = () => db.prepare('SELECT count(*) FROM dossier_text_pending').pluck().get();
    expect(pending()).toBe(0);
    expect(searchDossiers(db, 1, 'serpentaire')).toEqual([]);
    const rubric = db.prepare('UPDATE dossier_rubrics SET content = ? WHERE dossier_id = ? AND rubric_key = ?');
    rubric.run('Un rucher de la Serpentaire', dossierIds[3], 'actions');
    rubric.run('Des ruches partagées', dossierIds[3], 'objectifs');
    // Two rubrics changed, one note with the text indexed before the first change.
    expect(db.prepare('SELECT dossier_id, old_text IS NOT NULL AS had FROM dossier_text_pending').all()).toEqual([{ dossier_id: dossierIds[3], had: 1 }]);
    expect(searchDossiers(db, 1, 'serpentaire')).toMatchObject([{ rubric: 'actions', snippet: `Un rucher de la ${HIGHLIGHT_OPEN}Serpentaire${HIGHLIGHT_CLOSE}` }]);
    expect(searchDossiers(db, 1, 'ruches partagees')).toMatchObject([{ rubric: 'objectifs' }]);
    expect(pending()).toBe(0);
    intact();
    db.prepare("UPDATE dossiers SET project_name = 'PTCE Vélocité' WHERE id = ?").run(dossierIds[2]);
    expect(searchDossiers(db, 1, 'velocite')).toMatchObject([{ project: 'PTCE Vélocité', rubric: 'identification' }]);
    intact();
    db.prepare('DELETE FROM dossiers WHERE id = ?').run(dossierIds[3]);
    expect(searchDossiers(db, 1, 'serpentaire')).toEqual([]);
    intact();
    expect(db.prepare("SELECT count(*) FROM dossier_text WHERE dossier_text MATCH 'rucher'").pluck().get()).toBe(0);
    // A dossier and its rubrics inserted, then searched: indexed once, with all its text.
    const id = Number(
      db
        .prepare(`INSERT INTO dossiers (campaign_id, number, project_name, structure_name, source, raw_json, imported_at) VALUES (1, 7, 'Projet neuf', 'S', 't', '{}', 'now')`)
        .run().lastInsertRowid,
    );
    db.prepare("INSERT INTO dossier_rubrics (dossier_id, rubric_key, label, position, content) VALUES (?, 'actions', 'A', 1, 'Une conserverie')").run(id);
    expect(searchDossiers(db, 1, 'neuf conserverie').map((h) => h.dossierId)).toEqual([id]);
    intact();
  });

  it('a read-only connection searches what is indexed and leaves the notes', () => {
    const { db, path } = store();
    db.prepare("UPDATE dossier_rubrics SET content = 'Un rucher de la Serpentaire' WHERE dossier_id = (SELECT min(id) FROM dossiers) AND rubric_key = 'actions'").run();
    const reader = new Database(path, { readonly: true });
    try {
      expect(searchDossiers(reader, 1, 'serpentaire')).toEqual([]);
    } finally {
      reader.close();
    }
    expect(searchDossiers(db, 1, 'serpentaire')).toHaveLength(1);
  });

  it('splitHighlights returns plain and highlighted parts', () => {
    expect(splitHighlights(`a ${HIGHLIGHT_OPEN}b${HIGHLIGHT_CLOSE} c`)).toEqual([
      { text: 'a ', highlight: false },
      { text: 'b', highlight: true },
      { text: ' c', highlight: false },
    ]);
  });
});

describe('searchDossiers on words present in most dossiers', () => {
  it('switches to dossier order above RANKED_ROWS_LIMIT matching dossiers and still ANDs the words', () => {
    const { db } = store();
    const insert = db.prepare(
      `INSERT INTO dossiers (campaign_id, number, project_name, structure_name, source, raw_json, imported_at)
       VALUES (1, ?, ?, 'S', 'test', '{}', 'now')`,
    );
    const rubric = db.prepare('INSERT INTO dossier_rubrics (dossier_id, rubric_key, label, position, content) VALUES (?, ?, ?, ?, ?)');
    db.transaction(() => {
      for (let i = 0; i < Math.ceil(RANKED_ROWS_LIMIT / 10) + 5; i++) {
        const id = Number(insert.run(900_000 + i, `Projet ${i}`).lastInsertRowid);
        for (let p = 0; p < 10; p++) rubric.run(id, `r${p}`, 'R', p, p === 3 && i % 7 === 0 ? 'tapisserie commune' : 'tapisserie');
      }
    })();
    const all = searchDossiers(db, 1, 'tapisserie');
    expect(all).toHaveLength(50);
    const numbers = all.map((h) => h.number);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    const both = searchDossiers(db, 1, 'tapisserie commune', 500);
    expect(both.length).toBe(Math.floor((Math.ceil(RANKED_ROWS_LIMIT / 10) + 5 - 1) / 7) + 1);
    expect(both.every((h) => (h.number - 900_000) % 7 === 0 && h.snippet.includes(`${HIGHLIGHT_OPEN}commune${HIGHLIGHT_CLOSE}`))).toBe(true);
  });
});
