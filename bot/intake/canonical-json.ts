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

/** A JSON number literal as an exact decimal: `1`, `1.0` and `1e0` all give `1e0`. */
export function exactDecimal(literal: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(literal);
  if (!m) throw new SyntaxError('not a JSON number');
  const frac = m[3] ?? '';
  const all = `${m[2]}${frac}`.replace(/^0+/, '');
  if (all === '') return '0';
  const trimmed = all.replace(/0+$/, '');
  const exponent = BigInt(m[4] ?? '0') - BigInt(frac.length) + BigInt(all.length - trimmed.length);
  return `${m[1]}${trimmed}e${exponent.toString()}`;
}

/**
 * A number as canonical text: what JSON.stringify(JSON.parse(literal)) gives when that keeps its
 * value (so hashes stored before stay valid), else the exact decimal, a form JSON.stringify never
 * writes: `9007199254740993` and `9007199254740992` stay different, and `1e400` is not `null`.
 */
export function canonicalNumber(literal: string): string {
  const n = Number(literal);
  const exact = exactDecimal(literal);
  return Number.isFinite(n) && exactDecimal(String(n)) === exact ? JSON.stringify(n) : exact;
}

/**
 * Canonical text of raw JSON (already known to be valid): keys sorted, white space dropped,
 * strings re-escaped one way, numbers exact (canonicalNumber). Walks the text, not a parsed value,
 * because JSON.parse loses what tells big or overflowing numbers apart.
 */
export function canonicalJsonText(raw: string, dropTopLevel: readonly string[] = []): string {
  let i = 0;
  const ws = (): void => {
    while (i < raw.length && ' \t\n\r'.includes(raw[i]!)) i++;
  };
  const str = (): string => {
    const start = i;
    i++;
    while (raw[i] !== '"') i += raw[i] === '\\' ? 2 : 1;
    i++;
    return raw.slice(start, i);
  };
  const text = (token: string): string => JSON.stringify(JSON.parse(token) as string);
  const value = (depth: number): string => {
    ws();
    const c = raw[i];
    if (c === '{') {
      i++;
      const members: Array<[string, string]> = [];
      ws();
      if (raw[i] === '}') i++;
      else
        for (;;) {
          ws();
          const key = str();
          ws();
          i++; // ':'
          const v = value(depth + 1);
          if (!(depth === 0 && dropTopLevel.includes(JSON.parse(key) as string))) members.push([key, v]);
          ws();
          if (raw[i++] === '}') break;
        }
      // Last one wins for a repeated key, as in JSON.parse.
      const byKey = new Map(members.map(([k, v]) => [JSON.parse(k) as string, v]));
      return `{${[...byKey.keys()].sort().map((k) => `${JSON.stringify(k)}:${byKey.get(k)}`).join(',')}}`;
    }
    if (c === '[') {
      i++;
      const items: string[] = [];
      ws();
      if (raw[i] === ']') i++;
      else
        for (;;) {
          items.push(value(depth + 1));
          ws();
          if (raw[i++] === ']') break;
        }
      return `[${items.join(',')}]`;
    }
    if (c === '"') return text(str());
    const m = /^(?:true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(raw.slice(i, i + 1100));
    if (!m) throw new SyntaxError('invalid JSON');
    i += m[0].length;
    return m[0] === 'true' || m[0] === 'false' || m[0] === 'null' ? m[0] : canonicalNumber(m[0]);
  };
  return value(0);
}

/**
 * Hash of a request body as a JSON value: key order and white space do not matter, and
 * `signature_status` is ignored (docs/contract/http-api.md#idempotency, "the same body"). Takes the raw text, so two
 * bodies differing only beyond a double's precision still hash differently.
 */
export function bodyHash(raw: string): string {
  return createHash('sha256').update(canonicalJsonText(raw, ['signature_status'])).digest('base64url');
}
