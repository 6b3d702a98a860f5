import type { Database } from 'better-sqlite3';
import { AppFailure } from '../../../shared/errors';
import type { SynthesisView } from '../../../shared/domain/synthesis';
import { appendAudit } from '../review/audit';
import { getActiveMember } from '../review/members';
import { getSynthesis, storedPhase2Order } from './synthesis';

/**
 * The committee's order of the phase-2 shortlist. The new order must list exactly the shortlisted
 * dossiers (no more, no fewer, no repeats: `validation` otherwise). One immediate transaction,
 * journaled as `synthesis.phase2Order` (before → after dossier ids) by the active member.
 */
export function reorderPhase2(db: Database, campaignId: number, dossierIds: readonly number[], now: Date): SynthesisView {
  db.transaction(() => {
    const current = getSynthesis(db, campaignId).phase2.map((p) => p.dossierId);
    const wanted = new Set(current);
    if (new Set(dossierIds).size !== dossierIds.length || dossierIds.length !== current.length || dossierIds.some((id) => !wanted.has(id)))
      throw new AppFailure('validation', { reason: 'phase2Order' });
    const before = storedPhase2Order(db, campaignId);
    if (before.join(',') === dossierIds.join(',')) return;
    db.prepare('DELETE FROM phase2_order WHERE campaign_id = ?').run(campaignId);
    const put = db.prepare('INSERT INTO phase2_order (campaign_id, dossier_id, position) VALUES (?, ?, ?)');
    dossierIds.forEach((id, i) => put.run(campaignId, id, i + 1));
    const actor = getActiveMember(db)?.id ?? null;
    appendAudit(db, [
      {
        at: now.toISOString(),
        memberId: actor,
        keyboardMemberId: actor,
        entity: 'synthesis.phase2Order',
        entityId: String(campaignId),
        dossierId: null,
        action: 'update',
        before,
        after: [...dossierIds],
      },
    ]);
  }).immediate();
  return getSynthesis(db, campaignId);
}
