import type { Database } from 'better-sqlite3';
import { AppFailure } from '../../../shared/errors';
import {
  normaliseStructureName,
  sirenOf,
  type ConflictView,
  type DossierConflictState,
  type LinkKind,
} from '../../../shared/domain/committee';
import { appendAudit, type NewAuditEntry } from '../review/audit';

/**
 * Conflicts of interest: one row per (member, dossier). Declared links give 'confirmed'
 * conflicts at once; the data (organisation name or SIREN against the dossier's structure
 * porteuse and partners) gives 'proposed' ones that a person confirms or dismisses with a reason.
 * A 'confirmed' conflict is a recusal. Re-running detection adds only pairs that have no row yet,
 * so a dismissed proposal never comes back and nothing is duplicated. Every decision is journaled.
 */

/** Who makes a change: the active member, and the person at the keyboard when different. */
export interface Actor {
  memberId: number | null;
  keyboardMemberId?: number | null;
}

interface ConflictRow {
  member_id: number;
  dossier_id: number;
  number: number;
  source: 'declared' | 'detected';
  link_id: number | null;
  link_kind: LinkKind | null;
  evidence: string;
  status: 'proposed' | 'confirmed' | 'dismissed';
  reason: string;
  created_at: string;
  decided_at: string | null;
  decided_by: number | null;
}

const SELECT = `SELECT c.member_id, c.dossier_id, d.number, c.source, c.link_id, c.link_kind, c.evidence, c.status, c.reason,
  c.created_at, c.decided_at, c.decided_by FROM conflicts c JOIN dossiers d ON d.id = c.dossier_id`;

const toView = (r: ConflictRow): ConflictView => ({
  memberId: r.member_id,
  dossierId: r.dossier_id,
  dossierNumber: r.number,
  source: r.source,
  linkId: r.link_id,
  linkKind: r.link_kind,
  evidence: r.evidence,
  status: r.status,
  reason: r.reason,
  createdAt: r.created_at,
  decidedAt: r.decided_at,
  decidedBy: r.decided_by,
});

export const auditActor = (actor: Actor) => ({
  memberId: actor.memberId,
  keyboardMemberId: actor.keyboardMemberId != null && actor.keyboardMemberId !== actor.memberId ? actor.keyboardMemberId : null,
});

export function getConflict(db: Database, memberId: number, dossierId: number): ConflictView | undefined {
  const row = db.prepare(`${SELECT} WHERE c.member_id = ? AND c.dossier_id = ?`).get(memberId, dossierId) as ConflictRow | undefined;
  return row && toView(row);
}

/** A campaign's conflicts, by dossier number then member. */
export function listConflicts(db: Database, campaignId: number): ConflictView[] {
  return (db.prepare(`${SELECT} WHERE d.campaign_id = ? ORDER BY d.number, c.member_id`).all(campaignId) as ConflictRow[]).map(toView);
}

export function hasConfirmedConflict(db: Database, memberId: number, dossierId: number): boolean {
  return (
    db.prepare("SELECT 1 FROM conflicts WHERE member_id = ? AND dossier_id = ? AND status = 'confirmed'").get(memberId, dossierId) !==
    undefined
  );
}

/** Throws `conflict_of_interest` when the member is recused from the dossier. */
export function assertNotRecused(db: Database, memberId: number, dossierId: number): void {
  if (hasConfirmedConflict(db, memberId, dossierId)) throw new AppFailure('conflict_of_interest', { member: memberId, dossier: dossierId });
}

/** The member's open conflict on a dossier (proposed: a warning; confirmed: a recusal). */
export function dossierConflictState(db: Database, dossierId: number, memberId: number): DossierConflictState {
  const c = getConflict(db, memberId, dossierId);
  const open = c && c.status !== 'dismissed' ? c : undefined;
  return {
    dossierId,
    memberId,
    status: open ? (open.status as 'proposed' | 'confirmed') : null,
    linkKind: open?.linkKind ?? null,
    evidence: open?.evidence ?? '',
  };
}

/** The dossier ids (of a set, or all) where the member is recused. */
export function recusedDossierIds(db: Database, memberId: number): Set<number> {
  return new Set(
    (db.prepare("SELECT dossier_id FROM conflicts WHERE member_id = ? AND status = 'confirmed'").all(memberId) as { dossier_id: number }[]).map(
      (r) => r.dossier_id,
    ),
  );
}

// ---- Matching ---------------------------------------------------------------------------------

/** What identifies a structure on one side of a match. */
export interface StructureKey {
  name: string;
  siren: string;
}

