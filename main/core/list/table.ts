import type { Database } from 'better-sqlite3';
import { ADMISSIBILITY_STATUS_LIST } from '../../../shared/domain/import';
import type { DossierRow, DossierTable, ListSortColumn } from '../../../shared/domain/list';
import type { ParsedInput } from '../../../shared/ipc/contract';
import { getActiveMember } from '../review/members';
import { dossierSnippets, listSearch, MATCH_SQL, type ListSearch } from '../review/search';
import { gridScale, selectionCriteria } from '../review/scoring';
import { campaignGrid } from '../store/campaigns';
import { recusedDossierIds } from '../committee/conflicts';

/**
 * Rows of a search result that come with their snippet (the list's first screen); the
 * others have `snippet: null` until the renderer asks dossier:snippets for the rows it shows.
 */
export const SNIPPET_ROWS = 20;

/** Text columns are sorted in JS (French collation: « é » with « e »); the others in SQL. */
const TEXT_SORT = { projectName: 'projectName', structureName: 'structureName' } as const;
const collator = new Intl.Collator('fr', { sensitivity: 'base', numeric: true });

const SORT_SQL: Record<Exclude<ListSortColumn, 'relevance' | keyof typeof TEXT_SORT>, string> = {
  number: 'number',
  // recevable < au fil de l'eau < irrecevable < not assessed
  admissibility: `CASE admissibility WHEN 'recevable' THEN 0 WHEN 'au_fil_de_l_eau' THEN 1 WHEN 'irrecevable' THEN 2 ELSE 3 END`,
  eligibility: `CASE eligibility WHEN 'eligible' THEN 0 WHEN 'divided' THEN 1 WHEN 'ineligible' THEN 2 ELSE 3 END`,
  myStatus: `CASE my_status WHEN 'a_faire' THEN 0 WHEN 'en_cours' THEN 1 ELSE 2 END`,
  reviewCount: 'review_count',
  meanScore: 'coalesce(mean_score, -1)',
  avis: `CASE avis WHEN 'favorable' THEN 0 WHEN 'favorable_reserves' THEN 1 WHEN 'defavorable' THEN 2 ELSE 3 END`,
};

/**
 * The list's one query: each dossier's columns (covering index dossiers_list), its admissibility
 * findings, its reviews' aggregate (dossier_review_stats, kept by triggers, migration 10) and the
 * member's own review (by its unique key), then the filters.
 * A search restricts to `@ids` (a JSON array: the ranked matches) or to `match` (SQL: MATCH_SQL).
 */
export function tableSql(match: string | null = null): string {
  return `
WITH rows AS (
  SELECT d.id, d.number, d.project_name, d.structure_name, d.commune,
    lower(trim(d.fragile_territories)) NOT IN ('', 'aucun', 'aucune', 'non', 'none') AS fragile,
    f.status AS admissibility, nullif(f.flags_json, '[]') AS flags_json,
    coalesce(s.review_count, 0) AS review_count,
    coalesce(s.submitted_count, 0) AS submitted_count,
    s.mean_score, s.eligibility, s.avis,
    CASE m.status WHEN 'submitted' THEN 'soumis' WHEN 'draft' THEN 'en_cours' ELSE 'a_faire' END AS my_status
  FROM dossiers d
  LEFT JOIN dossier_findings f ON f.dossier_id = d.id
  LEFT JOIN dossier_review_stats s ON s.dossier_id = d.id
  LEFT JOIN reviews m ON m.dossier_id = d.id AND m.member_id = @memberId
  WHERE d.campaign_id = @campaignId
    AND (@ids IS NULL OR d.id IN (SELECT value FROM json_each(@ids)))${match ? `\n    AND d.id IN (${match})` : ''}
    AND (@reviewer IS NULL OR EXISTS (SELECT 1 FROM reviews x WHERE x.dossier_id = d.id AND x.member_id = @reviewer))
)
SELECT id, number, project_name, structure_name, commune, fragile, admissibility, flags_json,
  review_count, submitted_count, mean_score, eligibility, avis, my_status
FROM rows
WHERE (@status IS NULL OR my_status = @status)
  AND (@admissibility IS NULL OR admissibility = @admissibility)
  AND (@eligibility IS NULL OR coalesce(eligibility, 'none') = @eligibility)
  AND (@avis IS NULL OR coalesce(avis, 'none') = @avis)
  AND (@fragile IS NULL OR fragile = @fragile)`;
}

/** A result row, read as an array (no object per row): the columns of tableSql's outer SELECT, in order. */
type Row = [
  id: number,
  number: number,
  projectName: string,
  structureName: string,
  commune: string,
  fragile: number,
  admissibility: string | null,
  flagsJson: string | null,
  reviewCount: number,
  submittedCount: number,
  meanScore: number | null,
  eligibility: DossierRow['eligibility'],
  avis: DossierRow['avis'],
  myStatus: DossierRow['myStatus'],
];
const ADMISSIBILITY = new Set<string>(ADMISSIBILITY_STATUS_LIST);

function flagsOf(json: string | null): string[] {
  if (json === null) return [];
  const flags = JSON.parse(json) as unknown;
  return Array.isArray(flags) ? flags.filter((x): x is string => typeof x === 'string') : [];
}

