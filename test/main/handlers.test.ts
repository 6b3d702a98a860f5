import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openRuntime, type Runtime } from '../../main/core/runtime';
import { seedDemo } from '../../main/core/demo';
import { nullLogger } from '../../main/core/log';
import { tempDir } from '../support/tmp';

let runtime: Runtime | undefined;
let cleanup = () => {};
afterEach(() => {
  runtime?.close();
  runtime = undefined;
  cleanup();
});

function open(now = () => new Date('2021-07-08T09:30:00Z')) {
  const t = tempDir();
  cleanup = t.cleanup;
  runtime = openRuntime({ dbPath: join(t.dir, 'store.sqlite'), log: nullLogger, now });
  return runtime;
}

describe('handlers on the demo store', () => {
  it('the demo is created once and the campaign reads back', async () => {
    const rt = open();
    const first = seedDemo(rt.store.db, new Date());
    const second = seedDemo(rt.store.db, new Date());
    expect(first).toMatchObject({ created: true, dossiers: 6 });
    expect(second).toEqual({ campaignId: first.campaignId, created: false, dossiers: 6 });
    const [campaign] = await rt.handlers['campaign:list']({});
    expect(campaign).toMatchObject({
      name: 'AMI PTCE émergents 2021 — phase 1',
      regionCode: '27',
      deadline: '2021-06-23T22:00:00.000Z',
      gridId: 'ami-ptce-emergents-2021-phase1',
      charactersPerPage: 3000,
      charactersPerLine: 80,
      dossierCount: 6,
    });
  });

  it('lists dossiers in deposit order with normalised instants', async () => {
    const rt = open();
    const { campaignId } = seedDemo(rt.store.db, new Date());
    const dossiers = await rt.handlers['dossier:list']({ campaignId });
    expect(dossiers.map((d) => d.number)).toEqual([5157673, 5349504, 4813832, 5401010, 5220756, 4916164]);
    // "2021-05-12 11:10:46 +0200" in the DS export
    expect(dossiers[0]!.depositedAt).toBe('2021-05-12T09:10:46.000Z');
    expect(dossiers.find((d) => d.number === 5220756)!.regionCode).toBe('32');
  });

  it('reads one dossier with its rubrics and their limits from the grid', async () => {
    const rt = open();
    const { campaignId } = seedDemo(rt.store.db, new Date());
    const d = await rt.handlers['dossier:get']({ campaignId, number: 5157673 });
    expect(d.rubrics).toHaveLength(10);
    const gouvernance = d.rubrics.find((r) => r.key === 'gouvernance')!;
    expect(gouvernance).toMatchObject({ limitChars: 15 * 80, required: true });
    expect(gouvernance.length).toBe([...gouvernance.content].length);
    expect(d.rubrics.find((r) => r.key === 'perimetre')!.limitChars).toBe(1500);
    expect(d.rubrics.find((r) => r.key === 'implication')).toMatchObject({ required: false, content: '' });
  });

  it('remembers the language, French by default', async () => {
    const rt = open();
    expect(await rt.handlers['prefs:get']({})).toEqual({ language: 'fr' });
    await rt.handlers['prefs:set']({ language: 'en' });
    expect(await rt.handlers['prefs:get']({})).toEqual({ language: 'en' });
  });

  it('reports schema version, counts and integrity', async () => {
    const rt = open();
    seedDemo(rt.store.db, new Date());
    expect(await rt.handlers['app:info']({})).toMatchObject({ schemaVersion: expect.any(Number), campaigns: 1, dossiers: 6, integrity: 'ok' });
  });

  it('takes a backup on demand and lists it', async () => {
    const rt = open(() => new Date('2026-11-23T10:00:00Z'));
    seedDemo(rt.store.db, new Date());
    const b = await rt.handlers['backup:now']({});
    expect(b.createdAt).toBe('2026-11-23T10:00:00.000Z');
    expect((await rt.handlers['backup:list']({})).map((x) => x.file)).toEqual([b.file]);
    expect((await rt.handlers['app:info']({})).lastBackupAt).toBe(b.createdAt);
  });
});
