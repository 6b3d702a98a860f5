import type { Input } from '../../../../shared/ipc/contract';
import type { ListSortColumn } from '../../../../shared/domain/list';

export type TableFilters = NonNullable<Input<'dossier:table'>['filters']>;
export interface ListState {
  filters: TableFilters;
  query: string;
  sort: { column: ListSortColumn; direction: 'asc' | 'desc' } | null;
}

export const DEFAULT_LIST_STATE: ListState = { filters: {}, query: '', sort: null };

/**
 * Kept in the history entry (react-router's location state), not in a global store: the list's
 * search, filters and sort come back with « Back », and the dossier pages opened from the list
 * carry its current order for their next / previous shortcuts.
 */
export interface ListLocationState {
  list?: ListState;
  order?: number[];
}

function record(value: unknown): Record<string, unknown> | null {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

export function listStateFrom(locationState: unknown): ListState {
  const list = record(record(locationState)?.list);
  if (!list) return DEFAULT_LIST_STATE;
  return {
    filters: (record(list.filters) ?? {}) as TableFilters,
    query: typeof list.query === 'string' ? list.query : '',
    sort: (record(list.sort) as ListState['sort']) ?? null,
  };
}

export function orderFrom(locationState: unknown): number[] | null {
  const order = record(locationState)?.order;
  return Array.isArray(order) && order.every((n) => Number.isSafeInteger(n)) ? (order as number[]) : null;
}
