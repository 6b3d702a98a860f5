import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { seedDemo } from '../../main/core/demo';
import { createDispatcher } from '../../main/core/ipc/dispatch';
import { createFileLogger, redactText } from '../../main/core/log';
import { openRuntime } from '../../main/core/runtime';
import { tempDir } from '../support/tmp';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).reverse().forEach((c) => c()));

function dir(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('createFileLogger', () => {
  it('rotates at maxBytes, keeping `keep` older files, oldest dropped, no line lost among those kept', () => {
    const d = dir();
    const log = createFileLogger({ dir: d, maxBytes: 400, keep: 2, now: () => new Date('2024-01-01T00:00:00Z') });
    for (let seq = 0; seq < 40; seq++) log.info('tick', { seq });
    expect(readdirSync(d).sort()).toEqual(['comite-ptce.log', 'comite-ptce.log.1', 'comite-ptce.log.2']);
    const files = ['comite-ptce.log.2', 'comite-ptce.log.1', 'comite-ptce.log'].map((f) => join(d, f));
    for (const f of files) expect(statSync(f).size).toBeLessThanOrEqual(400);
    const seqs = files.flatMap((f) => lines(f).map((l) => l.seq as number));
    expect(seqs.at(-1)).toBe(39);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i)); // contiguous, in order
    expect(seqs[0]).toBeGreaterThan(0); // the oldest lines were dropped
  });

  it('masks e-mails and French/international phone numbers, also inside an Error', () => {
    const d = dir();
    const log = createFileLogger({ dir: d });
    log.warn('import.row', { note: 'contact: marie.dupont@asso-exemple.fr, 06 28 38 53 52' });
    log.error('import.failed', { error: new Error('refused for jean-luc@ptce.org (tel +33 6 28 38 53 52)') });
    log.info('plain', { phone: '0628385352', list: ['a@b.fr'] });
    const text = readFileSync(join(d, 'comite-ptce.log'), 'utf8');
    for (const secret of ['marie.dupont', 'asso-exemple.fr', 'jean-luc', 'ptce.org', '28 38 53 52', '0628385352', 'a@b.fr']) {
      expect(text).not.toContain(secret);
    }
    expect(text.match(/\[email\]/g)).toHaveLength(3);
    expect(text.match(/\[tel\]/g)).toHaveLength(3);
    // The redaction keeps what is not personal.
    expect(redactText('dossier 5157673 refused: code 42')).toBe('dossier 5157673 refused: code 42');
  });
});

describe('no personal data reaches the log through the dispatcher', () => {
  it('a failure on a dossier whose contact e-mail and phone are in the DB does not write them', async () => {
    const rt = openRuntime({ dbPath: join(dir(), 'store.sqlite') });
    cleanups.push(() => rt.close());
    const { campaignId } = seedDemo(rt.store.db, new Date('2024-01-01T00:00:00Z'));
    const contact = rt.store.db
      .prepare("SELECT number, contact_email, contact_phone FROM dossiers WHERE contact_email LIKE '%@%' LIMIT 1")
      .get() as { number: number; contact_email: string; contact_phone: string };
    expect(contact).toBeDefined();

    // A careless handler: reads the dossier and throws an error quoting its contact details.
    const dispatch = createDispatcher(
      {
        ...rt.handlers,
        'dossier:get': async (input) => {
          const row = rt.store.db
            .prepare('SELECT contact_email, contact_phone FROM dossiers WHERE campaign_id = ? AND number = ?')
            .get(input.campaignId, input.number) as { contact_email: string; contact_phone: string };
          throw new Error(`cannot render dossier for ${row.contact_email} / ${row.contact_phone}`);
        },
      },
      rt.log,
    );
    expect(await dispatch('dossier:get', { campaignId, number: contact.number })).toEqual({
      ok: false,
      error: { code: 'internal' },
    });
    // A payload carrying the e-mail is refused by validation; only a count is logged.
    expect(await dispatch('dossier:get', { campaignId, number: contact.number, email: contact.contact_email })).toMatchObject({
      ok: false,
      error: { code: 'validation' },
    });

    const file = join(rt.store.paths.logDir, 'comite-ptce.log');
    expect(existsSync(file)).toBe(true);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('ipc.internal');
    expect(text).toContain('ipc.validation');
    expect(text).not.toContain(contact.contact_email);
    expect(text).not.toContain(contact.contact_email.split('@')[0]);
    expect(contact.contact_phone).not.toBe('');
    expect(text).not.toContain(contact.contact_phone);
    expect(text).not.toContain(contact.contact_phone.replace(/\D/g, ''));
    expect(text).toContain('[email]');
  });
});
