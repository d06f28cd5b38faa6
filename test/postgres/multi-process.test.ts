import { rmSync } from 'node:fs';
import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCallbackReceiver, type CallbackReceiver } from '../../sandbox/fakes/callback-receiver.js';
import type { SlackEmulator } from '../../sandbox/slack-emulator/index.js';
import { api, openRawSse, pair, type RawSseClient } from '../support/desktop-api.js';
import { cardsByHandoff } from '../support/outbox.js';
import { startBotProcess, type BotProcess } from '../support/bot-process.js';
import { CALLBACK_SECRET, startTestSlack, tempDir } from '../support/harness.js';
import { sharedPostgres } from '../support/shared-postgres.js';
import { startSlackFront, type SlackFront } from '../support/slack-front.js';
import { TEST_CONFIG_DOC } from '../support/test-config.js';
import { until } from '../support/until.js';
import { postHandoff, sampleHandoff } from '../support/webhooks.js';

// docs/contract/postgresql.md: two real bot processes (`bot/main.ts`, as `npm start` runs it) on one real
// PostgreSQL server behave as one bot.

// Ten lines with channels of their own so Slack's 1 post/s per channel lets 60 cards out in seconds.
const LINES = Array.from({ length: 10 }, (_, i) => ({ id: `line-${i}`, channel: `C0LINE${String(i).padStart(4, '0')}` }));
const CHANNELS = LINES.map((l) => l.channel);
const CLINIC = 'C0CLINIC01';

function configDoc(levels?: { wait: string; channel: string }[]): unknown {
  const base = structuredClone(TEST_CONFIG_DOC.workflows[0]!);
  const clinic: Record<string, unknown> = structuredClone(base);
  if (levels) {
    for (const key of ['escalation_channel', 'escalation_mention', 'escalate_after']) delete clinic[key];
    clinic.levels = levels;
  }
  return {
    ...TEST_CONFIG_DOC,
    workflows: [clinic, ...LINES.map((l) => ({ ...structuredClone(base), id: l.id, name: `Line ${l.id}`, owner_channel: l.channel }))],
  };
}

const server = sharedPostgres();
let slack: SlackEmulator;
let receiver: CallbackReceiver;
const dirs: string[] = [];
const bots: BotProcess[] = [];
const fronts: SlackFront[] = [];
const pools: pg.Pool[] = [];
const streams: RawSseClient[] = [];

