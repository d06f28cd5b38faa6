import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/harness.js';

// `npm test` runs vitest through scripts/clean-run.ts: a run that leaves a file or a process fails.
const SCRIPT = join(import.meta.dirname, '../../scripts/clean-run.ts');
const run = promisify(execFile);
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function repo(): Promise<string> {
  const dir = tempDir('handoff-clean-run-');
  dirs.push(dir);
  const git = (...args: string[]) => run('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir });
  await git('init', '--quiet');
  writeFileSync(join(dir, 'tracked.txt'), 'committed\n');
  await git('add', '-A');
  await git('commit', '--quiet', '-m', 'first');
  return dir;
}

/** Runs `node -e script` through clean-run in `cwd`. */
async function cleanRun(cwd: string, script: string): Promise<{ code: number; stderr: string }> {
  try {
    const { stderr } = await run(process.execPath, ['--import', import.meta.resolve('tsx'), SCRIPT, process.execPath, '-e', script], { cwd });
    return { code: 0, stderr };
  } catch (err) {
    const e = err as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
}

/** Whether `pid` still runs (a killed process waiting for init to reap it does not). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

describe('scripts/clean-run.ts', () => {
  it('passes a run that leaves nothing, whatever the developer had changed before it', async () => {
    const dir = await repo();
    writeFileSync(join(dir, 'tracked.txt'), 'edited before the run\n');
    writeFileSync(join(dir, 'mine.txt'), 'untracked before the run\n');
    expect(await cleanRun(dir, 'process.exit(0)')).toEqual({ code: 0, stderr: '' });
  });

  it('fails a run that writes a tracked file or leaves a new one, naming them', async () => {
    const dir = await repo();
    const res = await cleanRun(dir, "require('fs').writeFileSync('tracked.txt', 'rewritten'); require('fs').writeFileSync('left.png', 'x')");
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('changed the working tree');
    expect(res.stderr).toContain('tracked.txt (M)');
    expect(res.stderr).toContain('left.png (??)');
  });

  it('fails a run that leaves a process behind, even one in its own session, and kills it', async () => {
    const dir = await repo();
    const res = await cleanRun(dir, "const c = require('child_process').spawn('sleep', ['300'], { detached: true, stdio: 'ignore' }); console.error('pid ' + c.pid); c.unref()");
    const pid = Number(/pid (\d+)/.exec(res.stderr)?.[1]);
    expect(pid).toBeGreaterThan(0);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(new RegExp(`left 1 process\\(es\\) running \\(killed now\\):\\n  ${pid} sleep 300`));
    expect(running(pid)).toBe(false);
  });

  it('still checks processes outside a git checkout, and says it cannot check files there', async () => {
    const dir = tempDir('handoff-clean-run-plain-');
    dirs.push(dir);
    const res = await cleanRun(dir, "require('fs').writeFileSync('left.txt', 'x')");
    expect(res).toEqual({ code: 0, stderr: 'clean-run: not a git checkout, so only leftover processes are checked\n' });
  });

  it("keeps a failed run's own exit code", async () => {
    const dir = await repo();
    expect((await cleanRun(dir, 'process.exit(3)')).code).toBe(3);
  });
});
