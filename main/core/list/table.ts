import type { Database } from 'better-sqlite3';
import { ADMISSIBILITY_STATUS_LIST } from '../../../shared/domain/import';
import type { DossierRow, DossierTable, ListSortColumn } from '../../../shared/domain/list';
import type { ParsedInput } from '../../../shared/ipc/contract';
import { getActiveMember } from '../review/members';
import { searchDossiers } from '../review/search';
import { eligibilityCriteria, gridScale, selectionCriteria } from '../review/scoring';
import { campaignGrid } from '../store/campaigns';
import { recusedDossierIds } from '../committee/conflicts';

/** Most dossiers a search may match (a campaign holds a few hundred; the bench goes to 5 000). */
const SEARCH_LIMIT = 10_000;

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
 * The list's one query: each review's weighted total and eligible-criteria count, stored on save
 * (reviews.weighted_total / eligible_met, see refreshReviewTotals), one aggregate per dossier,
 * then the filters on the aggregate. `@ids` (a JSON array) restricts to the dossiers a search matched.
 */
export function tableSql(): string {
  return `
WITH rev AS (
  SELECT r.dossier_id, r.member_id, r.status, rd.avis, r.weighted_total AS total, r.eligible_met AS met
  FROM dossiers d JOIN reviews r ON r.dossier_id = d.id
  LEFT JOIN review_details rd ON rd.review_id = r.id
  WHERE d.campaign_id = @campaignId
),
agg AS (
  SELECT dossier_id,
    count(*) AS review_count,
    sum(status = 'submitted') AS submitted_count,
    round(avg(CASE WHEN status = 'submitted' THEN coalesce(total, 0) END), 3) AS mean_score,
    sum(status = 'submitted' AND met >= @needed) AS elig_yes,
    sum(status = 'submitted' AND met < @needed) AS elig_no,
    sum(status = 'submitted' AND avis = 'favorable') AS fav,
    sum(status = 'submitted' AND avis = 'favorable_reserves') AS res,
    sum(status = 'submitted' AND avis = 'defavorable') AS def,
    max(CASE WHEN member_id = @memberId THEN status END) AS member_review,
    max(member_id = @reviewer) AS has_reviewer
  FROM rev GROUP BY dossier_id
),
rows AS (
  SELECT d.id, d.number, d.project_name, d.structure_name, d.commune,
    lower(trim(d.fragile_territories)) NOT IN ('', 'aucun', 'aucune', 'non', 'none') AS fragile,
    f.status AS admissibility, f.flags_json,
    coalesce(a.review_count, 0) AS review_count,
    coalesce(a.submitted_count, 0) AS submitted_count,
    a.mean_score,
    CASE WHEN coalesce(a.elig_yes, 0) + coalesce(a.elig_no, 0) = 0 THEN NULL
         WHEN a.elig_yes > a.elig_no THEN 'eligible' WHEN a.elig_no > a.elig_yes THEN 'ineligible' ELSE 'divided' END AS eligibility,
    CASE WHEN coalesce(a.fav, 0) + coalesce(a.res, 0) + coalesce(a.def, 0) = 0 THEN NULL
         WHEN a.def >= a.res AND a.def >= a.fav THEN 'defavorable'
         WHEN a.res >= a.fav THEN 'favorable_reserves' ELSE 'favorable' END AS avis,
    CASE a.member_review WHEN 'submitted' THEN 'soumis' WHEN 'draft' THEN 'en_cours' ELSE 'a_faire' END AS my_status,
    coalesce(a.has_reviewer, 0) AS has_reviewer
  FROM dossiers d
  LEFT JOIN dossier_findings f ON f.dossier_id = d.id
  LEFT JOIN agg a ON a.dossier_id = d.id
  WHERE d.campaign_id = @campaignId
    AND (@ids IS NULL OR d.id IN (SELECT value FROM json_each(@ids)))
)
SELECT * FROM rows
WHERE (@status IS NULL OR my_status = @status)
  AND (@admissibility IS NULL OR admissibility = @admissibility)
  AND (@eligibility IS NULL OR coalesce(eligibility, 'none') = @eligibility)
  AND (@avis IS NULL OR coalesce(avis, 'none') = @avis)
  AND (@fragile IS NULL OR fragile = @fragile)
  AND (@reviewer IS NULL OR has_reviewer = 1)`;
}