interface DossierParties {
  id: number;
  campaignId: number;
  /** 'porteur' first, then partners in position order. */
  parties: { role: 'porteur' | 'partenaire'; name: string; normalised: string; siren: string }[];
}

/** Every dossier (optionally of one campaign) with its structure porteuse and partners, normalised. */
export function dossierParties(db: Database, campaignId?: number): DossierParties[] {
  const dossiers = db
    .prepare(`SELECT id, campaign_id, structure_name, siret FROM dossiers ${campaignId === undefined ? '' : 'WHERE campaign_id = ?'} ORDER BY id`)
    .all(...(campaignId === undefined ? [] : [campaignId])) as { id: number; campaign_id: number; structure_name: string; siret: string }[];
  const partners = db
    .prepare(
      `SELECT p.dossier_id, p.name, p.siret FROM dossier_partners p JOIN dossiers d ON d.id = p.dossier_id
       ${campaignId === undefined ? '' : 'WHERE d.campaign_id = ?'} ORDER BY p.dossier_id, p.position`,
    )
    .all(...(campaignId === undefined ? [] : [campaignId])) as { dossier_id: number; name: string; siret: string }[];
  const byDossier = new Map<number, DossierParties>();
  for (const d of dossiers)
    byDossier.set(d.id, {
      id: d.id,
      campaignId: d.campaign_id,
      parties: [{ role: 'porteur', name: d.structure_name, normalised: normaliseStructureName(d.structure_name), siren: sirenOf(d.siret) }],
    });
  for (const p of partners)
    byDossier.get(p.dossier_id)?.parties.push({
      role: 'partenaire',
      name: p.name,
      normalised: normaliseStructureName(p.name),
      siren: sirenOf(p.siret),
    });
  return [...byDossier.values()];
}

/** Shorter normalised names (« ab ») match too much to be proposed. */
const MIN_NAME_LENGTH = 3;

/**
 * The evidence when `key` designates the dossier's structure porteuse or one of its partners:
 * the SIREN (first 9 digits of a SIRET) or the normalised name must be equal. undefined = no match.
 */
export function matchEvidence(key: StructureKey, dossier: DossierParties): string | undefined {
  const siren = sirenOf(key.siren);
  const name = normaliseStructureName(key.name);
  const label = (role: 'porteur' | 'partenaire') => (role === 'porteur' ? 'structure porteuse' : 'partenaire');
  for (const p of dossier.parties) {
    if (siren !== '' && p.siren === siren) return `SIREN ${siren} = ${label(p.role)} « ${p.name} »`;
  }
  if (name.length < MIN_NAME_LENGTH) return undefined;
  for (const p of dossier.parties) {
    if (p.normalised === name) return `« ${key.name} » = ${label(p.role)} « ${p.name} »`;
  }
  return undefined;
}

// ---- Writes -----------------------------------------------------------------------------------

interface Insert {
  memberId: number;
  dossierId: number;
  source: 'declared' | 'detected';
  linkId: number | null;
  linkKind: LinkKind | null;
  evidence: string;
  status: 'proposed' | 'confirmed';
}

