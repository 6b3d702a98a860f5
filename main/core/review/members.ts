import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import { AppFailure } from '../../../shared/errors';
import { getSetting, setSetting } from '../store/settings';
import { appendAudit } from './audit';

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
