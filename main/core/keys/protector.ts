import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { AppFailure } from '../../../shared/errors';

/**
 * Protects a private key at rest. The CLI and the tests use a passphrase; the desktop app passes
 * an implementation over Electron `safeStorage` (OS keystore). Private keys never touch the disk
 * unprotected.
 */
export interface KeyProtector {
  /** Stored in member_keys.protection so a key is unprotected by the right implementation. */
  readonly kind: string;
  protect(plain: Buffer): Buffer;
  unprotect(sealed: Buffer): Buffer;
}

const MAGIC = Buffer.from('CPK1', 'ascii');
const SALT = 16;
const NONCE = 12;
const TAG = 16;
/** scrypt N = 2^15, r = 8, p = 1 (32 MiB), key 32 bytes for AES-256-GCM. */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

/**
 * Passphrase protection: scrypt(passphrase, salt) → AES-256-GCM. Layout:
 * "CPK1" | salt (16) | nonce (12) | tag (16) | ciphertext. A wrong passphrase or any altered byte
 * fails authentication (`key_passphrase`).
 */
export function passphraseProtector(passphrase: string): KeyProtector {
  if (passphrase.length === 0) throw new AppFailure('validation', { reason: 'passphrase' });
  const derive = (salt: Buffer) => scryptSync(passphrase.normalize('NFC'), salt, 32, SCRYPT);
  return {
    kind: 'passphrase-scrypt-aes256gcm',
    protect(plain) {
      const salt = randomBytes(SALT);
      const nonce = randomBytes(NONCE);
      const cipher = createCipheriv('aes-256-gcm', derive(salt), nonce);
      cipher.setAAD(MAGIC);
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([MAGIC, salt, nonce, cipher.getAuthTag(), body]);
    },
    unprotect(sealed) {
      if (sealed.length < MAGIC.length + SALT + NONCE + TAG || !sealed.subarray(0, 4).equals(MAGIC))
        throw new AppFailure('key_passphrase');
      let o = MAGIC.length;
      const salt = sealed.subarray(o, (o += SALT));
      const nonce = sealed.subarray(o, (o += NONCE));
      const tag = sealed.subarray(o, (o += TAG));
      const decipher = createDecipheriv('aes-256-gcm', derive(salt), nonce);
      decipher.setAAD(MAGIC);
      decipher.setAuthTag(tag);
      try {
        return Buffer.concat([decipher.update(sealed.subarray(o)), decipher.final()]);
      } catch {
        throw new AppFailure('key_passphrase');
      }
    },
  };
}
