import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackEmulator } from '../../sandbox/slack-emulator/index.js';
import { startCallbackReceiver, type CallbackReceiver } from '../../sandbox/fakes/callback-receiver.js';
import { cardsByHandoff } from '../support/outbox.js';
import { runBotProcessToExit, startBotProcess, type BotProcess } from '../support/bot-process.js';
import { CALLBACK_SECRET, startTestSlack, tempDir } from '../support/harness.js';
import { startPostgres, type PostgresServer } from '../support/postgres.js';
import { until } from '../support/until.js';
import { postHandoff, sampleHandoff } from '../support/webhooks.js';

// The database going away: at start the bot refuses to run (one line); while running, intake answers
// 503 with nothing half-stored, and everything comes back by itself once the server is up again.

let server: PostgresServer;
let slack: SlackEmulator;
let receiver: CallbackReceiver;
const dirs: string[] = [];
const bots: BotProcess[] = [];

beforeAll(async () => {
  // fsync on, and an immediate (crash) shutdown below: a 202 must mean the handoff is on disk.
  server = await startPostgres({ durable: true });
  slack = await startTestSlack();
  receiver = await startCallbackReceiver({ secret: CALLBACK_SECRET });
});
afterAll(async () => {
  await Promise.all(bots.map((b) => b.kill('SIGKILL')));
  await slack?.close();
  await receiver?.close();
  await server?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function dir(): string {
  const d = tempDir('handoff-pg-outage-');
  dirs.push(d);
  return d;
}

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

describe('PostgreSQL outages', () => {
  it('stops `npm start` with one line, without the password, when the database cannot be reached', async () => {
    const url = `postgres://handoff:s3cret-pw@127.0.0.1:${await closedPort()}/handoff`;
    const exit = await runBotProcessToExit({ dir: dir(), slackApiUrl: slack.apiUrl, env: { HANDOFF_DATABASE_URL: url } }, 60_000);
    expect(exit.code).toBe(1);
    const lines = exit.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^handoff: .*database at 127\.0\.0\.1:\d+\/handoff/);
    expect(exit.stderr + exit.stdout).not.toContain('s3cret-pw');
  }, 120_000);

  it('loses no accepted handoff when the server crashes and restarts under load, answers 503 meanwhile and recovers by itself', async () => {
    const url = await server.createDatabase();
    const env = { HANDOFF_DATABASE_URL: url };
    const [a, b] = await Promise.all([1, 2].map(() => startBotProcess({ dir: dir(), slackApiUrl: slack.apiUrl, env, startTimeoutMs: 60_000 })));
    bots.push(a!, b!);
    const accepted: string[] = [];
    const statuses = new Map<number, number>();
    let afterRestart = 0;
    let restarted = false;
    let stop = false;
    const load = async (bot: BotProcess, worker: number) => {
      for (let n = 0; !stop; n++) {
        // A keep-alive connection the server closed just as a request went out is a client's retry, not an answer.
        const res = await postHandoff(bot.url, sampleHandoff({ webhook_url: `${receiver.url}/cb`, structured_fields: { patient_name: `Load ${worker}-${n}` } })).catch(
          () => ({ status: 0, json: {} as Record<string, unknown> }),
        );
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status === 202) {
          accepted.push(res.json.handoff_id as string);
          if (restarted) afterRestart++;
        } else await new Promise((r) => setTimeout(r, 20)); // a client backing off before its retry
      }
    };
    const loaders = [load(a!, 1), load(b!, 2), load(a!, 3), load(b!, 4)];
    await until(() => accepted.length >= 20, 30_000, 'load flowing');
    await server.stopServer('immediate');
    await until(() => statuses.get(503), 30_000, 'a 503 while the database is down');
    await server.startServer();
    restarted = true;
    await until(() => afterRestart >= 20, 60_000, 'handoffs accepted again after the restart');
    stop = true;
    await Promise.all(loaders);

    for (const bot of [a!, b!]) expect(bot.child.exitCode ?? bot.child.signalCode, `a bot process ended: ${bot.stderr().slice(-2000)}`).toBeNull();
    expect([...statuses.keys()].filter((s) => s !== 0).sort()).toEqual([202, 503]);
    expect(statuses.get(0) ?? 0, 'requests without an answer').toBeLessThan(5);
    const db = new pg.Pool({ connectionString: url, max: 1 });
    try {
      const stored = await db.query<{ id: string }>("SELECT h.id FROM handoffs h JOIN events e ON e.handoff_id = h.id AND e.type = 'handoff.received'");
      const ids = new Set(stored.rows.map((r) => r.id));
      expect(accepted.filter((id) => !ids.has(id)), 'accepted handoffs missing after the crash').toEqual([]);
      // Every accepted handoff is carded in the one channel, at Slack's one post a second: the drain takes
      // about a second per handoff still waiting when the load stops (how many depends on how fast the
      // machine accepted them), so the bound follows the count instead of a fixed minute.
      const drainBound = 30_000 + accepted.length * 1_000;
      await until(async () => Number((await db.query("SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending'")).rows[0].n) === 0, drainBound, 'outbox drained');
      const cards = cardsByHandoff(slack, ['C0CLINIC01']);
      expect(accepted.filter((id) => cards.get(id)?.length !== 1), 'accepted handoffs not carded exactly once').toEqual([]);
    } finally {
      await db.end();
    }
  }, 480_000);
});
