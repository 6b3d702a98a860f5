import type { Database } from 'better-sqlite3';

/**
 * Full-text search over the identification (project and structure names) and every rubric of every
 * dossier, with the FTS5 table `dossier_text` (migration 12: one row per dossier; unicode61
 * tokenizer with remove_diacritics 2, so « economie » finds « Économie »).
 *
 * Snippets mark each matched term between HIGHLIGHT_OPEN and HIGHLIGHT_CLOSE (U+27E6 / U+27E7,
 * « ⟦ » and « ⟧ »), which French dossier text practically never contains. The snippet is plain
 * text: a UI must split it on the markers (see `splitHighlights`) and render the parts as text
 * nodes (e.g. <mark>{part}</mark>), never as HTML.
 */
import { HIGHLIGHT_CLOSE, HIGHLIGHT_OPEN, splitHighlights } from '../../../shared/domain/highlight';

export { HIGHLIGHT_CLOSE, HIGHLIGHT_OPEN, splitHighlights };
import { syncDossierText } from '../store/dossier-text';
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

/** The terms as one FTS5 query (every word, in one dossier), or null when there are none. */
export function ftsQuery(input: string): string | null {
  const terms = ftsTerms(input);
  return terms.length ? terms.join(' ') : null;
}

/**
 * Above this many matching dossiers, bm25 ranking costs more than it helps (words in most
 * dossiers): the list then comes in dossier order.
 */
export const RANKED_ROWS_LIMIT = 3000;

const SNIPPET_SQL = `snippet(dossier_text, -1, '${HIGHLIGHT_OPEN}', '${HIGHLIGHT_CLOSE}', '${ELLIPSIS}', 12)`;

/** Searches see every change: pending notes are applied first (a cheap check when there are none). */
function indexed(db: Database): void {
  if (!db.readonly && db.prepare('SELECT EXISTS (SELECT 1 FROM dossier_text_pending)').pluck().get() === 1) syncDossierText(db);
}

/**
 * Where snippets come from: for each dossier, the rubric whose text holds its snippet, or
 * 'identification' (the project and structure names). An ellipsis FTS5 put where the snippet is in
 * fact the start or the end of that text is dropped. One query for all the dossiers.
 */
function placeSnippets(db: Database, lines: ReadonlyMap<number, string>): Map<number, { rubric: string; snippet: string }> {
  const texts = new Map<number, [string, string][]>();
  const ids = JSON.stringify([...lines.keys()]);
  const rows = db
    .prepare(
      `SELECT id, 'identification', project_name FROM dossiers WHERE id IN (SELECT value FROM json_each(@ids))
       UNION ALL SELECT id, 'identification', structure_name FROM dossiers WHERE id IN (SELECT value FROM json_each(@ids))
       UNION ALL SELECT dossier_id, rubric_key, content FROM dossier_rubrics WHERE dossier_id IN (SELECT value FROM json_each(@ids))`,
    )
    .raw(true)
    .all({ ids }) as [number, string, string][];
  for (const [id, key, text] of rows) texts.set(id, [...(texts.get(id) ?? []), [key, text]]);
  const out = new Map<number, { rubric: string; snippet: string }>();
  for (const [id, line] of lines) {
    const lead = line.startsWith(ELLIPSIS);
    const trail = line.endsWith(ELLIPSIS) && line.length > 1;
    const body = line.slice(lead ? ELLIPSIS.length : 0, trail ? line.length - ELLIPSIS.length : line.length);
    const plain = body.split(HIGHLIGHT_OPEN).join('').split(HIGHLIGHT_CLOSE).join('').trim();
    const found = texts.get(id)?.find(([, text]) => text.includes(plain));
    const text = found?.[1].trim() ?? '';
    const snippet = `${lead && !text.startsWith(plain) ? ELLIPSIS : ''}${body}${trail && !text.endsWith(plain) ? ELLIPSIS : ''}`;
    out.set(id, { rubric: found?.[0] ?? 'identification', snippet: clean(snippet) });
  }
  return out;
}

