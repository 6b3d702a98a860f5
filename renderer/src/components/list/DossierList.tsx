import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import type { DossierRow, DossierTable, ListSortColumn } from '../../../../shared/domain/list';
import type { AppError } from '../../../../shared/result';
import { Admissibility } from '../Admissibility';
import { ErrorAlert, Loading } from '../Feedback';
import { call, toAppError } from '../../ipc';
import { formatNumber } from '../../format';
import { Highlighted } from './Highlighted';
import { ListFilters } from './ListFilters';
import { listStateFrom, type ListLocationState, type ListState } from './listState';
import './list.css';

const ROW_HEIGHT = 56;
const COLUMNS: { key: ListSortColumn; numeric?: boolean }[] = [
  { key: 'number', numeric: true },
  { key: 'projectName' },
  { key: 'structureName' },
  { key: 'admissibility' },
  { key: 'eligibility' },
  { key: 'myStatus' },
  { key: 'reviewCount', numeric: true },
  { key: 'meanScore', numeric: true },
  { key: 'avis' },
];

/** Loads the table for a list state, keeping the previous rows on screen while the next ones come. */
function useDossierTable(campaignId: number, state: ListState) {
  const [data, setData] = useState<{ table: DossierTable; key: string } | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const key = JSON.stringify({ campaignId, ...state });
  useEffect(() => {
    let live = true;
    const s = JSON.parse(key) as ListState & { campaignId: number };
    call('dossier:table', {
      campaignId,
      filters: s.filters,
      ...(s.query.trim() ? { query: s.query } : {}),
      ...(s.sort ? { sort: s.sort } : {}),
    }).then(
      (table) => {
        if (!live) return;
        setError(null);
        setData({ table, key });
      },
      (e: unknown) => live && setError(toAppError(e)),
    );
    return () => {
      live = false;
    };
  }, [campaignId, key]);
  return { table: data?.table ?? null, stale: data !== null && data.key !== key, error };
}

/**
 * Search snippets of the rows on screen that came without one (main sends the first rows' only):
 * asked once per dossier and search, kept until the search changes.
 */
function useSnippets(campaignId: number, query: string, rows: DossierRow[], visible: number[]): Map<number, string> {
  const [snippets, setSnippets] = useState<{ query: string; byId: Map<number, string> }>({ query, byId: new Map() });
  const asked = useRef<{ query: string; ids: Set<number> }>({ query, ids: new Set() });
  const key = query.trim()
    ? visible
        .map((i) => rows[i])
        .filter((r): r is DossierRow => !!r && r.snippet === null)
        .map((r) => r.id)
        .join(',')
    : '';
  useEffect(() => {
    if (asked.current.query !== query) asked.current = { query, ids: new Set() };
    const pending = asked.current;
    const ids = key
      .split(',')
      .filter(Boolean)
      .map(Number)
      .filter((id) => !pending.ids.has(id))
      .slice(0, 200);
    if (ids.length === 0) return;
    ids.forEach((id) => pending.ids.add(id));
    call('dossier:snippets', { campaignId, query, dossierIds: ids }).then(
      (found) =>
        setSnippets((s) => {
          const byId = new Map(s.query === query ? s.byId : []);
          for (const f of found) byId.set(f.dossierId, f.snippet);
          return { query, byId };
        }),
      () => ids.forEach((id) => pending.ids.delete(id)),
    );
  }, [campaignId, query, key]);
  return snippets.query === query ? snippets.byId : EMPTY_SNIPPETS;
}
const EMPTY_SNIPPETS = new Map<number, string>();

/**
 * The campaign's dossiers: filters, a debounced search, sortable columns, and a virtualised
 * <table> (only the visible rows are in the DOM; aria-rowcount / aria-rowindex tell assistive
 * technologies where they are). Arrow keys move between rows, Enter opens the dossier.
 */
