import type { Input } from '../../../../shared/ipc/contract';
import type { ListSortColumn } from '../../../../shared/domain/list';

export type TableFilters = NonNullable<Input<'dossier:table'>['filters']>;
export interface ListState {
  filters: TableFilters;
  query: string;
  sort: { column: ListSortColumn; direction: 'asc' | 'desc' } | null;
}

const ORDER_KEY = (campaignId: number) => `ptce.list.order.${campaignId}`;

/** The list's current order (dossier numbers), kept for the reader's next / previous shortcuts. */
export function rememberOrder(campaignId: number, numbers: number[]): void {
  try {
    sessionStorage.setItem(ORDER_KEY(campaignId), JSON.stringify(numbers));
  } catch {
    // Storage full or unavailable: the reader falls back to the campaign's default order.
  }
}

export function rememberedOrder(campaignId: number): number[] | null {
  try {
    const value = JSON.parse(sessionStorage.getItem(ORDER_KEY(campaignId)) ?? 'null') as unknown;
    return Array.isArray(value) && value.every((n) => Number.isSafeInteger(n)) ? (value as number[]) : null;
  } catch {
    return null;
  }
}
