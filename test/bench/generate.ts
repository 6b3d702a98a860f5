/**
 * Generates a realistic démarches-simplifiées export of N dossiers (~15 KB of rubric text each),
 * from the header row of the default CSV fixture, so benchmarks need no committed data.
 */
import { readFileSync } from 'node:fs';
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
