/**
 * Child process for the kill -9 tests (security.md §2.1). Opens the store with the app's own
 * openDatabase (WAL, synchronous=FULL, real migrations) and loops: one transaction = one batch
 * of BATCH_SIZE dossiers (each with its version row and every rubric) + the setting
 * `crash.batch` = n; after each COMMIT it prints `ACK n`.
 *
 * Run: node --import tsx test/support/crash-writer.ts <dbPath> [maxBatches]
 */
import { openDatabase } from '../../main/core/db/open';
import { DEFAULT_GRID } from '../../main/core/grid';
import { createCampaign } from '../../main/core/store/campaigns';
import { insertDossier } from '../../main/core/store/dossiers';
import { getSetting, setSetting } from '../../main/core/store/settings';
import { RUBRIC_KEYS } from '../../shared/domain/rubrics';
import { CRASH_BATCH_SIZE, CRASH_CAMPAIGN } from './crash-check';

const [dbPath, maxArg] = process.argv.slice(2);
if (!dbPath) throw new Error('usage: crash-writer <dbPath> [maxBatches]');
const maxBatches = maxArg ? Number(maxArg) : Infinity;

const db = openDatabase(dbPath);
const at = '2024-01-01T00:00:00.000Z';
let campaignId = (db.prepare('SELECT id FROM campaigns WHERE name = ?').get(CRASH_CAMPAIGN) as { id: number } | undefined)
  ?.id;
if (campaignId === undefined) {
  campaignId = db.transaction(() =>
    createCampaign(db, {
      name: CRASH_CAMPAIGN,
      ami: 'PTCE émergents',
      wave: 1,
      phase: 1,
      regionCode: '27',
      deadline: at,
      grid: DEFAULT_GRID,
      createdAt: at,
    }),
  )();
}
const cid = campaignId;
const filler = 'x'.repeat(400);
const rubrics = Object.fromEntries(RUBRIC_KEYS.map((k) => [k, filler]));

const writeBatch = db.transaction((batch: number) => {
  for (let i = 0; i < CRASH_BATCH_SIZE; i++) {
    insertDossier(db, {
      campaignId: cid,
      number: batch * CRASH_BATCH_SIZE + i,
      projectName: `P${batch}-${i}`,
      structureName: 'S',
      structureAddress: '',
      legalForm: '',
      esus: '',
      siret: '',
      contactName: '',
      contactFunction: '',
      contactEmail: '',
      contactPhone: '',
      regionCode: '27',
      commune: '',
      communeInsee: '',
      fragileTerritories: '',
      depositedAt: null,
      dsState: 'en_construction',
      source: 'crash-writer',
      raw: { batch, i },
      importedAt: at,
      rubrics,
    });
  }
  setSetting(db, 'crash.batch', String(batch));
});

let batch = Number(getSetting(db, 'crash.batch') ?? '0') + 1;
process.stdout.write('READY\n');
for (let n = 0; n < maxBatches; n++, batch++) {
  writeBatch(batch);
  process.stdout.write(`ACK ${batch}\n`);
}
db.close();
