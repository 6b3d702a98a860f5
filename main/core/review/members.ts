import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import { AppFailure } from '../../../shared/errors';
import { getSetting, setSetting } from '../store/settings';
import { appendAudit } from './audit';
import { normaliseSiren, type CommitteeMember } from '../../../shared/domain/committee';

/**
 * Committee members (correspondant régional, CRESS, PTCE compagnon, expert). Several members can
 * work on one machine: the active member (settings key `review.activeMember`) is the person at the
 * keyboard; each write names the member it is for and, when different, the keyboard member.
 */
export const MEMBER_ROLES = ['correspondant', 'cress', 'compagnon', 'expert'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];
export const ACTIVE_MEMBER_KEY = 'review.activeMember';

export interface Member {
  id: number;
  name: string;
  role: MemberRole;
  organisation: string;
}

export const newMemberSchema = z.object({
  name: z.string().trim().min(1).max(200),
  role: z.enum(MEMBER_ROLES),
  organisation: z.string().trim().max(200).default(''),
});
export type NewMember = z.input<typeof newMemberSchema>;

export function listMembers(db: Database): Member[] {
  return db.prepare('SELECT id, name, role, organisation FROM members ORDER BY id').all() as Member[];
}

export function getMember(db: Database, id: number): Member | undefined {
  return db.prepare('SELECT id, name, role, organisation FROM members WHERE id = ?').get(id) as Member | undefined;
}

export function requireMember(db: Database, id: number): Member {
  const m = getMember(db, id);
  if (!m) throw new AppFailure('not_found', { entity: 'member', id });
  return m;
}

/** Creates a member (journaled, attributed to the keyboard member when there is one). */
export function createMember(
  db: Database,
  input: NewMember,
  opts: { now: Date; keyboardMemberId?: number | null },
): Member {
  const parsed = newMemberSchema.safeParse(input);
  if (!parsed.success) throw new AppFailure('validation', { reason: parsed.error.issues[0]?.message ?? 'member' });
  const m = parsed.data;
  return db.transaction(() => {
    const at = opts.now.toISOString();
    const id = Number(
      db
        .prepare('INSERT INTO members (name, role, organisation, created_at) VALUES (?, ?, ?, ?)')
        .run(m.name, m.role, m.organisation, at).lastInsertRowid,
    );
    const member: Member = { id, name: m.name, role: m.role, organisation: m.organisation };
    appendAudit(db, [
      {
        at,
        memberId: id,
        keyboardMemberId: opts.keyboardMemberId != null && opts.keyboardMemberId !== id ? opts.keyboardMemberId : null,
        entity: 'member',
        entityId: String(id),
        dossierId: null,
        action: 'create',
        before: null,
        after: { name: member.name, role: member.role, organisation: member.organisation },
      },
    ]);
    return member;
  }).immediate();
}

interface MemberRow {
  id: number;
  name: string;
  role: MemberRole;
  organisation: string;
  organisation_siren: string;
  active: number;
}
const committeeMember = (r: MemberRow): CommitteeMember => ({
  id: r.id,
  name: r.name,
  role: r.role,
  organisation: r.organisation,
  organisationSiren: r.organisation_siren,
  active: r.active === 1,
});

/** Members with what the committee page needs (organisation SIREN, active flag), in id order. */
export function listCommitteeMembers(db: Database): CommitteeMember[] {
  return (db.prepare('SELECT id, name, role, organisation, organisation_siren, active FROM members ORDER BY id').all() as MemberRow[]).map(
    committeeMember,
  );
}

export function getCommitteeMember(db: Database, id: number): CommitteeMember {
  const row = db.prepare('SELECT id, name, role, organisation, organisation_siren, active FROM members WHERE id = ?').get(id) as
    | MemberRow
    | undefined;
  if (!row) throw new AppFailure('not_found', { entity: 'member', id });
  return committeeMember(row);
}

export const memberUpdateSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    role: z.enum(MEMBER_ROLES).optional(),
    organisation: z.string().trim().max(200).optional(),
    /** SIREN (9 digits) or SIRET (14 digits); spaces allowed; '' clears it. Luhn-checked. */
    organisationSiren: z.string().max(40).optional(),
    active: z.boolean().optional(),
  })
  .strict();
export type MemberUpdate = z.input<typeof memberUpdateSchema>;

/**
 * Changes a member's name, role, organisation, SIREN/SIRET or active flag in one transaction,
 * journaled as before → after (only the changed fields). A SIREN/SIRET must be 9 or 14 digits with
 * a valid Luhn key (`validation`, reason `organisationSiren`).
 */
export function updateMember(
  db: Database,
  memberId: number,
  input: MemberUpdate,
  opts: { now: Date; actorId?: number | null; keyboardMemberId?: number | null },
): CommitteeMember {
  const parsed = memberUpdateSchema.safeParse(input);
  if (!parsed.success) throw new AppFailure('validation', { reason: parsed.error.issues[0]?.path.join('.') || 'member' });
  const u = parsed.data;
  let siren: string | undefined;
  if (u.organisationSiren !== undefined) {
    const s = normaliseSiren(u.organisationSiren);
    if (s === null) throw new AppFailure('validation', { reason: 'organisationSiren' });
    siren = s;
  }
  return db.transaction(() => {
    const before = getCommitteeMember(db, memberId);
    const next: CommitteeMember = {
      ...before,
      ...(u.name !== undefined && { name: u.name }),
      ...(u.role !== undefined && { role: u.role }),
      ...(u.organisation !== undefined && { organisation: u.organisation }),
      ...(siren !== undefined && { organisationSiren: siren }),
      ...(u.active !== undefined && { active: u.active }),
    };
    const changed = (['name', 'role', 'organisation', 'organisationSiren', 'active'] as const).filter((k) => before[k] !== next[k]);
    if (changed.length === 0) return before;
    db.prepare('UPDATE members SET name = ?, role = ?, organisation = ?, organisation_siren = ?, active = ? WHERE id = ?').run(
      next.name,
      next.role,
      next.organisation,
      next.organisationSiren,
      next.active ? 1 : 0,
      memberId,
    );
    const actor = opts.actorId ?? null;
    appendAudit(db, [
      {
        at: opts.now.toISOString(),
        memberId: actor,
        keyboardMemberId: opts.keyboardMemberId != null && opts.keyboardMemberId !== actor ? opts.keyboardMemberId : null,
        entity: 'member',
        entityId: String(memberId),
        dossierId: null,
        action: 'update',
        before: Object.fromEntries(changed.map((k) => [k, before[k]])),
        after: Object.fromEntries(changed.map((k) => [k, next[k]])),
      },
    ]);
    return next;
  }).immediate();
}

export function getActiveMember(db: Database): Member | undefined {
  const value = getSetting(db, ACTIVE_MEMBER_KEY);
  return value ? getMember(db, Number(value)) : undefined;
}

/** Makes `memberId` the person at the keyboard (journaled). */
export function setActiveMember(db: Database, memberId: number, now: Date): Member {
  return db.transaction(() => {
    const member = requireMember(db, memberId);
    const before = getSetting(db, ACTIVE_MEMBER_KEY);
    if (before === String(memberId)) return member;
    setSetting(db, ACTIVE_MEMBER_KEY, String(memberId));
    appendAudit(db, [
      {
        at: now.toISOString(),
        memberId,
        keyboardMemberId: null,
        entity: 'setting',
        entityId: ACTIVE_MEMBER_KEY,
        dossierId: null,
        action: 'update',
        before: before === undefined ? null : Number(before),
        after: memberId,
      },
    ]);
    return member;
  }).immediate();
}
