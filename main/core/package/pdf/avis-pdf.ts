import fs from 'node:fs';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import fr from '../../../../shared/locales/fr.json';
import en from '../../../../shared/locales/en.json';
import type { AvisDocument, AvisMemberRef, LocalizedLabel } from '../avis';

/**
 * The PDF rendering of one avis (`avis/<number>.pdf` in the review package): the document the
 * correspondant régional signs and sends to the PESSII. DSFR look (Marianne, bleu France), A4.
 *
 * Deterministic: the same AvisDocument and options give byte-identical output (no wall clock —
 * the PDF dates come from the avis itself — and pdfkit's trailer /ID is derived from the info
 * dictionary, so it is stable too).
 */

export type PdfLang = 'fr' | 'en';

export interface AvisPdfOptions {
  lang: PdfLang;
  /** Place printed in « Fait à … »; left blank (dotted) for the signer to write when absent. */
  place?: string;
  /** Signature date (YYYY-MM-DD); left blank (dotted) when absent. */
  signedOn?: string;
  /**
   * Directory holding the Marianne .woff files. Defaults to the DSFR package in node_modules
   * (resolved from the working directory); null or a missing directory falls back to Helvetica.
   */
  fontDir?: string | null;
}

export const BLUE = '#000091';
export const TEXT = '#161616';
export const GREY = '#666666';
export const RULE = '#dddddd';
export const HEAD_BG = '#ececfe';
export const ROW_BG = '#f6f6f6';

const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = { top: 62, bottom: 62, left: 56, right: 56 };
const CONTENT_W = PAGE.width - MARGIN.left - MARGIN.right;
const BOTTOM = PAGE.height - MARGIN.bottom;

type Tree = { [key: string]: string | Tree };

export function translator(lang: PdfLang) {
  const messages = (lang === 'en' ? en : fr) as unknown as Tree;
  return (key: string, params: Record<string, string | number> = {}): string => {
    let node: string | Tree | undefined = messages;
    for (const part of key.split('.')) node = typeof node === 'object' ? node[part] : undefined;
    const text = typeof node === 'string' ? node : key;
    return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(params[name] ?? ''));
  };
}

/** The default font directory: @codegouvfr/react-dsfr's bundled Marianne. */
export function defaultFontDir(): string {
  return path.join(process.cwd(), 'node_modules', '@codegouvfr', 'react-dsfr', 'dsfr', 'fonts');
}

export interface Fonts {
  regular: string;
  bold: string;
  italic: string;
  marianne: boolean;
}

/**
 * The parsed fonts, one per file and per process. pdfkit parses a font file anew for every document
 * (WOFF inflation, then the CFF, GSUB and GPOS tables decoded again as text is laid out), which was
 * most of an avis PDF's rendering time; it also accepts an already parsed font object, whose tables
 * it only reads, so the parsed font is kept and handed to every document. It is obtained through
 * pdfkit itself (a document that is never ended), so it is pdfkit's own fontkit that parses it.
 */
const parsedFonts = new Map<string, object>();

/** What pdfkit uses of a fontkit glyph run (fontkit's GlyphRun and GlyphPosition are plain classes). */
interface GlyphRun {
  glyphs: unknown[];
  positions: object[];
}
interface LayoutFont {
  layout(text: string, ...rest: unknown[]): GlyphRun;
}

/** Distinct words shaped per font before the layout cache is emptied (it grows with the dossiers’ vocabulary; a few MB at most). */
const LAYOUT_CACHE_MAX = 10_000;

const clone = <T extends object>(o: T): T => Object.assign(Object.create(Object.getPrototypeOf(o) as object | null) as T, o);

/**
 * The parsed font with a layout cache shared by all documents. pdfkit shapes text word by word
 * (GSUB/GPOS lookups, the other large cost) and caches the result per document only; here the
 * shaping of a word is done once per process. pdfkit scales the returned positions in place, so
 * each call gets its own copy of the run and of its positions (the glyphs are fontkit's cached,
 * read-only glyph objects, shared as fontkit shares them).
 */
function withLayoutCache(font: LayoutFont): LayoutFont {
  const cache = new Map<string, GlyphRun>();
  const wrapped = Object.create(font) as LayoutFont;
  wrapped.layout = (text: string, ...rest: unknown[]): GlyphRun => {
    if (typeof text !== 'string' || rest.some((r) => r !== undefined)) return font.layout(text, ...rest);
    let run = cache.get(text);
    if (!run) {
      if (cache.size >= LAYOUT_CACHE_MAX) cache.clear();
      run = font.layout(text);
      cache.set(text, run);
    }
    const copy = clone(run);
    copy.glyphs = [...run.glyphs];
    copy.positions = run.positions.map(clone);
    return copy;
  };
  return wrapped;
}

