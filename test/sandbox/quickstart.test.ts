// The README quickstart, verbatim, on a fresh copy of the working tree as CI would clone it once
// committed (uncommitted edits and new files included, ignored files and node_modules left out):
// the first command of the README's first shell block (`npm ci && npm run sandbox`), which prints
// one URL that serves the page.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { until } from '../support/until.js';
import { copyWorkingTree } from '../support/working-tree.js';

// QUICKSTART_REPO: run the quickstart of another checkout's working tree.
const REPO = process.env.QUICKSTART_REPO ?? join(import.meta.dirname, '../..');

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
  // Removing a fresh install (hundreds of packages) took over a minute on a loaded 2-core machine.
}, 5 * 60_000);

/** Resolves with the URL of the "Sandbox ready" line and what was written to stderr until then (npm ci's warnings). */
function waitForUrl(proc: ChildProcess, timeoutMs: number): Promise<{ url: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`no "Sandbox ready" line within ${timeoutMs} ms; stderr: ${err.slice(-2000)}`)), timeoutMs);
    proc.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const m = /Sandbox ready: (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ url: m[1], stderr: err });
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
function quickstartCommand(root: string): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = /```sh\n([\s\S]*?)```/.exec(readme)?.[1];
  const line = block?.split('\n')[0]?.replace(/\s+#.*$/, '').trim();
  if (!line) throw new Error('the README has no quick start command');
  return line;
}

describe('README quickstart', () => {
  it(
    'a fresh copy of the working tree runs npm ci, then npm run sandbox prints one URL that serves the sandbox page',
    async () => {
      dir = mkdtempSync(join(tmpdir(), 'handoff-quickstart-'));
      await copyWorkingTree(REPO, dir);
      const command = quickstartCommand(dir);
      expect(command).toBe('npm ci && npm run sandbox');
      child = spawn('bash', ['-c', command], { cwd: dir, env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn' }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      const { url, stderr } = await waitForUrl(child, 9 * 60_000); // npm ci on a loaded 2-core machine can take minutes
      // The running Node is a supported one (engines): no dependency may refuse it.
      expect(stderr).not.toContain('EBADENGINE');
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
      await until(() => fetch(url).then(() => false, () => true), 10_000, 'the port to close');
    },
    10 * 60_000,
  );
});
