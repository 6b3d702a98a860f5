import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { importPkcs12 } from '../../../main/core/keys/pkcs12';
import { makePki, type TestPki } from '../package/pki';
import { tempDir } from '../../support/tmp';

const NOW = new Date('2026-06-15T08:30:00Z');
let t: ReturnType<typeof tempDir>;
let pki: TestPki;
beforeAll(() => {
  t = tempDir();
  pki = makePki(t.dir, NOW);
});
afterAll(() => t.cleanup());

describe('PKCS#12 import', () => {
  it.each(['signer', 'signer-legacy'])('reads %s.p12 (openssl pkcs12 -export, default and -legacy) with its chain', (name) => {
    const id = importPkcs12(readFileSync(pki.p12(name)), pki.password, NOW);
    expect(id.subject).toBe('C=FR, O=Prefecture Test, CN=Agent signer');
    expect(id.certSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(id.chain.map((c) => c.subject.getField('CN').value)).toEqual(['Test Root CA']);
  });

  it.each([
    ['expired', 'cert_expired'],
    ['expired-legacy', 'cert_expired'],
    ['future', 'cert_not_yet_valid'],
    ['encipher', 'cert_not_signing'],
  ])('refuses %s.p12 with %s', (name, code) => {
    expect(() => importPkcs12(readFileSync(pki.p12(name)), pki.password, NOW)).toThrow(expect.objectContaining({ code }));
  });

  it('refuses a wrong password and a file that is not PKCS#12 with p12_invalid', () => {
    expect(() => importPkcs12(readFileSync(pki.p12('signer')), 'wrong', NOW)).toThrow(expect.objectContaining({ code: 'p12_invalid' }));
    expect(() => importPkcs12(Buffer.from('not a p12'), pki.password, NOW)).toThrow(expect.objectContaining({ code: 'p12_invalid' }));
  });

  it('checks validity at the given time: the signer certificate is expired 900 days later', () => {
    const later = new Date(NOW.getTime() + 900 * 86_400_000);
    expect(() => importPkcs12(readFileSync(pki.p12('signer')), pki.password, later)).toThrow(
      expect.objectContaining({ code: 'cert_expired' }),
    );
  });
});
