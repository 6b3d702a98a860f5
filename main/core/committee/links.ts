import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import { AppFailure } from '../../../shared/errors';
import { LINK_KIND_LIST, normaliseSiren, type ConflictView, type LinkKind, type MemberLinkView } from '../../../shared/domain/committee';
import { appendAudit, type NewAuditEntry } from '../review/audit';
import { requireMember } from '../review/members';
import { auditActor, dossierParties, getConflict, insertConflicts, matchEvidence, unassignForConflict, type Actor } from './conflicts';

/**
 * Links a member declares (member, employee, board seat, funder, elected office, other) with a
 * structure (name and/or SIREN) or directly with a dossier. Each declaration is journaled and
 * gives 'confirmed' conflicts (source 'declared') on the dossiers it designates; a pair that was
 * already proposed or dismissed is confirmed by the declaration (the member's own word).
 */
export const newLinkSchema = z
  .object({
    memberId: z.number().int().positive(),
    kind: z.enum(LINK_KIND_LIST),
    structureName: z.string().trim().max(300).default(''),
    siren: z.string().max(40).default(''),
    dossierId: z.number().int().positive().nullable().default(null),
    note: z.string().trim().max(2000).default(''),
  })
  .strict();
export type NewLink = z.input<typeof newLinkSchema>;

interface LinkRow {
  id: number;
  member_id: number;
  link_kind: LinkKind;
  structure_name: string;
  siren: string;
  dossier_id: number | null;
  note: string;
  created_at: string;
}
const toView = (r: LinkRow): MemberLinkView => ({
  id: r.id,
  memberId: r.member_id,
  kind: r.link_kind,
  structureName: r.structure_name,
  siren: r.siren,
  dossierId: r.dossier_id,
  note: r.note,
  createdAt: r.created_at,
});

export function listLinks(db: Database): MemberLinkView[] {
  return (db.prepare('SELECT * FROM member_links ORDER BY member_id, id').all() as LinkRow[]).map(toView);
}

