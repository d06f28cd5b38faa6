import type { z } from 'zod';

/** `a.b[0].c` style path, as people read YAML and JSON paths. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

export interface PathIssue {
  path: string;
  message: string;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
};

/** zod's own wording ("Invalid input: expected string, received undefined") is for developers. */
function isZodDefault(message: string): boolean {
  return /^(Invalid|Too (big|small)|Unrecognized)\b/.test(message);
}

function limitWords(issue: { origin?: string; maximum?: unknown; minimum?: unknown }, bound: 'at most' | 'at least'): string {
  const n = String(bound === 'at most' ? issue.maximum : issue.minimum);
  if (issue.origin === 'string') return bound === 'at least' && n === '1' ? 'must not be empty' : `must be ${bound} ${n} characters`;
  if (issue.origin === 'array' || issue.origin === 'set') return `must have ${bound} ${n} items`;
  return `must be ${bound} ${n}`;
}

/**
 * One problem in words a person fixing a config or a request understands ("is required", "must be
 * one of: a, b"); a message a schema gives itself is kept. Never the value that was sent.
 */
function plainWords(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type': {
      if (!isZodDefault(issue.message)) return issue.message;
      // With `reportInput` the input tells a missing key apart; without it, zod's message does.
      const missing = 'input' in issue ? issue.input === undefined : /received undefined$/.test(issue.message);
      return missing ? 'is required' : `must be ${TYPE_WORDS[issue.expected] ?? issue.expected}`;
    }
    case 'invalid_value':
      if (!isZodDefault(issue.message)) return issue.message;
      return issue.values.length === 1 ? `must be ${String(issue.values[0])}` : `must be one of: ${issue.values.map(String).join(', ')}`;
    case 'too_big':
      return isZodDefault(issue.message) ? limitWords(issue, 'at most') : issue.message;
    case 'too_small':
      return isZodDefault(issue.message) ? limitWords(issue, 'at least') : issue.message;
    case 'invalid_format':
      return isZodDefault(issue.message) ? `must be a valid ${issue.format === 'regex' ? 'value' : issue.format}` : issue.message;
    default:
      return isZodDefault(issue.message) ? 'is not valid' : issue.message;
  }
}

export interface IssueOptions {
  /** Start each message with the field's name ("patient_name is required"), for a request's answer. */
  named?: boolean;
}

/**
 * One issue per path (the first problem found: a bad date is one problem, not a format and a
 * calendar error), in plain words; an unknown key is reported at its own path so a typo is easy
 * to find.
 */
export function zodIssues(error: z.ZodError, prefix: readonly PropertyKey[] = [], options: IssueOptions = {}): PathIssue[] {
  const seen = new Set<string>();
  const out: PathIssue[] = [];
  const add = (path: readonly PropertyKey[], words: string) => {
    const at = formatPath([...prefix, ...path]) || '(root)';
    if (seen.has(at)) return;
    seen.add(at);
    const name = [...path].reverse().find((k) => typeof k === 'string');
    out.push({ path: at, message: options.named && name !== undefined ? `${String(name)} ${words}` : words });
  };
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') for (const key of issue.keys) add([...issue.path, key], options.named ? 'is not a known field' : 'unknown field');
    else add(issue.path, plainWords(issue));
  }
  return out;
}
