import {
  BLUE,
  GREY,
  HEAD_BG,
  ROW_BG,
  RULE,
  TEXT,
  openPdf,
  translator,
  type PdfLang,
} from '../package/pdf/avis-pdf';
import type { Label } from '../../../shared/domain/meeting';
import type { PvDossier, PvMember, ProcesVerbal } from './pv';

/**
 * The procès-verbal PDF (`proces-verbal.pdf` in the package): the minutes of a séance, ready to
 * be signed by the correspondent and the chair. Same look as the avis PDF (Marianne, bleu France,
 * A4). Deterministic: dates come from the séance, times are printed in Europe/Paris.
 */
export interface PvPdfOptions {
  lang: PdfLang;
  fontDir?: string | null;
}

const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = { top: 62, bottom: 62, left: 56, right: 56 };
const CONTENT_W = PAGE.width - MARGIN.left - MARGIN.right;
const BOTTOM = PAGE.height - MARGIN.bottom;
const RED = '#ce0500';

type FontKind = 'regular' | 'bold' | 'italic';
interface Cell {
  text: string;
  font?: FontKind;
  color?: string;
  size?: number;
  align?: 'left' | 'center' | 'right';
}

export function pvDocumentDate(pv: ProcesVerbal): Date {
  const t = Date.parse(pv.meeting.endedAt ?? pv.meeting.startedAt ?? `${pv.meeting.heldOn}T12:00:00Z`);
  return new Date(Number.isNaN(t) ? Date.UTC(2021, 0, 1) : t);
}

