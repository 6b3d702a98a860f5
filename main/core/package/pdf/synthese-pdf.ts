import type { AvisDocument } from '../avis';
import { avisDocumentDate, openPdf, translator, type PdfLang } from './avis-pdf';

/**
 * `synthese.pdf` in the review package: the one page (or few) a correspondant régional signs to
 * send the committee's avis to the PESSII — every exported dossier with its state, the number of
 * submitted reviews, the mean weighted total, the committee avis and the phase-2 recommendation,
 * then the totals and a signature block. Same look as the avis PDFs (Marianne, bleu France),
 * A4 landscape. Deterministic: dates come from the avis documents, never from the clock.
 */
export interface SynthesePdfOptions {
  lang: PdfLang;
  fontDir?: string | null;
}

const BLUE = '#000091';
const TEXT = '#161616';
const GREY = '#666666';
const RULE = '#dddddd';
const HEAD_BG = '#ececfe';
const ZEBRA = '#f6f6f6';
const PAGE = { width: 841.89, height: 595.28 };
const MARGIN = { top: 48, bottom: 50, left: 48, right: 48 };
const CONTENT_W = PAGE.width - MARGIN.left - MARGIN.right;
const BOTTOM = PAGE.height - MARGIN.bottom;

const mean = (xs: number[]): number | null => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);

