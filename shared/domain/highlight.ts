/**
 * Search snippets mark each matched term between HIGHLIGHT_OPEN and HIGHLIGHT_CLOSE (U+27E6 / U+27E7,
 * « ⟦ » and « ⟧ »), which French dossier text practically never contains. A snippet is plain text:
 * the UI splits it with `splitHighlights` and renders the parts as text nodes, never as HTML.
 */
export const HIGHLIGHT_OPEN = '\u27E6';
export const HIGHLIGHT_CLOSE = '\u27E7';

/** Splits a snippet into plain and highlighted parts, for rendering as text nodes. */
export function splitHighlights(snippet: string): { text: string; highlight: boolean }[] {
  const parts: { text: string; highlight: boolean }[] = [];
  const re = new RegExp(`${HIGHLIGHT_OPEN}([^${HIGHLIGHT_CLOSE}]*)${HIGHLIGHT_CLOSE}`, 'gu');
  let last = 0;
  for (const m of snippet.matchAll(re)) {
    if (m.index > last) parts.push({ text: snippet.slice(last, m.index), highlight: false });
    parts.push({ text: m[1] ?? '', highlight: true });
    last = m.index + m[0].length;
  }
  if (last < snippet.length) parts.push({ text: snippet.slice(last), highlight: false });
  return parts;
}
