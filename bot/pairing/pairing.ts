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

  async issueCode(userId: string): Promise<{ code: string; expiresAt: number }> {
    const now = this.clock();
    const code = newPairingCode();
    await this.store.desktopAuth.addPairingCode(sha256(normalizeCode(code)), userId, now, now + PAIRING_CODE_TTL_MS);
    return { code, expiresAt: now + PAIRING_CODE_TTL_MS };
  }

  /** Returns the new token, or null for a wrong, expired or already used code. */
  async exchange(code: string, deviceName: string | null): Promise<{ token: string; userId: string } | null> {
    const token = `hod_${randomBytes(32).toString('base64url')}`;
    const paired = await this.store.desktopAuth.exchangeCode(sha256(normalizeCode(code)), sha256(token), deviceName, this.clock());
    return paired ? { token, userId: paired.userId } : null;
  }

  /** The Slack user a bearer token acts as, or null when unknown or revoked. */
  authenticate(token: string): Promise<string | null> {
    return this.store.desktopAuth.userOfToken(sha256(token));
  }

  async revokeAll(userId: string): Promise<number> {
    const n = await this.store.desktopAuth.revokeTokens(userId, this.clock());
    for (const listener of this.revokedListeners) listener(userId);
    return n;
  }

  /** Open streams subscribe so a revoked desktop stops receiving at once, not at its next reconnect. */
  onRevoked(listener: (userId: string) => void): () => void {
    this.revokedListeners.add(listener);
    return () => this.revokedListeners.delete(listener);
  }
}
