/** The pairing token, encrypted with the OS keychain (safeStorage) and kept as bytes in the local store. */
import type { SafeStorage } from 'electron';
import type { TokenVault } from '../core/desktop-controller.js';
import type { LocalStore } from '../core/local-store.js';

const SECRET_NAME = 'desktop_token';

export function createSafeStorageVault(safeStorage: Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'>, store: LocalStore): TokenVault {
  let cache: string | null | undefined;
  return {
    get() {
      if (cache !== undefined) return cache;
      const bytes = store.getSecret(SECRET_NAME);
      try {
        cache = bytes && safeStorage.isEncryptionAvailable() ? safeStorage.decryptString(bytes) : null;
      } catch {
        cache = null; // keychain changed: the user pairs again
      }
      return cache;
    },
    set(token) {
      // Never store a token in clear: without OS encryption it lives in memory only for this run.
      store.setSecret(SECRET_NAME, token !== null && safeStorage.isEncryptionAvailable() ? safeStorage.encryptString(token) : null);
      cache = token;
    },
  };
}
