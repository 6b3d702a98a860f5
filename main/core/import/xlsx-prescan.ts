import type { Readable } from 'node:stream';
import { archiveLimits, type ArchiveLimits } from './limits';
import { inspectZip, readEntries, refuse, XLSX_XML_PART } from './zip/safe-zip';
/** A legitimate prolog is `<?xml …?>` plus a newline; anything longer before the root element is suspect. */
const MAX_PROLOG_BYTES = 64 * 1024;

/**
 * Pre-scan of an untrusted XLSX before the workbook reader (xlsx-reader.ts) opens it (security.md §3, cases 10–11):
 * - the ZIP checks of `inspectZip` (no inflating);
 * - it must be a workbook: `[Content_Types].xml` and `xl/workbook.xml` present (else `not_an_xlsx`);
 * - every XML part's declared size ≤ `maxXlsxPartBytes` (`xlsx_sheet_too_large`) — a 414 KB file that would
 *   expand to a 400 MB sheet is refused from the central directory;
 * - no XML part may carry a DTD (`<!DOCTYPE`/`<!ENTITY`: XXE, billion laughs) — `xlsx_entity`. Only the prolog
 *   (before the root element) can hold a DTD, so only that is read; streams are closed right after.
 */
export async function prescanXlsx(path: string, limits?: Partial<ArchiveLimits>): Promise<void> {
  const effective = archiveLimits(limits);
  const { entries } = await inspectZip(path, effective, { xlsx: true });
  const names = new Set(entries.map((entry) => entry.name));
  if (!names.has('[Content_Types].xml') || !names.has('xl/workbook.xml')) throw refuse('not_an_xlsx');
  await readEntries(
    path,
    async (entry, stream) => {
      if (!XLSX_XML_PART.test(entry.name)) return;
      if (await hasDtd(stream)) throw refuse('xlsx_entity', entry.name);
    },
    effective,
    { xlsx: true },
  );
}

type PrologState = 'more' | 'root' | 'dtd' | 'bad';

/** Walks the XML prolog: whitespace, BOM, `<?…?>`, `<!--…-->`, until the root element. */
function scanProlog(text: string, complete: boolean): PrologState {
  let i = 0;
  if (text.startsWith('\u00ef\u00bb\u00bf')) i = 3; // UTF-8 BOM read as latin1
  for (;;) {
    while (i < text.length && /[\t\n\r ]/.test(text[i]!)) i++;
    if (i >= text.length) return complete ? 'root' : 'more';
    if (text[i] !== '<') return 'bad';
    if (text.length - i < 4 && !complete) return 'more';
    if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i + 2);
      if (end < 0) return complete ? 'bad' : 'more';
      i = end + 2;
    } else if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end < 0) return complete ? 'bad' : 'more';
      i = end + 3;
    } else if (text.startsWith('<!', i)) {
      return 'dtd';
    } else {
      return 'root';
    }
  }
}

async function hasDtd(stream: Readable): Promise<boolean> {
  let text = '';
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    text += chunk.toString('latin1', 0, Math.min(chunk.length, MAX_PROLOG_BYTES + 16 - text.length));
    const state = scanProlog(text, false);
    if (state === 'root') return /<!(DOCTYPE|ENTITY)/i.test(text);
    if (state === 'dtd' || state === 'bad') return true;
    if (text.length > MAX_PROLOG_BYTES) return true;
  }
  const state = scanProlog(text, true);
  return state !== 'root' || /<!(DOCTYPE|ENTITY)/i.test(text);
}
