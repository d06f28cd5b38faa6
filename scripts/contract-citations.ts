// Citations of the product contract (docs/contract/*.md) must resolve: a comment, README line or page
// that cites `docs/contract/<file>.md#<heading>` names a file and a heading that exist, the contract's
// own relative links resolve, and nothing cites the old out-of-repo specification by section number.
// `npm run docs:check` runs this over every tracked file; test/code/contract-citations.test.ts shows
// it failing on planted violations.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';

export const CONTRACT_DIR = 'docs/contract';

export interface TextFile {
  /** Path relative to the repository root, with forward slashes. */
  path: string;
  text: string;
}

/** GitHub's heading anchors: lower case, punctuation dropped, each space a hyphen, repeats numbered. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const slug = heading[1]!.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}

/** `docs/contract/<path>` with an optional `#anchor`, wherever it is written. */
const CITATION = /docs\/contract\/([\w./-]*)(?:#([\w-]+))?/g;
/** A relative Markdown link target inside the contract pages. */
const LINK = /\]\(([^)\s]+)\)/g;
/** The old way of citing the contract (spelled so that this file does not cite it itself). */
const OLD_CITATION = /\bS[P]EC\b(?:'s)?|\bS[P]EC\.md\b/g;

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

/** Every dangling citation in `files`, as `path:line: what is wrong`; empty when all resolve. */
export function citationProblems(files: readonly TextFile[]): string[] {
  const byPath = new Map(files.map((f) => [f.path, f.text]));
  const anchorCache = new Map<string, Set<string>>();
  const anchorsOf = (path: string) => {
    let anchors = anchorCache.get(path);
    if (!anchors) anchorCache.set(path, (anchors = headingAnchors(byPath.get(path) ?? '')));
    return anchors;
  };
  /** Why `target#anchor` does not resolve, or null when it does. */
  const unresolved = (target: string, anchor: string | undefined): string | null => {
    if (!byPath.has(target)) return `${target} does not exist`;
    if (anchor !== undefined && !target.endsWith('.md')) return `${target} is not Markdown, so #${anchor} cannot resolve`;
    if (anchor !== undefined && !anchorsOf(target).has(anchor)) return `${target} has no heading #${anchor}`;
    return null;
  };

  const problems: string[] = [];
  for (const file of files) {
    const { path, text } = file;
    for (const old of text.matchAll(OLD_CITATION)) {
      problems.push(`${path}:${lineOf(text, old.index)}: cites "${old[0]}"; cite a page of ${CONTRACT_DIR}/ instead`);
    }
    for (const m of text.matchAll(CITATION)) {
      const rest = m[1]!.replace(/\.+$/, '');
      const target = rest === '' || rest.endsWith('/') ? `${CONTRACT_DIR}/${rest}README.md` : `${CONTRACT_DIR}/${rest}`;
      const why = unresolved(target, m[2]);
      if (why) problems.push(`${path}:${lineOf(text, m.index)}: cites ${m[0]}, but ${why}`);
    }
    if (!path.startsWith(`${CONTRACT_DIR}/`) || !path.endsWith('.md')) continue;
    for (const m of text.matchAll(LINK)) {
      const link = m[1]!;
      if (/^[a-z][a-z0-9+.-]*:/i.test(link)) continue;
      const [rel, anchor] = link.split('#', 2) as [string, string | undefined];
      const target = rel === '' ? path : posix.normalize(posix.join(posix.dirname(path), rel));
      const why = unresolved(target, anchor);
      if (why) problems.push(`${path}:${lineOf(text, m.index)}: links ${link}, but ${why}`);
    }
  }
  return problems;
}

/** The repository's text files, tracked or new but not ignored (a file with a NUL byte in it is binary and skipped). */
export function trackedTextFiles(root: string): TextFile[] {
  const paths = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).split('\0').filter(Boolean);
  return paths.flatMap((path) => {
    let text: string;
    try {
      text = readFileSync(join(root, path), 'utf8');
    } catch {
      return []; // deleted in the work tree but not yet in the index
    }
    return text.includes('\0') ? [] : [{ path, text }];
  });
}
