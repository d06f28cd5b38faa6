// The README quickstart, verbatim, on a fresh clone: the first command of the README's first
// shell block (`npm ci && npm run sandbox`), which prints one URL that serves the page.
// Clones the committed HEAD.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

// QUICKSTART_REPO: clone another checkout (e.g. one with uncommitted work committed to a scratch branch).
const REPO = process.env.QUICKSTART_REPO ?? join(import.meta.dirname, '../..');
const run = promisify(execFile);

let dir = '';
let child: ChildProcess | null = null;

afterAll(() => {
  // npm runs tsx in its own process group: end the whole group we started, nothing else.
  if (child?.pid && child.exitCode === null) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function waitForUrl(proc: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`no "Sandbox ready" line within ${timeoutMs} ms; stderr: ${err.slice(-2000)}`)), timeoutMs);
    proc.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const m = /Sandbox ready: (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm run sandbox exited with ${code}; stderr: ${err.slice(-2000)}`));
    });
  });
}

/** The install-and-run line: the first line of the README's first ```sh block, without its comment. */
function quickstartCommand(): string {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const block = /```sh\n([\s\S]*?)```/.exec(readme)?.[1];
  const line = block?.split('\n')[0]?.replace(/\s+#.*$/, '').trim();
  if (!line) throw new Error('the README has no quick start command');
  return line;
}

describe('README quickstart', () => {
  it(
    'a fresh clone runs npm ci, then npm run sandbox prints one URL that serves the sandbox page',
    async () => {
      dir = mkdtempSync(join(tmpdir(), 'handoff-quickstart-'));
      await run('git', ['clone', '--quiet', REPO, dir]);
      const command = quickstartCommand();
      expect(command).toBe('npm ci && npm run sandbox');
      child = spawn('bash', ['-c', command], { cwd: dir, env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn' }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      const url = await waitForUrl(child, 4 * 60_000);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);

      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<title>Handoff sandbox</title>');
      const setup = (await (await fetch(`${url}sandbox/api/setup`)).json()) as { workflows: { id: string }[] };
      expect(setup.workflows.map((w) => w.id)).toContain('clinic-after-hours');

      // Ctrl-C / SIGTERM stops it cleanly: the port closes.
      const exited = new Promise<void>((resolve) => child!.once('exit', () => resolve()));
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
      await new Promise((r) => setTimeout(r, 200));
      await expect(fetch(url)).rejects.toThrow();
    },
    5 * 60_000,
  );
});
