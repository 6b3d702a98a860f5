import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { seedDemo } from '../../../main/core/demo';
import { nullLogger } from '../../../main/core/log';
import { openRuntime, type Runtime } from '../../../main/core/runtime';
import { getSetting, setSetting } from '../../../main/core/store/settings';
import { tempDir } from '../../support/tmp';

const NOW = new Date('2024-03-01T12:00:00Z');
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).reverse().forEach((c) => c()));

function open() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const asked: string[] = [];
  const answers: { destination: string | null; restore: string | null } = { destination: null, restore: null };
  const events: { event: string; payload: unknown }[] = [];
  const rt: Runtime = openRuntime({
    dbPath: join(t.dir, 'store', 'store.sqlite'),
    log: nullLogger,
    now: () => NOW,
    dialogs: {
      chooseArchiveDestination: async (name) => {
        asked.push(name);
        return answers.destination;
      },
      chooseArchiveToRestore: async () => answers.restore,
    },
    emit: (event, payload) => void events.push({ event, payload }),
  });
  cleanups.push(() => rt.close());
  seedDemo(rt.store.db, NOW);
  setSetting(rt.store.db, 'marker', 'saved');
  return { rt, dir: t.dir, asked, answers, events };
}

describe("'backup:saveAs' and 'backup:restore'", () => {
  it('save-as proposes a dated name, writes the archive where the user chose, reports progress', async () => {
    const { rt, dir, asked, answers, events } = open();
    answers.destination = join(dir, 'chosen.zip');
    const result = await rt.dispatch('backup:saveAs', {});
    expect(asked).toEqual([`comite-ptce-sauvegarde-${NOW.toLocaleDateString('sv-SE')}.comite-ptce.zip`]);
    expect(result).toMatchObject({ ok: true, value: { file: answers.destination } });
    expect(existsSync(answers.destination)).toBe(true);
    const progress = events.filter((e) => e.event === 'backup:progress').map((e) => e.payload as { done: number; total: number });
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.length).toBeLessThanOrEqual(101);
    expect(progress.at(-1)!.done).toBe(progress.at(-1)!.total);
  });

  it('a cancelled dialog returns null and writes nothing', async () => {
    const { rt, dir } = open();
    expect(await rt.dispatch('backup:saveAs', {})).toEqual({ ok: true, value: null });
    expect(await rt.dispatch('backup:restore', {})).toEqual({ ok: true, value: null });
    expect(readdirSync(dir)).toEqual(['store']);
  });

  it('save-as to an unwritable place fails with backup_failed', async () => {
    const { rt, dir, answers } = open();
    const blocker = join(dir, 'is-a-file');
    writeFileSync(blocker, '');
    answers.destination = join(blocker, 'inside.zip');
    expect(await rt.dispatch('backup:saveAs', {})).toEqual({ ok: false, error: { code: 'backup_failed' } });
  });

  it('restore replaces the store, emits store:changed, and the handlers read the restored data', async () => {
    const { rt, dir, answers, events } = open();
    answers.destination = join(dir, 'save.zip');
    await rt.dispatch('backup:saveAs', {});
    setSetting(rt.store.db, 'marker', 'changed');
    answers.restore = answers.destination;
    expect(await rt.dispatch('backup:restore', {})).toEqual({ ok: true, value: { restoredFrom: answers.destination } });
    expect(events.filter((e) => e.event === 'store:changed')).toEqual([{ event: 'store:changed', payload: { reason: 'restored' } }]);
    expect(getSetting(rt.store.db, 'marker')).toBe('saved');
    const info = await rt.dispatch('app:info', {});
    expect(info).toMatchObject({ ok: true, value: { integrity: 'ok', dossiers: 6 } });
  });

  it('restore of an invalid file fails with backup_invalid, emits nothing and keeps the data', async () => {
    const { rt, dir, answers, events } = open();
    mkdirSync(join(dir, 'x'));
    answers.restore = join(dir, 'x', 'not-a-zip.zip');
    writeFileSync(answers.restore, 'PK\u0003\u0004 but not really');
    expect(await rt.dispatch('backup:restore', {})).toEqual({ ok: false, error: { code: 'backup_invalid' } });
    expect(events.filter((e) => e.event === 'store:changed')).toEqual([]);
    expect(getSetting(rt.store.db, 'marker')).toBe('saved');
  });
});
