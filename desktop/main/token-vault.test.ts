import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createElectronStubs, type Stubs } from '../../test/support/desktop/electron-stubs.js';
import { createTokenVault, UNENCRYPTED_TOKEN_FILE, type VaultDeps } from './token-vault.js';

let dir: string;
let stubs: Stubs;
let secrets: Map<string, Buffer>;
let now: number;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'handoff-vault-'));
  stubs = createElectronStubs({ appData: dir });
  secrets = new Map();
  now = 1_000_000;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function vault(over: Partial<VaultDeps> = {}) {
  return createTokenVault({
    safeStorage: stubs.electron.safeStorage,
    store: { getSecret: (n) => secrets.get(n) ?? null, setSecret: (n, v) => void (v ? secrets.set(n, v) : secrets.delete(n)) },
    platform: 'linux',
    unencryptedFile: join(dir, UNENCRYPTED_TOKEN_FILE),
    allowUnencrypted: false,
    clock: () => now,
    ...over,
  });
}

describe('token vault', () => {
  it('stores the token encrypted by the keyring and reads it back in a new run', () => {
    vault().set('tok_a');
    expect(secrets.get('desktop_token')?.toString()).not.toContain('tok_a');
    const next = vault();
    expect(next.get()).toBe('tok_a');
    expect(next.storage()).toBe('os-encrypted');
  });

  it('retries a failed decryption (keyring locked at login) instead of remembering the failure', () => {
    vault().set('tok_a');
    stubs.keyring.failDecrypt = true;
    const v = vault();
    expect(v.get()).toBeNull();
    expect(v.storage()).toBe('locked');
    stubs.keyring.failDecrypt = false;
    expect(v.get()).toBeNull(); // not hammering the keyring: the next try waits a little
    now += 10_000;
    expect(v.get()).toBe('tok_a');
    expect(v.storage()).toBe('os-encrypted');
  });

  it("treats Linux's basic_text backend as no keyring: memory only unless the user opts in", () => {
    stubs.keyring.backend = 'basic_text';
    const v = vault();
    v.set('tok_a');
    expect(v.get()).toBe('tok_a');
    expect(v.storage()).toBe('memory-only');
    expect(secrets.size).toBe(0);
    expect(vault().get()).toBeNull();
  });

  it('with the opt-in writes a labelled 0600 file, reads it next run, and moves it into a keyring that appears', () => {
    stubs.keyring.available = false;
    const file = join(dir, UNENCRYPTED_TOKEN_FILE);
    const v = vault();
    v.set('tok_a');
    expect(existsSync(file)).toBe(false);
    v.allowUnencrypted?.(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ token: 'tok_a', warning: expect.stringContaining('UNENCRYPTED') });
    expect(vault({ allowUnencrypted: true }).get()).toBe('tok_a');

    stubs.keyring.available = true;
    const migrated = vault({ allowUnencrypted: true });
    expect(migrated.get()).toBe('tok_a');
    expect(existsSync(file)).toBe(false);
    expect(vault().get()).toBe('tok_a');
  });

  it('unpairing deletes the token everywhere', () => {
    stubs.keyring.available = false;
    const v = vault({ allowUnencrypted: true });
    v.set('tok_a');
    v.set(null);
    expect(existsSync(join(dir, UNENCRYPTED_TOKEN_FILE))).toBe(false);
    expect(vault({ allowUnencrypted: true }).get()).toBeNull();
  });
});
