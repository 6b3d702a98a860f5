import { afterEach, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import { openRuntime, type Runtime } from '../../../../main/core/runtime';
import { seedDemo } from '../../../../main/core/demo';
import type { Logger } from '../../../../main/core/log';
import { passphraseProtector } from '../../../../main/core/keys/protector';
import { renderAvisPdf } from '../../../../main/core/package/pdf/avis-pdf';
import { avisPdfStore } from '../../../../main/core/package/pdf/avis-pdf-store';
import { startAvisPdfWarmup } from '../../../../main/core/package/pdf/warm';
import { collectAvis } from '../../../../main/core/package/collect';
import { tempDir } from '../../../support/tmp';
import { demoStore } from '../support';

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup.reverse()) c();
  cleanup = [];
});

const cachedCount = (db: import('better-sqlite3').Database) => db.prepare('SELECT count(*) FROM avis_pdf_cache').pluck().get() as number;

describe('avis PDFs rendered ahead of export', () => {
  it('warms in slices of at most sliceSize renders, settles, and re-renders only the avis that changed', async () => {
    const s = demoStore();
    cleanup.push(s.cleanup);
    const db = s.store.db;
    const rendered: number[] = [];
    const warmer = startAvisPdfWarmup({
      db: () => db,
      store: avisPdfStore(() => db),
      render: (avis, o) => {
        rendered.push(avis.dossier.number);
        return renderAvisPdf(avis, o);
      },
      options: { lang: 'fr' },
      sliceSize: 2,
      everyMs: 0,
    });
    cleanup.push(() => warmer.stop());
    const total = db.prepare('SELECT count(*) FROM dossiers').pluck().get() as number;
    const slices: number[] = [];
    for (let n = await warmer.slice(); n > 0; n = await warmer.slice()) slices.push(n);
    expect(slices.every((n) => n <= 2)).toBe(true);
    expect(rendered).toHaveLength(total);
    expect(cachedCount(db)).toBe(total);
    expect(warmer.settled).toBe(true);
    expect(await warmer.slice()).toBe(0);

    // A change to one avis (here its motivation) is noticed and only that PDF is rendered again.
    const { id, number } = db
      .prepare("SELECT r.id, d.number FROM reviews r JOIN dossiers d ON d.id = r.dossier_id WHERE r.status = 'submitted' ORDER BY r.id LIMIT 1")
      .get() as { id: number; number: number };
    db.prepare('UPDATE review_details SET motivation = motivation || ? WHERE review_id = ?').run(' (modifiée)', id);
    expect(warmer.settled).toBe(false);
    rendered.length = 0;
    while ((await warmer.slice()) > 0);
    expect(rendered).toEqual([number]);
    const campaignId = db.prepare('SELECT id FROM campaigns').pluck().get() as number;
    const doc = collectAvis(db, campaignId, 'all').find((d) => d.dossier.number === number)!;
    expect(avisPdfStore(() => db).get(doc, { lang: 'fr' })!.equals(await renderAvisPdf(doc, { lang: 'fr' }))).toBe(true);
  });

  it('the runtime warms the store in idle time on its worker pool, and the export then renders nothing', async () => {
    const t = tempDir();
    cleanup.push(t.cleanup);
    const logged: Record<string, unknown>[] = [];
    const log: Logger = { info: (event, data) => event === 'package.exported' && logged.push(data ?? {}), warn() {}, error() {} };
    const now = new Date(Date.UTC(2021, 6, 9, 8, 0));
    const rt: Runtime = openRuntime({
      dbPath: join(t.dir, 'store.sqlite'),
      log,
      now: () => now,
      keyProtector: passphraseProtector('p'),
      dialogs: {
        chooseArchiveDestination: async () => null,
        chooseArchiveToRestore: async () => null,
        chooseExportDestination: async (name) => join(t.dir, name),
      },
      pdfWorkers: 2,
      warmAvisPdfsEveryMs: 20,
    });
    cleanup.push(() => rt.close());
    seedDemo(rt.store.db, now);
    const total = rt.store.db.prepare('SELECT count(*) FROM dossiers').pluck().get() as number;
    await vi.waitFor(
      () => {
        expect(cachedCount(rt.store.db)).toBe(total);
        expect(rt.store.db.prepare('SELECT count(*) FROM synthese_pdf_cache').pluck().get()).toBe(1);
      },
      { timeout: 60_000, interval: 50 },
    );
    const campaignId = rt.store.db.prepare('SELECT id FROM campaigns').pluck().get() as number;
    const r = await rt.dispatch('package:export', { campaignId, dossiers: 'ready' });
    expect(r).toMatchObject({ ok: true });
    const ready = rt.store.db.prepare("SELECT count(DISTINCT dossier_id) FROM reviews WHERE status = 'submitted'").pluck().get() as number;
    expect(logged).toEqual([expect.objectContaining({ pdfRendered: 0, pdfCached: ready, syntheseRendered: 0 })]);
  });
});
