import type { Database } from 'better-sqlite3';
import { AppFailure } from '../../../shared/errors';
import type { AssignmentView, MemberLoad } from '../../../shared/domain/committee';
import { appendAudit, type NewAuditEntry } from '../review/audit';
import { auditActor, type Actor } from './conflicts';

/**
 * Which member reviews which dossier. Assigning and unassigning take many dossiers × many members
 * in one transaction (journaled, one entry per pair that changed). A member with a confirmed
 * conflict on a dossier (a recusal) cannot be assigned to it: `conflict_of_interest`, nothing
 * written. An inactive member cannot be assigned either (`validation`, reason `inactive`).
 */

export function listAssignments(db: Database, campaignId: number): AssignmentView[] {
  return db
    .prepare(
      `SELECT a.dossier_id AS dossierId, a.member_id AS memberId, a.assigned_at AS assignedAt
       FROM assignments a JOIN dossiers d ON d.id = a.dossier_id WHERE d.campaign_id = ? ORDER BY d.number, a.member_id`,
    )
    .all(campaignId) as AssignmentView[];
}

/** Per member (every member, id order): assigned dossiers of the campaign, and how many of those they submitted. */
export function memberLoads(db: Database, campaignId: number): MemberLoad[] {
  return db
    .prepare(
      `SELECT m.id AS memberId,
         (SELECT count(*) FROM assignments a JOIN dossiers d ON d.id = a.dossier_id
            WHERE a.member_id = m.id AND d.campaign_id = @campaignId) AS assigned,
         (SELECT count(*) FROM assignments a JOIN dossiers d ON d.id = a.dossier_id
            JOIN reviews r ON r.dossier_id = a.dossier_id AND r.member_id = a.member_id AND r.status = 'submitted'
            WHERE a.member_id = m.id AND d.campaign_id = @campaignId) AS submitted
       FROM members m ORDER BY m.id`,
    )
    .all({ campaignId }) as MemberLoad[];
}

function checkMembers(db: Database, memberIds: readonly number[]): void {
  const row = db.prepare('SELECT active FROM members WHERE id = ?');
  for (const id of memberIds) {
    const m = row.get(id) as { active: number } | undefined;
    if (!m) throw new AppFailure('not_found', { entity: 'member', id });
    if (m.active !== 1) throw new AppFailure('validation', { reason: 'inactive' });
  }
}

function checkDossiers(db: Database, dossierIds: readonly number[]): void {
  const row = db.prepare('SELECT 1 FROM dossiers WHERE id = ?');
  for (const id of dossierIds) if (!row.get(id)) throw new AppFailure('not_found', { entity: 'dossier', id });
}

const unique = (ids: readonly number[]) => [...new Set(ids)].sort((a, b) => a - b);

/** Assigns every dossier to every member given; returns how many pairs were new. */
export function assign(
  db: Database,
  input: { dossierIds: readonly number[]; memberIds: readonly number[]; actor: Actor; now: Date },
): { added: number } {
  const dossierIds = unique(input.dossierIds);
  const memberIds = unique(input.memberIds);
  return db.transaction(() => {
    checkMembers(db, memberIds);
    checkDossiers(db, dossierIds);
    const recused = db.prepare("SELECT 1 FROM conflicts WHERE member_id = ? AND dossier_id = ? AND status = 'confirmed'");
    for (const d of dossierIds)
      for (const m of memberIds) if (recused.get(m, d)) throw new AppFailure('conflict_of_interest', { member: m, dossier: d });
    const at = input.now.toISOString();
    const insert = db.prepare('INSERT OR IGNORE INTO assignments (dossier_id, member_id, assigned_at) VALUES (?, ?, ?)');
    const audit: NewAuditEntry[] = [];
    const who = auditActor(input.actor);
    for (const d of dossierIds)
      for (const m of memberIds)
        if (insert.run(d, m, at).changes > 0)
          audit.push({ at, ...who, entity: 'assignment', entityId: `${d}/${m}`, dossierId: d, action: 'assign', before: null, after: { memberId: m } });
    appendAudit(db, audit);
    return { added: audit.length };
  }).immediate();
}

