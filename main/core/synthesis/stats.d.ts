import type { SynthesisStats } from '../../../shared/domain/synthesis';
/** Pure arithmetic of the regional synthesis: summary statistics and the ranking with ex aequo. */
export declare const round3: (n: number) => number;
export declare function median(values: readonly number[]): number | null;
export declare function stats(values: readonly number[]): SynthesisStats;
export interface Rankable {
    number: number;
    consensusTotal: number | null;
    mean: number | null;
}
/**
 * Sorts by consensus total (desc, missing last), then mean of individual totals (desc, missing
 * last), then dossier number (asc). Competition ranking (1, 1, 3): items equal on both totals
 * share a rank and are marked ex aequo; an item with neither total gets no rank.
 */
export declare function rank<T extends Rankable>(items: readonly T[]): (T & {
    rank: number | null;
    exAequo: boolean;
})[];
/** Strict majority of the answers: null without any answer, else true only when yes > half. */
export declare function majority(answers: readonly (boolean | null)[]): boolean | null;
