import type { Database } from 'better-sqlite3';

/**
 * Full-text search over the identification (project and structure names) and every rubric of every
 * dossier, with the FTS5 table `dossier_search` (migration 003: unicode61 tokenizer with
 * remove_diacritics 2, so « economie » finds « Économie »).
 *
 * Snippets mark each matched term between HIGHLIGHT_OPEN and HIGHLIGHT_CLOSE (U+27E6 / U+27E7,
 * « ⟦ » and « ⟧ »), which French dossier text practically never contains. The snippet is plain
 * text: a UI must split it on the markers (see `splitHighlights`) and render the parts as text
 * nodes (e.g. <mark>{part}</mark>), never as HTML.
 */
import { HIGHLIGHT_CLOSE, HIGHLIGHT_OPEN, splitHighlights } from '../../../shared/domain/highlight';

export { HIGHLIGHT_CLOSE, HIGHLIGHT_OPEN, splitHighlights };
const ELLIPSIS = '…';

export interface SearchHit {
  dossierId: number;
  campaignId: number;
  number: number;
  project: string;
  /** Where the best match is: a rubric key, or 'identification'. */
  rubric: string;
  snippet: string;
}

/**
 * Turns what the user typed into safe FTS5 terms: each word becomes a quoted string (double quotes
 * doubled), so operators, column filters and stray quotes are matched as text and can never be a
 * syntax error; the last word is a prefix when it has 3+ characters (search as you type). At most
 * 8 words. Returns [] when nothing searchable is left.
 */
export function ftsTerms(input: string): string[] {
  const words = input
    .normalize('NFC')
    .split(/[\s\u00A0]+/u)
    .map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''))
    .filter((w) => /[\p{L}\p{N}]/u.test(w))
    .slice(0, 8);
  return words.map((w, i) => {
    const quoted = `"${w.replace(/"/g, '""')}"`;
    return i === words.length - 1 && [...w].length >= 3 ? `${quoted} *` : quoted;
  });
}

/** The terms as one FTS5 query (all words, in one indexed row), or null when there are none. */
export function ftsQuery(input: string): string | null {
  const terms = ftsTerms(input);
  return terms.length ? terms.join(' ') : null;
}

/** How many distinct words a snippet highlights (case- and accent-insensitive). */
function highlightedWords(snippet: string): number {
  const words = new Set<string>();
  for (const part of splitHighlights(snippet)) {
    if (part.highlight) words.add(part.text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase());
  }
  return words.size;
}

/** Above this many matching index rows, bm25 ranking costs more than it helps (words in most dossiers). */
export const RANKED_ROWS_LIMIT = 3000;

/**
 * Dossiers containing every word (in any of their rubrics or names), one hit per dossier with a
 * snippet of its best-matching rubric; optional campaign filter; at most `limit` dossiers.
 *
 * Each word is looked up in the index on its own and the dossier sets are intersected (row ids
 * encode the dossier: rowid >> 5), so words may sit in different rubrics of the same dossier.
 * Results are ordered by relevance (bm25) when the words are selective; when they match more than
 * RANKED_ROWS_LIMIT index rows (words present in most dossiers) they come in dossier order instead,
 * which keeps every search within the interactive budget on 5 000 dossiers.
 */
export function searchDossiers(db: Database, campaignId: number | undefined, query: string, limit = 50): SearchHit[] {
  const terms = ftsTerms(query);
  if (terms.length === 0) return [];
  const params: Record<string, unknown> = { any: terms.join(' OR '), campaignId: campaignId ?? null, rows: limit * 11 };
  let restrict = '';
  if (terms.length > 1) {
    terms.forEach((term, i) => (params[`t${i}`] = term));
    restrict = `AND (s.rowid >> 5) IN (${terms
      .map((_, i) => `SELECT rowid >> 5 FROM dossier_search WHERE dossier_search MATCH @t${i}`)
      .join(' INTERSECT ')})`;
  }
  const matching = db.prepare('SELECT count(*) FROM dossier_search WHERE dossier_search MATCH ?').pluck().get(params.any) as number;
  const order = matching > RANKED_ROWS_LIMIT ? 's.rowid' : 's.rank';
  const stmt = db.prepare(
    `SELECT d.id AS dossierId, d.campaign_id AS campaignId, d.number, d.project_name AS project, s.kind AS rubric,
            snippet(dossier_search, 2, '${HIGHLIGHT_OPEN}', '${HIGHLIGHT_CLOSE}', '${ELLIPSIS}', 12) AS snippet
     FROM dossier_search s JOIN dossiers d ON d.id = s.rowid >> 5
     WHERE dossier_search MATCH @any ${restrict} AND (@campaignId IS NULL OR d.campaign_id = @campaignId)
     ORDER BY ${order} LIMIT @rows`,
  );
  const hits: SearchHit[] = [];
  const clean = (row: SearchHit): SearchHit => ({ ...row, snippet: row.snippet.replace(/\s+/g, ' ').trim() });
  if (order === 's.rank') {
    // Several rubrics of one dossier may match: keep the best-ranked one per dossier.
    const seen = new Set<number>();
    for (const row of stmt.iterate(params) as IterableIterator<SearchHit>) {
      if (seen.has(row.dossierId)) continue;
      seen.add(row.dossierId);
      hits.push(clean(row));
      if (hits.length >= limit) break;
    }
    return hits;
  }
  // Dossier order: a dossier's rows come together; keep the one highlighting the most distinct words.
  let current: { row: SearchHit; score: number } | null = null;
  const flush = () => {
    if (current) hits.push(clean(current.row));
    current = null;
  };
  for (const row of stmt.iterate(params) as IterableIterator<SearchHit>) {
    if (current && current.row.dossierId !== row.dossierId) {
      flush();
      if (hits.length >= limit) return hits;
    }
    const score = highlightedWords(row.snippet);
    if (!current || score > current.score) current = { row, score };
  }
  flush();
  return hits;
}

