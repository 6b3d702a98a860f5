import type { Database } from 'better-sqlite3';
import type { SynthesisDossier, SynthesisView } from '../../../shared/domain/synthesis';
import type { Grid } from '../grid';
export declare function synthesisGrid(db: Database, campaignId: number): Grid;
export declare function getSynthesis(db: Database, campaignId: number): SynthesisView;
/** Shortlisted: recommended for phase 2 by the committee and meeting the grid's phase-2 targets (default b and/or c). */
export declare function isShortlisted(grid: Grid, d: Pick<SynthesisDossier, 'committee' | 'targets'>): boolean;
export declare function storedPhase2Order(db: Database, campaignId: number): number[];
