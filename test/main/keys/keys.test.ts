import { afterEach, describe, expect, it } from 'vitest';
import { createPublicKey, sign, verify } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from '../../../main/core/store/store';
import { createMember } from '../../../main/core/review/members';
import {
  createMemberKey,
  formatFingerprint,
  getMemberKey,
  loadSigningKey,
  publicKeyFingerprint,
  rawEd25519,
} from '../../../main/core/keys/keys';
import { passphraseProtector } from '../../../main/core/keys/protector';
import { verifyJournal } from '../../../main/core/review/audit';
import { tempDir } from '../../support/tmp';

let cleanup = () => {};
afterEach(() => cleanup());
const NOW = new Date('2026-03-01T10:00:00Z');

function setup() {
  const t = tempDir();
  const store = Store.open(join(t.dir, 'store.sqlite'));
  cleanup = () => {
    store.close();
    t.cleanup();
  };
  const member = createMember(store.db, { name: 'Camille Rousseau', role: 'correspondant' }, { now: NOW });
  return { dir: t.dir, store, memberId: member.id };
}

describe('passphrase protector', () => {
  it('round-trips, salts every seal and refuses a wrong passphrase or an altered byte', () => {
    const p = passphraseProtector('correct horse');
    const secret = Buffer.from('secret key material');
    const a = p.protect(secret);
    const b = p.protect(secret);
    expect(a.equals(b)).toBe(false);
    expect(a.includes(secret)).toBe(false);
    expect(p.unprotect(a).equals(secret)).toBe(true);
    expect(() => passphraseProtector('wrong').unprotect(a)).toThrow(expect.objectContaining({ code: 'key_passphrase' }));
    const altered = Buffer.from(a);
    altered[altered.length - 1]! ^= 1;
    expect(() => p.unprotect(altered)).toThrow(expect.objectContaining({ code: 'key_passphrase' }));
  });
});

describe('member keys', () => {
  it('creates an Ed25519 key whose fingerprint is SHA-256 of the raw public key, and signs with it', () => {
    const { store, memberId } = setup();
    const protector = passphraseProtector('pass phrase');
    const key = createMemberKey(store.db, memberId, protector, NOW);
    expect(key.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    const pub = createPublicKey(key.publicPem);
    expect(rawEd25519(pub)).toHaveLength(32);
    expect(publicKeyFingerprint(key.publicPem)).toBe(key.fingerprint);
    expect(formatFingerprint(key.fingerprint)).toMatch(/^([0-9A-F]{4} ){15}[0-9A-F]{4}$/);
    expect(getMemberKey(store.db, memberId)).toEqual(key);
    const journaled = store.db.prepare("SELECT after_json FROM audit_journal WHERE entity = 'member_key'").all();
    expect(journaled).toEqual([{ after_json: JSON.stringify({ fingerprint: key.fingerprint, protection: protector.kind }) }]);
    expect(verifyJournal(store.db)).toMatchObject({ ok: true });
    const { privateKey } = loadSigningKey(store.db, memberId, protector);
    const sig = sign(null, Buffer.from('manifest'), privateKey);
    expect(sig).toHaveLength(64);
    expect(verify(null, Buffer.from('manifest'), pub, sig)).toBe(true);
    expect(() => createMemberKey(store.db, memberId, protector, NOW)).toThrow(expect.objectContaining({ code: 'key_exists' }));
    expect(() => loadSigningKey(store.db, memberId, passphraseProtector('nope'))).toThrow(
      expect.objectContaining({ code: 'key_passphrase' }),
    );
    expect(() => loadSigningKey(store.db, 999, protector)).toThrow(expect.objectContaining({ code: 'key_missing' }));
  });

  it('never writes a plaintext private key: the database folder holds no PKCS#8 PEM nor DER', () => {
    const { dir, store, memberId } = setup();
    const protector = passphraseProtector('pass phrase');
    createMemberKey(store.db, memberId, protector, NOW);
    const der = loadSigningKey(store.db, memberId, protector).privateKey.export({ type: 'pkcs8', format: 'der' });
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const bytes = readFileSync(join(f.parentPath, f.name));
      expect(bytes.includes('BEGIN PRIVATE KEY')).toBe(false);
      expect(bytes.includes(der.subarray(16))).toBe(false);
    }
  });
});