export async function renderSynthesePdf(docs: readonly AvisDocument[], options: SynthesePdfOptions): Promise<Buffer> {
  const { lang } = options;
  const t = translator(lang);
  const locale = lang === 'fr' ? 'fr-FR' : 'en-GB';
  const num = (n: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: 1, minimumFractionDigits: 1, useGrouping: false }).format(n);
  const first = docs[0];
  const region = first?.region.name ?? '';
  const gridLabel = first ? (lang === 'en' && first.grid.label.en ? first.grid.label.en : first.grid.label.fr) : '';
  const when = new Date(Math.max(0, ...docs.map((d) => avisDocumentDate(d).getTime())));
  const draft = docs.some((d) => d.state === 'draft');

  const { doc, fonts, done } = openPdf({
    landscape: true,
    margins: MARGIN,
    locale,
    info: {
      Title: t('packageUi.synthese.title', { region }),
      Author: t('pdf.committee', { region }),
      Subject: first?.campaign.name ?? '',
    },
    when,
    fontDir: options.fontDir,
  });
  type F = 'regular' | 'bold' | 'italic';
  const setFont = (f: F, size: number, color = TEXT) => doc.font(fonts[f]).fontSize(size).fillColor(color);
  let y = MARGIN.top;

  // ---- Header: block-mark, committee and addressee, title.
  setFont('bold', 11.5).text(t('pdf.republic'), MARGIN.left, MARGIN.top - 16, { width: 150, lineGap: -1 });
  setFont('italic', 8.5).text(t('pdf.motto'), MARGIN.left, doc.y + 5, { width: 150, lineGap: -1 });
  const markBottom = doc.y;
  const rightX = MARGIN.left + 300;
  const rightW = CONTENT_W - 300;
  setFont('bold', 10).text(t('pdf.committee', { region }), rightX, MARGIN.top - 16, { width: rightW, align: 'right' });
  setFont('regular', 9, GREY).text(t('pdf.addressee'), rightX, doc.y + 2, { width: rightW, align: 'right' });
  y = Math.max(markBottom, doc.y) + 14;
  setFont('bold', 16, BLUE).text(t('packageUi.synthese.title', { region }), MARGIN.left, y, { width: CONTENT_W });
  y = doc.y + 4;
  if (first)
    setFont('regular', 10.5).text(
      t('packageUi.synthese.subtitle', { campaign: first.campaign.name, wave: first.campaign.wave, phase: first.campaign.phase }),
      MARGIN.left,
      y,
      { width: CONTENT_W },
    );
  y = doc.y + 10;
  if (draft) {
    const text = t('packageUi.synthese.draftNotice');
    const h = doc.font(fonts.bold).fontSize(9.5).heightOfString(text, { width: CONTENT_W - 20 }) + 12;
    doc.rect(MARGIN.left, y, 4, h).fill('#b34000');
    doc.rect(MARGIN.left + 4, y, CONTENT_W - 4, h).fill('#fff4f3');
    setFont('bold', 9.5, '#b34000').text(text, MARGIN.left + 14, y + 6, { width: CONTENT_W - 20 });
    y += h + 8;
  }

  // ---- The table of dossiers (header repeated on each page).
  const columns: { key: string; width: number; align?: 'left' | 'right' | 'center' }[] = [
    { key: 'number', width: 52 },
    { key: 'project', width: 222 },
    { key: 'structure', width: 146 },
    { key: 'state', width: 60 },
    { key: 'reviews', width: 58, align: 'right' },
    { key: 'total', width: 64, align: 'right' },
    { key: 'avis', width: 106 },
    { key: 'phase2', width: CONTENT_W - 52 - 222 - 146 - 60 - 58 - 64 - 106 },
  ];
  const PAD = 4;
  const rowHeight = (cells: string[], f: F, size: number) =>
    Math.max(...cells.map((c, i) => doc.font(fonts[f]).fontSize(size).heightOfString(c, { width: columns[i]!.width - 2 * PAD, lineGap: 1 }))) + 2 * PAD;
  const drawRow = (cells: string[], f: F, size: number, color: string, bg?: string) => {
    const h = rowHeight(cells, f, size);
    if (bg) doc.rect(MARGIN.left, y, CONTENT_W, h).fill(bg);
    let x = MARGIN.left;
    cells.forEach((c, i) => {
      const col = columns[i]!;
      setFont(f, size, color).text(c, x + PAD, y + PAD, { width: col.width - 2 * PAD, align: col.align ?? 'left', lineGap: 1 });
      x += col.width;
    });
    y += h;
    doc.moveTo(MARGIN.left, y).lineTo(MARGIN.left + CONTENT_W, y).lineWidth(0.5).strokeColor(RULE).stroke();
  };
  const header = columns.map((c) => t(`packageUi.synthese.columns.${c.key}`));
  const drawHeader = () => drawRow(header, 'bold', 8.5, BLUE, HEAD_BG);
  drawHeader();
  const avisLabel = (a: AvisDocument['avis']) => (a ? t(`pdf.avis.${a}`) : t('pdf.avis.undecided'));
  docs.forEach((d, i) => {
    const submitted = d.scores.filter((s) => s.status === 'submitted');
    const avg = mean(submitted.map((s) => s.total));
    const max = submitted[0]?.max ?? d.scores[0]?.max ?? null;
    const cells = [
      String(d.dossier.number),
      d.dossier.project || t('pdf.notProvided'),
      d.dossier.structure || t('pdf.notProvided'),
      t(`packageUi.synthese.state.${d.state}`),
      String(submitted.length),
      avg === null ? t('pdf.none') : max === null ? num(avg) : `${num(avg)} / ${max}`,
      avisLabel(d.avis),
      d.phase2Recommendation ? t('pdf.yes') : t('pdf.no'),
    ];
    if (y + rowHeight(cells, 'regular', 8.5) > BOTTOM) {
      doc.addPage();
      y = MARGIN.top;
      drawHeader();
    }
    drawRow(cells, 'regular', 8.5, TEXT, i % 2 === 1 ? ZEBRA : undefined);
  });

  // ---- Totals and signature, kept together.
  const counts = {
    total: docs.length,
    ready: docs.filter((d) => d.state === 'ready').length,
    favorable: docs.filter((d) => d.avis === 'favorable').length,
    favorable_reserves: docs.filter((d) => d.avis === 'favorable_reserves').length,
    defavorable: docs.filter((d) => d.avis === 'defavorable').length,
    undecided: docs.filter((d) => !d.avis).length,
    phase2: docs.filter((d) => d.phase2Recommendation).length,
  };
  // Totals (left) and the signature box (right), measured and kept together on one page.
  const lh = (f: F, size: number, text = 'Ag', width = 500) => doc.font(fonts[f]).fontSize(size).heightOfString(text, { width, lineGap: 1 });
  const colW = CONTENT_W / 2 - 20;
  const blank = t('pdf.signature.blank');
  const totalLines = [
    t('packageUi.synthese.totals.dossiers', { count: counts.total, ready: counts.ready }),
    t('packageUi.synthese.totals.avis', {
      favorable: counts.favorable,
      reserves: counts.favorable_reserves,
      defavorable: counts.defavorable,
      undecided: counts.undecided,
    }),
    t('packageUi.synthese.totals.phase2', { count: counts.phase2 }),
  ];
  const SIGN_BOX = 52;
  const totalsH = lh('bold', 12) + 9 + totalLines.reduce((sum, l) => sum + lh('regular', 9, l, colW) + 3, 0);
  const signH =
    lh('regular', 10) + 8 + lh('italic', 9.5) + 6 + lh('bold', 9.5) + 4 + SIGN_BOX;
  const block = 12 + Math.max(totalsH, signH);
  if (y + block > BOTTOM) {
    doc.addPage();
    y = MARGIN.top;
  }
  y += 12;
  const top = y;
  setFont('bold', 12, BLUE).text(t('packageUi.synthese.totalsTitle'), MARGIN.left, y, { width: colW });
  y = doc.y + 3;
  doc.moveTo(MARGIN.left, y).lineTo(MARGIN.left + colW, y).lineWidth(1.2).strokeColor(BLUE).stroke();
  y += 6;
  totalLines.forEach((l, i) => {
    setFont(i === 0 ? 'bold' : 'regular', 9).text(l, MARGIN.left, y, { width: colW, lineGap: 1 });
    y = doc.y + 3;
  });

  const sx = MARGIN.left + CONTENT_W / 2 + 20;
  const sw = CONTENT_W / 2 - 20;
  let sy = top;
  setFont('regular', 10).text(t('pdf.signature.madeAt', { place: blank, date: blank }), sx, sy, { width: sw });
  sy = doc.y + 8;
  setFont('italic', 9.5, GREY).text(t('pdf.signature.signer'), sx, sy, { width: sw });
  sy = doc.y + 6;
  setFont('bold', 9.5, GREY).text(t('pdf.signature.label'), sx, sy, { width: sw });
  sy = doc.y + 4;
  doc.rect(sx, sy, sw, SIGN_BOX).lineWidth(0.8).strokeColor('#929292').stroke();

  // ---- Footer with page numbers on every page.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const saved = doc.page.margins;
    doc.page.margins = { top: 0, bottom: 0, left: 0, right: 0 };
    const fy = PAGE.height - 36;
    doc.moveTo(MARGIN.left, fy - 8).lineTo(MARGIN.left + CONTENT_W, fy - 8).lineWidth(0.5).strokeColor(RULE).stroke();
    setFont('regular', 8, GREY).text(t('packageUi.synthese.footer', { region, grid: gridLabel }), MARGIN.left, fy, {
      width: CONTENT_W - 90,
      lineBreak: false,
      ellipsis: true,
    });
    setFont('bold', 8).text(t('pdf.page', { page: i - range.start + 1, pages: range.count }), MARGIN.left + CONTENT_W - 90, fy, {
      width: 90,
      align: 'right',
      lineBreak: false,
    });
    doc.page.margins = saved;
  }
  doc.end();
  return done;
}