const clean = (line: string) => line.replace(/\s+/g, ' ').trim();

/**
 * Dossiers containing every word (in any of their rubrics or names), with a snippet and the rubric
 * it comes from; optional campaign filter; at most `limit` dossiers. Best first (bm25) when the
 * words are selective (at most RANKED_ROWS_LIMIT matching dossiers), else in dossier order, which
 * keeps common words within the interactive budget. Snippets are made for the kept dossiers only.
 */
export function searchDossiers(db: Database, campaignId: number | undefined, query: string, limit = 50): SearchHit[] {
  const match = ftsQuery(query);
  if (match === null) return [];
  indexed(db);
  const matching = db.prepare('SELECT count(*) FROM dossier_text WHERE dossier_text MATCH ?').pluck().get(match) as number;
  const rows = db
    .prepare(
      `SELECT d.id AS dossierId, d.campaign_id AS campaignId, d.number, d.project_name AS project
       FROM dossier_text s JOIN dossiers d ON d.id = s.rowid
       WHERE dossier_text MATCH @match AND (@campaignId IS NULL OR d.campaign_id = @campaignId)
       ORDER BY ${matching > RANKED_ROWS_LIMIT ? 's.rowid' : 's.rank, s.rowid'} LIMIT @limit`,
    )
    .all({ match, campaignId: campaignId ?? null, limit }) as Omit<SearchHit, 'rubric' | 'snippet'>[];
  const placed = snippetsOf(db, match, rows.map((r) => r.dossierId));
  return rows.map((r) => ({ ...r, rubric: placed.get(r.dossierId)?.rubric ?? 'identification', snippet: placed.get(r.dossierId)?.snippet ?? '' }));
}

/** Snippets (and the rubric each comes from) for the given dossiers: FTS5 looks each rowid up. */
function snippetsOf(db: Database, match: string, dossierIds: readonly number[]): Map<number, { rubric: string; snippet: string }> {
  if (dossierIds.length === 0) return new Map();
  const rows = db
    .prepare(`SELECT rowid, ${SNIPPET_SQL} FROM dossier_text WHERE dossier_text MATCH ? AND rowid IN (SELECT value FROM json_each(?))`)
    .raw(true)
    .all(match, JSON.stringify(dossierIds)) as [number, string][];
  return placeSnippets(db, new Map(rows));
}

/**
 * The dossier list's search, without snippets: the FTS query (every word) and, when the words are
 * selective (at most RANKED_ROWS_LIMIT matching dossiers), the matching dossiers (of any campaign)
 * ranked by bm25; otherwise `ranked` is null and the list restricts with `matchSql` in dossier order.
 */
export interface ListSearch {
  match: string | null;
  ranked: number[] | null;
}

export function listSearch(db: Database, query: string): ListSearch {
  const match = ftsQuery(query);
  if (match === null) return { match, ranked: [] };
  indexed(db);
  const matching = db.prepare('SELECT count(*) FROM dossier_text WHERE dossier_text MATCH ?').pluck().get(match) as number;
  if (matching > RANKED_ROWS_LIMIT) return { match, ranked: null };
  const ranked = db.prepare('SELECT rowid FROM dossier_text WHERE dossier_text MATCH ? ORDER BY rank, rowid').pluck().all(match) as number[];
  return { match, ranked };
}

/** The ids of the dossiers containing every word (parameter @match: a ListSearch's `match`). */
export const MATCH_SQL = 'SELECT rowid FROM dossier_text WHERE dossier_text MATCH @match';

/**
 * A snippet for each of the given dossiers that matches `query`. Only these dossiers' rows are
 * read, so asking for the rows on screen stays cheap whatever the number of matches.
 */
export function dossierSnippets(db: Database, query: string, dossierIds: readonly number[]): Map<number, string> {
  const match = ftsQuery(query);
  if (match === null) return new Map();
  indexed(db);
  return new Map([...snippetsOf(db, match, dossierIds)].map(([id, { snippet }]) => [id, snippet]));
}
