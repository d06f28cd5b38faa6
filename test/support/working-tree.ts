import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdirSync, readlinkSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Copies `repo`'s working tree into `dest` as `git add -A && git commit` would record it, which is
 * what CI clones: tracked files with their uncommitted edits, new files that `.gitignore` does not
 * exclude, and no file deleted since the last commit; never `node_modules`. Nothing is written to the
 * repository.
 */
export async function copyWorkingTree(repo: string, dest: string): Promise<string[]> {
  const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repo, maxBuffer: 64 * 1024 * 1024 });
  // Never node_modules, even when .gitignore misses it (a worktree's symlink to a shared install):
  // `npm ci` in the copy would empty the folder the link points to.
  const files = [...new Set(stdout.split('\0').filter(Boolean))]
    .filter((f) => f.split('/')[0] !== 'node_modules')
    .filter((f) => existsSync(join(repo, f)) || isSymlink(join(repo, f)));
  for (const f of files) {
    const from = join(repo, f);
    const to = join(dest, f);
    mkdirSync(dirname(to), { recursive: true });
    if (isSymlink(from)) symlinkSync(readlinkSync(from), to);
    else copyFileSync(from, to);
  }
  return files;
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
