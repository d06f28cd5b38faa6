import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { CALLBACK_SECRET, BOT_TOKEN, SIGNING_SECRET } from '../support/harness.js';
import { TEST_SECRET } from '../support/webhooks.js';

/** `npm start` as a child process (the real bot/main.ts), for tests that kill it with SIGKILL. */
export interface BotProcess {
  url: string;
  child: ChildProcess;
  /** stdout + stderr so far (for a failure message). */
  output(): string;
  kill(signal: NodeJS.Signals): Promise<void>;
}

export interface BotProcessOptions {
  dir: string;
  configDoc: unknown;
  dbFile: string;
  slackApiUrl: string;
  env?: Record<string, string>;
  readyTimeoutMs?: number;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export async function startBotProcess(opts: BotProcessOptions): Promise<BotProcess> {
  const configFile = join(opts.dir, 'handoff.config.yaml');
  writeFileSync(configFile, stringify(opts.configDoc));
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'bot/main.ts'], {
    cwd: process.cwd(),
    env: {
      ...process.env,
      HANDOFF_CONFIG: configFile,
      HANDOFF_DB: opts.dbFile,
      SLACK_API_URL: opts.slackApiUrl,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      HANDOFF_WEBHOOK_SECRETS: TEST_SECRET,
      HANDOFF_CALLBACK_SECRET: CALLBACK_SECRET,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;

  const end = Date.now() + (opts.readyTimeoutMs ?? 20_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`bot exited with ${child.exitCode} before ready:\n${out}`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > end) {
      child.kill('SIGKILL');
      throw new Error(`bot not ready in time:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  return {
    url,
    child,
    output: () => out,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
