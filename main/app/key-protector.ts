import type { SafeStorage } from 'electron';
import { AppFailure } from '../../shared/errors';
import type { KeyProtector } from '../core/keys/protector';

/** What the protector needs from Electron's `safeStorage` (a fake in tests). */
export type SafeStorageLike = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> &
  Partial<Pick<SafeStorage, 'getSelectedStorageBackend'>>;

export const SAFE_STORAGE_KIND = 'electron-safestorage';

/**
 * Seals members' private signing keys with the OS keystore through Electron `safeStorage`
 * (Keychain, DPAPI, libsecret/kwallet). Refuses (`key_storage_unavailable`) when encryption is
 * not available — and on Linux when the only backend is `basic_text` (a hard-coded password):
 * never a plaintext fallback. The PKCS#8 DER is passed as base64 (safeStorage takes strings).
 */
export function safeStorageProtector(safeStorage: SafeStorageLike, platform: NodeJS.Platform = process.platform): KeyProtector {
  const requireAvailable = () => {
    let available: boolean;
    try {
      available = safeStorage.isEncryptionAvailable();
      if (available && platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text') available = false;
    } catch {
      available = false;
    }
    if (!available) throw new AppFailure('key_storage_unavailable');
  };
  return {
    kind: SAFE_STORAGE_KIND,
    protect(plain) {
      requireAvailable();
      const text = plain.toString('base64');
      const sealed = safeStorage.encryptString(text);
      // Belt and braces: whatever the backend, the sealed bytes never carry the key in clear.
      if (sealed.length === 0 || sealed.includes(plain) || sealed.includes(Buffer.from(text))) throw new AppFailure('key_storage_unavailable');
      return Buffer.from(sealed);
    },
    unprotect(sealed) {
      requireAvailable();
      let text: string;
      try {
        text = safeStorage.decryptString(Buffer.from(sealed));
      } catch {
        throw new AppFailure('key_passphrase');
      }
      if (!/^[A-Za-z0-9+/]+=*$/.test(text)) throw new AppFailure('key_passphrase');
      return Buffer.from(text, 'base64');
    },
  };
}
