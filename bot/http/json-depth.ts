/** Deepest nesting a handoff body may have; real ones are 3 deep (body > structured_fields > value). */
export const MAX_JSON_DEPTH = 32;

/**
 * True when a parsed JSON value nests objects/arrays deeper than `limit`. Iterative on purpose:
 * a 64 KiB body can nest ~30 000 levels, which would overflow the stack of any recursive walk
 * (the body hash, zod) and turn a client's input into a 5xx.
 */
export function exceedsDepth(value: unknown, limit = MAX_JSON_DEPTH): boolean {
  const stack: { v: unknown; depth: number }[] = [{ v: value, depth: 0 }];
  while (stack.length > 0) {
    const { v, depth } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > limit) return true;
    const children = Array.isArray(v) ? v : Object.values(v as Record<string, unknown>);
    for (const child of children) if (child !== null && typeof child === 'object') stack.push({ v: child, depth: depth + 1 });
  }
  return false;
}
