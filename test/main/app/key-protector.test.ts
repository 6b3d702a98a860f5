import { describe, expect, it, vi } from 'vitest';
import { createCipheriv, createDecipheriv, generateKeyPairSync, randomBytes } from 'node:crypto';
import { safeStorageProtector, SAFE_STORAGE_KIND, type SafeStorageLike } from '../../../main/app/key-protector';

/** A fake keystore: AES-256-GCM under a key the test holds (as the OS would). */
function fakeSafeStorage(available = true, backend: ReturnType<NonNullable<SafeStorageLike['getSelectedStorageBackend']>> = 'gnome_libsecret') {
  const key = randomBytes(32);
  return {
    isEncryptionAvailable: vi.fn(() => available),
    getSelectedStorageBackend: vi.fn(() => backend),
    encryptString: vi.fn((s: string) => {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(s, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    }),
    decryptString: vi.fn((b: Buffer) => {
      const d = createDecipheriv('aes-256-gcm', key, b.subarray(0, 12));
      d.setAuthTag(b.subarray(12, 28));
      return Buffer.concat([d.update(b.subarray(28)), d.final()]).toString('utf8');
    }),
  } satisfies SafeStorageLike;
}

const pkcs8 = () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'der' });

describe('safeStorage key protector', () => {
  it('seals and unseals a private key; the sealed bytes never hold it in clear', () => {
    const storage = fakeSafeStorage();
    const p = safeStorageProtector(storage, 'linux');
    expect(p.kind).toBe(SAFE_STORAGE_KIND);
    const plain = pkcs8();
    const sealed = p.protect(plain);
    expect(sealed.includes(plain)).toBe(false);
    expect(sealed.includes(Buffer.from(plain.toString('base64')))).toBe(false);
    expect(p.unprotect(sealed).equals(plain)).toBe(true);
  });

  it('refuses when encryption is unavailable, or on Linux with the basic_text backend — never plaintext', () => {
    const off = fakeSafeStorage(false);
    const p = safeStorageProtector(off, 'darwin');
    expect(() => p.protect(pkcs8())).toThrow(expect.objectContaining({ code: 'key_storage_unavailable' }));
    expect(() => p.unprotect(Buffer.from('x'))).toThrow(expect.objectContaining({ code: 'key_storage_unavailable' }));
    expect(off.encryptString).not.toHaveBeenCalled();

    const basic = fakeSafeStorage(true, 'basic_text');
    expect(() => safeStorageProtector(basic, 'linux').protect(pkcs8())).toThrow(expect.objectContaining({ code: 'key_storage_unavailable' }));
    expect(basic.encryptString).not.toHaveBeenCalled();
    // basic_text is a Linux notion only.
    expect(safeStorageProtector(fakeSafeStorage(true, 'basic_text'), 'win32').protect(pkcs8()).length).toBeGreaterThan(28);

    const throwing = { ...fakeSafeStorage(), isEncryptionAvailable: () => { throw new Error('not ready'); } };
    expect(() => safeStorageProtector(throwing, 'linux').protect(pkcs8())).toThrow(expect.objectContaining({ code: 'key_storage_unavailable' }));

    // A backend that would hand back the plaintext is refused.
    const identity = { ...fakeSafeStorage(), encryptString: (s: string) => Buffer.from(s) };
    expect(() => safeStorageProtector(identity, 'linux').protect(pkcs8())).toThrow(expect.objectContaining({ code: 'key_storage_unavailable' }));
  });

  it('a key sealed by another keystore (or altered) does not unlock', () => {
    const sealed = safeStorageProtector(fakeSafeStorage(), 'linux').protect(pkcs8());
    expect(() => safeStorageProtector(fakeSafeStorage(), 'linux').unprotect(sealed)).toThrow(expect.objectContaining({ code: 'key_passphrase' }));
  });
});
