import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
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

describe('meeting handlers', () => {
  it('run a séance over IPC and save its procès-verbal where the dialog says', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const target = join(t.dir, 'pv.pdf');
    let asked = '';
    let minute = 0;
    const rt = (runtime = openRuntime({
      dbPath: join(t.dir, 'store.sqlite'),
      log: nullLogger,
      now: () => new Date(Date.UTC(2021, 6, 9, 8, minute++)),
      dialogs: {
        chooseArchiveDestination: async () => null,
        chooseArchiveToRestore: async () => null,
        chooseMinutesDestination: async (name) => {
          asked = name;
          return target;
        },
      },
    }));
    seedDemo(rt.store.db, new Date(Date.UTC(2021, 6, 1)));
    const campaignId = (rt.store.db.prepare('SELECT id FROM campaigns').get() as { id: number }).id;
    const members = (await rt.handlers['member:list']({})).map((m) => m.id);
    const created = await rt.handlers['meeting:create']({ campaignId, setup: { heldOn: '2021-07-09', place: 'Dijon', keyboardMemberId: members[0]! } });
    const meetingId = created.id;
    expect(created.order.length).toBeGreaterThan(0);
    expect((await rt.dispatch('meeting:setOrder', { meetingId, dossierIds: [1, 1] })).ok).toBe(false);
    for (const m of members) await rt.dispatch('meeting:attendance', { meetingId, memberId: m, present: true });
    const dossierId = created.order[0]!.dossierId;
    await rt.dispatch('meeting:enter', { meetingId, dossierId });
    const decided = await rt.dispatch('meeting:decision', { meetingId, dossierId, decision: { avis: 'favorable', motivation: 'OK' } });
    expect(decided).toMatchObject({ ok: true, value: { decision: { avis: 'favorable' } } });
    const bad = await rt.dispatch('meeting:consensus', { meetingId, dossierId, scores: { V1: { score: 99, note: '' } } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect((await rt.dispatch('meeting:end', { meetingId })).ok).toBe(true);
    const saved = await rt.dispatch('meeting:savePv', { meetingId });
    expect(saved).toMatchObject({ ok: true, value: { file: target } });
    expect(asked).toBe('proces-verbal_27_2021-07-09.pdf');
    expect(existsSync(target) && readFileSync(target).subarray(0, 5).toString()).toBe('%PDF-');
    // In the UI language: French by default, the preference when set, the language given above all.
    const text = () => execFileSync('pdftotext', ['-enc', 'UTF-8', target, '-'], { encoding: 'utf8' });
    expect(text()).toContain('Procès-verbal de la séance du comité régional');
    await rt.handlers['prefs:set']({ language: 'en' });
    expect(await rt.dispatch('meeting:savePv', { meetingId })).toMatchObject({ ok: true });
    expect(text()).toContain('Minutes of the regional committee meeting');
    expect(await rt.dispatch('meeting:savePv', { meetingId, lang: 'fr' })).toMatchObject({ ok: true });
    expect(text()).toContain('Procès-verbal de la séance du comité régional');
    expect(await rt.handlers['meeting:list']({ campaignId })).toHaveLength(1);
  });
});
