import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildPackage } from '../../../main/core/package/build';
import { verifyPackageBytes } from '../../../main/core/package/verify';
import { deterministicZip } from '../../../main/core/package/zip';
import type { AvisDocument } from '../../../main/core/package/avis';
import { createMeeting, endMeeting, enterDossier, setAttendance } from '../../../main/core/meeting/meetings';
import { recordConsensus, recordDecision } from '../../../main/core/meeting/consensus';
import { selectionCriteria } from '../../../main/core/review/scoring';
import { campaignGrid } from '../../../main/core/store/campaigns';
import { CLOCK, demoStore } from '../package/support';

let cleanup = () => {};
afterEach(() => cleanup());

const T = (m: number) => new Date(Date.parse('2026-06-10T08:00:00.000Z') + m * 60_000);

/** The demo store after a séance that decided its first dossier. */
function decided() {
  const s = demoStore();
  cleanup = s.cleanup;
  const db = s.store.db;
  const campaignId = (db.prepare('SELECT id FROM campaigns').get() as { id: number }).id;
  const grid = campaignGrid(db, campaignId)!;
  const meeting = createMeeting(db, campaignId, { heldOn: '2026-06-10', place: 'Dijon', keyboardMemberId: s.memberId }, T(0));
  const members = (db.prepare('SELECT id FROM members').all() as { id: number }[]).map((m) => m.id);
  for (const m of members) setAttendance(db, meeting.id, m, true, T(1));
  const dossierId = meeting.order[0]!.dossierId;
  enterDossier(db, meeting.id, dossierId, T(2));
  recordConsensus(db, meeting.id, dossierId, Object.fromEntries(selectionCriteria(grid).map((c) => [c.key, { score: 2, note: `Accord sur ${c.key}.` }])), T(5));
  recordDecision(db, meeting.id, dossierId, { avis: 'defavorable', motivation: 'Décision du comité en séance.', phase2: false, votes: 'Unanimité.', targetB: true }, T(6));
  endMeeting(db, meeting.id, T(10));
  const number = (db.prepare('SELECT number FROM dossiers WHERE id = ?').get(dossierId) as { number: number }).number;
  return { s, db, number };
}

describe('package with a séance', () => {
  it('uses the committee decision and consensus, and carries proces-verbal.pdf listed and hashed like the other files', async () => {
    const { s, db, number } = decided();
    const built = await buildPackage(db, { signer: s.signer, now: () => CLOCK });
    const pv = built.files.get('proces-verbal.pdf');
    expect(pv?.subarray(0, 5).toString()).toBe('%PDF-');
    expect(built.manifest.files.map((f) => f.path)).toContain('proces-verbal.pdf');
    expect(built.files.get('SHA256SUMS')!.toString()).toMatch(/^[0-9a-f]{64} {2}proces-verbal\.pdf$/m);

    const avis = JSON.parse(built.files.get(`avis/${number}.json`)!.toString('utf8')) as AvisDocument;
    expect(avis.avis).toBe('defavorable');
    expect(avis.motivation).toBe('Décision du comité en séance.');
    expect(avis.consensus).toMatchObject({ meeting: { heldOn: '2026-06-10', place: 'Dijon' }, complete: true, votes: 'Unanimité.' });
    expect(avis.consensus!.scores.V1).toMatchObject({ score: 2, note: 'Accord sur V1.' });
    expect(avis.consensus!.targets).toEqual({ b: true, c: null });
    // Every member's individual scores are still there beside the consensus.
    expect(avis.scores.length).toBeGreaterThanOrEqual(2);
    expect(avis.scores.every((m) => typeof m.scores.V1?.score === 'number')).toBe(true);
    const others = [...built.files.keys()].filter((p) => /^avis\/\d+\.json$/.test(p) && p !== `avis/${number}.json`);
    for (const p of others) expect((JSON.parse(built.files.get(p)!.toString('utf8')) as AvisDocument).consensus).toBeNull();

    const file = join(s.dir, 'avis.pdf');
    writeFileSync(file, built.files.get(`avis/${number}.pdf`)!);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain('Consensus du comité');
    expect(text).toContain('Accord sur V1.');

    expect(await verifyPackageBytes(built.zip)).toMatchObject({ ok: true, reasons: [] });
    // Byte-identical across runs.
    expect(Buffer.compare(built.zip, (await buildPackage(db, { signer: s.signer, now: () => CLOCK })).zip)).toBe(0);
  });

  it('rejects a changed procès-verbal', async () => {
    const { s, db } = decided();
    const built = await buildPackage(db, { signer: s.signer, now: () => CLOCK, renderPdf: null });
    const files = new Map(built.files);
    const pv = Buffer.from(files.get('proces-verbal.pdf')!);
    pv.writeUInt8(pv.readUInt8(pv.length - 20) ^ 1, pv.length - 20);
    files.set('proces-verbal.pdf', pv);
    const r = await verifyPackageBytes(await deterministicZip(files));
    expect(r.ok).toBe(false);
    expect(r.reasons).toContainEqual({ code: 'file_changed', path: 'proces-verbal.pdf' });
  });

  it('stays byte-identical with a procès-verbal in other time zones', async () => {
    const { s, db } = decided();
    db.pragma('wal_checkpoint(TRUNCATE)');
    const here = createHash('sha256').update((await buildPackage(db, { signer: s.signer, now: () => CLOCK })).zip).digest('hex');
    for (const tz of ['Pacific/Noumea', 'America/Cayenne']) {
      const r = spawnSync(
        process.execPath,
        ['--import', 'tsx', 'test/main/package/tz-child.ts', s.dbPath, String(s.memberId), 'demo passphrase', CLOCK.toISOString()],
        { cwd: join(__dirname, '../../..'), env: { ...process.env, TZ: tz }, encoding: 'utf8' },
      );
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout.split(' ')[0], tz).toBe(here);
    }
  });

  it('has no procès-verbal without a séance', async () => {
    const s = demoStore();
    cleanup = s.cleanup;
    const built = await buildPackage(s.store.db, { signer: s.signer, now: () => CLOCK, renderPdf: null });
    expect([...built.files.keys()].some((p) => p.startsWith('proces-verbal'))).toBe(false);
  });
});