interface Row {
  id: number;
  number: number;
  project_name: string;
  structure_name: string;
  commune: string;
  fragile: number;
  admissibility: string | null;
  flags_json: string | null;
  review_count: number;
  submitted_count: number;
  mean_score: number | null;
  eligibility: DossierRow['eligibility'];
  avis: DossierRow['avis'];
  my_status: DossierRow['myStatus'];
}

/** The query and its parameters for a list request (the grid read once, in JS). */
export function tableQuery(
  db: Database,
  input: ParsedInput<'dossier:table'>,
  memberId: number | null,
  ids: number[] | null,
): { sql: string; params: Record<string, unknown>; maxScore: number } {
  const grid = campaignGrid(db, input.campaignId);
  const criteria = grid ? selectionCriteria(grid) : [];
  const f = input.filters ?? {};
  const params: Record<string, unknown> = {
    campaignId: input.campaignId,
    memberId,
    needed: Math.floor((grid ? eligibilityCriteria(grid).length : 0) / 2) + 1,
    ids: ids === null ? null : JSON.stringify(ids),
    status: f.status ?? null,
    admissibility: f.admissibility ?? null,
    eligibility: f.eligibility ?? null,
    avis: f.avis ?? null,
    fragile: f.fragile === undefined ? null : f.fragile ? 1 : 0,
    reviewer: f.reviewer ?? null,
  };
  const maxScore = grid ? Math.round(criteria.reduce((sum, c) => sum + c.weight, 0) * gridScale(grid).max * 1000) / 1000 : 0;
  return { sql: tableSql(), params, maxScore };
}

function orderBy(column: ListSortColumn, direction: 'asc' | 'desc'): string {
  const dir = direction === 'desc' ? 'DESC' : 'ASC';
  if (column === 'projectName' || column === 'structureName') return 'number ASC';
  if (column === 'relevance' || column === 'number') return `number ${dir}`;
  return `${SORT_SQL[column]} ${dir}, number ASC`;
}

/** The rows of the dossier list, in the asked order (relevance = the search's order). */
export function dossierTable(db: Database, input: ParsedInput<'dossier:table'>): DossierTable {
  const memberId = input.memberId ?? getActiveMember(db)?.id ?? null;
  const text = input.query?.trim() ?? '';
  let snippets: Map<number, { snippet: string; rank: number }> | null = null;
  if (text !== '') {
    snippets = new Map();
    searchDossiers(db, input.campaignId, text, SEARCH_LIMIT).forEach((hit, rank) =>
      snippets!.set(hit.dossierId, { snippet: hit.snippet, rank }),
    );
  }
  const sort = input.sort ?? { column: snippets ? 'relevance' : 'number', direction: 'asc' };
  const query = tableQuery(db, input, memberId, snippets ? [...snippets.keys()] : null);
  const rows = db.prepare(`${query.sql}\nORDER BY ${orderBy(sort.column, sort.direction)}`).all(query.params) as Row[];
  let out = rows.map((r): DossierRow => {
    const flags = r.flags_json ? (JSON.parse(r.flags_json) as unknown) : [];
    return {
      id: r.id,
      number: r.number,
      projectName: r.project_name,
      structureName: r.structure_name,
      commune: r.commune,
      fragile: r.fragile === 1,
      admissibility:
        r.admissibility && (ADMISSIBILITY_STATUS_LIST as readonly string[]).includes(r.admissibility)
          ? {
              status: r.admissibility as (typeof ADMISSIBILITY_STATUS_LIST)[number],
              flags: Array.isArray(flags) ? flags.filter((x): x is string => typeof x === 'string') : [],
            }
          : null,
      eligibility: r.eligibility,
      myStatus: r.my_status,
      reviewCount: r.review_count,
      submittedCount: r.submitted_count,
      meanScore: r.mean_score,
      avis: r.avis,
      snippet: snippets?.get(r.id)?.snippet ?? null,
    };
  });
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
  } else if (sort.column === 'relevance' && snippets) {
    const rank = (id: number) => snippets!.get(id)?.rank ?? Number.MAX_SAFE_INTEGER;
    out = out.sort((a, b) => rank(a.id) - rank(b.id));
    if (sort.direction === 'desc') out.reverse();
  }
  return { rows: out, memberId, maxScore: query.maxScore };
}