/** The query and its parameters for a list request (the grid read once, in JS). */
export function tableQuery(
  db: Database,
  input: ParsedInput<'dossier:table'>,
  memberId: number | null,
  search: ListSearch | null,
): { sql: string; params: Record<string, unknown>; maxScore: number } {
  const grid = campaignGrid(db, input.campaignId);
  const criteria = grid ? selectionCriteria(grid) : [];
  const f = input.filters ?? {};
  const params: Record<string, unknown> = {
    campaignId: input.campaignId,
    memberId,
    ids: search?.ranked ? JSON.stringify(search.ranked) : null,
    status: f.status ?? null,
    admissibility: f.admissibility ?? null,
    eligibility: f.eligibility ?? null,
    avis: f.avis ?? null,
    fragile: f.fragile === undefined ? null : f.fragile ? 1 : 0,
    reviewer: f.reviewer ?? null,
  };
  const maxScore = grid ? Math.round(criteria.reduce((sum, c) => sum + c.weight, 0) * gridScale(grid).max * 1000) / 1000 : 0;
  const restrict = search !== null && search.ranked === null && search.match !== null;
  if (restrict) params.match = search.match;
  return { sql: tableSql(restrict ? MATCH_SQL : null), params, maxScore };
}

function orderBy(column: ListSortColumn, direction: 'asc' | 'desc'): string {
  const dir = direction === 'desc' ? 'DESC' : 'ASC';
  if (column === 'projectName' || column === 'structureName') return 'number ASC';
  // Relevance: ranked in JS after the query, or (common words) the dossier order.
  if (column === 'relevance') return `id ${dir}`;
  if (column === 'number') return `number ${dir}`;
  return `${SORT_SQL[column]} ${dir}, number ASC`;
}

/** The rows of the dossier list, in the asked order (relevance = the search's order). */
export function dossierTable(db: Database, input: ParsedInput<'dossier:table'>): DossierTable {
  const memberId = input.memberId ?? getActiveMember(db)?.id ?? null;
  const text = input.query?.trim() ?? '';
  const search = text !== '' ? listSearch(db, text) : null;
  const ranks = search?.ranked ? new Map(search.ranked.map((id, rank) => [id, rank])) : null;
  const sort = input.sort ?? { column: search ? 'relevance' : 'number', direction: 'asc' };
  const query = tableQuery(db, input, memberId, search);
  const column = sort.column === 'relevance' && !search ? 'number' : sort.column;
  const rows = db.prepare(`${query.sql}\nORDER BY ${orderBy(column, sort.direction)}`).raw(true).all(query.params) as Row[];
  let out = rows.map(
    ([id, number, projectName, structureName, commune, fragile, admissibility, flagsJson, reviewCount, submittedCount, meanScore, eligibility, avis, myStatus]): DossierRow => ({
      id,
      number,
      projectName,
      structureName,
      commune,
      fragile: fragile === 1,
      admissibility:
        admissibility !== null && ADMISSIBILITY.has(admissibility)
          ? { status: admissibility as (typeof ADMISSIBILITY_STATUS_LIST)[number], flags: flagsOf(flagsJson) }
          : null,
      eligibility,
      myStatus,
      reviewCount,
      submittedCount,
      meanScore,
      avis,
      snippet: null,
    }),
  );
  // A recused member does not see the others' scores on that dossier (issue 6).
  const recused = memberId === null ? new Set<number>() : recusedDossierIds(db, memberId);
  if (recused.size > 0) {
    // Neither a filter nor the order may reveal them: such rows leave value filters and go last when sorting by them.
    const f = input.filters ?? {};
    const byValue = (v: string | undefined) => v !== undefined && v !== 'none';
    if (byValue(f.avis) || byValue(f.eligibility)) out = out.filter((r) => !recused.has(r.id));
    out = out.map((r) => (recused.has(r.id) ? { ...r, meanScore: null, avis: null, eligibility: null, recused: true } : r));
    if (sort.column === 'meanScore' || sort.column === 'avis' || sort.column === 'eligibility')
      out = [...out.filter((r) => !r.recused), ...out.filter((r) => r.recused)];
  }
  if (sort.column === 'projectName' || sort.column === 'structureName') {
    const key = TEXT_SORT[sort.column];
    const sign = sort.direction === 'desc' ? -1 : 1;
    out.sort((a, b) => sign * collator.compare(a[key], b[key]) || a.number - b.number);
  } else if (sort.column === 'relevance' && ranks) {
    const rank = (id: number) => ranks!.get(id) ?? Number.MAX_SAFE_INTEGER;
    out = out.sort((a, b) => rank(a.id) - rank(b.id));
    if (sort.direction === 'desc') out.reverse();
  }
  if (search) {
    // Snippets for the first rows only: the renderer asks dossier:snippets for the others it shows.
    const first = out.slice(0, SNIPPET_ROWS);
    const snippets = dossierSnippets(db, text, first.map((r) => r.id));
    for (const row of first) row.snippet = snippets.get(row.id) ?? null;
  }
  return { rows: out, memberId, maxScore: query.maxScore };
}