beforeAll(async () => {
  slack = await startTestSlack([{ id: CLINIC, name: 'clinic' }, { id: 'C0ONCALL01', name: 'oncall' }, ...LINES.map((l) => ({ id: l.channel, name: l.id }))]);
  receiver = await startCallbackReceiver({ secret: CALLBACK_SECRET });
});
afterEach(async () => {
  for (const s of streams.splice(0)) s.close();
  await Promise.all(bots.splice(0).map((b) => b.kill('SIGKILL')));
  await Promise.all(fronts.splice(0).map((f) => f.close()));
  await Promise.all(pools.splice(0).map((p) => p.end()));
});
afterAll(async () => {
  await slack?.close();
  await receiver?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Cluster {
  url: string;
  db: pg.Pool;
  start(opts?: { front?: SlackFront; config?: unknown }): Promise<BotProcess>;
}

async function cluster(config: unknown = configDoc()): Promise<Cluster> {
  const url = await server.createDatabase();
  const db = new pg.Pool({ connectionString: url, max: 2 });
  pools.push(db);
  return {
    url,
    db,
    async start(opts = {}) {
      const dir = tempDir('handoff-pg-bot-');
      dirs.push(dir);
      const bot = await startBotProcess({
        dir,
        config: opts.config ?? config,
        slackApiUrl: opts.front?.apiUrl ?? slack.apiUrl,
        env: { HANDOFF_DATABASE_URL: url },
        startTimeoutMs: 60_000,
      });
      bots.push(bot);
      return bot;
    },
  };
}

const count = async (db: pg.Pool, sql: string, params: unknown[] = []) => Number((await db.query<{ n: string }>(sql, params)).rows[0]!.n);

/** Sends a Slack click to `bot`: the emulator reads its events URL synchronously when the click starts. */
function clickOn(bot: BotProcess, opts: Parameters<SlackEmulator['sendBlockAction']>[0]) {
  slack.setBotEventsUrl(`${bot.url}/slack/events`);
  return slack.sendBlockAction(opts);
}

async function cardOf(id: string, channel = CLINIC): Promise<{ channel: string; ts: string }> {
  const msg = await until(() => slack.messages(channel).find((m) => m.metadata?.event_type === 'handoff_card' && m.metadata.event_payload.handoff_id === id), 20_000, `card of ${id}`);
  return { channel, ts: msg.ts };
}

function callbacksOf(id: string): string[] {
  const verifier = new Webhook(CALLBACK_SECRET);
  return receiver.received
    .filter((r) => r.answeredStatus === 200)
    .map((r) => verifier.verify(r.rawBody, r.headers as Record<string, string>) as { type: string; data: { handoff_id: string } })
    .filter((d) => d.data.handoff_id === id)
    .map((d) => d.type);
}

// Each test starts real processes and waits on real delivery: generous bounds for a loaded machine.
describe('two bot processes on one PostgreSQL database', { timeout: 240_000 }, () => {
  it('makes one handoff of one idempotency key raced on both processes; the other answer replays it', async () => {
    const c = await cluster();
    const [a, b] = await Promise.all([c.start(), c.start()]);
    for (let round = 0; round < 10; round++) {
      const body = sampleHandoff({ idempotency_key: `race-${round}`, webhook_url: `${receiver.url}/cb` });
      const answers = await Promise.all([postHandoff(a.url, body), postHandoff(b.url, body)]);
      for (const r of answers) expect([202, 409]).toContain(r.status);
      const accepted = answers.filter((r) => r.status === 202);
      expect(accepted.filter((r) => r.headers.get('idempotent-replayed') !== 'true')).toHaveLength(1);
      expect(new Set(accepted.map((r) => r.json.handoff_id)).size).toBe(1);
      for (const r of answers.filter((x) => x.status === 409)) expect(r.json.error).toBe('idempotency_in_progress');
    }
    expect(await count(c.db, 'SELECT COUNT(*) AS n FROM handoffs')).toBe(10);
    expect(await count(c.db, 'SELECT COUNT(*) AS n FROM idempotency_keys')).toBe(10);
  });

  it('cards each of 60 handoffs exactly once though one process is SIGKILLed halfway (after Slack took its posts) and restarted', async () => {
    const c = await cluster();
    const frontA = await startSlackFront(slack.apiUrl);
    fronts.push(frontA);
    let a = await c.start({ front: frontA });
    const b = await c.start();
    const accepted: string[] = [];
    const post = async (bot: BotProcess, n: number) => {
      const line = LINES[n % LINES.length]!;
      const res = await postHandoff(bot.url, sampleHandoff({ workflow_id: line.id, handoff_reason: 'appointment_change', webhook_url: `${receiver.url}/cb`, structured_fields: { patient_name: `Caller ${n}` } }));
      expect(res.status).toBe(202);
      accepted.push(res.json.handoff_id as string);
    };
    for (let n = 0; n < 20; n++) await post(n % 2 ? b : a, n);
    await until(() => cardsByHandoff(slack, CHANNELS).size >= 10, 30_000, 'cards going out');

    // A's posts now reach Slack but A never hears back: it dies with cards posted and not recorded.
    frontA.holdAnswers = true;
    for (let n = 20; n < 40; n++) await post(n % 2 ? b : a, n);
    // Either process may deliver any row: while B happens to take them all, give A more to post.
    let extra = 60;
    let lastExtraAt = Date.now();
    await until(
      async () => {
        if (frontA.held() >= 1) return true;
        if (Date.now() - lastExtraAt >= 500) {
          lastExtraAt = Date.now();
          await post(a, extra++);
        }
        return false;
      },
      60_000,
      'a post of A held',
    );
    await a.kill('SIGKILL');
    frontA.holdAnswers = false;

    a = await c.start({ front: frontA });
    for (let n = 40; n < 60; n++) await post(n % 2 ? b : a, n + 1_000);
    await until(async () => (await count(c.db, "SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending'")) === 0, 60_000, 'every card out');

    const cards = cardsByHandoff(slack, CHANNELS);
    const mine = accepted.map((id) => [id, cards.get(id)?.length ?? 0] as const);
    expect(mine.filter(([, n]) => n !== 1), 'handoffs not carded exactly once').toEqual([]);
    expect(accepted.length).toBeGreaterThanOrEqual(60);
    expect(new Set(accepted).size).toBe(accepted.length);
  });

  it('gives 20 Claims split across both processes one winner and one handoff.claimed callback', async () => {
    const c = await cluster();
    const [a, b] = await Promise.all([c.start(), c.start()]);
    const res = await postHandoff(a.url, sampleHandoff({ webhook_url: `${receiver.url}/claims` }));
    expect(res.status).toBe(202);
    const id = res.json.handoff_id as string;
    const card = await cardOf(id);
    const users = Array.from({ length: 20 }, (_, i) => `U0RACE${String(i).padStart(4, '0')}`);
    const answers = await Promise.all(users.map((user, i) => clickOn(i % 2 ? b : a, { user, channel: card.channel, messageTs: card.ts, actionId: 'handoff_claim', value: id })));
    for (const answer of answers) expect(answer.status).toBe(200);
    // Slack gets its 200 before the click is handled: wait until every loser has been told, then count.
    const refused = () => users.filter((u) => slack.ephemerals(u).some((e) => JSON.stringify(e).includes('already claimed')));
    await until(() => refused().length === users.length - 1, 30_000, 'every other clicker told it is already claimed');
    expect(await count(c.db, "SELECT COUNT(*) AS n FROM events WHERE handoff_id = $1 AND type = 'handoff.claimed'", [id])).toBe(1);
    const winner = (await c.db.query<{ claimed_by: string }>('SELECT claimed_by FROM handoffs WHERE id = $1', [id])).rows[0]!.claimed_by;
    expect(users).toContain(winner);
    expect(refused()).not.toContain(winner);
    await until(() => callbacksOf(id).includes('handoff.claimed'), 20_000, 'claimed callback');
    await until(async () => (await count(c.db, "SELECT COUNT(*) AS n FROM outbox WHERE handoff_id = $1 AND status = 'pending'", [id])) === 0, 20_000, 'outbox drained');
    expect(callbacksOf(id).filter((t) => t === 'handoff.claimed')).toHaveLength(1);
  });

  it('fires an escalation timer once while both processes run', async () => {
    // Two rungs a second apart, then no timer: two escalations in all, each fired by one process.
    const c = await cluster(configDoc([{ wait: '1s', channel: 'C0ONCALL01' }, { wait: '1s', channel: 'C0ONCALL01' }]));
    const [a] = await Promise.all([c.start(), c.start()]);
    const res = await postHandoff(a.url, sampleHandoff({ handoff_reason: 'appointment_change', webhook_url: `${receiver.url}/cb` }));
    expect(res.status).toBe(202);
    const id = res.json.handoff_id as string;
    const state = async () => (await c.db.query<{ escalation_level: number; escalate_due_at: string | null }>('SELECT escalation_level, escalate_due_at FROM handoffs WHERE id = $1', [id])).rows[0]!;
    await until(async () => (await state()).escalate_due_at === null, 60_000, 'the ladder climbed to its top');
    expect(await state()).toMatchObject({ escalation_level: 2, escalate_due_at: null });
    expect(await count(c.db, "SELECT COUNT(*) AS n FROM events WHERE handoff_id = $1 AND type = 'handoff.escalated'", [id])).toBe(2);
  });

  it('streams to a desktop on one process a handoff claimed on the other; pairing and tokens work on either', async () => {
    const c = await cluster();
    const [a, b] = await Promise.all([c.start(), c.start()]);
    // The code comes from A (`/handoff desktop` in Slack) and is exchanged on B.
    slack.setBotEventsUrl(`${a.url}/slack/events`);
    const answer = await slack.sendSlashCommand({ user: 'U0ALICE01', channel: CLINIC, text: 'desktop' });
    const code = /\*([A-Z0-9]{4}-[A-Z0-9]{4})\*/.exec(answer.body)?.[1];
    expect(code).toBeDefined();
    const paired = await pair(b.url, code!, 'laptop');
    expect(paired.status).toBe(200);
    const token = paired.json.token as string;
    expect((await pair(a.url, code!, 'again')).status).not.toBe(200);

    const stream = await openRawSse(b.url, token);
    streams.push(stream);
    expect(stream.status).toBe(200);
    const res = await postHandoff(a.url, sampleHandoff({ webhook_url: `${receiver.url}/cb` }));
    const id = res.json.handoff_id as string;
    await stream.waitFor((e) => e.handoff.id === id, 10_000);
    const claimed = await api(a.url, 'POST', `/v1/handoffs/${id}/claim`, token);
    expect(claimed.status).toBe(200);
    const event = await stream.waitFor((e) => e.handoff.id === id && e.type === 'handoff.claimed', 10_000);
    expect(event.handoff.status).toBe('claimed');
    const seqs = stream.ids.map(Number);
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
  });
});
