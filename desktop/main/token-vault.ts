/**
 * The pairing token. Normally encrypted by the OS keyring (safeStorage: Keychain, DPAPI,
 * libsecret/KWallet) and kept as bytes in the local store. Linux without a keyring has no
 * safe place: the token then lives in memory for this run (the window says so), or, only if
 * the user opts in, in an unencrypted 0600 file whose name and contents say what it is.
 * A failed decryption (keyring still locked right after login) is retried, never cached.
 */
import { chmodSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { TokenVault } from '../core/desktop-controller.js';
import type { LocalStore } from '../core/local-store.js';
import type { TokenStorage } from '../shared/ipc.js';
import type { ElectronApi } from './electron-api.js';

const SECRET_NAME = 'desktop_token';
export const UNENCRYPTED_TOKEN_FILE = 'pairing-token.UNENCRYPTED.json';
const RETRY_DECRYPT_MS = 10_000;
const MAX_FILE_BYTES = 16_384;

export interface VaultDeps {
  safeStorage: ElectronApi['safeStorage'];
  store: Pick<LocalStore, 'getSecret' | 'setSecret'>;
  platform: NodeJS.Platform;
  /** Full path of the opt-in file (in userData, named UNENCRYPTED_TOKEN_FILE). */
  unencryptedFile: string;
  /** The user's saved choice (settings.storeTokenUnencrypted). */
  allowUnencrypted: boolean;
  clock?: () => number;
}

export interface ManagedVault extends TokenVault {
  storage(): TokenStorage;
}

export function createTokenVault(deps: VaultDeps): ManagedVault {
  const { safeStorage, store } = deps;
  const clock = deps.clock ?? Date.now;
  let token: string | null = null;
  let allowUnencrypted = deps.allowUnencrypted;
  let lastFailedDecrypt: number | null = null;

  function keyringAvailable(): boolean {
    if (!safeStorage.isEncryptionAvailable()) return false;
    // 'basic_text' encrypts with a key built into Chromium: no protection, so treat it as no keyring.
    return deps.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text';
  }

  function readFile(): string | null {
    try {
      const raw = readFileSync(deps.unencryptedFile);
      if (raw.length > MAX_FILE_BYTES) return null;
      const parsed = JSON.parse(raw.toString('utf8')) as { token?: unknown };
      return typeof parsed.token === 'string' && parsed.token.length > 0 ? parsed.token : null;
    } catch {
      return null;
    }
  }

  function writeFile(value: string): void {
    const body = {
      warning:
        'Handoff desktop pairing token, stored UNENCRYPTED because this computer has no keyring and you chose ' +
        '"Keep the pairing in an unencrypted file" in Handoff\'s settings. Anyone who can read this file can act as you ' +
        'in Handoff. Turn that option off or unpair to delete it.',
      token: value,
    };
    const tmp = `${deps.unencryptedFile}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
    chmodSync(tmp, 0o600); // mode applies only when the file is created
    renameSync(tmp, deps.unencryptedFile);
  }

  function removeFile(): void {
    rmSync(deps.unencryptedFile, { force: true });
  }

  function tryDecrypt(): void {
    const bytes = store.getSecret(SECRET_NAME);
    if (!bytes) return;
    const now = clock();
    if (lastFailedDecrypt !== null && now - lastFailedDecrypt < RETRY_DECRYPT_MS) return;
    if (!keyringAvailable()) {
      lastFailedDecrypt = now;
      return;
    }
    try {
      token = safeStorage.decryptString(bytes);
      lastFailedDecrypt = null;
    } catch {
      lastFailedDecrypt = now; // locked or not reachable yet: asked again later
    }
  }

  function persist(): void {
    if (token === null) {
      store.setSecret(SECRET_NAME, null);
      removeFile();
    } else if (keyringAvailable()) {
      store.setSecret(SECRET_NAME, safeStorage.encryptString(token));
      removeFile();
    } else {
      store.setSecret(SECRET_NAME, null);
      if (allowUnencrypted) writeFile(token);
      else removeFile();
    }
    lastFailedDecrypt = null;
  }

  return {
    get() {
      if (token !== null) return token;
      tryDecrypt();
      if (token === null && allowUnencrypted) {
        token = readFile();
        if (token !== null && keyringAvailable()) persist(); // a keyring appeared: move the token into it
      }
      return token;
    },
    set(next) {
      token = next;
      persist();
    },
    allowUnencrypted(allowed) {
      allowUnencrypted = allowed;
      if (token !== null) persist();
      else if (!allowed) removeFile();
    },
    storage() {
      if (token === null && store.getSecret(SECRET_NAME)) return 'locked';
      if (keyringAvailable()) return 'os-encrypted';
      return allowUnencrypted ? 'unencrypted-file' : 'memory-only';
    },
  };
}
