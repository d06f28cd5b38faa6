import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { Store } from '../store/store.js';

export const PAIRING_CODE_TTL_MS = 10 * 60_000;
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Codes are typed by people: 8 characters, no look-alikes, shown as XXXX-XXXX. */
export function newPairingCode(): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

export function normalizeCode(code: string): string {
  return code.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/**
 * Desktop pairing: a one-time code (10 min, single use) from `/handoff desktop` is exchanged for a
 * bearer token bound to that Slack user. Only hashes of codes and tokens are stored.
 */
export class PairingService {
  private readonly revokedListeners = new Set<(userId: string) => void>();

  constructor(
    private readonly store: Store,
    private readonly clock: () => number,
  ) {}

  issueCode(userId: string): { code: string; expiresAt: number } {
    const now = this.clock();
    const code = newPairingCode();
    this.store.desktopAuth.addCode(sha256(normalizeCode(code)), userId, now, now + PAIRING_CODE_TTL_MS);
    return { code, expiresAt: now + PAIRING_CODE_TTL_MS };
  }

  /** Returns the new token, or null for a wrong, expired or already used code. */
  exchange(code: string, deviceName: string | null): { token: string; userId: string } | null {
    const now = this.clock();
    return this.store.transaction(() => {
      const hash = sha256(normalizeCode(code));
      const userId = this.store.desktopAuth.useCode(hash, now);
      if (userId === null) return null;
      const token = `hod_${randomBytes(32).toString('base64url')}`;
      this.store.desktopAuth.addToken(sha256(token), userId, deviceName, now);
      return { token, userId };
    });
  }

  /** The Slack user a bearer token acts as, or null when unknown or revoked. */
  authenticate(token: string): string | null {
    return this.store.desktopAuth.userOfToken(sha256(token));
  }

  revokeAll(userId: string): number {
    const n = this.store.desktopAuth.revokeUser(userId, this.clock());
    for (const listener of this.revokedListeners) listener(userId);
    return n;
  }

  /** Open streams subscribe so a revoked desktop stops receiving at once, not at its next reconnect. */
  onRevoked(listener: (userId: string) => void): () => void {
    this.revokedListeners.add(listener);
    return () => this.revokedListeners.delete(listener);
  }
}
