// `.env.example` and the README's settings table name the same variables: what the table lists a
// user can find (set or commented out) in the file they copy, and the file names nothing the table
// does not explain. The variables the README asks to put in `.env` outside the table
// (POSTGRES_PASSWORD) count as the table's. Checked by `npm run docs:check`.

/** Backticked UPPER_SNAKE names in the first column of the README's `| variable | meaning | default |` table. */
export function readmeTableVariables(readme: string): string[] {
  const lines = readme.split('\n');
  const start = lines.findIndex((l) => /^\|\s*variable\s*\|\s*meaning\s*\|\s*default\s*\|/.test(l));
  if (start < 0) return [];
  const names: string[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    for (const m of (line.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z0-9_]+)`/g)) names.push(m[1]!);
  }
  return names;
}

/** Names the README tells the reader to put "in `.env`" in running text. */
export function readmeDotEnvVariables(readme: string): string[] {
  return readme
    .split(/(?<=\.)\s+/)
    .filter((sentence) => sentence.includes('in `.env`'))
    .flatMap((sentence) => [...sentence.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!));
}

/** Every variable the file sets or shows commented out (`NAME=` or `# NAME=`). */
export function envExampleVariables(example: string): string[] {
  return [...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]!);
}

export function envExampleProblems(readme: string, example: string): string[] {
  const documented = new Set([...readmeTableVariables(readme), ...readmeDotEnvVariables(readme)]);
  const listed = new Set(envExampleVariables(example));
  const problems: string[] = [];
  if (documented.size === 0) problems.push("README.md has no '| variable | meaning | default |' table");
  for (const name of documented) if (!listed.has(name)) problems.push(`.env.example does not name ${name}, which README.md documents`);
  for (const name of listed) if (!documented.has(name)) problems.push(`.env.example names ${name}, which README.md's table does not explain`);
  return problems;
}
