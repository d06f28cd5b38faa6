import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type HmacAlgorithm = 'sha256' | 'sha512' | 'sha1';

export function hmac(algorithm: HmacAlgorithm, key: string, parts: readonly (string | Buffer)[]): Buffer {
  const mac = createHmac(algorithm, Buffer.from(key, 'utf8'));
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/** Constant-time: compares digests of equal length; a malformed or short hex string never matches. */
export function digestEqualsHex(expected: Buffer, hex: string): boolean {
  if (hex.length !== expected.length * 2 || !/^[0-9a-f]+$/i.test(hex)) return false;
  return timingSafeEqual(expected, Buffer.from(hex, 'hex'));
}

export function digestEqualsBase64(expected: Buffer, b64: string): boolean {
  const given = Buffer.from(b64, 'base64');
  if (given.length !== expected.length || given.toString('base64') !== b64.trim()) return false;
  return timingSafeEqual(expected, given);
}

/** Constant-time equality of two secrets of any length (their SHA-256 digests are compared). */
export function secretEquals(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function parseJsonObject(body: Buffer): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(body.toString('utf8'));
    return isPlainObject(v) ? v : null;
  } catch {
    return null;
  }
}

export function str(v: unknown): string | null {
  return typeof v === 'string' && v.length > 0 ? v : null;
}

export const FIVE_MINUTES_MS = 5 * 60_000;
