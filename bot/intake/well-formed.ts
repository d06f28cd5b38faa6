/**
 * Paths of strings (values or keys) holding a lone UTF-16 surrogate (`"\ud800"` in JSON). SQLite
 * stores UTF-8, where such a string cannot exist: it would be saved silently changed, so it is
 * refused instead. Call after the depth check (this walks recursively).
 */
/** With the u flag a surrogate pair is one code point; only an unpaired half is category Cs. */
const LONE_SURROGATE = /\p{Cs}/u;
const wellFormed = (s: string): boolean => !LONE_SURROGATE.test(s);

export function illFormedStringPaths(value: unknown, path = ''): string[] {
  if (typeof value === 'string') return wellFormed(value) ? [] : [path || '(root)'];
  if (value === null || typeof value !== 'object') return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    const p = path ? `${path}.${k}` : k;
    if (!wellFormed(k)) out.push(p);
    out.push(...illFormedStringPaths(v, p));
  }
  return out;
}
