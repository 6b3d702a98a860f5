import ExcelJS from 'exceljs';
import yauzl from 'yauzl';
import type { AvisDocument } from './avis';
import { deterministicZip } from './zip';

/**
 * synthese.csv and synthese.xlsx: one row per dossier. Imported and typed texts are neutralised
 * against spreadsheet formula injection (OWASP CSV Injection): a cell starting with = + - @ tab
 * CR or LF gets a leading apostrophe; in the CSV every text cell is quoted. Computed numbers are
 * written as numbers.
 */
export const SYNTHESE_COLUMNS = [
  'numero',
  'projet',
  'structure',
  'etat',
  'avis',
  'phase2',
  'evaluations_soumises',
  'total_moyen',
  'total_max',
  'motivation',
] as const;

type Cell = string | number | null;

const mean = (xs: number[]): number | null =>
  xs.length === 0 ? null : Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 1000) / 1000;

export function syntheseRows(docs: readonly AvisDocument[]): Cell[][] {
  return docs.map((d) => {
    const submitted = d.scores.filter((s) => s.status === 'submitted');
    return [
      d.dossier.number,
      d.dossier.project,
      d.dossier.structure,
      d.state,
      d.avis ?? '',
      d.phase2Recommendation ? 'oui' : 'non',
      submitted.length,
      mean(submitted.map((s) => s.total)),
      submitted[0]?.max ?? d.scores[0]?.max ?? null,
      d.motivation,
    ];
  });
}

/** A text cell made inert for spreadsheets. */
export function neutralise(text: string): string {
  return /^[=+\-@\t\r\n]/.test(text) ? `'${text}` : text;
}

const csvCell = (c: Cell): string =>
  c === null ? '' : typeof c === 'number' ? String(c) : `"${neutralise(c).replace(/"/g, '""')}"`;

/** UTF-8 with BOM, `;` separated, CRLF (what French Excel opens correctly). */
export function syntheseCsv(docs: readonly AvisDocument[]): Buffer {
  const lines = [SYNTHESE_COLUMNS.map((h) => csvCell(h)).join(';'), ...syntheseRows(docs).map((r) => r.map(csvCell).join(';'))];
  return Buffer.from('\uFEFF' + lines.join('\r\n') + '\r\n', 'utf8');
}

/** The same table as XLSX: strings as shared strings (never formulas), numbers as numbers, then re-zipped deterministically. */
export async function syntheseXlsx(docs: readonly AvisDocument[], createdAt: Date): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'comite-ptce';
  wb.lastModifiedBy = 'comite-ptce';
  wb.created = createdAt;
  wb.modified = createdAt;
  const ws = wb.addWorksheet('synthese');
  ws.addRow([...SYNTHESE_COLUMNS]);
  for (const row of syntheseRows(docs)) {
    ws.addRow(row.map((c) => (typeof c === 'string' ? neutralise(c) : c)));
  }
  const raw = Buffer.from(await wb.xlsx.writeBuffer());
  return rezip(raw);
}

/** Re-writes an archive with fixed entry times, keeping its entry order (exceljs stamps the current time). */
export function rezip(archive: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(archive, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('zip'));
      const files = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error('entry'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            files.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
          stream.on('error', reject);
        });
      });
      zip.on('end', () => deterministicZip(files, { keepOrder: true }).then(resolve, reject));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}