function parsedFont(file: string): object {
  let font = parsedFonts.get(file);
  if (font === undefined) {
    const probe = new PDFDocument({ autoFirstPage: false });
    probe.font(fs.readFileSync(file));
    font = withLayoutCache((probe as unknown as { _font: { font: LayoutFont } })._font.font);
    parsedFonts.set(file, font);
  }
  return font;
}

export function registerFonts(doc: PDFKit.PDFDocument, fontDir: string | null): Fonts {
  const files = { regular: 'Marianne-Regular.woff', bold: 'Marianne-Bold.woff', italic: 'Marianne-Regular_Italic.woff' };
  if (fontDir && Object.values(files).every((f) => fs.existsSync(path.join(fontDir, f)))) {
    // pdfkit's typings only list file sources; it takes a parsed font object too (PDFFontFactory.open).
    const source = (file: string) => parsedFont(path.join(fontDir, file)) as PDFKit.Mixins.PDFFontSource;
    doc.registerFont('Marianne', source(files.regular));
    doc.registerFont('Marianne-Bold', source(files.bold));
    doc.registerFont('Marianne-Italic', source(files.italic));
    return { regular: 'Marianne', bold: 'Marianne-Bold', italic: 'Marianne-Italic', marianne: true };
  }
  return { regular: 'Helvetica', bold: 'Helvetica-Bold', italic: 'Helvetica-Oblique', marianne: false };
}

/** The PDF dates: the latest submission of a review, else the campaign deadline (never the clock). */
/**
 * A new A4 document with the settings every Comité PTCE PDF shares (PDF 1.7, language, buffered
 * pages, fixed dates so the bytes are deterministic), Marianne registered, and the promise of its
 * bytes once `doc.end()` is called.
 */
