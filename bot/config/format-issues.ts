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

/** One issue per problem; an unknown key is reported at its own path so a typo is easy to find. */
export function zodIssues(error: z.ZodError, prefix: readonly PropertyKey[] = []): PathIssue[] {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: formatPath([...prefix, ...issue.path, key]), message: 'unknown field' }))
      : [{ path: formatPath([...prefix, ...issue.path]) || '(root)', message: issue.message }],
  );
}
