import { createHash } from 'node:crypto';

/** JSON with object keys sorted: equal JSON values give equal text. */
export function canonicalJson(value: unknown): string {
  return canonical(value);
}

function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

/**
 * Hash of a request body as a JSON value: key order and white space do not matter, and
 * `signature_status` is ignored (SPEC section 3, "the same body").
 */
export function bodyHash(body: Record<string, unknown>): string {
  const { signature_status: _ignored, ...rest } = body;
  return createHash('sha256').update(canonical(rest)).digest('base64url');
}