/**
 * The dossier list's search, without snippets: the FTS terms and, when the words are selective
 * (at most RANKED_ROWS_LIMIT matching index rows), the matching dossiers (of any campaign) ranked
 * by bm25; otherwise `ranked` is null and the list restricts with `matchSql` in dossier order.
 */
export interface ListSearch {
  terms: string[];
  ranked: number[] | null;
}

export function listSearch(db: Database, query: string): ListSearch {
  const terms = ftsTerms(query);
  if (terms.length === 0) return { terms, ranked: [] };
  const any = terms.join(' OR ');
  const matching = db.prepare('SELECT count(*) FROM dossier_search WHERE dossier_search MATCH ?').pluck().get(any) as number;
  if (matching > RANKED_ROWS_LIMIT) return { terms, ranked: null };
  const params: Record<string, unknown> = { any };
  terms.forEach((term, i) => (params[`t${i}`] = term));
  const ranked = db
    .prepare(
      `SELECT rowid >> 5 AS id FROM dossier_search WHERE dossier_search MATCH @any AND (rowid >> 5) IN (${matchSql(terms)})
       GROUP BY id ORDER BY min(rank), id`,
    )
    .pluck()
    .all(params) as number[];
  return { terms, ranked };
}

/** The ids of the dossiers containing every term (parameters @t0, @t1…, one per term). */
export function matchSql(terms: readonly string[]): string {
  return terms.map((_, i) => `SELECT rowid >> 5 FROM dossier_search WHERE dossier_search MATCH @t${i}`).join(' INTERSECT ');
}

/**
 * A snippet for each of the given dossiers that matches `query`: its rubric (or identification)
 * highlighting the most distinct words, ties to the better bm25 rank. Only these dossiers' index
 * rows get a snippet, so asking for the rows on screen stays cheap whatever the number of matches.
 */
export function dossierSnippets(db: Database, query: string, dossierIds: readonly number[]): Map<number, string> {
  const out = new Map<number, string>();
  const terms = ftsTerms(query);
  if (terms.length === 0 || dossierIds.length === 0) return out;
  const rows = db
    .prepare(
      `SELECT rowid >> 5 AS dossierId, rank,
              snippet(dossier_search, 2, '${HIGHLIGHT_OPEN}', '${HIGHLIGHT_CLOSE}', '${ELLIPSIS}', 12) AS snippet
       FROM dossier_search
       WHERE dossier_search MATCH @any AND rowid BETWEEN @low AND @high AND (rowid >> 5) IN (SELECT value FROM json_each(@ids))`,
    )
    .all({
      any: terms.join(' OR '),
      ids: JSON.stringify(dossierIds),
      // FTS5 seeks to a rowid range: rows on screen are often neighbours.
      low: Math.min(...dossierIds) * 32,
      high: Math.max(...dossierIds) * 32 + 31,
    }) as { dossierId: number; rank: number; snippet: string }[];
  const best = new Map<number, { snippet: string; words: number; rank: number }>();
  for (const row of rows) {
    const words = highlightedWords(row.snippet);
    const current = best.get(row.dossierId);
    if (!current || words > current.words || (words === current.words && row.rank < current.rank)) {
      best.set(row.dossierId, { snippet: row.snippet, words, rank: row.rank });
    }
  }
  for (const [id, { snippet }] of best) out.set(id, snippet.replace(/\s+/g, ' ').trim());
  return out;
}
