import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { openRuntime, type Runtime } from '../../main/core/runtime';
import { seedDemo } from '../../main/core/demo';
import { nullLogger } from '../../main/core/log';
import { createDispatcher } from '../../main/core/ipc/dispatch';
import { synthesisFileName } from '../../main/core/handlers-synthesis';
import { tempDir } from '../support/tmp';

let runtime: Runtime | undefined;
let cleanup = () => {};
afterEach(() => {
  runtime?.close();
  runtime = undefined;
  cleanup();
});

function open(choose: (name: string) => Promise<string | null>) {
  const t = tempDir();
  cleanup = t.cleanup;
  runtime = openRuntime({
    dbPath: join(t.dir, 'store.sqlite'),
    log: nullLogger,
    now: () => new Date('2021-07-09T08:00:00Z'),
    dialogs: {
      chooseArchiveDestination: async () => null,
      chooseArchiveToRestore: async () => null,
      chooseSynthesisDestination: choose,
    },
  });
  const { campaignId } = seedDemo(runtime.store.db, new Date('2021-07-08T09:30:00Z'));
  return { rt: runtime, campaignId, dir: t.dir };
}

describe('synthesis handlers', () => {
  it('synthesis:get ranks the demo dossiers by the mean of submitted reviews (no séance yet)', async () => {
    const { rt, campaignId } = open(async () => null);
    const v = await rt.handlers['synthesis:get']({ campaignId });
    expect(v.dossiers).toHaveLength(6);
    const ranked = v.dossiers.filter((d) => d.rank !== null);
    expect(ranked.length).toBeGreaterThan(0);
    expect(ranked.every((d) => d.consensusTotal === null && d.committee === null && d.individual.count > 0)).toBe(true);
    const means = ranked.map((d) => d.individual.mean!);
    expect(means).toEqual([...means].sort((a, b) => b - a));
    // Spreads come from the submitted reviews only: the demo's diverging review is a draft.
    const spreads = v.dossiers.flatMap((d) => d.criteria).filter((c) => c.spread !== null);
    expect(spreads.length).toBeGreaterThan(0);
    expect(spreads.every((c) => c.divergent === c.spread! >= v.threshold)).toBe(true);
    expect(v.phase2).toEqual([]);
  });

  it('synthesis:export writes the XLSX where the dialog says, and nothing when cancelled', async () => {
    let answer: string | null = null;
    let asked = '';
    const { rt, campaignId, dir } = open(async (name) => {
      asked = name;
      return answer;
    });
    expect(await rt.handlers['synthesis:export']({ campaignId })).toBeNull();
    expect(asked).toMatch(/^synthese-regionale-\d+-2021-07-09\.xlsx$/);
    answer = join(dir, 'out.xlsx');
    const r = await rt.handlers['synthesis:export']({ campaignId });
    expect(r).toEqual({ file: answer, size: expect.any(Number) });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(answer);
    expect(wb.getWorksheet('Classement')!.rowCount).toBe(7);
  });

  it('synthesis:reorderPhase2 refuses anything but the shortlist (validation through the dispatcher)', async () => {
    const { rt, campaignId } = open(async () => null);
    const dispatch = createDispatcher(rt.handlers, nullLogger);
    const r = await dispatch('synthesis:reorderPhase2', { campaignId, dossierIds: [1] });
    expect(r).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(await dispatch('synthesis:get', { campaignId: 999 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('names the file after the region and the local day', () => {
    expect(synthesisFileName('27', new Date(2021, 6, 9, 12))).toBe('synthese-regionale-27-2021-07-09.xlsx');
  });
});
