import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { copyWorkingTree } from './working-tree.js';

const run = promisify(execFile);
const dirs: string[] = [];
const temp = (name: string) => {
  const d = mkdtempSync(join(tmpdir(), `handoff-${name}-`));
  dirs.push(d);
  return d;
};

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('copyWorkingTree (what the quickstart test installs and runs)', () => {
  it('copies uncommitted edits and new files, not ignored or deleted ones, and leaves the repository alone', async () => {
    const repo = temp('repo');
    const git = (...args: string[]) => run('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo });
    await git('init', '--quiet');
    writeFileSync(join(repo, '.gitignore'), 'node_modules/\n*.log\n');
    writeFileSync(join(repo, 'edited.txt'), 'committed\n');
    writeFileSync(join(repo, 'deleted.txt'), 'committed\n');
    writeFileSync(join(repo, 'run.sh'), '#!/bin/sh\n', { mode: 0o755 });
    await git('add', '-A');
    await git('commit', '--quiet', '-m', 'first');
    writeFileSync(join(repo, 'edited.txt'), 'edited, not committed\n');
    writeFileSync(join(repo, 'new.txt'), 'new, not added\n');
    unlinkSync(join(repo, 'deleted.txt'));
    writeFileSync(join(repo, 'debug.log'), 'ignored\n');
    // A worktree's node_modules is a symlink to a shared install, which `node_modules/` does not ignore.
    const shared = temp('shared-install');
    mkdirSync(join(shared, 'dep'));
    symlinkSync(shared, join(repo, 'node_modules'));
    const statusBefore = (await git('status', '--porcelain')).stdout;

    const dest = temp('copy');
    const files = await copyWorkingTree(repo, dest);

    expect(files.sort()).toEqual(['.gitignore', 'edited.txt', 'new.txt', 'run.sh']);
    expect(readFileSync(join(dest, 'edited.txt'), 'utf8')).toBe('edited, not committed\n');
    expect(readFileSync(join(dest, 'new.txt'), 'utf8')).toBe('new, not added\n');
    expect(existsSync(join(dest, 'deleted.txt'))).toBe(false);
    expect(existsSync(join(dest, 'debug.log'))).toBe(false);
    expect(existsSync(join(dest, 'node_modules'))).toBe(false);
    expect(statSync(join(dest, 'run.sh')).mode & 0o111).not.toBe(0);
    expect((await git('status', '--porcelain')).stdout).toBe(statusBefore);
  });
});