export function DossierList({ campaignId }: { campaignId: number }) {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const [state, setState] = useState<ListState>(() => listStateFrom(location.state));
  const { table, stale, error } = useDossierTable(campaignId, state);

  // The list's state goes into its history entry: « Back » from a dossier finds it again.
  const { pathname } = location;
  useEffect(() => {
    void navigate(pathname, { replace: true, state: { list: state } satisfies ListLocationState });
  }, [navigate, pathname, state]);

  return (
    <section aria-labelledby="dossier-list-title" className="ptce-list">
      <h2 id="dossier-list-title" className="fr-h4">
        {t('dossierList.title')}
      </h2>
      <ListFilters state={state} onChange={setState} />
      {error && <ErrorAlert error={error} />}
      {!table && !error && <Loading />}
      {table && (
        <VirtualTable
          campaignId={campaignId}
          table={table}
          busy={stale}
          query={state.query}
          sort={state.sort}
          onSort={(column) =>
            setState((s) => ({
              ...s,
              sort:
                s.sort?.column === column
                  ? { column, direction: s.sort.direction === 'asc' ? 'desc' : 'asc' }
                  : { column, direction: 'asc' },
            }))
          }
        />
      )}
    </section>
  );
}

function VirtualTable({
  campaignId,
  table,
  busy,
  query,
  sort,
  onSort,
}: {
  campaignId: number;
  table: DossierTable;
  busy: boolean;
  query: string;
  sort: ListState['sort'];
  onSort: (column: ListSortColumn) => void;
}) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const scrollRef = useRef<HTMLDivElement>(null);
  const rows = table.rows;
  const [active, setActive] = useState(0);
  const focusPending = useRef(false);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer re-renders this component itself
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    getItemKey: (index) => rows[index]?.id ?? index,
  });
  const items = virtualizer.getVirtualItems();
  const searching = query.trim() !== '';
  const snippets = useSnippets(campaignId, query, rows, busy ? [] : items.map((item) => item.index));
  // What a dossier opened from here receives: the list's order, for its next / previous shortcuts.
  const opening: ListLocationState = { order: rows.map((r) => r.number) };
  const activeIndex = Math.min(active, Math.max(0, rows.length - 1));

  // Focus follows the active row once it is rendered (it may have just been scrolled into view).
  useEffect(() => {
    if (!focusPending.current) return;
    const el = scrollRef.current?.querySelector<HTMLElement>(`tr[data-index="${activeIndex}"]`);
    if (el) {
      focusPending.current = false;
      el.focus({ preventScroll: true });
    }
  });

  const moveTo = useCallback(
    (index: number) => {
      const next = Math.max(0, Math.min(rows.length - 1, index));
      focusPending.current = true;
      setActive(next);
      virtualizer.scrollToIndex(next, { align: 'auto' });
    },
    [rows.length, virtualizer],
  );

  const onKeyDown = (e: KeyboardEvent<HTMLTableRowElement>, index: number) => {
    if (e.target !== e.currentTarget) return; // keys inside the row's link keep their meaning
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 600) / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      PageDown: index + page,
      PageUp: index - page,
      Home: 0,
      End: rows.length - 1,
    };
    if (e.key in moves) {
      e.preventDefault();
      moveTo(moves[e.key]!);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      void navigate(`/campaigns/${campaignId}/dossiers/${rows[index]!.number}`, { state: opening });
    }
  };

  const paddingTop = items[0]?.start ?? 0;
  const paddingBottom = items.length ? virtualizer.getTotalSize() - items[items.length - 1]!.end : 0;

  return (
    <>
      <p className="fr-sr-only" role="status" aria-live="polite">
        {busy ? t('layout.loading') : t('dossierList.count', { count: rows.length, n: formatNumber(rows.length, i18n.language) })}
      </p>
      <p className="fr-text--sm fr-mb-1w" aria-hidden="true">
        {t('dossierList.count', { count: rows.length, n: formatNumber(rows.length, i18n.language) })}
        {rows.length > 0 && ` · ${t('dossierList.keyboardHint')}`}
      </p>
      {rows.length === 0 ? (
        <p>{t('dossierList.noMatch')}</p>
      ) : (
        <div ref={scrollRef} className="ptce-list__scroll fr-table fr-table--bordered" data-busy={busy || undefined}>
          <table aria-rowcount={rows.length + 1} aria-busy={busy} className="ptce-list__table">
            <caption>{t('campaign.caption', { count: rows.length })}</caption>
            <thead>
              <tr aria-rowindex={1}>
                {COLUMNS.map((c) => {
                  const sorted = sort?.column === c.key ? sort.direction : undefined;
                  return (
                    <th
                      key={c.key}
                      scope="col"
                      aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}
                      className={c.numeric ? 'ptce-list__num' : undefined}
                    >
                      <button
                        type="button"
                        className="ptce-list__sort"
                        data-sorted={sorted}
                        onClick={() => onSort(c.key)}
                        title={t('dossierList.sortBy', { column: t(`dossierList.columns.${c.key}`) })}
                      >
                        {t(`dossierList.columns.${c.key}`)}
                        <span
                          // Literal class names: the icon stylesheet keeps only the icons it finds in the sources.
                          className={`ptce-list__arrow ${sorted === 'asc' ? 'fr-icon-arrow-up-s-line' : sorted === 'desc' ? 'fr-icon-arrow-down-s-line' : 'fr-icon-arrow-up-down-line'}`}
                          aria-hidden="true"
                        />
                      </button>
                    </th>
                  );
                })}
              </tr>
            </thead>
            <tbody>
              {paddingTop > 0 && (
                <tr aria-hidden="true" className="ptce-list__spacer">
                  <td colSpan={COLUMNS.length} style={{ height: paddingTop }} />
                </tr>
              )}
              {items.map((item) => {
                const row = rows[item.index]!;
                return (
                  <tr
                    key={item.key}
                    data-index={item.index}
                    ref={virtualizer.measureElement}
                    aria-rowindex={item.index + 2}
                    tabIndex={item.index === activeIndex ? 0 : -1}
                    className="ptce-list__row"
                    onKeyDown={(e) => onKeyDown(e, item.index)}
                    onFocus={(e) => e.target === e.currentTarget && setActive(item.index)}
                  >
                    <Cells
                      row={row}
                      snippet={row.snippet ?? snippets.get(row.id) ?? null}
                      campaignId={campaignId}
                      maxScore={table.maxScore}
                      searching={searching}
                      opening={opening}
                    />
                  </tr>
                );
              })}
              {paddingBottom > 0 && (
                <tr aria-hidden="true" className="ptce-list__spacer">
                  <td colSpan={COLUMNS.length} style={{ height: paddingBottom }} />
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function Cells({
  row,
  snippet,
  campaignId,
  maxScore,
  searching,
  opening,
}: {
  row: DossierRow;
  snippet: string | null;
  campaignId: number;
  maxScore: number;
  searching: boolean;
  opening: ListLocationState;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const dash = <span aria-label={t('dossierList.none')}>{'—'}</span>;
  return (
    <>
      <td className="ptce-list__num">{row.number}</td>
      <td>
        <Link to={`/campaigns/${campaignId}/dossiers/${row.number}`} state={opening} className="fr-link" tabIndex={-1}>
          {row.projectName}
        </Link>
        {searching && snippet && (
          <p className="ptce-list__snippet fr-text--xs fr-mb-0" data-snippet="">
            <Highlighted snippet={snippet} />
          </p>
        )}
      </td>
      <td>{row.structureName}</td>
      <td>{row.admissibility ? <Admissibility status={row.admissibility.status} flags={row.admissibility.flags} /> : t('admissibility.notAssessed')}</td>
      <td>{row.eligibility ? t(`dossierList.eligibility.${row.eligibility}`) : dash}</td>
      <td>
        <Badge as="span" small noIcon severity={row.myStatus === 'soumis' ? 'success' : row.myStatus === 'en_cours' ? 'info' : undefined}>
          {t(`dossierList.myStatus.${row.myStatus}`)}
        </Badge>
      </td>
      <td className="ptce-list__num">
        {t('dossierList.reviews', { submitted: row.submittedCount, count: row.reviewCount })}
      </td>
      <td className="ptce-list__num">
        {row.meanScore === null ? dash : t('dossierList.score', { score: formatNumber(row.meanScore, lang, 1), max: formatNumber(maxScore, lang) })}
      </td>
      <td>{row.avis ? t(`dossierList.avis.${row.avis}`) : dash}</td>
    </>
  );
}
