import type { Database } from 'better-sqlite3';
import type { SynthesisView } from '../../../shared/domain/synthesis';
/**
 * The committee's order of the phase-2 shortlist. The new order must list exactly the shortlisted
 * dossiers (no more, no fewer, no repeats: `validation` otherwise). One immediate transaction,
 * journaled as `synthesis.phase2Order` (before → after dossier ids) by the active member.
 */
export declare function reorderPhase2(db: Database, campaignId: number, dossierIds: readonly number[], now: Date): SynthesisView;