export function declareLink(db: Database, input: NewLink, actor: Actor, now: Date): { link: MemberLinkView; conflicts: ConflictView[] } {
  const parsed = newLinkSchema.safeParse(input);
  if (!parsed.success) throw new AppFailure('validation', { reason: parsed.error.issues[0]?.path.join('.') || 'link' });
  const l = parsed.data;
  const siren = normaliseSiren(l.siren);
  if (siren === null) throw new AppFailure('validation', { reason: 'siren' });
  if (l.dossierId === null && l.structureName === '' && siren === '') throw new AppFailure('validation', { reason: 'structure' });
  return db.transaction(() => {
    requireMember(db, l.memberId);
    if (l.dossierId !== null && !db.prepare('SELECT 1 FROM dossiers WHERE id = ?').get(l.dossierId))
      throw new AppFailure('not_found', { entity: 'dossier', id: l.dossierId });
    const at = now.toISOString();
    const id = Number(
      db
        .prepare('INSERT INTO member_links (member_id, link_kind, structure_name, siren, dossier_id, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(l.memberId, l.kind, l.structureName, siren, l.dossierId, l.note, at).lastInsertRowid,
    );
    const who = auditActor(actor);
    appendAudit(db, [
      {
        at,
        ...who,
        entity: 'member_link',
        entityId: String(id),
        dossierId: l.dossierId,
        action: 'declare',
        before: null,
        after: { memberId: l.memberId, kind: l.kind, structureName: l.structureName, siren, dossierId: l.dossierId, note: l.note },
      },
    ]);
    // Designated dossiers: the one named, and every dossier whose porteur or partner matches.
    const targets = new Map<number, string>();
    if (l.dossierId !== null) targets.set(l.dossierId, 'lien déclaré avec le dossier');
    if (l.structureName !== '' || siren !== '')
      for (const d of dossierParties(db)) {
        const evidence = matchEvidence({ name: l.structureName, siren }, d);
        if (evidence && !targets.has(d.id)) targets.set(d.id, evidence);
      }
    const touched: ConflictView[] = [];
    const fresh = [];
    for (const [dossierId, evidence] of targets) {
      const existing = getConflict(db, l.memberId, dossierId);
      if (!existing) {
        fresh.push({ memberId: l.memberId, dossierId, source: 'declared' as const, linkId: id, linkKind: l.kind, evidence, status: 'confirmed' as const });
        continue;
      }
      if (existing.status === 'confirmed') {
        touched.push(existing);
        continue;
      }
      // A proposed or dismissed pair becomes a declared, confirmed one.
      db.prepare(
        "UPDATE conflicts SET source = 'declared', link_id = ?, link_kind = ?, evidence = ?, status = 'confirmed', reason = '', decided_at = ?, decided_by = ? WHERE member_id = ? AND dossier_id = ?",
      ).run(id, l.kind, evidence, at, who.memberId, l.memberId, dossierId);
      const audit: NewAuditEntry[] = [
        {
          at,
          ...who,
          entity: 'conflict',
          entityId: `${l.memberId}/${dossierId}`,
          dossierId,
          action: 'declare',
          before: { status: existing.status, source: existing.source },
          after: { status: 'confirmed', source: 'declared', linkKind: l.kind, evidence },
        },
      ];
      unassignForConflict(db, l.memberId, dossierId, audit, at, who);
      appendAudit(db, audit);
      touched.push(getConflict(db, l.memberId, dossierId)!);
    }
    for (const r of insertConflicts(db, fresh, actor, now)) touched.push(getConflict(db, r.memberId, r.dossierId)!);
    touched.sort((a, b) => a.dossierNumber - b.dossierNumber);
    return { link: toView(db.prepare('SELECT * FROM member_links WHERE id = ?').get(id) as LinkRow), conflicts: touched };
  }).immediate();
}

/**
 * Withdraws a declared link (journaled `member_link / remove`). For each conflict the link gave:
 * - another link of the member still designates the dossier → the conflict stays, now from that link;
 * - the declaration is still its last decision (nobody confirmed or dismissed it since) → the conflict
 *   is removed (`conflict / withdraw`); when the member's organisation matches the dossier, a
 *   proposal comes back, as detection would make it;
 * - otherwise (a person decided on it since) → the decision stands, no longer tied to the link.
 * Assignments removed by the recusal are not restored.
 */
export function removeLink(
  db: Database,
  input: { linkId: number; actor: Actor; now: Date },
): { removed: number; kept: number } {
  return db.transaction(() => {
    const link = db.prepare('SELECT * FROM member_links WHERE id = ?').get(input.linkId) as LinkRow | undefined;
    if (!link) throw new AppFailure('not_found', { entity: 'link', id: input.linkId });
    const at = input.now.toISOString();
    const who = auditActor(input.actor);
    const audit: NewAuditEntry[] = [
      {
        at,
        ...who,
        entity: 'member_link',
        entityId: String(link.id),
        dossierId: link.dossier_id,
        action: 'remove',
        before: {
          memberId: link.member_id,
          kind: link.link_kind,
          structureName: link.structure_name,
          siren: link.siren,
          dossierId: link.dossier_id,
          note: link.note,
        },
        after: null,
      },
    ];
    const conflicts = db
      .prepare('SELECT dossier_id, status, source FROM conflicts WHERE link_id = ? ORDER BY dossier_id')
      .all(link.id) as { dossier_id: number; status: string; source: string }[];
    const others = db.prepare('SELECT * FROM member_links WHERE member_id = ? AND id <> ? ORDER BY id').all(link.member_id, link.id) as LinkRow[];
    const member = db.prepare('SELECT organisation, organisation_siren FROM members WHERE id = ?').get(link.member_id) as {
      organisation: string;
      organisation_siren: string;
    };
    const parties = new Map(dossierParties(db).map((d) => [d.id, d]));
    const relink = db.prepare('UPDATE conflicts SET link_id = ?, link_kind = ?, evidence = ? WHERE member_id = ? AND dossier_id = ?');
    const unlink = db.prepare('UPDATE conflicts SET link_id = NULL WHERE member_id = ? AND dossier_id = ?');
    const remove = db.prepare('DELETE FROM conflicts WHERE member_id = ? AND dossier_id = ?');
    // The last decision on the pair: 'declare' = the declaration stands alone (nobody confirmed or dismissed since).
    const lastDecision = db.prepare(
      "SELECT action FROM audit_journal WHERE dossier_id = ? AND entity = 'conflict' AND entity_id = ? AND action IN ('declare', 'confirm', 'dismiss') ORDER BY seq DESC LIMIT 1",
    );
    const proposals = [];
    let removed = 0;
    let kept = 0;
    for (const c of conflicts) {
      const d = parties.get(c.dossier_id);
      const designates = (l: LinkRow) =>
        l.dossier_id === c.dossier_id
          ? 'lien déclaré avec le dossier'
          : d && (l.structure_name !== '' || l.siren !== '')
            ? matchEvidence({ name: l.structure_name, siren: l.siren }, d)
            : undefined;
      const other = others.map((l) => ({ l, evidence: designates(l) })).find((o) => o.evidence !== undefined);
      const entityId = `${link.member_id}/${c.dossier_id}`;
      if (other) {
        relink.run(other.l.id, other.l.link_kind, other.evidence, link.member_id, c.dossier_id);
        audit.push({ at, ...who, entity: 'conflict', entityId, dossierId: c.dossier_id, action: 'relink', before: { linkId: link.id }, after: { linkId: other.l.id } });
        kept++;
      } else if (c.source === 'declared' && c.status === 'confirmed' && (lastDecision.get(c.dossier_id, entityId) as { action: string } | undefined)?.action === 'declare') {
        remove.run(link.member_id, c.dossier_id);
        audit.push({ at, ...who, entity: 'conflict', entityId, dossierId: c.dossier_id, action: 'withdraw', before: { status: c.status, source: c.source }, after: null });
        removed++;
        const evidence = d && matchEvidence({ name: member.organisation, siren: member.organisation_siren }, d);
        if (evidence)
          proposals.push({ memberId: link.member_id, dossierId: c.dossier_id, source: 'detected' as const, linkId: null, linkKind: null, evidence, status: 'proposed' as const });
      } else {
        unlink.run(link.member_id, c.dossier_id);
        kept++;
      }
    }
    db.prepare('DELETE FROM member_links WHERE id = ?').run(link.id);
    appendAudit(db, audit);
    insertConflicts(db, proposals, input.actor, input.now);
    return { removed, kept };
  }).immediate();
}
