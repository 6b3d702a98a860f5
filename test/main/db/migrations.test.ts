import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from 'better-sqlite3';
import { join } from 'node:path';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../../main/core/db/migrations';
import { openDatabase, schemaVersion } from '../../../main/core/db/open';
import { tempDir } from '../../support/tmp';

let cleanup = () => {};
afterEach(() => cleanup());

function openAt(version: number): Database {
  const t = tempDir();
  cleanup = t.cleanup;
  return openDatabase(join(t.dir, 'store.sqlite'), { migrations: MIGRATIONS.filter((m) => m.version <= version) });
}

function plan(db: Database, sql: string, ...params: unknown[]): string {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join('\n');
}

function tables(db: Database): { name: string; strict: number }[] {
  return (db.prepare("SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND type = 'table'").all() as {
    name: string;
    strict: number;
  }[]).filter((t) => !t.name.startsWith('sqlite_'));
}

const AT = '2024-01-01T00:00:00.000Z';
function seedCampaign(db: Database): number {
  db.prepare("INSERT INTO grids (id, version, label, document) VALUES ('g', 1, 'G', '{}')").run();
  return Number(
    db
      .prepare(
        `INSERT INTO campaigns (name, ami, wave, phase, region_code, deadline, grid_id, grid_version, created_at)
         VALUES ('c', 'PTCE', 1, 1, '27', ?, 'g', 1, ?)`,
      )
      .run(AT, AT).lastInsertRowid,
  );
}
const insertDossier = (db: Database, campaignId: number, number: number) =>
  db
    .prepare(
      `INSERT INTO dossiers (campaign_id, number, project_name, structure_name, source, raw_json, imported_at)
       VALUES (?, ?, 'p', 's', 'test', '{}', ?)`,
    )
    .run(campaignId, number, AT);

/**
 * One entry per migration: what that migration must guarantee, checked on a database migrated
 * exactly up to it. A new migration adds its case here (the last test fails until it does).
 */
