import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openDatabase } from '../../../main/core/db/open';
import { seedDemo } from '../../../main/core/demo';
import { dossierHistory, verifyJournal } from '../../../main/core/review/audit';
import { getActiveMember, listMembers } from '../../../main/core/review/members';
import { getDossierReviews } from '../../../main/core/review/reviews';
import { tempDir } from '../../support/tmp';

let cleanup = () => {};
afterEach(() => cleanup());

describe('demo members and reviews', () => {
  it('adds three members, the reviews of two of them and the committee once, through the journal', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const db = openDatabase(join(t.dir, 'store.sqlite'));
    const now = new Date('2021-07-05T09:00:00Z');
    expect(seedDemo(db, now)).toEqual({ campaignId: 1, created: true, dossiers: 6 });
    const members = listMembers(db);
    expect(members.map((m) => m.role)).toEqual(['correspondant', 'cress', 'expert']);
    expect(getActiveMember(db)?.role).toBe('correspondant');
    const counts = db.prepare("SELECT status, count(*) AS n FROM reviews GROUP BY status ORDER BY status").all();
    expect(counts).toEqual([
      { status: 'draft', n: 2 },
      { status: 'submitted', n: 4 },
    ]);
    const journal = (db.prepare('SELECT count(*) AS n FROM audit_journal').get() as { n: number }).n;
    expect(journal).toBeGreaterThan(100);
    expect(verifyJournal(db)).toEqual({ ok: true, entries: journal });

    const ids = (db.prepare('SELECT id FROM dossiers ORDER BY deposited_at, number').all() as { id: number }[]).map((r) => r.id);
    const second = getDossierReviews(db, ids[1]!);
    expect(second.reviews).toHaveLength(2);
    expect(second.divergent.map((d) => d.key)).toEqual(['V2', 'O2']);
    // The CRESS review of the first dossier was typed by the correspondent: both are recorded.
    const typedFor = dossierHistory(db, ids[0]!).filter((h) => h.memberId === members[1]!.id);
    expect(typedFor.length).toBeGreaterThan(0);
    expect(typedFor.filter((h) => h.action !== 'submit').every((h) => h.keyboardMemberId === members[0]!.id)).toBe(true);
    expect(typedFor.find((h) => h.action === 'submit')?.keyboardMemberId).toBeNull();

    expect(seedDemo(db, now)).toEqual({ campaignId: 1, created: false, dossiers: 6 });
    expect(listMembers(db)).toHaveLength(3);
    expect(db.prepare('SELECT count(*) AS n FROM assignments').get()).toEqual({ n: 6 });
    // The expert's organisation is a partner of one dossier: a proposed conflict, not a recusal.
    const conflicts = db.prepare('SELECT c.member_id, d.number, c.status, c.source FROM conflicts c JOIN dossiers d ON d.id = c.dossier_id').all();
    expect(conflicts).toEqual([{ member_id: members[2]!.id, number: 5401010, status: 'proposed', source: 'detected' }]);
    expect((db.prepare('SELECT count(*) AS n FROM audit_journal').get() as { n: number }).n).toBe(journal);
    db.close();
  });
});
