/**
 * Child process for crash.test.ts: types a justification one character per save (as the UI's
 * debounced autosave would), printing each acknowledged revision, until it is killed.
 */
import { openDatabase } from '../../../main/core/db/open';
import { saveReviewPatch } from '../../../main/core/review/reviews';

const [path, dossier, member] = process.argv.slice(2);
const db = openDatabase(path!);
const text = 'La coopération territoriale associe des structures de l’ESS, des entreprises et la collectivité. ';
for (let i = 1; ; i++) {
  const justification = text.repeat(20).slice(0, i);
  const r = saveReviewPatch(db, {
    dossierId: Number(dossier),
    memberId: Number(member),
    patch: { scores: { V1: { score: 3, justification } } },
    now: new Date(),
  });
  process.stdout.write(`saved ${r.revision} ${i}\n`);
}