/** Removes every (dossier, member) pair given; returns how many existed. Reviews already written stay. */
export function unassign(
  db: Database,
  input: { dossierIds: readonly number[]; memberIds: readonly number[]; actor: Actor; now: Date },
): { removed: number } {
  const dossierIds = unique(input.dossierIds);
  const memberIds = unique(input.memberIds);
  return db.transaction(() => {
    const at = input.now.toISOString();
    const del = db.prepare('DELETE FROM assignments WHERE dossier_id = ? AND member_id = ?');
    const audit: NewAuditEntry[] = [];
    const who = auditActor(input.actor);
    for (const d of dossierIds)
      for (const m of memberIds)
        if (del.run(d, m).changes > 0)
          audit.push({ at, ...who, entity: 'assignment', entityId: `${d}/${m}`, dossierId: d, action: 'unassign', before: { memberId: m }, after: null });
    appendAudit(db, audit);
    return { removed: audit.length };
  }).immediate();
}

/**
 * « Répartir »: completes the campaign's dossiers (or the given ones) to `perDossier` reviewers
 * each, from the given members (default: every active member). For each dossier in number order,
 * the least-loaded eligible members are taken (load = assignments in the campaign; ties by member
 * id), never a member with a conflict on it (confirmed, or proposed and not yet decided) — so the
 * result is deterministic and loads differ by at most one when nothing else constrains them.
 * Existing assignments are kept. Returns the pairs added and the dossiers left short.
 */
export function distribute(
  db: Database,
  input: { campaignId: number; perDossier: number; memberIds?: readonly number[]; dossierIds?: readonly number[]; actor: Actor; now: Date },
): { added: AssignmentView[]; short: number[] } {
  if (!Number.isInteger(input.perDossier) || input.perDossier < 1 || input.perDossier > 20)
    throw new AppFailure('validation', { reason: 'perDossier' });
  return db.transaction(() => {
    const memberIds =
      input.memberIds !== undefined
        ? unique(input.memberIds)
        : (db.prepare('SELECT id FROM members WHERE active = 1 ORDER BY id').all() as { id: number }[]).map((r) => r.id);
    checkMembers(db, memberIds);
    const wanted = input.dossierIds === undefined ? null : new Set(input.dossierIds);
    const dossiers = (
      db.prepare('SELECT id FROM dossiers WHERE campaign_id = ? ORDER BY number').all(input.campaignId) as { id: number }[]
    )
      .map((r) => r.id)
      .filter((id) => wanted === null || wanted.has(id));
    if (wanted !== null && dossiers.length !== wanted.size) throw new AppFailure('not_found', { entity: 'dossier' });
    const load = new Map(memberIds.map((m) => [m, 0]));
    for (const a of listAssignments(db, input.campaignId)) if (load.has(a.memberId)) load.set(a.memberId, load.get(a.memberId)! + 1);
    const assigned = db.prepare('SELECT member_id FROM assignments WHERE dossier_id = ?');
    const conflicted = db.prepare("SELECT member_id FROM conflicts WHERE dossier_id = ? AND status IN ('confirmed', 'proposed')");
    const insert = db.prepare('INSERT INTO assignments (dossier_id, member_id, assigned_at) VALUES (?, ?, ?)');
    const at = input.now.toISOString();
    const who = auditActor(input.actor);
    const audit: NewAuditEntry[] = [];
    const added: AssignmentView[] = [];
    const short: number[] = [];
    for (const d of dossiers) {
      const already = new Set((assigned.all(d) as { member_id: number }[]).map((r) => r.member_id));
      const excluded = new Set((conflicted.all(d) as { member_id: number }[]).map((r) => r.member_id));
      let need = input.perDossier - already.size;
      if (need <= 0) continue;
      const candidates = memberIds
        .filter((m) => !already.has(m) && !excluded.has(m))
        .sort((a, b) => load.get(a)! - load.get(b)! || a - b);
      for (const m of candidates) {
        if (need === 0) break;
        insert.run(d, m, at);
        load.set(m, load.get(m)! + 1);
        added.push({ dossierId: d, memberId: m, assignedAt: at });
        audit.push({ at, ...who, entity: 'assignment', entityId: `${d}/${m}`, dossierId: d, action: 'assign', before: null, after: { memberId: m, auto: true } });
        need--;
      }
      if (need > 0) short.push(d);
    }
    appendAudit(db, audit);
    return { added, short };
  }).immediate();
}
