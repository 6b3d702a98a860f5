import ExcelJS from 'exceljs';
import type { SynthesisView } from '../../../shared/domain/synthesis';
import { neutralise, rezip } from '../package/tables';
import { writeFileAtomic } from '../package/zip';

/**
 * The regional synthesis as XLSX: sheets « Classement », « Critères », « Divergences », « Phase 2 »,
 * each with a bold frozen header row, column widths and number formats. Imported and typed texts
 * (project and structure names) are neutralised against formula injection (the OWASP rule of
 * synthese.csv); computed numbers stay numbers; missing values are empty cells. The archive is
 * re-zipped with fixed entry times, so the same synthesis and `createdAt` give the same bytes.
 */

/** French column headers and values (the XLSX is a document for the PESSII, in French). */
const FR = {
  sheets: { ranking: 'Classement', criteria: 'Critères', divergences: 'Divergences', phase2: 'Phase 2' },
  avis: { favorable: 'Favorable', favorable_reserves: 'Favorable avec réserves', defavorable: 'Défavorable' } as Record<string, string>,
  pending: 'Pas encore en séance',
  yes: 'oui',
  no: 'non',
  source: { committee: 'comité', reviews: 'majorité des évaluations', none: '' } as Record<string, string>,
};

type Cell = string | number | null;

const text = (s: string): string => neutralise(s);
const yn = (b: boolean | null): string => (b === null ? '' : b ? FR.yes : FR.no);

function sheet(
  wb: ExcelJS.Workbook,
  name: string,
  columns: { header: string; width: number; numFmt?: string }[],
  rows: Cell[][],
): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }] });
  ws.columns = columns.map((c) => ({ header: c.header, width: c.width, style: c.numFmt ? { numFmt: c.numFmt } : {} }));
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).alignment = { vertical: 'middle', wrapText: true };
  for (const r of rows) ws.addRow(r.map((c) => (typeof c === 'string' ? text(c) : c)));
  // Header cells keep a plain style (no number format).
  ws.getRow(1).eachCell((cell) => {
    cell.numFmt = 'General';
  });
  return ws;
}

export async function synthesisXlsx(view: SynthesisView, createdAt: Date): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'comite-ptce';
  wb.lastModifiedBy = 'comite-ptce';
  wb.created = createdAt;
  wb.modified = createdAt;
  const total = '0.###';

  sheet(
    wb,
    FR.sheets.ranking,
    [
      { header: 'Rang', width: 8, numFmt: '0' },
      { header: 'Ex aequo', width: 10 },
      { header: 'N° dossier', width: 12, numFmt: '0' },
      { header: 'Projet', width: 40 },
      { header: 'Structure porteuse', width: 34 },
      { header: 'Total consensus', width: 16, numFmt: total },
      { header: `Total maximum`, width: 14, numFmt: total },
      { header: 'Évaluations soumises', width: 14, numFmt: '0' },
      { header: 'Moyenne des totaux', width: 16, numFmt: '0.00' },
      { header: 'Médiane des totaux', width: 16, numFmt: total },
      { header: 'Total minimum', width: 14, numFmt: total },
      { header: 'Total maximum individuel', width: 16, numFmt: total },
      { header: 'Avis du comité', width: 24 },
      { header: 'Phase 2 (comité)', width: 14 },
      { header: 'Cible b', width: 9 },
      { header: 'Cible c', width: 9 },
      { header: 'Source des cibles', width: 24 },
      { header: 'Critères divergents', width: 14, numFmt: '0' },
    ],
    view.dossiers.map((d) => [
      d.rank,
      d.exAequo ? FR.yes : '',
      d.number,
      d.project,
      d.structure,
      d.consensusTotal,
      view.maxTotal,
      d.individual.count,
      d.individual.mean,
      d.individual.median,
      d.individual.min,
      d.individual.max,
      d.committee ? (d.committee.avis ? FR.avis[d.committee.avis]! : '') : FR.pending,
      d.committee ? yn(d.committee.phase2) : '',
      yn(d.targets.b),
      yn(d.targets.c),
      FR.source[d.targets.source] ?? '',
      d.divergentCount,
    ]),
  );

  const values = Array.from({ length: view.scale.max - view.scale.min + 1 }, (_, i) => view.scale.min + i);
  sheet(
    wb,
    FR.sheets.criteria,
    [
      { header: 'Critère', width: 10 },
      { header: 'Section', width: 14 },
      { header: 'Intitulé', width: 60 },
      { header: 'Pondération', width: 12, numFmt: '0.##' },
      ...values.map((v) => ({ header: `Notes individuelles = ${v}`, width: 14, numFmt: '0' })),
      { header: 'Moyenne', width: 10, numFmt: '0.00' },
      ...values.map((v) => ({ header: `Consensus = ${v}`, width: 14, numFmt: '0' })),
    ],
    view.distributions.map((c) => [c.key, c.section, c.label.fr, c.weight, ...c.counts, c.mean, ...c.consensusCounts]),
  );

  const keys = view.distributions.map((c) => c.key);
  sheet(
    wb,
    FR.sheets.divergences,
    [
      { header: 'N° dossier', width: 12, numFmt: '0' },
      { header: 'Projet', width: 40 },
      { header: 'Critère', width: 10 },
      { header: 'Note minimum', width: 14, numFmt: '0' },
      { header: 'Note maximum', width: 14, numFmt: '0' },
      { header: 'Écart', width: 10, numFmt: '0' },
      { header: `Au-delà du seuil (${view.threshold})`, width: 18 },
      { header: 'Consensus', width: 12, numFmt: '0' },
    ],
    view.dossiers.flatMap((d) =>
      keys.flatMap((k) => {
        const c = d.criteria.find((x) => x.key === k);
        if (!c || c.spread === null) return [];
        return [[d.number, d.project, k, c.min, c.max, c.spread, c.divergent ? FR.yes : FR.no, c.consensus]];
      }),
    ),
  );

  sheet(
    wb,
    FR.sheets.phase2,
    [
      { header: 'Ordre du comité', width: 14, numFmt: '0' },
      { header: 'N° dossier', width: 12, numFmt: '0' },
      { header: 'Projet', width: 40 },
      { header: 'Total consensus', width: 16, numFmt: total },
      { header: 'Cible b', width: 9 },
      { header: 'Cible c', width: 9 },
    ],
    view.phase2.map((p) => [p.position, p.number, p.project, p.consensusTotal, yn(p.targets.b), yn(p.targets.c)]),
  );

  const raw = Buffer.from(await wb.xlsx.writeBuffer());
  return rezip(raw);
}

/** Builds the XLSX and writes it atomically (temp file, fsync, rename). */
export async function exportSynthesisXlsx(view: SynthesisView, path: string, createdAt: Date): Promise<{ path: string; size: number }> {
  const bytes = await synthesisXlsx(view, createdAt);
  writeFileAtomic(path, bytes);
  return { path, size: bytes.length };
}