export async function renderPvPdf(pv: ProcesVerbal, options: PvPdfOptions): Promise<Buffer> {
  const { lang } = options;
  const t = translator(lang);
  const locale = lang === 'fr' ? 'fr-FR' : 'en-GB';
  const num = (n: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: 2, useGrouping: false }).format(n);
  const dateFmt = new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Paris' });
  const timeFmt = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Paris' });
  const day = (ymd: string) => dateFmt.format(new Date(`${ymd}T12:00:00Z`));
  const hm = (iso: string | null) => (iso ? timeFmt.format(new Date(iso)) : '—');
  const label = (l: Label) => (lang === 'en' && l.en ? l.en : l.fr);
  const when = pvDocumentDate(pv);
  const title = t('meeting.pv.title');

  const { doc, fonts, done } = openPdf({
    margins: MARGIN,
    locale,
    info: {
      Title: `${title} — ${day(pv.meeting.heldOn)}`,
      Author: t('pdf.committee', { region: pv.region.name }),
      Subject: pv.campaign.name,
    },
    when,
    fontDir: options.fontDir,
  });
  const typo = (text: string) => text.replace(/« /g, '«\u00a0').replace(/ »/g, '\u00a0»');
  let y = MARGIN.top;
  const setFont = (f: FontKind = 'regular', size = 10, color = TEXT) => doc.font(fonts[f]).fontSize(size).fillColor(color);
  const heightOf = (text: string, f: FontKind, size: number, width: number) => {
    doc.font(fonts[f]).fontSize(size);
    return doc.heightOfString(typo(text), { width, lineGap: 1 });
  };
  const write = (text: string, x: number, top: number, width: number, opts: PDFKit.Mixins.TextOptions = {}) =>
    doc.text(typo(text), x, top, { width, lineGap: 1, ...opts });
  const ensure = (h: number) => {
    if (y + h > BOTTOM) {
      doc.addPage();
      y = MARGIN.top;
    }
  };
  const para = (text: string, f: FontKind = 'regular', size = 10, color = TEXT) => {
    ensure(Math.min(heightOf(text, f, size, CONTENT_W), 40));
    setFont(f, size, color);
    write(text, MARGIN.left, y, CONTENT_W);
    y = doc.y + 4;
  };
  const heading = (text: string, keep = 60, size = 13) => {
    ensure(keep + 30);
    y += 12;
    setFont('bold', size, BLUE);
    write(text, MARGIN.left, y, CONTENT_W);
    y = doc.y + 3;
    doc.moveTo(MARGIN.left, y).lineTo(MARGIN.left + CONTENT_W, y).lineWidth(1.2).strokeColor(BLUE).stroke();
    y += 8;
  };
  const PAD = 4;
  const rowHeight = (cells: Cell[], widths: number[]) =>
    Math.max(...cells.map((c, i) => heightOf(c.text, c.font ?? 'regular', c.size ?? 9, (widths[i] ?? 0) - 2 * PAD))) + 2 * PAD;
  const drawRow = (cells: Cell[], widths: number[], bg?: string) => {
    const h = rowHeight(cells, widths);
    if (bg) doc.rect(MARGIN.left, y, CONTENT_W, h).fill(bg);
    let x = MARGIN.left;
    cells.forEach((c, i) => {
      const w = widths[i] ?? 0;
      setFont(c.font, c.size ?? 9, c.color ?? TEXT);
      write(c.text, x + PAD, y + PAD, w - 2 * PAD, { align: c.align ?? 'left' });
      x += w;
    });
    y += h;
    doc.moveTo(MARGIN.left, y).lineTo(MARGIN.left + CONTENT_W, y).lineWidth(0.5).strokeColor(RULE).stroke();
  };
  /** A table whose header repeats after a page break; rows are never split. */
  const table = (headers: Cell[], widths: number[], rows: { cells: Cell[]; bg?: string }[]) => {
    const head = headers.map((h) => ({ ...h, font: 'bold' as const, color: BLUE }));
    const hh = rowHeight(head, widths);
    // Starts with its first three rows at least (or all of them when fewer).
    ensure(hh + rows.slice(0, 3).reduce((sum, r) => sum + rowHeight(r.cells, widths), 0));
    drawRow(head, widths, HEAD_BG);
    for (const r of rows) {
      if (y + rowHeight(r.cells, widths) > BOTTOM) {
        doc.addPage();
        y = MARGIN.top;
        drawRow(head, widths, HEAD_BG);
      }
      drawRow(r.cells, widths, r.bg);
    }
    y += 6;
  };
  const keyValues = (pairs: [string, string][]) => {
    const lw = 150;
    for (const [k, v] of pairs) {
      const h = Math.max(heightOf(k, 'bold', 9.5, lw - 8), heightOf(v, 'regular', 9.5, CONTENT_W - lw)) + 6;
      ensure(h);
      setFont('bold', 9.5, GREY);
      write(k, MARGIN.left, y + 3, lw - 8);
      setFont('regular', 9.5, TEXT);
      write(v, MARGIN.left + lw, y + 3, CONTENT_W - lw);
      y += h;
      doc.moveTo(MARGIN.left, y).lineTo(MARGIN.left + CONTENT_W, y).lineWidth(0.5).strokeColor(RULE).stroke();
    }
    y += 6;
  };
  const who = (m: PvMember | null) => (m ? `${m.name} (${t(`pdf.role.${m.role}`)}${m.organisation ? `, ${m.organisation}` : ''})` : t('meeting.pv.nobody'));
  const avisText = (a: string | null) => (a ? t(`pdf.avis.${a}`) : t('pdf.avis.undecided'));
  const yesNo = (v: boolean | null) => t(v === null ? 'meeting.pv.targetUnknown' : v ? 'meeting.pv.targetYes' : 'meeting.pv.targetNo');
  const targetsText = (tg: PvDossier['targets']) =>
    t('meeting.pv.targetsValue', {
      b: yesNo(tg.b),
      c: yesNo(tg.c),
      source: t(tg.source === 'committee' ? 'meeting.pv.targetsCommittee' : 'meeting.pv.targetsReviews'),
    });

  // ---- Header (République Française block-mark, committee) and title.
  setFont('bold', 11.5);
  doc.text(t('pdf.republic'), MARGIN.left, MARGIN.top - 20, { width: 150, lineGap: -1 });
  setFont('italic', 8.5);
  doc.text(t('pdf.motto'), MARGIN.left, doc.y + 5, { width: 150, lineGap: -1 });
  const markBottom = doc.y;
  const rightX = MARGIN.left + 220;
  const rightW = CONTENT_W - 220;
  setFont('bold', 10);
  doc.text(t('pdf.committee', { region: pv.region.name }), rightX, MARGIN.top - 20, { width: rightW, align: 'right' });
  setFont('regular', 9, GREY);
  doc.text(t('meeting.pv.campaign', { name: pv.campaign.name, wave: pv.campaign.wave, phase: pv.campaign.phase }), rightX, doc.y + 2, {
    width: rightW,
    align: 'right',
  });
  y = Math.max(markBottom, doc.y) + 28;
  setFont('bold', 19, BLUE);
  write(title, MARGIN.left, y, CONTENT_W);
  y = doc.y + 4;
  setFont('regular', 11.5);
  write(t('meeting.pv.subtitle', { date: day(pv.meeting.heldOn) }), MARGIN.left, y, CONTENT_W);
  y = doc.y + 8;
  if (!pv.meeting.endedAt) {
    const h = heightOf(t('meeting.pv.notEnded'), 'bold', 9.5, CONTENT_W - 20) + 12;
    doc.rect(MARGIN.left, y, 4, h).fill('#b34000');
    doc.rect(MARGIN.left + 4, y, CONTENT_W - 4, h).fill('#fff4f3');
    setFont('bold', 9.5, '#b34000');
    write(t('meeting.pv.notEnded'), MARGIN.left + 14, y + 6, CONTENT_W - 20);
    y += h + 6;
  }

  // ---- The séance.
  heading(t('meeting.pv.section.meeting'));
  keyValues([
    [t('meeting.pv.field.date'), day(pv.meeting.heldOn)],
    [t('meeting.pv.field.place'), pv.meeting.place || t('pdf.notProvided')],
    [t('meeting.pv.field.hours'), t('meeting.pv.field.hoursValue', { start: hm(pv.meeting.startedAt), end: hm(pv.meeting.endedAt) })],
    [t('meeting.pv.field.chair'), who(pv.chair)],
    [t('meeting.pv.field.keyboard'), who(pv.keyboard)],
    [t('meeting.pv.field.grid'), `${label(pv.grid.label)} — ${t('meeting.pv.field.threshold', { threshold: pv.grid.threshold })}`],
  ]);

  // ---- Attendance and quorum.
  heading(t('meeting.pv.section.attendance'));
  if (pv.attendance.length === 0) para(t('meeting.pv.noAttendance'), 'italic', 9.5, GREY);
  else
    table(
      [{ text: t('pdf.member.name') }, { text: t('pdf.member.role') }, { text: t('pdf.member.organisation') }, { text: t('meeting.pv.arrived') }, { text: t('meeting.pv.departed') }],
      [130, 110, CONTENT_W - 130 - 110 - 130, 65, 65],
      pv.attendance.map((a) => ({
        cells: [{ text: a.name, font: 'bold' }, { text: t(`pdf.role.${a.role}`) }, { text: a.organisation }, { text: hm(a.arrivedAt) }, { text: hm(a.departedAt) }],
      })),
    );
  const q = pv.quorum;
  para(
    t(q.rule === 'fixed' ? 'meeting.pv.quorumFixed' : 'meeting.pv.quorumMajority', { present: q.present, required: q.required, active: q.active }),
    'bold',
    10.5,
    q.met ? BLUE : RED,
  );
  para(q.met ? t('meeting.pv.quorumMet') : t('meeting.pv.quorumNotMet'), 'regular', 9.5, q.met ? TEXT : RED);

  // ---- Order of the day (kept whole with its heading when it fits on a page).
  const orderRows = pv.dossiers.map((d) => heightOf(d.project, 'regular', 9, CONTENT_W - 26 - 60 - 80 - 120 - 2 * PAD) + 2 * PAD);
  ensure(Math.min(BOTTOM - MARGIN.top - 40, 90 + orderRows.reduce((a, b) => a + b, 0)));
  heading(t('meeting.pv.section.order'));
  if (pv.dossiers.length === 0) para(t('meeting.pv.noDossiers'), 'italic', 9.5, GREY);
  else
    table(
      [{ text: '#' }, { text: t('pdf.field.number') }, { text: t('pdf.field.project') }, { text: t('meeting.pv.consensusTotal') }, { text: t('meeting.pv.avis') }],
      [26, 60, CONTENT_W - 26 - 60 - 80 - 120, 80, 120],
      pv.dossiers.map((d) => ({
        cells: [
          { text: String(d.position) },
          { text: String(d.number), font: 'bold' },
          { text: d.project },
          { text: `${num(d.total.total)} / ${num(d.total.max)}${d.total.complete ? '' : ' *'}` },
          { text: avisText(d.decision?.avis ?? null), font: 'bold', color: d.decision?.avis === 'defavorable' ? RED : d.decision?.avis ? BLUE : GREY },
        ],
      })),
    );
  if (pv.dossiers.some((d) => !d.total.complete)) para(t('meeting.pv.incompleteNote'), 'italic', 8.5, GREY);

  // ---- Each dossier.
  for (const d of pv.dossiers) {
    heading(t('meeting.pv.dossierHeading', { position: d.position, number: d.number, project: d.project }), 160, 12);
    if (d.structure) para(d.structure, 'regular', 9.5, GREY);
    if (d.departures.length) {
      for (const dep of d.departures)
        para(
          dep.returnedAt
            ? t('meeting.pv.leftReturned', { name: dep.name, left: hm(dep.leftAt), back: hm(dep.returnedAt) })
            : t('meeting.pv.left', { name: dep.name, left: hm(dep.leftAt) }),
          'bold',
          9.5,
          RED,
        );
    } else para(t('meeting.pv.noRecusal'), 'italic', 9, GREY);
    const memberW = d.reviewers.length ? Math.min(36, Math.floor(150 / d.reviewers.length)) : 0;
    const fixedW = 40 + 64 + memberW * d.reviewers.length;
    const critW = Math.floor((CONTENT_W - fixedW) * 0.56);
    const noteW = CONTENT_W - fixedW - critW;
    table(
      [
        { text: t('meeting.pv.criterion') },
        ...d.reviewers.map((r) => ({ text: r.name.split(' ').map((p) => p[0] ?? '').join(''), align: 'center' as const })),
        { text: t('meeting.pv.spread'), align: 'center' },
        { text: t('meeting.pv.consensus'), align: 'center' },
        { text: t('meeting.pv.note') },
      ],
      [critW, ...d.reviewers.map(() => memberW), 40, 64, noteW],
      d.criteria.map((c): { cells: Cell[]; bg?: string } => ({
        bg: c.divergent ? '#fff4f3' : undefined,
        cells: [
          { text: `${c.key} ${label(c.label)}`, size: 7.5 },
          ...d.reviewers.map((r): Cell => ({ text: c.scores[r.id] == null ? '—' : String(c.scores[r.id]), align: 'center' })),
          { text: c.spread === null ? '—' : String(c.spread), align: 'center', font: c.divergent ? 'bold' : 'regular', color: c.divergent ? RED : TEXT },
          { text: c.consensus ? `${c.consensus.score} / ${pv.grid.scale.max}` : '—', align: 'center', font: 'bold', color: c.consensus ? BLUE : GREY },
          { text: c.consensus?.note || '', size: 8.5 },
        ],
      })).concat([
        {
          bg: ROW_BG,
          cells: [
            { text: t('meeting.pv.total'), font: 'bold' },
            ...d.reviewers.map((): Cell => ({ text: '' })),
            { text: '' },
            { text: `${num(d.total.total)} / ${num(d.total.max)}`, font: 'bold', color: BLUE, align: 'center' },
            { text: d.total.complete ? '' : t('meeting.pv.incomplete'), font: 'italic', color: GREY },
          ],
        },
      ]),
    );
    // The legend stays with the table's last rows rather than heading the next page alone.
    if (d.reviewers.length && y + 24 <= BOTTOM)
      para(t('meeting.pv.legend', { members: d.reviewers.map((r) => `${r.name.split(' ').map((p) => p[0] ?? '').join('')} = ${r.name}`).join(' · ') }), 'italic', 8, GREY);
    const dec = d.decision;
    keyValues([
      [t('meeting.pv.avis'), avisText(dec?.avis ?? null)],
      [t('meeting.pv.motivation'), dec?.motivation.trim() || t('pdf.avis.noMotivation')],
      [t('meeting.pv.targets'), targetsText(d.targets)],
      [t('meeting.pv.phase2'), dec?.phase2 ? t('pdf.phase2.yes') : t('pdf.phase2.no')],
      [t('meeting.pv.votes'), dec?.votes.trim() || t('meeting.pv.noVotes')],
    ]);
  }

  // ---- Closing and signatures (kept together).
  ensure(230);
  y += 10;
  para(t('meeting.pv.closing', { end: hm(pv.meeting.endedAt), date: day(pv.meeting.heldOn) }), 'regular', 10);
  y += 10;
  const colW = (CONTENT_W - 24) / 2;
  const block = (x: number, role: string, m: PvMember | null) => {
    let by = y;
    setFont('bold', 9.5, GREY);
    write(role, x, by, colW);
    by = doc.y + 4;
    setFont('bold', 10.5);
    write(m ? m.name : t('pdf.signature.blank'), x, by, colW);
    by = doc.y + 1;
    if (m) {
      setFont('regular', 9.5);
      write(m.organisation || t(`pdf.role.${m.role}`), x, by, colW);
      by = doc.y;
    }
    by += 6;
    setFont('regular', 9, GREY);
    write(t('pdf.signature.label'), x, by, colW);
    by = doc.y + 4;
    doc.rect(x, by, colW, 80).lineWidth(0.8).strokeColor('#929292').stroke();
    return by + 80;
  };
  const end = Math.max(block(MARGIN.left, t('meeting.pv.signCorrespondent'), pv.correspondent), block(MARGIN.left + colW + 24, t('meeting.pv.signChair'), pv.chair));
  y = end + 10;

  // ---- Running header and footer on every page.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const saved = doc.page.margins;
    doc.page.margins = { top: 0, bottom: 0, left: 0, right: 0 };
    if (i > range.start) {
      setFont('regular', 8, GREY);
      doc.text(`${title} — ${day(pv.meeting.heldOn)}`, MARGIN.left, 32, { width: CONTENT_W, lineBreak: false, ellipsis: true });
      doc.moveTo(MARGIN.left, 46).lineTo(MARGIN.left + CONTENT_W, 46).lineWidth(0.5).strokeColor(RULE).stroke();
    }
    const fy = PAGE.height - 40;
    doc.moveTo(MARGIN.left, fy - 8).lineTo(MARGIN.left + CONTENT_W, fy - 8).lineWidth(0.5).strokeColor(RULE).stroke();
    setFont('regular', 8, GREY);
    doc.text(t('meeting.pv.footer', { region: pv.region.name, date: pv.meeting.heldOn }), MARGIN.left, fy, { width: CONTENT_W - 90, lineBreak: false, ellipsis: true });
    setFont('bold', 8);
    doc.text(t('pdf.page', { page: i - range.start + 1, pages: range.count }), MARGIN.left + CONTENT_W - 90, fy, { width: 90, align: 'right', lineBreak: false });
    doc.page.margins = saved;
  }
  doc.end();
  return done;
}