const CASES: Record<number, (db: Database) => void> = {
  1: (db) => {
    expect(tables(db).map((t) => t.name).sort()).toEqual(
      ['attachments', 'campaigns', 'dossier_rubrics', 'dossier_versions', 'dossiers', 'grids', 'members', 'reviews', 'settings'].sort(),
    );
    // Foreign keys are enforced: a dossier of a missing campaign is refused.
    expect(() => insertDossier(db, 999, 1)).toThrow(/FOREIGN KEY/);
    const campaignId = seedCampaign(db);
    insertDossier(db, campaignId, 42);
    // (campaign_id, number) is unique.
    expect(() => insertDossier(db, campaignId, 42)).toThrow(/UNIQUE/);
    // STRICT: a value of the wrong type is refused instead of being stored as text.
    expect(() => insertDossier(db, campaignId, 'quarante-trois' as unknown as number)).toThrow(/cannot store TEXT/);
    // Hot queries use an index, never a full scan.
    expect(plan(db, 'SELECT id FROM dossiers WHERE campaign_id = ? AND number = ?', 1, 42)).toMatch(
      /SEARCH dossiers USING (COVERING )?INDEX sqlite_autoindex_dossiers_1 \(campaign_id=\? AND number=\?\)/,
    );
    expect(plan(db, 'SELECT id FROM dossiers WHERE campaign_id = ?', 1)).toMatch(/SEARCH dossiers USING (COVERING )?INDEX/);
    expect(plan(db, 'SELECT * FROM reviews WHERE member_id = ?', 1)).toMatch(/USING INDEX reviews_by_member/);
    expect(plan(db, 'SELECT * FROM attachments WHERE sha256 = ?', 'x')).toMatch(/USING INDEX attachments_by_sha/);
    expect(plan(db, 'SELECT * FROM dossier_rubrics WHERE dossier_id = ? ORDER BY position', 1)).toMatch(
      /SEARCH dossier_rubrics USING INDEX/,
    );
  },
  2: (db) => {
    const names = tables(db).map((t) => t.name);
    for (const t of ['dossier_findings', 'dossier_partners', 'dossier_avis', 'dossier_declared_files', 'import_runs']) {
      expect(names).toContain(t);
    }
    // Import tables hang off dossiers/campaigns: a row of a missing parent is refused.
    expect(() =>
      db
        .prepare("INSERT INTO import_runs (campaign_id, started_at, files_json, report_json) VALUES (999, ?, '[]', '{}')")
        .run(AT),
    ).toThrow(/FOREIGN KEY/);
  },
  3: (db) => {
    const names = tables(db).map((t) => t.name);
    for (const t of ['review_details', 'review_admissibility', 'review_eligibility', 'review_scores', 'audit_journal']) {
      expect(names).toContain(t);
    }
    // The audit journal is append-only.
    db.prepare(
      `INSERT INTO audit_journal (at, entity, entity_id, action, prev_hash, hash) VALUES (?, 'review', '1', 'create', ?, ?)`,
    ).run(AT, '0'.repeat(64), '1'.repeat(64));
    expect(() => db.prepare("UPDATE audit_journal SET action = 'x'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_journal').run()).toThrow(/append-only/);
    // The search index follows the dossiers, accent- and case-insensitively.
    const campaignId = seedCampaign(db);
    db.prepare(
      `INSERT INTO dossiers (campaign_id, number, project_name, structure_name, source, raw_json, imported_at)
       VALUES (?, 1, 'Pôle Économie', 's', 'test', '{}', ?)`,
    ).run(campaignId, AT);
    expect(db.prepare("SELECT dossier_id FROM dossier_search WHERE dossier_search MATCH 'economie'").all()).toHaveLength(1);
    expect(plan(db, "SELECT id FROM reviews WHERE status = 'submitted'")).toMatch(/USING (COVERING )?INDEX reviews_by_status/);
  },
  4: (db) => {
    expect(tables(db).map((t) => t.name)).toContain('member_keys');
    db.prepare("INSERT INTO members (name, role, created_at) VALUES ('m', 'expert', ?)").run(AT);
    const insert = db.prepare(
      'INSERT INTO member_keys (member_id, public_pem, fingerprint, protected_private, protection, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    // Only a public key PEM is accepted in public_pem; the fingerprint is 64 hex chars; one key per member.
    expect(() => insert.run(1, '-----BEGIN PRIVATE KEY-----', 'a'.repeat(64), Buffer.from('x'), 'p', AT)).toThrow(/CHECK/);
    insert.run(1, '-----BEGIN PUBLIC KEY-----\n', 'a'.repeat(64), Buffer.from('x'), 'p', AT);
    expect(() => insert.run(1, '-----BEGIN PUBLIC KEY-----\n', 'b'.repeat(64), Buffer.from('x'), 'p', AT)).toThrow(/UNIQUE|PRIMARY/);
    expect(() => insert.run(999, '-----BEGIN PUBLIC KEY-----\n', 'c'.repeat(64), Buffer.from('x'), 'p', AT)).toThrow(/FOREIGN KEY/);
  },
  5: (db) => {
    const columns = (db.prepare('SELECT name FROM pragma_table_info(?)').all('reviews') as { name: string }[]).map((c) => c.name);
    expect(columns).toEqual(expect.arrayContaining(['weighted_total', 'eligible_met']));
    insertDossier(db, seedCampaign(db), 1);
    db.prepare("INSERT INTO members (name, role, created_at) VALUES ('m', 'expert', ?)").run(AT);
    expect(() =>
      db.prepare('INSERT INTO reviews (dossier_id, member_id, created_at, updated_at, eligible_met) VALUES (1, 1, ?, ?, -1)').run(AT, AT),
    ).toThrow(/CHECK/);
  },
  6: (db) => {
    const names = tables(db).map((t) => t.name);
    for (const t of ['assignments', 'member_links', 'conflicts']) expect(names).toContain(t);
    insertDossier(db, seedCampaign(db), 1);
    const member = db.prepare("INSERT INTO members (name, role, created_at, organisation_siren) VALUES ('m', 'expert', ?, ?)");
    member.run(AT, '123456789');
    // A SIREN is 9 digits (or a SIRET, 14): anything else is refused.
    expect(() => member.run(AT, '12345678A')).toThrow(/CHECK/);
    // A declared link names a dossier or a structure.
    expect(() =>
      db.prepare("INSERT INTO member_links (member_id, link_kind, created_at) VALUES (1, 'salarie', ?)").run(AT),
    ).toThrow(/CHECK/);
    const conflict = db.prepare(
      'INSERT INTO conflicts (member_id, dossier_id, source, status, reason, created_at) VALUES (1, 1, ?, ?, ?, ?)',
    );
    // Dismissing a detected conflict needs a reason; one row per (member, dossier).
    expect(() => conflict.run('detected', 'dismissed', '', AT)).toThrow(/CHECK/);
    conflict.run('detected', 'proposed', '', AT);
    expect(() => conflict.run('declared', 'confirmed', '', AT)).toThrow(/UNIQUE|PRIMARY/);
    expect(plan(db, "SELECT member_id FROM conflicts WHERE dossier_id = ? AND status = 'confirmed'", 1)).toMatch(
      /USING (COVERING )?INDEX conflicts_by_dossier/,
    );
    expect(plan(db, 'SELECT dossier_id FROM assignments WHERE member_id = ?', 1)).toMatch(
      /USING (COVERING )?INDEX assignments_by_member/,
    );
  },
  7: (db) => {
    const names = tables(db).map((t) => t.name);
    for (const t of ['member_public_keys', 'review_cell_revisions', 'contribution_sync', 'contribution_conflicts', 'contribution_imports'])
      expect(names).toContain(t);
    insertDossier(db, seedCampaign(db), 1);
    db.prepare("INSERT INTO members (name, role, created_at) VALUES ('m', 'expert', ?), ('n', 'cress', ?)").run(AT, AT);
    const key = db.prepare('INSERT INTO member_public_keys (member_id, fingerprint, public_pem, registered_at) VALUES (?, ?, ?, ?)');
    key.run(1, 'a'.repeat(64), '-----BEGIN PUBLIC KEY-----\n', AT);
    // One fingerprint belongs to one member; only lowercase hex fingerprints and public PEMs.
    expect(() => key.run(2, 'a'.repeat(64), '-----BEGIN PUBLIC KEY-----\n', AT)).toThrow(/UNIQUE/);
    expect(() => key.run(2, 'A'.repeat(64), '-----BEGIN PUBLIC KEY-----\n', AT)).toThrow(/CHECK/);
    expect(() => key.run(2, 'b'.repeat(64), '-----BEGIN PRIVATE KEY-----\n', AT)).toThrow(/CHECK/);
    // Cell revisions follow the review tables: a new cell is revision 1, a changed value bumps it, an unchanged write does not.
    db.prepare('INSERT INTO reviews (id, dossier_id, member_id, created_at, updated_at) VALUES (1, 1, 1, ?, ?)').run(AT, AT);
    const rev = (cell: string) =>
      (db.prepare('SELECT revision FROM review_cell_revisions WHERE review_id = 1 AND cell = ?').get(cell) as { revision: number } | undefined)
        ?.revision;
    db.prepare("INSERT INTO review_scores (review_id, criterion_key, score) VALUES (1, 'V1', 2)").run();
    expect(rev('scores/V1')).toBe(1);
    db.prepare("UPDATE review_scores SET score = 3 WHERE criterion_key = 'V1'").run();
    db.prepare("UPDATE review_scores SET score = 3 WHERE criterion_key = 'V1'").run();
    expect(rev('scores/V1')).toBe(2);
    db.prepare("INSERT INTO review_details (review_id, avis) VALUES (1, 'favorable')").run();
    expect([rev('details/avis'), rev('details/motivation')]).toEqual([1, undefined]);
    db.prepare("UPDATE review_details SET motivation = 'x'").run();
    expect([rev('details/avis'), rev('details/motivation')]).toEqual([1, 1]);
    // A resolved conflict names its resolution and date together.
    db.prepare("INSERT INTO contribution_imports (kind, member_id, campaign_id, sha256, imported_at, report_json) VALUES ('xlsx', 1, 1, ?, ?, '{}')")
      .run('c'.repeat(64), AT);
    expect(() =>
      db.prepare(
        `INSERT INTO contribution_conflicts (member_id, dossier_id, cell, local_json, incoming_json, incoming_rev, import_id, created_at, resolution)
         VALUES (1, 1, 'scores/V1', '1', '2', 1, 1, ?, 'local')`,
      ).run(AT),
    ).toThrow(/CHECK/);
  },
  8: (db) => {
    const names = tables(db).map((t) => t.name);
    for (const t of ['meetings', 'meeting_attendance', 'meeting_order', 'meeting_departures', 'consensus_scores', 'committee_decisions'])
      expect(names).toContain(t);
    const campaignId = seedCampaign(db);
    insertDossier(db, campaignId, 1);
    db.prepare("INSERT INTO members (name, role, created_at) VALUES ('m', 'expert', ?)").run(AT);
    const meeting = db.prepare('INSERT INTO meetings (campaign_id, held_on, quorum_rule, quorum_value, created_at) VALUES (?, ?, ?, ?, ?)');
    // The date is a calendar day; a 'fixed' quorum needs its number.
    expect(() => meeting.run(campaignId, '1 juillet', 'majority', null, AT)).toThrow(/CHECK/);
    expect(() => meeting.run(campaignId, '2021-07-01', 'fixed', null, AT)).toThrow(/CHECK/);
    meeting.run(campaignId, '2021-07-01', 'majority', null, AT);
    // One position per dossier and séance.
    const order = db.prepare('INSERT INTO meeting_order (meeting_id, dossier_id, position) VALUES (1, ?, ?)');
    order.run(1, 1);
    insertDossier(db, campaignId, 2);
    expect(() => order.run(2, 1)).toThrow(/UNIQUE/);
    // A member returns after leaving, never before.
    expect(() =>
      db.prepare('INSERT INTO meeting_departures (meeting_id, dossier_id, member_id, left_at, returned_at) VALUES (1, 1, 1, ?, ?)')
        .run('2021-07-01T10:00:00.000Z', '2021-07-01T09:00:00.000Z'),
    ).toThrow(/CHECK/);
    expect(() =>
      db.prepare("INSERT INTO committee_decisions (dossier_id, meeting_id, avis, decided_at) VALUES (1, 1, 'oui', ?)").run(AT),
    ).toThrow(/CHECK/);
    db.prepare("INSERT INTO consensus_scores (dossier_id, criterion_key, score, meeting_id, decided_at) VALUES (1, 'V1', 2, 1, ?)").run(AT);
    expect(() =>
      db.prepare("INSERT INTO consensus_scores (dossier_id, criterion_key, score, meeting_id, decided_at) VALUES (1, 'V1', 3, 1, ?)").run(AT),
    ).toThrow(/UNIQUE|PRIMARY/);
    expect(plan(db, 'SELECT id FROM meetings WHERE campaign_id = ? ORDER BY held_on', 1)).toMatch(/USING (COVERING )?INDEX meetings_by_campaign/);
    expect(plan(db, 'SELECT * FROM consensus_scores WHERE meeting_id = ?', 1)).toMatch(/USING INDEX consensus_scores_by_meeting/);
  },
  9: (db) => {
    const campaignId = seedCampaign(db);
    const dossierId = Number(insertDossier(db, campaignId, 1).lastInsertRowid);
    const rubric = db.prepare('INSERT INTO dossier_rubrics (dossier_id, rubric_key, label, position, content) VALUES (?, ?, ?, ?, ?)');
    rubric.run(dossierId, 'description', 'D', 0, 'Une coopération économique territoriale');
    rubric.run(dossierId, 'actions', 'A', 1, 'Mutualisation des achats');
    const hits = (q: string) =>
      (db.prepare('SELECT rowid FROM dossier_search WHERE dossier_search MATCH ? ORDER BY rowid').all(q) as { rowid: number }[]).map(
        (r) => r.rowid,
      );
    const check = () => db.prepare("INSERT INTO dossier_search (dossier_search) VALUES ('integrity-check')").run();
    // External content: the index keeps no copy of the text (no _content shadow table) and reads it back for snippets.
    expect(tables(db).map((t) => t.name)).not.toContain('dossier_search_content');
    expect(hits('economique')).toEqual([dossierId * 32]);
    expect(db.prepare("SELECT snippet(dossier_search, 2, '[', ']', '…', 4) FROM dossier_search WHERE dossier_search MATCH 'mutualisation'").pluck().get()).toBe(
      '[Mutualisation] des achats',
    );
    expect(hits('"p"')).toEqual([dossierId * 32 + 31]);
    check();
    // Updates and deletes follow: the old words are gone, the new ones found, the index stays consistent.
    db.prepare("UPDATE dossier_rubrics SET content = 'Circuits courts' WHERE dossier_id = ? AND rubric_key = 'actions'").run(dossierId);
    db.prepare("UPDATE dossiers SET project_name = 'Pôle solidaire' WHERE id = ?").run(dossierId);
    expect(hits('mutualisation')).toEqual([]);
    expect(hits('circuits')).toEqual([dossierId * 32 + 1]);
    expect(hits('pole')).toEqual([dossierId * 32 + 31]);
    check();
    db.prepare('DELETE FROM dossiers WHERE id = ?').run(dossierId);
    expect(hits('circuits OR economique OR pole')).toEqual([]);
    check();
    // Fetching one source row by its index id uses the expression indexes, never a scan.
    expect(plan(db, 'SELECT body FROM dossier_search_source WHERE search_id = ?', 32)).toMatch(
      /SEARCH dossier_rubrics USING INDEX dossier_rubrics_by_search_id[\s\S]*SEARCH dossiers USING INDEX dossiers_by_search_id/,
    );
  },
  10: (db) => {
    expect(tables(db).map((t) => t.name)).toContain('dossier_review_stats');
    // The list reads the dossier columns from a covering index, in number order.
    expect(plan(db, 'SELECT id, number, project_name, structure_name, commune, fragile_territories FROM dossiers WHERE campaign_id = ? ORDER BY number', 1)).toMatch(
      /SEARCH dossiers USING COVERING INDEX dossiers_list \(campaign_id=\?\)/,
    );
    // Triggers keep one row per reviewed dossier equal to the aggregate of its reviews.
    const grid = { eligibility: { criteria: [{ key: 'a' }, { key: 'b' }, { key: 'c' }] } }; // majority: 2 of 3
    db.prepare("INSERT INTO grids (id, version, label, document) VALUES ('g', 1, 'G', ?), ('g', 2, 'G', '{}')").run(JSON.stringify(grid));
    db.prepare(
      `INSERT INTO campaigns (name, ami, wave, phase, region_code, deadline, grid_id, grid_version, created_at)
       VALUES ('c', 'PTCE', 1, 1, '27', ?, 'g', 1, ?)`,
    ).run(AT, AT);
    insertDossier(db, 1, 1);
    insertDossier(db, 1, 2);
    db.prepare("INSERT INTO members (name, role, created_at) VALUES ('m', 'expert', ?), ('n', 'cress', ?), ('o', 'expert', ?)").run(AT, AT, AT);
    const stats = () => db.prepare('SELECT * FROM dossier_review_stats ORDER BY dossier_id').all();
    const review = (dossier: number, member: number, status: string, total: number | null, met: number) =>
      Number(
        db
          .prepare('INSERT INTO reviews (dossier_id, member_id, status, created_at, updated_at, weighted_total, eligible_met) VALUES (?, ?, ?, ?, ?, ?, ?)')
          .run(dossier, member, status, AT, AT, total, met).lastInsertRowid,
      );
    const r1 = review(1, 1, 'submitted', 10, 2);
    const r2 = review(1, 2, 'submitted', 5, 1);
    const r3 = review(1, 3, 'draft', 30, 3);
    db.prepare("INSERT INTO review_details (review_id, avis) VALUES (?, 'favorable'), (?, 'favorable_reserves'), (?, 'defavorable')").run(r1, r2, r3);
    expect(stats()).toEqual([
      { dossier_id: 1, review_count: 3, submitted_count: 2, mean_score: 7.5, eligibility: 'divided', avis: 'favorable_reserves' },
    ]);
    db.prepare("UPDATE reviews SET status = 'submitted' WHERE id = ?").run(r3);
    expect(stats()).toEqual([
      { dossier_id: 1, review_count: 3, submitted_count: 3, mean_score: 15, eligibility: 'eligible', avis: 'defavorable' },
    ]);
    db.prepare('UPDATE reviews SET weighted_total = NULL, eligible_met = 0 WHERE id = ?').run(r3);
    db.prepare("UPDATE review_details SET avis = 'favorable' WHERE review_id = ?").run(r3);
    expect(stats()).toEqual([
      { dossier_id: 1, review_count: 3, submitted_count: 3, mean_score: 5, eligibility: 'ineligible', avis: 'favorable' },
    ]);
    // Without r1's avis: favorable_reserves and favorable tie, the more cautious one wins.
    db.prepare('DELETE FROM review_details WHERE review_id = ?').run(r1);
    expect(stats()).toMatchObject([{ avis: 'favorable_reserves' }]);
    // A review moved to another dossier updates both.
    db.prepare('UPDATE reviews SET dossier_id = 2 WHERE id = ?').run(r2);
    expect(stats()).toEqual([
      { dossier_id: 1, review_count: 2, submitted_count: 2, mean_score: 5, eligibility: 'divided', avis: 'favorable' },
      { dossier_id: 2, review_count: 1, submitted_count: 1, mean_score: 5, eligibility: 'ineligible', avis: 'favorable_reserves' },
    ]);
    // The eligibility majority follows the campaign's grid version (none: 1 criterion met suffices).
    db.prepare('UPDATE campaigns SET grid_version = 2 WHERE id = 1').run();
    expect(stats()).toMatchObject([{ eligibility: 'divided' }, { eligibility: 'eligible' }]);
    // Deleting reviews, or their dossier, leaves no row behind.
    db.prepare('DELETE FROM reviews WHERE id = ?').run(r2);
    db.prepare('DELETE FROM dossiers WHERE id = 1').run();
    expect(stats()).toEqual([]);
    expect(db.prepare('SELECT count(*) FROM reviews').pluck().get()).toBe(0);
  },
  11: (db) => {
    expect(tables(db).map((t) => t.name)).toContain('phase2_order');
    const campaignId = seedCampaign(db);
    insertDossier(db, campaignId, 1);
    insertDossier(db, campaignId, 2);
    const put = db.prepare('INSERT INTO phase2_order (campaign_id, dossier_id, position) VALUES (?, ?, ?)');
    put.run(campaignId, 1, 1);
    // One position per dossier and campaign, positions from 1.
    expect(() => put.run(campaignId, 2, 1)).toThrow(/UNIQUE/);
    expect(() => put.run(campaignId, 2, 0)).toThrow(/CHECK/);
    expect(() => put.run(campaignId, 1, 2)).toThrow(/UNIQUE|PRIMARY/);
    // The committee's view of targets b and c: unknown (NULL), yes or no.
    db.prepare('INSERT INTO meetings (campaign_id, held_on, created_at) VALUES (?, ?, ?)').run(campaignId, '2021-07-01', AT);
    const decide = db.prepare('INSERT INTO committee_decisions (dossier_id, meeting_id, target_b, target_c, decided_at) VALUES (?, 1, ?, ?, ?)');
    expect(() => decide.run(1, 2, null, AT)).toThrow(/CHECK/);
    decide.run(1, 1, null, AT);
    expect(db.prepare('SELECT target_b, target_c FROM committee_decisions').get()).toEqual({ target_b: 1, target_c: null });
  },
  12: (db) => {
    const campaignId = seedCampaign(db);
    const rubric = db.prepare('INSERT INTO dossier_rubrics (dossier_id, rubric_key, label, position, content) VALUES (?, ?, ?, ?, ?)');
    const hits = (q: string) =>
      (db.prepare('SELECT rowid FROM dossier_search WHERE dossier_search MATCH ? ORDER BY rowid').all(q) as { rowid: number }[]).map(
        (r) => r.rowid,
      );
    const check = () => db.prepare("INSERT INTO dossier_search (dossier_search) VALUES ('integrity-check')").run();
    const before = Number(insertDossier(db, campaignId, 1).lastInsertRowid);
    rubric.run(before, 'description', 'D', 0, 'Économie circulaire');
    // Without a deferral row the triggers index as before.
    expect(hits('economie')).toEqual([before * 32]);
    // With one, dossiers above its id are left to the caller (written, edited, even deleted: the index never sees them)…
    db.transaction(() => {
      db.prepare('INSERT INTO dossier_search_deferral (id, after_dossier_id) VALUES (1, ?)').run(before);
      const deferred = Number(insertDossier(db, campaignId, 2).lastInsertRowid);
      const dropped = Number(insertDossier(db, campaignId, 3).lastInsertRowid);
      rubric.run(deferred, 'description', 'D', 0, 'Économie sociale');
      rubric.run(dropped, 'description', 'D', 0, 'Économie perdue');
      db.prepare("UPDATE dossier_rubrics SET content = 'Économie solidaire' WHERE dossier_id = ?").run(deferred);
      db.prepare('DELETE FROM dossiers WHERE id = ?').run(dropped);
      // …while the dossiers at or below it are still indexed row by row.
      db.prepare("UPDATE dossier_rubrics SET content = 'Économie territoriale' WHERE dossier_id = ?").run(before);
      expect(hits('economie')).toEqual([before * 32]);
      expect(hits('territoriale')).toEqual([before * 32]);
      expect(hits('solidaire OR perdue')).toEqual([]);
      expect(() => db.prepare('INSERT INTO dossier_search_deferral (id, after_dossier_id) VALUES (2, 0)').run()).toThrow(/CHECK/);
      // The caller then indexes them once, with their final text, and removes the row.
      db.prepare(
        `INSERT INTO dossier_search (rowid, dossier_id, kind, body)
         SELECT search_id, dossier_id, kind, body FROM dossier_search_source WHERE dossier_id > ? ORDER BY search_id`,
      ).run(before);
      db.prepare('DELETE FROM dossier_search_deferral').run();
      expect(hits('economie')).toEqual([before * 32, deferred * 32]);
      expect(hits('solidaire')).toEqual([deferred * 32]);
      expect(hits('perdue')).toEqual([]);
    })();
    check();
    // Afterwards every trigger applies again.
    db.prepare("UPDATE dossier_rubrics SET content = 'Circuits courts' WHERE rubric_key = 'description'").run();
    expect(hits('economie')).toEqual([]);
    expect(hits('circuits').length).toBe(2);
    check();
  },
};

describe('migrations', () => {
  it('are numbered 1..n without gaps and LATEST_SCHEMA_VERSION is the last', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(LATEST_SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('every migration has a case in this file', () => {
    const missing = MIGRATIONS.filter((m) => !CASES[m.version]).map((m) => `${m.version} (${m.name})`);
    expect(missing, 'add a case to CASES in test/main/db/migrations.test.ts for each new migration').toEqual([]);
  });

  for (const m of MIGRATIONS) {
    it(`migration ${m.version} (${m.name}): its guarantees hold and every table is STRICT`, () => {
      const db = openAt(m.version);
      try {
        expect(schemaVersion(db)).toBe(m.version);
        expect(tables(db).filter((t) => t.strict !== 1)).toEqual([]);
        // Also visible in the stored DDL (ordinary tables; FTS virtual/shadow tables cannot be STRICT).
        const ordinary = new Set(tables(db).map((t) => t.name));
        const ddl = (db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table'").all() as { name: string; sql: string }[])
          .filter((t) => ordinary.has(t.name));
        expect(ddl.length).toBe(ordinary.size);
        expect(ddl.filter((t) => !/\)\s*STRICT\s*$/i.test(t.sql)).map((t) => t.name)).toEqual([]);
        CASES[m.version]?.(db);
        expect(db.pragma('foreign_key_check')).toEqual([]);
      } finally {
        db.close();
      }
    });

    if (m.version > 1) {
      it(`migration ${m.version} upgrades a store at version ${m.version - 1} holding data, keeping it`, () => {
        const t = tempDir();
        cleanup = t.cleanup;
        const path = join(t.dir, 'store.sqlite');
        const before = openDatabase(path, { migrations: MIGRATIONS.filter((x) => x.version < m.version) });
        const campaignId = seedCampaign(before);
        insertDossier(before, campaignId, 7);
        before.close();
        const after = openDatabase(path, { migrations: MIGRATIONS.filter((x) => x.version <= m.version) });
        try {
          expect(schemaVersion(after)).toBe(m.version);
          expect(after.prepare('SELECT number FROM dossiers').all()).toEqual([{ number: 7 }]);
          expect(after.pragma('integrity_check', { simple: true })).toBe('ok');
          expect(after.pragma('foreign_key_check')).toEqual([]);
        } finally {
          after.close();
        }
      });
    }
  }

  it('migration 9 indexes the existing text again and keeps the raw row only in its version', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const path = join(t.dir, 'store.sqlite');
    const before = openDatabase(path, { migrations: MIGRATIONS.filter((x) => x.version < 9) });
    const campaignId = seedCampaign(before);
    const raw = '{"content":{"rubrics":{"description":"x"}},"source":{"0":"x"}}';
    for (const number of [1, 2]) {
      const id = Number(
        before
          .prepare(
            `INSERT INTO dossiers (campaign_id, number, project_name, structure_name, source, raw_json, imported_at)
             VALUES (?, ?, 'Pôle', 's', 'test', ?, ?)`,
          )
          .run(campaignId, number, raw, AT).lastInsertRowid,
      );
      before.prepare("INSERT INTO dossier_rubrics (dossier_id, rubric_key, label, position, content) VALUES (?, 'description', 'D', 0, ?)").run(id, `Économie ${number}`);
      // Dossier 2 has no version row (written by hand): its only copy of the raw row is kept.
      if (number === 1) before.prepare('INSERT INTO dossier_versions (dossier_id, version, raw_json, imported_at) VALUES (?, 1, ?, ?)').run(id, raw, AT);
    }
    before.close();
    const after = openDatabase(path, { migrations: MIGRATIONS.filter((x) => x.version <= 9) });
    try {
      expect(after.prepare('SELECT number, raw_json FROM dossiers ORDER BY number').all()).toEqual([
        { number: 1, raw_json: '{}' },
        { number: 2, raw_json: raw },
      ]);
      expect(after.prepare("SELECT count(*) FROM dossier_search WHERE dossier_search MATCH 'economie'").pluck().get()).toBe(2);
      expect(after.prepare("SELECT count(*) FROM dossier_search WHERE dossier_search MATCH 'pole'").pluck().get()).toBe(2);
      after.prepare("INSERT INTO dossier_search (dossier_search) VALUES ('integrity-check')").run();
    } finally {
      after.close();
    }
  });

  it('migration 10 backfills the review stats of the dossiers already reviewed', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const path = join(t.dir, 'store.sqlite');
    const before = openDatabase(path, { migrations: MIGRATIONS.filter((x) => x.version < 10) });
    const campaignId = seedCampaign(before);
    insertDossier(before, campaignId, 7);
    insertDossier(before, campaignId, 8);
    before.prepare("INSERT INTO members (name, role, created_at) VALUES ('m', 'expert', ?), ('n', 'cress', ?)").run(AT, AT);
    before
      .prepare(
        `INSERT INTO reviews (id, dossier_id, member_id, status, created_at, updated_at, weighted_total, eligible_met)
         VALUES (1, 1, 1, 'submitted', ?, ?, 12, 1), (2, 1, 2, 'submitted', ?, ?, 7, 0)`,
      )
      .run(AT, AT, AT, AT);
    before.prepare("INSERT INTO review_details (review_id, avis) VALUES (1, 'favorable'), (2, 'defavorable')").run();
    before.close();
    const after = openDatabase(path, { migrations: MIGRATIONS.filter((x) => x.version <= 10) });
    try {
      // Grid '{}' (no eligibility criteria): 1 criterion met is a majority.
      expect(after.prepare('SELECT * FROM dossier_review_stats').all()).toEqual([
        { dossier_id: 1, review_count: 2, submitted_count: 2, mean_score: 9.5, eligibility: 'divided', avis: 'defavorable' },
      ]);
    } finally {
      after.close();
    }
  });

  it('migration 5 backfills each review’s weighted total and eligible count from its grid version', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const path = join(t.dir, 'store.sqlite');
    const v4 = openDatabase(path, { migrations: MIGRATIONS.filter((x) => x.version <= 4) });
    const grid = { selection: { sections: [{ key: 'V', criteria: [{ key: 'V1', weight: 2 }, { key: 'V2', weight: 1 }] }] } };
    v4.prepare("INSERT INTO grids (id, version, label, document) VALUES ('g', 1, 'G', ?)").run(JSON.stringify(grid));
    v4.prepare(
      `INSERT INTO campaigns (name, ami, wave, phase, region_code, deadline, grid_id, grid_version, created_at)
       VALUES ('c', 'PTCE', 1, 1, '27', ?, 'g', 1, ?)`,
    ).run(AT, AT);
    insertDossier(v4, 1, 7);
    v4.prepare("INSERT INTO members (name, role, created_at) VALUES ('m', 'expert', ?), ('n', 'cress', ?)").run(AT, AT);
    v4.prepare('INSERT INTO reviews (id, dossier_id, member_id, created_at, updated_at) VALUES (1, 1, 1, ?, ?), (2, 1, 2, ?, ?)')
      .run(AT, AT, AT, AT);
    // Review 1: V1 = 3 (×2), V2 = 1 (×1), an unknown key (weight 0), one unscored; 2 criteria met of 3.
    v4.prepare("INSERT INTO review_scores (review_id, criterion_key, score) VALUES (1, 'V1', 3), (1, 'V2', 1), (1, 'X', 2), (1, 'E1', NULL)").run();
    v4.prepare(
      "INSERT INTO review_eligibility (review_id, criterion_key, answer) VALUES (1, 'c1', 'oui'), (1, 'c2', 'en_perspective'), (1, 'c3', 'non')",
    ).run();
    v4.close();
    const v5 = openDatabase(path, { migrations: MIGRATIONS.filter((x) => x.version <= 5) });
    try {
      expect(v5.prepare('SELECT id, weighted_total, eligible_met FROM reviews ORDER BY id').all()).toEqual([
        { id: 1, weighted_total: 7, eligible_met: 2 },
        { id: 2, weighted_total: null, eligible_met: 0 },
      ]);
    } finally {
      v5.close();
    }
  });
});
