/**
 * `tsx scripts/clean-run.ts <command> [args...]`: runs a test command (what `npm test` runs) and
 * fails when it leaves the working tree changed or a process behind.
 *
 * - Files: `git status` with every path's content, before and after. Edits a developer had before
 *   the run are theirs; only what the run changed counts.
 * - Processes: every process the run started carries CLEAN_RUN_ID=<a value unique to this run>
 *   in its environment (children inherit it; test/support/bot-process.ts passes it to the bot), so
 *   one still running after the command ended is found in /proc even when it was re-parented or
 *   started its own session. Each is named, then killed.
 *
 * Exit code: the command's own when it failed, else 1 for a leftover, else 0.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const RUN_MARKER = 'CLEAN_RUN_ID';

/** Path -> what is there now ("git status" code and content hash) for every changed or untracked path. */
export function treeState(repo: string): Map<string, string> {
  const res = spawnSync('git', ['status', '--porcelain=v1', '-z', '--untracked-files=all'], { cwd: repo, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (res.status !== 0) throw new Error(`git status failed in ${repo}: ${res.stderr.trim()}`);
  const out = new Map<string, string>();
  const entries = res.stdout.split('\0');
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (entry.length < 4) continue;
    const code = entry.slice(0, 2);
    const path = entry.slice(3);
    // A rename or copy is followed by its source path.
    if (code.includes('R') || code.includes('C')) i++;
    out.set(path, `${code} ${contentOf(join(repo, path))}`);
  }
  return out;
}

function contentOf(file: string): string {
  try {
    const st = lstatSync(file);
    if (st.isSymbolicLink()) return `link:${readlinkSync(file)}`;
    if (!st.isFile()) return 'other';
    return createHash('sha1').update(readFileSync(file)).digest('hex');
  } catch {
    return 'missing';
  }
}

/** What changed between two tree states, one line per path. */
export function treeChanges(before: Map<string, string>, after: Map<string, string>): string[] {
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
  return paths.filter((p) => before.get(p) !== after.get(p)).map((p) => `${p} (${after.has(p) ? after.get(p)!.slice(0, 2).trim() || 'changed' : 'restored'})`);
}

/** Processes still running (not zombies) whose environment carries `marker`. */
export function processesCarrying(marker: string): { pid: number; command: string }[] {
  const needle = Buffer.from(`${RUN_MARKER}=${marker}\0`);
  const found: { pid: number; command: string }[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d) || Number(d) === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      if (!readFileSync(`/proc/${d}/environ`).includes(needle)) continue;
      const command = readFileSync(`/proc/${d}/cmdline`, 'utf8').replaceAll('\0', ' ').trim().slice(0, 160);
      found.push({ pid: Number(d), command });
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}

async function main(): Promise<number> {
  const [command, ...args] = process.argv.slice(2);
  if (!command) {
    console.error('usage: tsx scripts/clean-run.ts <command> [args...]');
    return 1;
  }
  const repo = process.cwd();
  if (!existsSync('/proc/self/environ')) throw new Error('clean-run needs /proc (Linux)');
  const marker = `${process.pid}-${randomBytes(6).toString('hex')}`;
  // Outside a git checkout (an unpacked tarball) there is no status to compare; processes still count.
  const inGit = spawnSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: repo, stdio: 'ignore' }).status === 0;
  if (!inGit) console.error('clean-run: not a git checkout, so only leftover processes are checked');
  const before = inGit ? treeState(repo) : null;

  const child = spawn(command, args, { stdio: 'inherit', env: { ...process.env, [RUN_MARKER]: marker } });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward).on('SIGTERM', forward);
  const code = await new Promise<number>((resolve) => {
    child.once('error', (err) => {
      console.error(`clean-run: cannot start ${command}: ${err.message}`);
      resolve(1);
    });
    child.once('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
  });

  const problems: string[] = [];
  const changed = before ? treeChanges(before, treeState(repo)) : [];
  if (changed.length > 0) problems.push(`the run changed the working tree (git status):\n  ${changed.join('\n  ')}`);
  // A process in its last moments (a worker its master is stopping) gets a moment to end.
  let left = processesCarrying(marker);
  for (let i = 0; i < 20 && left.length > 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
    left = processesCarrying(marker);
  }
  if (left.length > 0) {
    problems.push(`the run left ${left.length} process(es) running (killed now):\n  ${left.map((p) => `${p.pid} ${p.command}`).join('\n  ')}`);
    for (const p of left) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // Ended by itself.
      }
    }
  }
  for (const p of problems) console.error(`clean-run: ${p}`);
  if (code !== 0) return code;
  return problems.length > 0 ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`clean-run: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
