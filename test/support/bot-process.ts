import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify as toYaml } from 'yaml';
import { BOT_TOKEN, CALLBACK_SECRET, SIGNING_SECRET } from './harness.js';
import { TEST_CONFIG_DOC } from './test-config.js';
import { TEST_SECRET } from './webhooks.js';

/** The repository root: the child runs `bot/main.ts` from here so `tsx` and the sources resolve. */
export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export interface BotProcessOptions {
  /** Working directory of this bot: its config file and database go here. */
  dir: string;
  /** Base URL of the Slack Web API (an emulator's `apiUrl`). */
  slackApiUrl: string;
  /** The YAML config as a document (default TEST_CONFIG_DOC) or as raw text. */
  config?: unknown;
  configText?: string;
  /** Variables to set (or, with `undefined`, to leave out) on top of a complete working environment. */
  env?: Record<string, string | undefined>;
  /** How long to wait for the 'handoff bot listening' line. */
  startTimeoutMs?: number;
  /** Node arguments that run the bot (default: `--import tsx bot/main.ts`, what `npm start` runs). */
  command?: string[];
  /** Run the bot with this many file handles at most (`ulimit -n`), as a small production host would. */
  fdLimit?: number;
}

export interface BotExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface BotProcess {
  url: string;
  port: number;
  dbFile: string;
  child: ChildProcess;
  /** Everything the child wrote so far. */
  stdout(): string;
  stderr(): string;
  exited: Promise<BotExit>;
  /** Sends `signal` (default SIGKILL: no chance to flush or close anything) and waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<BotExit>;
}

export function botDbFile(dir: string): string {
  return join(dir, 'handoff.db');
}

/** Writes the config as YAML into `dir` and returns its path. */
export function writeConfig(dir: string, opts: Pick<BotProcessOptions, 'config' | 'configText'> = {}): string {
  const file = join(dir, 'handoff.config.yaml');
  writeFileSync(file, opts.configText ?? toYaml(opts.config ?? TEST_CONFIG_DOC));
  return file;
}

/** A complete, valid environment for `npm start`; `overrides` set or (with undefined) remove variables. */
export function botEnv(opts: BotProcessOptions, configFile: string): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: process.env.TMPDIR,
    // scripts/clean-run.ts finds a bot the run left behind by this.
    CLEAN_RUN_ID: process.env.CLEAN_RUN_ID,
    PORT: '0',
    HOST: '127.0.0.1',
    HANDOFF_CONFIG: configFile,
    HANDOFF_DB: botDbFile(opts.dir),
    HANDOFF_WEBHOOK_SECRETS: TEST_SECRET,
    HANDOFF_CALLBACK_SECRET: CALLBACK_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: opts.slackApiUrl,
    LOG_LEVEL: 'info',
    ...opts.env,
  };
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

function spawnBot(opts: BotProcessOptions) {
  const configFile = writeConfig(opts.dir, opts);
  // The same program `npm start` runs (`tsx bot/main.ts`), without npm's own output around it.
  const args = opts.command ?? ['--import', 'tsx', 'bot/main.ts'];
  const [file, argv] =
    opts.fdLimit === undefined ? [process.execPath, args] : ['/bin/sh', ['-c', `ulimit -n ${opts.fdLimit} && exec "$@"`, 'sh', process.execPath, ...args]];
  const child = spawn(file, argv, {
    cwd: REPO_ROOT,
    env: botEnv(opts, configFile),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (err += s));
  const exited = new Promise<BotExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, exited, stdout: () => out, stderr: () => err };
}

/** Starts `bot/main.ts` as a child process and resolves once it logs that it listens. */
export async function startBotProcess(opts: BotProcessOptions): Promise<BotProcess> {
  const { child, exited, stdout, stderr } = spawnBot(opts);
  const timeoutMs = opts.startTimeoutMs ?? 20_000;
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`bot did not listen within ${timeoutMs} ms; stderr: ${stderr().slice(0, 2000)}`));
    }, timeoutMs);
    const onData = () => {
      for (const line of stdout().split('\n')) {
        if (!line.includes('handoff bot listening')) continue;
        const port = (JSON.parse(line) as { port?: number }).port;
        if (typeof port === 'number') {
          clearTimeout(timer);
          child.stdout!.off('data', onData);
          resolve(port);
          return;
        }
      }
    };
    child.stdout!.on('data', onData);
    void exited.then((e) => {
      clearTimeout(timer);
      reject(new Error(`bot exited before listening (${e.code ?? e.signal}); stderr: ${stderr().slice(0, 2000)}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dbFile: botDbFile(opts.dir),
    child,
    stdout,
    stderr,
    exited,
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Runs `bot/main.ts` expecting it to stop by itself (a start-up failure); kills it after `timeoutMs`. */
export async function runBotProcessToExit(opts: BotProcessOptions, timeoutMs = 20_000): Promise<BotExit & { stdout: string; stderr: string }> {
  const { child, exited, stdout, stderr } = spawnBot(opts);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const exit = await exited;
  clearTimeout(timer);
  return { ...exit, stdout: stdout(), stderr: stderr() };
}
