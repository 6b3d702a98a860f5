/**
 * Generates a realistic démarches-simplifiées export of N dossiers (~15 KB of rubric text each),
 * from the header row of the default CSV fixture, so benchmarks need no committed data.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import yazl from 'yazl';
import { join } from 'node:path';
import Papa from 'papaparse';
import ExcelJS from 'exceljs';

const FIXTURE = join(
  import.meta.dirname,
  '../../../shared/fixtures/ds/ami-2021-bourgogne-franche-comte/dossiers_ami-ptce-emergents_2021-07-08_09-30.csv',
);

const WORDS =
  'coopération territoriale économie sociale solidaire emploi durable insertion mutualisation acteurs locaux collectivités entreprises associations recherche innovation sociale gouvernance partagée ancrage territorial transition écologique circuits courts formation financement animation réseau partenaires filière quartier prioritaire ruralité revitalisation industrie'.split(
    ' ',
  );

/** Deterministic pseudo-random text (xorshift), so runs are comparable. */
function textGenerator(seed: number) {
  let x = seed || 1;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
  return (chars: number) => {
    const out: string[] = [];
    let n = 0;
    while (n < chars) {
      const w = WORDS[Math.floor(next() * WORDS.length)]!;
      out.push(w);
      n += w.length + 1;
    }
    return out.join(' ').replace(/^./, (c) => c.toUpperCase()) + '.';
  };
}

export interface Generated {
  headers: string[];
  rows: string[][];
}

export function generateDossiers(count: number, textPerDossier = 15_000): Generated {
  const parsed = Papa.parse<string[]>(readFileSync(FIXTURE, 'utf8'), { skipEmptyLines: true });
  const [headers, ...templates] = parsed.data;
  if (!headers || templates.length === 0) throw new Error('fixture CSV not found or empty');
  const rubricColumns = headers
    .map((h, i) => ({ h, i }))
    .filter(({ h }) => /^(Description|Identification|Mode de gouvernance|Actions|Plan d'action|Implication|Mise en réseau|Perspectives)/.test(h))
    .map(({ i }) => i);
  const idColumn = headers.indexOf('ID');
  const text = textGenerator(42);
  const perRubric = Math.floor(textPerDossier / rubricColumns.length);
  const rows: string[][] = [];
  for (let k = 0; k < count; k++) {
    const row = [...templates[k % templates.length]!];
    row[idColumn] = String(6_000_000 + k);
    for (const c of rubricColumns) row[c] = text(perRubric);
    rows.push(row);
  }
  return { headers, rows };
}

export function toCsv(g: Generated): string {
  return Papa.unparse({ fields: g.headers, data: g.rows }, { newline: '\n' });
}

/** The same dossiers as a DS XLSX export (sheet « Dossiers »), written with exceljs's streaming writer. */
export async function writeXlsx(g: Generated, path: string): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet('Dossiers');
  sheet.addRow(g.headers).commit();
  for (const row of g.rows) sheet.addRow(row).commit();
  sheet.commit();
  workbook.addWorksheet('Etablissements').commit();
  workbook.addWorksheet('Avis').commit();
  await workbook.commit();
}

/**
 * A démarches-simplifiées ZIP export of about `totalMB` MB for the given dossier numbers: per dossier its
 * `export-<n>.pdf` and pièces justificatives, PDF-like blobs (`%PDF-` header, incompressible bytes, each
 * unique), stored uncompressed like PDFs mostly are. Blobs are produced lazily while yazl writes, so this
 * process never holds more than one chunk.
 */
export async function writeDsZip(numbers: number[], totalMB: number, path: string): Promise<void> {
  const filesPerDossier = 5;
  const blobBytes = Math.max(64 * 1024, Math.floor((totalMB * 1024 * 1024) / (numbers.length * filesPerDossier)));
  const noise = randomBytes(1024 * 1024);
  const zip = new yazl.ZipFile();
  const done = new Promise<void>((resolve, reject) => {
    const out = createWriteStream(path);
    out.on('close', resolve);
    out.on('error', reject);
    zip.outputStream.pipe(out);
  });
  const blob = (label: string) =>
    Readable.from(
      (function* () {
        const head = Buffer.from(`%PDF-1.7\n% ${label}\n`);
        yield head;
        let left = blobBytes - head.length;
        while (left > 0) {
          const n = Math.min(left, noise.length);
          yield noise.subarray(0, n);
          left -= n;
        }
      })(),
    );
  for (const n of numbers) {
    zip.addReadStream(blob(`dossier ${n}`), `export/dossier-${n}/export-${n}-08-07-2021-09-30-1.pdf`, { compress: false, size: blobBytes });
    for (let k = 1; k < filesPerDossier; k++) {
      zip.addReadStream(blob(`dossier ${n} piece ${k}`), `export/dossier-${n}/pieces_justificatives/piece-${k}.pdf`, {
        compress: false,
        size: blobBytes,
      });
    }
  }
  zip.end();
  await done;
}
