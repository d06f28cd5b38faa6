import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackEmulator } from '../../sandbox/slack-emulator/index.js';
import { openRawSse, pair, type RawSseClient } from '../support/desktop-api.js';
import { REPO_ROOT, startBotProcess, type BotProcess } from '../support/bot-process.js';
import { startTestSlack, tempDir } from '../support/harness.js';
import { freePort } from '../support/postgres.js';
import { sharedPostgres } from '../support/shared-postgres.js';
import { until } from '../support/until.js';
import { postHandoff, sampleHandoff } from '../support/webhooks.js';

// The README's "More than one machine" topology, run from its own files: the bot environment of
// docker-compose.postgres.yml, and docker/nginx-postgres.conf in front of two bot processes on one
// PostgreSQL. Docker cannot run here, so the services run as local processes; only the addresses
// (service names, ports) are rewritten to loopback ones.

interface ComposeService {
  environment?: Record<string, string>;
  image?: string;
  volumes?: string[];
  depends_on?: unknown;
}

const compose = parseYaml(readFileSync(join(REPO_ROOT, 'docker-compose.postgres.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
};
const NGINX_CONF = readFileSync(join(REPO_ROOT, 'docker/nginx-postgres.conf'), 'utf8');
const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));

const pgServer = sharedPostgres();
let slack: SlackEmulator;
let nginx: ChildProcess | null = null;
let front = '';
const bots: BotProcess[] = [];
const dirs: string[] = [];
let stream: RawSseClient | null = null;

beforeAll(async () => {
  if (!NGINX) throw new Error('nginx is not installed: install Debian\'s nginx package (apt-get install nginx); .ci/run does');
  slack = await startTestSlack();
}, 120_000);

/** Pids whose parent is `pid` (nginx's workers), from /proc. */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((d) => {
    try {
      // stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after its last ')'.
      return Number(readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]) === pid;
    } catch {
      return false;
    }
  }).map(Number);
}

/**
 * nginx's fast shutdown (SIGTERM): the master stops its workers and waits for them. A SIGKILLed
 * master left its worker listening after the run; this checks none is left.
 */
async function stopNginx(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.pid === undefined) return;
  const workers = childrenOf(proc.pid);
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  proc.kill('SIGTERM');
  await exited;
  await until(() => workers.every((w) => !existsSync(`/proc/${w}`)), 10_000, 'nginx\'s workers gone');
}

afterAll(async () => {
  stream?.close();
  if (nginx) await stopNginx(nginx);
  await Promise.all(bots.map((b) => b.kill('SIGKILL')));
  await slack?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('docker-compose.postgres.yml', { timeout: 240_000 }, () => {
  it('declares PostgreSQL with a volume, two bots on it and nginx in front', () => {
    const { postgres, bot1, bot2, proxy } = compose.services;
    expect(postgres?.image).toMatch(/^postgres:/);
    expect(postgres?.volumes?.some((v) => v.startsWith('handoff-pg:'))).toBe(true);
    expect(Object.keys(compose.volumes)).toContain('handoff-pg');
    for (const bot of [bot1, bot2]) {
      const url = new URL(bot!.environment!.HANDOFF_DATABASE_URL!.replace(/\$\{POSTGRES_PASSWORD[^}]*\}/, 'pw'));
      // The bots reach the postgres service, as the user and database it creates.
      expect(url.hostname).toBe('postgres');
      expect(url.username).toBe(postgres!.environment!.POSTGRES_USER);
      expect(url.pathname).toBe(`/${postgres!.environment!.POSTGRES_DB}`);
    }
    expect(proxy?.image).toMatch(/^nginx:/);
    expect(proxy?.volumes?.some((v) => v.startsWith('./docker/nginx-postgres.conf:'))).toBe(true);
    expect(NGINX_CONF).toMatch(/server bot1:3000/);
    expect(NGINX_CONF).toMatch(/server bot2:3000/);
  });

  it('runs as written: handoffs and Slack go through nginx to either bot, a desktop stream stays live through it, and killing one bot loses nothing', async () => {
    const dbUrl = await pgServer.createDatabase();
    const env = compose.services.bot1!.environment!;
    for (let i = 0; i < 2; i++) {
      const dir = tempDir('handoff-compose-bot-');
      dirs.push(dir);
      bots.push(
        await startBotProcess({
          dir,
          slackApiUrl: slack.apiUrl,
          env: {
            HANDOFF_DATABASE_URL: dbUrl,
            // nginx runs on this machine here, not on the Docker bridge.
            HANDOFF_TRUST_PROXY: env.HANDOFF_TRUST_PROXY ? '127.0.0.1' : undefined,
          },
          startTimeoutMs: 60_000,
        }),
      );
    }

    const port = await freePort();
    const dir = tempDir('handoff-compose-nginx-');
    dirs.push(dir);
    const site = NGINX_CONF.replace('server bot1:3000', `server 127.0.0.1:${bots[0]!.port}`)
      .replace('server bot2:3000', `server 127.0.0.1:${bots[1]!.port}`)
      .replace(/listen 80;/, `listen 127.0.0.1:${port};`);
    expect(site).not.toBe(NGINX_CONF);
    writeFileSync(join(dir, 'site.conf'), site);
    // The image's nginx.conf wraps conf.d files in http {}; this is that wrapper, writing only under `dir`.
    writeFileSync(
      join(dir, 'nginx.conf'),
      `daemon off; worker_processes 1; pid ${dir}/nginx.pid; error_log ${dir}/error.log warn; user root;
events { worker_connections 256; }
http { access_log off; client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi; include ${dir}/site.conf; }
`,
    );
    nginx = spawn(NGINX!, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: 'ignore' });
    front = `http://127.0.0.1:${port}`;
    await until(() => fetch(`${front}/readyz`).then((r) => r.status === 200, () => false), 20_000, 'nginx in front of the bots');

    // Slack talks to the front too; a pairing code made by whichever bot works on any.
    slack.setBotEventsUrl(`${front}/slack/events`);
    const answer = await slack.sendSlashCommand({ user: 'U0ALICE01', channel: 'C0CLINIC01', text: 'desktop' });
    const code = /\*([A-Z0-9]{4}-[A-Z0-9]{4})\*/.exec(answer.body)?.[1];
    expect(code, 'a pairing code').toBeTruthy();
    const paired = await pair(front, code!, 'laptop');
    expect(paired.status).toBe(200);
    stream = await openRawSse(front, paired.json.token as string);
    expect(stream.status).toBe(200);

    const ids: string[] = [];
    const send = async () => {
      const res = await postHandoff(front, sampleHandoff());
      expect(res.status).toBe(202);
      ids.push(res.json.handoff_id as string);
    };
    for (let i = 0; i < 6; i++) await send();
    // Unbuffered: each handoff reaches the desktop while the stream stays open.
    for (const id of ids) await stream.waitFor((e) => e.handoff.id === id, 20_000);

    await bots[0]!.kill('SIGKILL');
    for (let i = 0; i < 6; i++) await send();

    const cards = () => slack.messages('C0CLINIC01').filter((m) => m.metadata?.event_type === 'handoff_card');
    await until(() => ids.every((id) => cards().some((m) => m.metadata!.event_payload.handoff_id === id)), 60_000, 'every card');
    for (const id of ids) expect(cards().filter((m) => m.metadata!.event_payload.handoff_id === id)).toHaveLength(1);
  });
});