export function openPdf(o: {
  landscape?: boolean;
  margins: { top: number; bottom: number; left: number; right: number };
  locale: string;
  info: { Title: string; Author: string; Subject: string };
  when: Date;
  fontDir: string | null | undefined;
}): { doc: PDFKit.PDFDocument; fonts: Fonts; done: Promise<Buffer> } {
  const doc = new PDFDocument({
    size: 'A4',
    ...(o.landscape ? { layout: 'landscape' as const } : {}),
    margins: o.margins,
    pdfVersion: '1.7',
    lang: o.locale,
    displayTitle: true,
    bufferPages: true,
    info: { ...o.info, Creator: 'Comité PTCE', Producer: 'Comité PTCE (PDFKit)', CreationDate: o.when, ModDate: o.when },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const fonts = registerFonts(doc, o.fontDir === undefined ? defaultFontDir() : o.fontDir);
  return { doc, fonts, done };
}

export function avisDocumentDate(avis: AvisDocument): Date {
  const stamps = avis.scores
    .map((s) => s.submittedAt)
    .filter((s): s is string => !!s && !Number.isNaN(Date.parse(s)))
    .sort();
  const chosen = stamps.at(-1) ?? avis.campaign.deadline;
  const time = Date.parse(chosen);
  return new Date(Number.isNaN(time) ? Date.UTC(2021, 0, 1) : time);
}

interface Cell {
  text: string;
  font?: 'regular' | 'bold' | 'italic';
  size?: number;
  color?: string;
}

interface Column {
  header: string;
  width: number;
}

export async function renderAvisPdf(avis: AvisDocument, options: AvisPdfOptions): Promise<Buffer> {
  const { lang } = options;
  const t = translator(lang);
  const locale = lang === 'fr' ? 'fr-FR' : 'en-GB';
  const numberFmt = new Intl.NumberFormat(locale, { maximumFractionDigits: 2, useGrouping: false });
  const num = (n: number) => numberFmt.format(n);
  const dateFmt = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Paris' });
  const fmtDate = (iso: string | null | undefined): string => {
    if (!iso) return t('pdf.notProvided');
    const time = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T12:00:00Z` : iso);
    return Number.isNaN(time) ? iso : dateFmt.format(new Date(time));
  };
  const label = (l: LocalizedLabel) => (lang === 'en' && l.en ? l.en : l.fr);
  const gridLabel = label(avis.grid.label);
  const memberById = new Map<number, AvisMemberRef>(avis.members.map((m) => [m.id, m]));
  const memberName = (id: number) => memberById.get(id)?.name ?? `#${id}`;
  const when = avisDocumentDate(avis);

  const { doc, fonts, done } = openPdf({
    margins: MARGIN,
    locale,
    info: {
      Title: `${t('pdf.title', { grid: gridLabel })} — ${t('pdf.dossierRef', { number: avis.dossier.number })}`,
      Author: t('pdf.committee', { region: avis.region.name }),
      Subject: avis.dossier.project,
    },
    when,
    fontDir: options.fontDir,
  });
  // French typography: guillemets never part from their words at a line end (no-break spaces),
  // applied alike to what is measured and to what is drawn.
  const typo = (text: string) => text.replace(/« /g, '«\u00a0').replace(/ »/g, '\u00a0»');
  const drawText = doc.text.bind(doc);
  const measure = doc.heightOfString.bind(doc);
  doc.text = ((text: string, ...rest: unknown[]) =>
    (drawText as (...args: unknown[]) => PDFKit.PDFDocument)(typo(String(text)), ...rest)) as typeof doc.text;
  doc.heightOfString = ((text: string, opts?: PDFKit.Mixins.TextOptions) => measure(typo(String(text)), opts)) as typeof doc.heightOfString;
  const font = (f: Cell['font'] = 'regular') => fonts[f];
  let y = MARGIN.top;

  const newPage = () => {
    doc.addPage();
    y = MARGIN.top;
  };
  const ensure = (h: number) => {
    if (y + h > BOTTOM) newPage();
  };
  const setFont = (f: Cell['font'], size: number, color = TEXT) => doc.font(font(f)).fontSize(size).fillColor(color);
  // Measuring is a full line wrap, and the table layout asks again for the same cells (row heights,
  // rows kept with the next ones, then drawing); heightOfString only reads the font's metrics (it
  // adds no glyph to the embedded subset), so the answer is remembered for the document.
  const heights = new Map<string, number>();
  const heightOf = (text: string, f: Cell['font'], size: number, width: number) => {
    const key = `${f ?? 'regular'}\u0000${size}\u0000${width}\u0000${text}`;
    let h = heights.get(key);
    if (h === undefined) {
      doc.font(font(f)).fontSize(size);
      h = doc.heightOfString(text, { width, lineGap: 1 });
      heights.set(key, h);
    }
    return h;
  };
  /** Flowing text; pdfkit breaks long paragraphs across pages by itself. */
  const para = (text: string, f: Cell['font'] = 'regular', size = 10, color = TEXT, indent = 0) => {
    ensure(Math.min(heightOf(text, f, size, CONTENT_W - indent), 40));
    setFont(f, size, color).text(text, MARGIN.left + indent, y, { width: CONTENT_W - indent, lineGap: 1 });
    y = doc.y + 4;
  };
  /** A section heading, kept with at least `keep` points of what follows. */
  const heading = (text: string, keep = 40) => {
    ensure(keep + 30);
    y += 12;
    setFont('bold', 13, BLUE).text(text, MARGIN.left, y, { width: CONTENT_W });
    y = doc.y + 3;
    doc.moveTo(MARGIN.left, y).lineTo(MARGIN.left + CONTENT_W, y).lineWidth(1.2).strokeColor(BLUE).stroke();
    y += 8;
  };
  /** A subheading, kept with at least `keep` points of what follows. */
  const subheading = (text: string, keep = 50) => {
    ensure(keep);
    y += 4;
    setFont('bold', 10.5, TEXT).text(text, MARGIN.left, y, { width: CONTENT_W });
    y = doc.y + 4;
  };

  const PAD = 4;
  const cellHeight = (cell: Cell, width: number) => heightOf(cell.text, cell.font, cell.size ?? 9, width - 2 * PAD);
  const drawRow = (cells: Cell[], widths: number[], bg?: string, fullRow = false) => {
    const h = Math.max(...cells.map((c, i) => cellHeight(c, fullRow ? CONTENT_W : (widths[i] ?? 0)))) + 2 * PAD;
    let x = MARGIN.left;
    if (bg) doc.rect(MARGIN.left, y, CONTENT_W, h).fill(bg);
    cells.forEach((c, i) => {
      const w = fullRow ? CONTENT_W : (widths[i] ?? 0);
      setFont(c.font, c.size ?? 9, c.color ?? TEXT).text(c.text, x + PAD, y + PAD, { width: w - 2 * PAD, lineGap: 1 });
      x += w;
    });
    y += h;
    doc.moveTo(MARGIN.left, y).lineTo(MARGIN.left + CONTENT_W, y).lineWidth(0.5).strokeColor(RULE).stroke();
    return h;
  };
  /**
   * A table whose header is repeated after a page break. A row moves whole to the next page when it
   * does not fit (with `keepWithNext` following rows when they fit on one page); a row taller than
   * a page is split at a word boundary, its tallest cell continuing on the next page.
   */
  type Row = { cells: Cell[]; bg?: string; full?: boolean; keepWithNext?: number };
  const table = (columns: Column[], rows: Row[]) => {
    const widths = columns.map((c) => c.width);
    const header = () => drawRow(columns.map((c) => ({ text: c.header, font: 'bold', color: BLUE })), widths, HEAD_BG);
    const cellW = (r: Row, i: number) => (r.full ? CONTENT_W : (widths[i] ?? 0));
    const rowHeight = (r: Row) => Math.max(...r.cells.map((c, i) => cellHeight(c, cellW(r, i)))) + 2 * PAD;
    const headerHeight = Math.max(...columns.map((c) => cellHeight({ text: c.header, font: 'bold' }, c.width))) + 2 * PAD;
    const pageRoom = BOTTOM - MARGIN.top - headerHeight;
    const first = rows.slice(0, 1 + (rows[0]?.keepWithNext ?? 0)).reduce((sum, r) => sum + rowHeight(r), 0);
    ensure(headerHeight + (first <= pageRoom ? first : 80));
    header();
    let fresh = true;
    const breakPage = () => {
      newPage();
      header();
      fresh = true;
    };
    /** Splits the row so that its first part fits in `room` points: the tallest cell is cut between words. */
    const split = (r: Row, room: number): [Row, Row] | null => {
      let tallest = 0;
      r.cells.forEach((c, i) => {
        if (cellHeight(c, cellW(r, i)) > cellHeight(r.cells[tallest] ?? c, cellW(r, tallest))) tallest = i;
      });
      const cell = r.cells[tallest];
      if (!cell) return null;
      const words = cell.text.split(/(?<=\s)/);
      let lo = 0;
      let hi = words.length;
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        const head = { ...cell, text: words.slice(0, mid).join('').trimEnd() };
        if (cellHeight(head, cellW(r, tallest)) + 2 * PAD <= room) lo = mid;
        else hi = mid - 1;
      }
      if (lo === 0 || lo === words.length) return null;
      const first = { ...r, keepWithNext: 0, cells: r.cells.map((c, i) => (i === tallest ? { ...c, text: words.slice(0, lo).join('').trimEnd() } : c)) };
      const rest = {
        ...r,
        cells: r.cells.map((c, i): Cell => {
          if (i === tallest) return { ...c, text: words.slice(lo).join('') };
          // The first column names what continues (e.g. the member), marked « (suite) ».
          return i === 0 && c.text ? { ...c, text: `${c.text} ${t('pdf.continued')}`, font: 'italic', color: GREY } : { ...c, text: '' };
        }),
      };
      return [first, rest];
    };
    const queue = [...rows];
    for (let i = 0; i < queue.length; i++) {
      let r = queue[i] as Row;
      const h = rowHeight(r);
      const next = r.keepWithNext ? queue.slice(i + 1, i + 1 + r.keepWithNext).reduce((sum, n) => sum + rowHeight(n), 0) : 0;
      if (!fresh && y + h + next > BOTTOM && (h + next <= pageRoom || (h <= pageRoom && y + h > BOTTOM))) breakPage();
      if (y + h > BOTTOM) {
        // Taller than a page: split it, starting here when a few lines still fit.
        if (!fresh && BOTTOM - y < 60) breakPage();
        const parts = split(r, BOTTOM - y);
        if (parts) {
          r = parts[0];
          queue.splice(i + 1, 0, parts[1]);
        }
      }
      drawRow(r.cells, widths, r.bg, r.full);
      fresh = false;
    }
    y += 6;
  };
  const keyValues = (pairs: [string, string][]) => {
    const lw = 150;
    for (const [k, v] of pairs) {
      const h = Math.max(heightOf(k, 'bold', 9.5, lw - 8), heightOf(v, 'regular', 9.5, CONTENT_W - lw)) + 6;
      ensure(h);
      setFont('bold', 9.5, GREY).text(k, MARGIN.left, y + 3, { width: lw - 8, lineGap: 1 });
      setFont('regular', 9.5, TEXT).text(v, MARGIN.left + lw, y + 3, { width: CONTENT_W - lw, lineGap: 1 });
      y += h;
      doc.moveTo(MARGIN.left, y).lineTo(MARGIN.left + CONTENT_W, y).lineWidth(0.5).strokeColor(RULE).stroke();
    }
    y += 6;
  };

  // ---- Header: République Française block-mark, committee, addressee, title.
  setFont('bold', 11.5, TEXT).text(t('pdf.republic'), MARGIN.left, MARGIN.top - 20, { width: 150, lineGap: -1 });
  const mottoY = doc.y + 5;
  setFont('italic', 8.5, TEXT).text(t('pdf.motto'), MARGIN.left, mottoY, { width: 150, lineGap: -1 });
  const markBottom = doc.y;
  const rightX = MARGIN.left + 220;
  const rightW = CONTENT_W - 220;
  setFont('bold', 10, TEXT).text(t('pdf.committee', { region: avis.region.name }), rightX, MARGIN.top - 20, { width: rightW, align: 'right' });
  setFont('regular', 9, GREY).text(t('pdf.addressee'), rightX, doc.y + 2, { width: rightW, align: 'right' });
  setFont('bold', 10, BLUE).text(t('pdf.dossierRef', { number: avis.dossier.number }), rightX, doc.y + 6, { width: rightW, align: 'right' });
  y = Math.max(markBottom, doc.y) + 28;
  setFont('bold', 19, BLUE).text(t('pdf.title', { grid: gridLabel }), MARGIN.left, y, { width: CONTENT_W, lineGap: 2 });
  y = doc.y + 6;
  setFont('regular', 11, TEXT).text(avis.dossier.project, MARGIN.left, y, { width: CONTENT_W });
  y = doc.y + 8;
  if (avis.state === 'draft') {
    const h = heightOf(t('pdf.draftNotice'), 'bold', 9.5, CONTENT_W - 20) + 12;
    doc.rect(MARGIN.left, y, 4, h).fill('#b34000');
    doc.rect(MARGIN.left + 4, y, CONTENT_W - 4, h).fill('#fff4f3');
    setFont('bold', 9.5, '#b34000').text(t('pdf.draftNotice'), MARGIN.left + 14, y + 6, { width: CONTENT_W - 20 });
    y += h + 6;
  }

  // ---- Identification.
  heading(t('pdf.section.identification'));
  keyValues([
    [t('pdf.field.number'), String(avis.dossier.number)],
    [t('pdf.field.project'), avis.dossier.project || t('pdf.notProvided')],
    [t('pdf.field.structure'), avis.dossier.structure || t('pdf.notProvided')],
    [t('pdf.field.legalForm'), avis.dossier.legalForm || t('pdf.notProvided')],
    [t('pdf.field.commune'), avis.dossier.commune || t('pdf.notProvided')],
    [t('pdf.field.region'), `${avis.region.name} (${avis.region.code})`],
    [t('pdf.field.depositedAt'), fmtDate(avis.dossier.depositedAt)],
    [
      t('pdf.field.campaign'),
      t('pdf.field.campaignValue', {
        name: avis.campaign.name,
        wave: avis.campaign.wave,
        phase: avis.campaign.phase,
        deadline: fmtDate(avis.campaign.deadline),
      }),
    ],
    [t('pdf.field.grid'), t('pdf.field.gridValue', { label: gridLabel, version: avis.grid.version })],
  ]);

  // ---- Members.
  heading(t('pdf.section.members'));
  if (avis.members.length === 0) para(t('pdf.member.none'), 'italic', 9.5, GREY);
  else
    table(
      [
        { header: t('pdf.member.name'), width: 150 },
        { header: t('pdf.member.role'), width: 170 },
        { header: t('pdf.member.organisation'), width: CONTENT_W - 320 },
      ],
      avis.members.map((m) => ({ cells: [{ text: m.name, font: 'bold' }, { text: t(`pdf.role.${m.role}`) }, { text: m.organisation }] })),
    );

  // ---- Recevabilité.
  heading(t('pdf.section.admissibility'));
  const flagLabel = (flag: string): string => {
    const [kind, arg] = flag.split(':');
    if (kind === 'over_length') return t('pdf.admissibility.overLength', { rubric: arg ?? '' });
    if (kind === 'missing') return t('pdf.admissibility.missingField', { field: arg ?? '' });
    const translated = t(`admissibility.flags.${kind}`);
    return translated.startsWith('admissibility.') ? flag : translated;
  };
  const findings = avis.admissibility.findings;
  subheading(t('pdf.admissibility.findings'));
  if (!findings) para(t('pdf.admissibility.noFindings'), 'italic', 9.5, GREY);
  else
    keyValues([
      [t('pdf.admissibility.status'), t(`admissibility.status.${findings.status}`)],
      [t('pdf.admissibility.complete'), findings.complete ? t('pdf.yes') : t('pdf.no')],
      [t('pdf.admissibility.onTime'), findings.onTime ? t('pdf.yes') : t('pdf.no')],
      [t('pdf.admissibility.flags'), findings.flags.length ? findings.flags.map(flagLabel).join(' · ') : t('pdf.admissibility.noFlags')],
    ]);
  subheading(t('pdf.admissibility.decisions'));
  if (avis.admissibility.decisions.length === 0) para(t('pdf.admissibility.noDecisions'), 'italic', 9.5, GREY);
  else
    table(
      [
        { header: t('pdf.member.name'), width: 120 },
        { header: t('pdf.admissibility.finding'), width: 130 },
        { header: t('pdf.admissibility.decision'), width: 75 },
        { header: t('pdf.admissibility.reason'), width: CONTENT_W - 325 },
      ],
      avis.admissibility.decisions.map((d) => ({
        cells: [
          { text: memberName(d.memberId) },
          { text: d.findingKey === 'status' ? t('pdf.admissibility.statusFinding') : flagLabel(d.findingKey) },
          { text: t(`pdf.admissibility.${d.decision ?? 'pending'}`), font: 'bold' },
          { text: d.reason || t('pdf.none') },
        ],
      })),
    );

  // ---- Éligibilité.
  heading(t('pdf.section.eligibility'));
  para(t('pdf.eligibility.rule'), 'italic', 9, GREY);
  const elig = avis.eligibility;
  if (elig.members.length === 0) para(t('pdf.eligibility.noReviews'), 'italic', 9.5, GREY);
  else {
    const answerW = Math.min(95, Math.floor((CONTENT_W - 200) / elig.members.length));
    const critW = CONTENT_W - answerW * elig.members.length;
    table(
      [{ header: t('pdf.eligibility.criterion'), width: critW }, ...elig.members.map((m) => ({ header: memberName(m.memberId), width: answerW }))],
      [
        ...elig.criteria.map((c, i) => ({
          cells: [
            { text: `${i + 1}. ${label(c.label)}`, size: 8.5 },
            ...elig.members.map((m): Cell => {
              const a = m.answers[c.key]?.answer ?? null;
              return { text: t(`pdf.eligibility.${a ?? 'unanswered'}`), font: 'bold', color: a === 'non' ? '#ce0500' : TEXT };
            }),
          ],
        })),
        {
          bg: ROW_BG,
          cells: [
            { text: t('pdf.eligibility.result'), font: 'bold' },
            ...elig.members.map((m): Cell => ({
              text: t('pdf.eligibility.resultValue', { met: m.met, total: m.total, needed: m.needed, outcome: t(`pdf.eligibility.${m.outcome}`) }),
              font: 'bold',
              size: 8.5,
              color: m.outcome === 'majority' ? BLUE : TEXT,
            })),
          ],
        },
      ],
    );
    const notes = elig.members.flatMap((m) =>
      elig.criteria
        .map((c, i) => ({ c, i, note: m.answers[c.key]?.note?.trim() ?? '' }))
        .filter((n) => n.note)
        .map((n) => t('pdf.eligibility.noteItem', { member: memberName(m.memberId), criterion: n.i + 1, note: n.note })),
    );
    if (notes.length) {
      subheading(t('pdf.eligibility.notes'));
      for (const n of notes) para(`• ${n}`, 'regular', 9);
    }
  }

  // ---- Sélection.
  heading(t('pdf.section.selection'));
  para(t('pdf.selection.rule', { min: avis.grid.scale.min, max: avis.grid.scale.max }), 'italic', 9, GREY);
  if (avis.scores.length === 0) para(t('pdf.selection.noReviews'), 'italic', 9.5, GREY);
  else {
    const nameW = 115;
    const scoreW = 55;
    const cols: Column[] = [
      { header: t('pdf.selection.member'), width: nameW },
      { header: t('pdf.selection.score'), width: scoreW },
      { header: t('pdf.selection.justification'), width: CONTENT_W - nameW - scoreW },
    ];
    for (const section of avis.grid.sections) {
      subheading(label(section.label), 150);
      const rows: { cells: Cell[]; bg?: string; full?: boolean; keepWithNext?: number }[] = [];
      section.criteria.forEach((c, ci) => {
        const last = ci === section.criteria.length - 1;
        rows.push({
          full: true,
          bg: ROW_BG,
          keepWithNext: avis.scores.length + (last ? avis.scores.length : 0),
          cells: [{ text: `${t('pdf.selection.criterion', { key: c.key, label: label(c.label) })} (${t('pdf.selection.weight', { weight: num(c.weight) })})`, font: 'bold', size: 9 }],
        });
        avis.scores.forEach((s, si) => {
          const entry = s.scores[c.key];
          const score = entry?.score ?? null;
          rows.push({
            // The section subtotals stay on the page of the section's last criterion.
            keepWithNext: last ? avis.scores.length - si : 0,
            cells: [
              { text: memberName(s.memberId) },
              {
                text: score === null ? t('pdf.selection.notScored') : t('pdf.selection.scoreValue', { score: num(score), max: num(avis.grid.scale.max) }),
                font: score === null ? 'italic' : 'bold',
                color: score === null ? GREY : TEXT,
              },
              entry?.justification?.trim()
                ? { text: entry.justification.trim(), size: 8.5 }
                : { text: t('pdf.selection.noJustification'), font: 'italic', size: 8.5, color: GREY },
            ],
          });
        });
        // The committee's consensus in séance, next to the members' scores (issue 6).
        const agreed = avis.consensus?.scores[c.key];
        if (avis.consensus)
          rows.push({
            bg: HEAD_BG,
            cells: [
              { text: t('meeting.avisPdf.consensus'), font: 'bold', color: BLUE },
              agreed
                ? { text: t('pdf.selection.scoreValue', { score: num(agreed.score), max: num(avis.grid.scale.max) }), font: 'bold', color: BLUE }
                : { text: t('pdf.selection.notScored'), font: 'italic', color: GREY },
              { text: agreed?.note.trim() || t('meeting.avisPdf.noNote'), size: 8.5, font: agreed?.note.trim() ? 'regular' : 'italic' },
            ],
          });
      });
      for (const s of avis.scores) {
        const sub = s.sections.find((x) => x.key === section.key);
        rows.push({
          bg: HEAD_BG,
          cells: [
            { text: memberName(s.memberId), font: 'bold', color: BLUE },
            { text: sub ? `${num(sub.subtotal)} / ${num(sub.max)}` : t('pdf.none'), font: 'bold', color: BLUE },
            { text: t('pdf.selection.subtotal', { section: label(section.label) }), font: 'bold', color: BLUE },
          ],
        });
      }
      table(cols, rows);
    }
    subheading(t('pdf.selection.totals'));
    const secW = Math.floor((CONTENT_W - 130 - 95) / Math.max(1, avis.grid.sections.length));
    table(
      [
        { header: t('pdf.selection.member'), width: 130 },
        ...avis.grid.sections.map((s) => ({ header: label(s.label), width: secW })),
        { header: t('pdf.selection.total'), width: CONTENT_W - 130 - secW * avis.grid.sections.length },
      ],
      avis.scores.map((s) => ({
        cells: [
          { text: memberName(s.memberId) + (s.complete ? '' : `\n(${t('pdf.selection.incomplete')})`), font: 'bold' },
          ...avis.grid.sections.map((sec): Cell => {
            const sub = s.sections.find((x) => x.key === sec.key);
            return { text: sub ? `${num(sub.subtotal)} / ${num(sub.max)}` : t('pdf.none') };
          }),
          { text: `${num(s.total)} / ${num(s.max)}`, font: 'bold', color: BLUE, size: 10 },
        ],
      })),
    );
  }

  if (avis.consensus)
    para(
      t('meeting.avisPdf.total', { total: num(avis.consensus.total), max: num(avis.consensus.max), date: fmtDate(avis.consensus.meeting.heldOn) }),
      'bold',
      10.5,
      BLUE,
    );

  // ---- Avis.
  heading(t('pdf.section.avis'), 140);
  if (avis.consensus) para(t('meeting.avisPdf.decidedInMeeting', { date: fmtDate(avis.consensus.meeting.heldOn) }), 'italic', 9, GREY);
  {
    const verdict = avis.avis ? t(`pdf.avis.${avis.avis}`) : t('pdf.avis.undecided');
    const color = avis.avis === 'defavorable' ? '#ce0500' : avis.avis ? BLUE : GREY;
    const motivation = avis.motivation.trim() || t('pdf.avis.noMotivation');
    const innerW = CONTENT_W - 24;
    const boxH = 18 + heightOf(verdict, 'bold', 15, innerW) + 8 + heightOf(t('pdf.avis.motivation'), 'bold', 9.5, innerW) + 4;
    ensure(boxH + 40);
    const top = y;
    setFont('bold', 15, color).text(verdict, MARGIN.left + 16, y + 10, { width: innerW });
    y = doc.y + 8;
    setFont('bold', 9.5, GREY).text(t('pdf.avis.motivation'), MARGIN.left + 16, y, { width: innerW });
    y = doc.y + 3;
    // The motivation may run over a page: draw the left rule per page segment.
    const startPage = doc.bufferedPageRange().start + doc.bufferedPageRange().count - 1;
    setFont(avis.motivation.trim() ? 'regular' : 'italic', 10, TEXT).text(motivation, MARGIN.left + 16, y, { width: innerW, lineGap: 1.5 });
    const endPage = doc.bufferedPageRange().start + doc.bufferedPageRange().count - 1;
    y = doc.y + 10;
    if (startPage === endPage) doc.rect(MARGIN.left, top, 4, y - top).fill(color);
    else {
      doc.switchToPage(startPage);
      doc.rect(MARGIN.left, top, 4, BOTTOM - top).fill(color);
      doc.switchToPage(endPage);
      doc.rect(MARGIN.left, MARGIN.top, 4, y - MARGIN.top).fill(color);
    }
    y += 6;
  }
  if (avis.scores.length) {
    subheading(t('pdf.avis.proposals'));
    table(
      [
        { header: t('pdf.member.name'), width: 130 },
        { header: t('pdf.member.role'), width: 130 },
        { header: t('pdf.avis.review'), width: 110 },
        { header: t('pdf.avis.proposed'), width: CONTENT_W - 370 },
      ],
      avis.scores.map((s) => {
        const m = memberById.get(s.memberId);
        return {
          cells: [
            { text: memberName(s.memberId), font: 'bold' },
            { text: m ? t(`pdf.role.${m.role}`) : t('pdf.none') },
            { text: s.status === 'submitted' ? t('pdf.avis.submitted', { date: fmtDate(s.submittedAt) }) : t('pdf.avis.draft') },
            { text: s.avis ? t(`pdf.avis.${s.avis}`) : t('pdf.avis.undecided'), font: 'bold' },
          ],
        };
      }),
    );
  }

  // ---- Phase 2.
  heading(t('pdf.section.phase2'));
  para(avis.phase2Recommendation ? t('pdf.phase2.yes') : t('pdf.phase2.no'), 'bold', 10.5, avis.phase2Recommendation ? BLUE : TEXT);

  // ---- Recusals, then the signature block: kept together so the signature never stands alone.
  ensure(300);
  heading(t('pdf.section.recusals'));
  if (avis.recusals.length === 0) para(t('pdf.recusals.none'), 'italic', 9.5, GREY);
  else for (const r of avis.recusals) para(`• ${t('pdf.recusals.item', { member: memberName(r.memberId), reason: r.reason || t('pdf.none') })}`, 'regular', 9.5);

  // ---- Signature block (kept together on one page, right half).
  ensure(200);
  y += 18;
  const signer = avis.members.find((m) => m.role === 'correspondant');
  const sx = MARGIN.left + CONTENT_W / 2;
  const sw = CONTENT_W / 2;
  const blank = t('pdf.signature.blank');
  setFont('regular', 10, TEXT).text(
    t('pdf.signature.madeAt', { place: options.place?.trim() || blank, date: options.signedOn ? fmtDate(options.signedOn) : blank }),
    sx,
    y,
    { width: sw },
  );
  y = doc.y + 10;
  if (signer) {
    setFont('bold', 10.5, TEXT).text(signer.name, sx, y, { width: sw });
    setFont('regular', 9.5, TEXT).text(t(`pdf.role.${signer.role}`), sx, doc.y + 1, { width: sw });
    setFont('regular', 9.5, TEXT).text(avis.region.name, sx, doc.y, { width: sw });
  } else {
    setFont('italic', 9.5, GREY).text(t('pdf.signature.signer'), sx, y, { width: sw });
    setFont('regular', 10, TEXT).text(blank + blank, sx, doc.y + 4, { width: sw });
  }
  y = doc.y + 10;
  setFont('bold', 9.5, GREY).text(t('pdf.signature.label'), sx, y, { width: sw });
  y = doc.y + 4;
  doc.rect(sx, y, sw, 80).lineWidth(0.8).strokeColor('#929292').stroke();
  y += 80;

  // ---- Per page: running header (pages 2+), watermark, footer with page numbers.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const saved = doc.page.margins;
    doc.page.margins = { top: 0, bottom: 0, left: 0, right: 0 };
    if (i > range.start) {
      setFont('regular', 8, GREY).text(
        `${t('pdf.title', { grid: gridLabel })} — ${t('pdf.dossierRef', { number: avis.dossier.number })}`,
        MARGIN.left,
        32,
        { width: CONTENT_W, lineBreak: false, ellipsis: true },
      );
      doc.moveTo(MARGIN.left, 46).lineTo(MARGIN.left + CONTENT_W, 46).lineWidth(0.5).strokeColor(RULE).stroke();
    }
    if (avis.state === 'draft') {
      doc.save();
      doc.rotate(-45, { origin: [PAGE.width / 2, PAGE.height / 2] });
      doc.fillOpacity(0.1);
      const mark = t('pdf.draft');
      doc.font(fonts.bold).fontSize(100);
      const size = Math.min(110, (100 * 700) / doc.widthOfString(mark));
      setFont('bold', size, '#ce0500').text(mark, PAGE.width / 2 - 500, PAGE.height / 2 - size * 0.6, {
        width: 1000,
        align: 'center',
        lineBreak: false,
      });
      doc.restore();
    }
    const fy = PAGE.height - 40;
    doc.moveTo(MARGIN.left, fy - 8).lineTo(MARGIN.left + CONTENT_W, fy - 8).lineWidth(0.5).strokeColor(RULE).stroke();
    setFont('regular', 8, GREY).text(
      t('pdf.footer', { grid: gridLabel, number: avis.dossier.number, version: avis.dossier.version }),
      MARGIN.left,
      fy,
      { width: CONTENT_W - 90, lineBreak: false, ellipsis: true },
    );
    setFont('bold', 8, TEXT).text(t('pdf.page', { page: i - range.start + 1, pages: range.count }), MARGIN.left + CONTENT_W - 90, fy, {
      width: 90,
      align: 'right',
      lineBreak: false,
    });
    doc.page.margins = saved;
  }

  doc.end();
  return done;
}