/** Inserts conflicts (no row for the pair yet) and their journal entries; returns the new pairs. */
export function insertConflicts(db: Database, rows: Insert[], actor: Actor, now: Date): Insert[] {
  const at = now.toISOString();
  const exists = db.prepare('SELECT status FROM conflicts WHERE member_id = ? AND dossier_id = ?');
  const insert = db.prepare(
    `INSERT INTO conflicts (member_id, dossier_id, source, link_id, link_kind, evidence, status, created_at, decided_at, decided_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const who = auditActor(actor);
  const audit: NewAuditEntry[] = [];
  const added: Insert[] = [];
  for (const r of rows) {
    if (exists.get(r.memberId, r.dossierId) !== undefined) continue;
    const decided = r.status === 'confirmed';
    insert.run(r.memberId, r.dossierId, r.source, r.linkId, r.linkKind, r.evidence, r.status, at, decided ? at : null, decided ? who.memberId : null);
    audit.push({
      at,
      ...who,
      entity: 'conflict',
      entityId: `${r.memberId}/${r.dossierId}`,
      dossierId: r.dossierId,
      action: r.source === 'declared' ? 'declare' : 'propose',
      before: null,
      after: { memberId: r.memberId, source: r.source, linkKind: r.linkKind, evidence: r.evidence, status: r.status },
    });
    added.push(r);
    if (decided) unassignForConflict(db, r.memberId, r.dossierId, audit, at, who);
  }
  appendAudit(db, audit);
  return added;
}

/** A recusal removes the member's assignment to the dossier (journaled). */
export function unassignForConflict(
  db: Database,
  memberId: number,
  dossierId: number,
  audit: NewAuditEntry[],
  at: string,
  who: ReturnType<typeof auditActor>,
): void {
  const removed = db.prepare('DELETE FROM assignments WHERE member_id = ? AND dossier_id = ?').run(memberId, dossierId).changes;
  if (removed > 0)
    audit.push({
      at,
      ...who,
      entity: 'assignment',
      entityId: `${dossierId}/${memberId}`,
      dossierId,
      action: 'unassign',
      before: { memberId },
      after: { reason: 'conflict_of_interest' },
    });
}

/**
 * Runs detection over a campaign: each active member's organisation (name, SIREN) and each of
 * their declared structure links against every dossier's structure porteuse and partners.
 * Organisation matches become 'proposed'; declared-link matches 'confirmed' (source declared).
 * Pairs that already have a row — whatever its status — are left alone.
 */
export function detectConflicts(db: Database, campaignId: number, actor: Actor, now: Date): { added: ConflictView[] } {
  return db.transaction(() => {
    const dossiers = dossierParties(db, campaignId);
    const members = db
      .prepare('SELECT id, organisation, organisation_siren FROM members WHERE active = 1 ORDER BY id')
      .all() as { id: number; organisation: string; organisation_siren: string }[];
    const links = db
      .prepare(
        "SELECT l.id, l.member_id, l.link_kind, l.structure_name, l.siren FROM member_links l JOIN members m ON m.id = l.member_id WHERE m.active = 1 AND (l.structure_name <> '' OR l.siren <> '') ORDER BY l.id",
      )
      .all() as { id: number; member_id: number; link_kind: LinkKind; structure_name: string; siren: string }[];
    const rows: Insert[] = [];
    for (const l of links)
      for (const d of dossiers) {
        const evidence = matchEvidence({ name: l.structure_name, siren: l.siren }, d);
        if (evidence) rows.push({ memberId: l.member_id, dossierId: d.id, source: 'declared', linkId: l.id, linkKind: l.link_kind, evidence, status: 'confirmed' });
      }
    for (const m of members)
      for (const d of dossiers) {
        const evidence = matchEvidence({ name: m.organisation, siren: m.organisation_siren }, d);
        if (evidence) rows.push({ memberId: m.id, dossierId: d.id, source: 'detected', linkId: null, linkKind: null, evidence, status: 'proposed' });
      }
    const added = insertConflicts(db, rows, actor, now);
    return { added: added.map((a) => getConflict(db, a.memberId, a.dossierId)!) };
  }).immediate();
}

/**
 * A person's decision on a conflict: 'confirmed' (recusal: the assignment is removed) or
 * 'dismissed' (a reason is required). A decision can be revised; each one is journaled.
 */
export function decideConflict(
  db: Database,
  input: { memberId: number; dossierId: number; decision: 'confirmed' | 'dismissed'; reason?: string; actor: Actor; now: Date },
): ConflictView {
  const reason = (input.reason ?? '').trim();
  if (input.decision === 'dismissed' && reason === '') throw new AppFailure('validation', { reason: 'reason' });
  if (reason.length > 2000) throw new AppFailure('validation', { reason: 'reason' });
  return db.transaction(() => {
    const before = getConflict(db, input.memberId, input.dossierId);
    if (!before) throw new AppFailure('not_found', { entity: 'conflict' });
    if (before.status === input.decision && before.reason === reason) return before;
    const at = input.now.toISOString();
    const who = auditActor(input.actor);
    db.prepare('UPDATE conflicts SET status = ?, reason = ?, decided_at = ?, decided_by = ? WHERE member_id = ? AND dossier_id = ?').run(
      input.decision,
      reason,
      at,
      who.memberId,
      input.memberId,
      input.dossierId,
    );
    const audit: NewAuditEntry[] = [
      {
        at,
        ...who,
        entity: 'conflict',
        entityId: `${input.memberId}/${input.dossierId}`,
        dossierId: input.dossierId,
        action: input.decision === 'confirmed' ? 'confirm' : 'dismiss',
        before: { status: before.status, reason: before.reason },
        after: { status: input.decision, reason },
      },
    ];
    if (input.decision === 'confirmed') unassignForConflict(db, input.memberId, input.dossierId, audit, at, who);
    appendAudit(db, audit);
    return getConflict(db, input.memberId, input.dossierId)!;
  }).immediate();
}

