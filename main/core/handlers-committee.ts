import type { Handlers } from '../../shared/ipc/api';
import { AppFailure } from '../../shared/errors';
import { getCampaign } from './store/campaigns';
import { getSetting } from './store/settings';
import { getActiveMember, listCommitteeMembers, requireMember, updateMember } from './review/members';
import { assign, distribute, listAssignments, memberLoads, unassign } from './committee/assignments';
import { decideConflict, detectConflicts, dossierConflictState, listConflicts, type Actor } from './committee/conflicts';
import { declareLink, listLinks, removeLink } from './committee/links';
import { KEYBOARD_MEMBER_KEY } from './handlers-review';
import type { HandlerContext } from './handlers';

type CommitteeHandlers = Pick<
  Handlers,
  | 'committee:overview'
  | 'committee:updateMember'
  | 'committee:assign'
  | 'committee:unassign'
  | 'committee:distribute'
  | 'committee:declareLink'
  | 'committee:detect'
  | 'committee:decide'
  | 'committee:dossierConflict'
  | 'committee:removeLink'
>;

/**
 * The committee: members, assignments, declared links and conflicts of interest. Every change is
 * attributed to the active member (and the keyboard member when different) in the journal.
 */
export function createCommitteeHandlers(ctx: HandlerContext): CommitteeHandlers {
  const db = () => ctx.store.db;
  const actor = (): Actor => {
    const d = db();
    const keyboard = getSetting(d, KEYBOARD_MEMBER_KEY);
    return { memberId: getActiveMember(d)?.id ?? null, keyboardMemberId: keyboard ? Number(keyboard) : null };
  };
  const requireCampaign = (campaignId: number) => {
    if (!getCampaign(db(), campaignId)) throw new AppFailure('not_found', { entity: 'campaign', id: campaignId });
  };

  return {
    'committee:overview': ({ campaignId }) => {
      requireCampaign(campaignId);
      const d = db();
      const dossiers = d
        .prepare('SELECT id, number, project_name AS projectName, structure_name AS structureName FROM dossiers WHERE campaign_id = ? ORDER BY number')
        .all(campaignId) as { id: number; number: number; projectName: string; structureName: string }[];
      const inCampaign = new Set(dossiers.map((x) => x.id));
      return {
        campaignId,
        members: listCommitteeMembers(d),
        dossiers,
        assignments: listAssignments(d, campaignId),
        loads: memberLoads(d, campaignId),
        links: listLinks(d).filter((l) => l.dossierId === null || inCampaign.has(l.dossierId)),
        conflicts: listConflicts(d, campaignId),
      };
    },
    'committee:updateMember': ({ memberId, ...changes }) => {
      const a = actor();
      const member = updateMember(db(), memberId, changes, { now: ctx.now(), actorId: a.memberId, keyboardMemberId: a.keyboardMemberId });
      ctx.log.info('committee.member_updated', { memberId });
      return member;
    },
    'committee:assign': ({ dossierIds, memberIds }) => {
      const out = assign(db(), { dossierIds, memberIds, actor: actor(), now: ctx.now() });
      ctx.log.info('committee.assigned', { added: out.added });
      return out;
    },
    'committee:unassign': ({ dossierIds, memberIds }) => {
      const out = unassign(db(), { dossierIds, memberIds, actor: actor(), now: ctx.now() });
      ctx.log.info('committee.unassigned', { removed: out.removed });
      return out;
    },
    'committee:distribute': ({ campaignId, perDossier, memberIds, dossierIds }) => {
      requireCampaign(campaignId);
      const out = distribute(db(), { campaignId, perDossier, memberIds, dossierIds, actor: actor(), now: ctx.now() });
      ctx.log.info('committee.distributed', { campaignId, added: out.added.length, short: out.short.length });
      return { added: out.added.length, short: out.short };
    },
    'committee:declareLink': (input) => {
      const out = declareLink(db(), input, actor(), ctx.now());
      ctx.log.info('committee.link_declared', { linkId: out.link.id, conflicts: out.conflicts.length });
      return out;
    },
    'committee:removeLink': ({ linkId }) => {
      const out = removeLink(db(), { linkId, actor: actor(), now: ctx.now() });
      ctx.log.info('committee.link_removed', { linkId, ...out });
      return out;
    },
    'committee:detect': ({ campaignId }) => {
      requireCampaign(campaignId);
      const { added } = detectConflicts(db(), campaignId, actor(), ctx.now());
      ctx.log.info('committee.detected', { campaignId, added: added.length });
      return { added: added.length };
    },
    'committee:decide': ({ memberId, dossierId, decision, reason }) => {
      const out = decideConflict(db(), { memberId, dossierId, decision, reason, actor: actor(), now: ctx.now() });
      ctx.log.info('committee.conflict_decided', { memberId, dossierId, decision });
      return out;
    },
    'committee:dossierConflict': ({ dossierId, memberId }) => {
      requireMember(db(), memberId);
      return dossierConflictState(db(), dossierId, memberId);
    },
  };
}
