import { createHash, randomBytes } from 'node:crypto';

/** `GET /v/{token}` (docs/contract/regulated-workflows.md#the-details-link). */
export const DETAILS_PAGE_PATH = '/v/:token';
/** A link works this long after the click, and a browser it is bound to may reload it until then. */
export const DETAILS_LINK_TTL_MS = 10 * 60_000;
/** Tokens and browser secrets: 32 random bytes, base64url. */
export const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** What the store keeps of a token or a browser's cookie: never the value itself. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

/** `{HANDOFF_PUBLIC_URL}/v/{token}`. */
export function detailsUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/v/${token}`;
}

/** One cookie per link (several links may be open in one browser), scoped to `/v/`. */
export function browserCookieName(tokenHash: string): string {
  return `hov_${tokenHash.slice(0, 16)}`;
}

/** The browser's secret for this link from a Cookie header, if it sent one in the right shape. */
export function browserSecretOf(cookieHeader: string | undefined, name: string): string | null {
  for (const part of (cookieHeader ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    if (SECRET_PATTERN.test(value)) return value;
  }
  return null;
}

export function browserCookie(name: string, secret: string, maxAgeMs: number, secure: boolean): string {
  const maxAge = Math.max(1, Math.ceil(maxAgeMs / 1000));
  // Lax: a click on the link in Slack (another site) is a top-level navigation, which carries it.
  return `${name}=${secret}; Path=/v/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}
