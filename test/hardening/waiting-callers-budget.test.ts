import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionCapFor, heldBudgetFor } from '../../bot/http/connection-guard.js';
import { providerPath, signVapi, vapiTransferRequest } from '../../sandbox/fakes/voice-platforms.js';
import type { SlackEmulator } from '../../sandbox/slack-emulator/index.js';
import { startBotProcess, type BotProcess } from '../support/bot-process.js';
import { openTestDb, startTestSlack, tempDir } from '../support/harness.js';
import { VOICE_SECRETS } from '../support/providers.js';
import { TEST_CONFIG_DOC } from '../support/test-config.js';
import { until } from '../support/until.js';
import { postHandoff, sampleHandoff } from '../support/webhooks.js';

/** The common file limit of a small host: the bot derives its connection cap (768) and the held budget (384) from it. */
const FD_LIMIT = 1_024;
const CAP = connectionCapFor(FD_LIMIT);
const BUDGET = heldBudgetFor(CAP);
const TRANSFERS = 500;
const STALLED = 400;
const FALLBACK = 'Everyone is with another caller. A person will call you back shortly.';

let slack: SlackEmulator;
let dir: string;
let bot: BotProcess;
const sockets: Socket[] = [];
const answers: { status: number; body: Record<string, unknown> }[] = [];
let failures = 0;

beforeAll(async () => {
  slack = await startTestSlack();
  dir = tempDir('handoff-held-');
  const config = { ...structuredClone(TEST_CONFIG_DOC), people: { U0ALICE01: '+15555550101' } };
  config.workflows[0] = { ...config.workflows[0]!, connect: { wait: '110s', fallback_message: FALLBACK } } as never;
  bot = await startBotProcess({ dir, slackApiUrl: slack.apiUrl, fdLimit: FD_LIMIT, config, env: { VAPI_SECRET: VOICE_SECRETS.vapiSecret } });
  slack.setBotEventsUrl(`${bot.url}/slack/events`);
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await bot?.kill('SIGKILL');
  await slack.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A Vapi transfer-destination-request on its own connection (no pooling), as each live call sends one. */
function transfer(callId = `held-${randomUUID()}`): void {
  const signed = signVapi(JSON.stringify(vapiTransferRequest(callId, '+14155550987')), VOICE_SECRETS.vapiSecret);
  const req = request(`${bot.url}${providerPath('vapi', 'clinic-after-hours')}`, { method: 'POST', headers: signed.headers, agent: false }, (res) => {
    let text = '';
    res.setEncoding('utf8').on('data', (c: string) => (text += c));
    res.on('end', () => answers.push({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
  });
  req.on('socket', (s) => sockets.push(s));
  req.on('error', () => failures++);
  req.end(signed.body);
}

/** A client that sends the headers and the first bytes of a webhook body, then stalls. */
function stalledUpload(): void {
  const s = connect(bot.port, '127.0.0.1');
  sockets.push(s);
  s.on('error', () => undefined);
  s.on('connect', () => s.write('POST /v1/handoffs HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 10000\r\n\r\n{"workflow_id":'));
}

describe(`waiting callers have their own budget under a ${FD_LIMIT} file limit`, () => {
  it(`${TRANSFERS} held transfer requests and ${STALLED} stalled uploads leave intake, Slack and health working; past ${BUDGET} held, callers hear the fallback at once`, async () => {
    expect(CAP).toBe(768);
    expect(BUDGET).toBe(384);
    for (let i = 0; i < TRANSFERS; i++) transfer();
    // Every request past the budget is answered at once with the fallback; the first BUDGET stay held.
    await until(() => answers.length >= TRANSFERS - BUDGET, 60_000, `${TRANSFERS - BUDGET} answers at once`);
    expect(failures).toBe(0);
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(a.body).toMatchObject({ error: FALLBACK, message: { type: 'request-failed', content: FALLBACK } });
    }
    // The connection cap is reached: stalled uploads on top of the held requests.
    for (let i = 0; i < STALLED; i++) stalledUpload();
    await until(() => sockets.filter((s) => s.readyState === 'open').length >= CAP, 20_000, 'the cap reached');

    const intake = await postHandoff(bot.url, sampleHandoff());
    expect(intake.status).toBe(202);
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${bot.url}/readyz`)).status).toBe(200);
    const status = await slack.sendSlashCommand({ user: 'U0ALICE01', channel: 'C0CLINIC01', text: 'status' });
    expect(status.status).toBe(200);
    expect(status.body).toContain('open');
    // The held ones are still waiting: no more answers came while intake was served.
    expect(answers.length).toBe(TRANSFERS - BUDGET);

    // Each caller turned away is recorded: the wait ended at once and the card asks for a call back.
    const db = openTestDb(bot.dbFile);
    try {
      const states = await until(() => {
        const rows = db.prepare("SELECT connect_state AS state, COUNT(*) AS n FROM handoffs WHERE workflow_id = 'clinic-after-hours' AND connect_state IS NOT NULL GROUP BY connect_state").all() as { state: string; n: number }[];
        const by = Object.fromEntries(rows.map((r) => [r.state, r.n]));
        return by['waiting'] === BUDGET && by['timed_out'] === TRANSFERS - BUDGET ? by : null;
      }, 30_000, 'the waits recorded');
      expect(states).toEqual({ waiting: BUDGET, timed_out: TRANSFERS - BUDGET });
      const busy = db.prepare("SELECT COUNT(*) AS n FROM events WHERE type = 'handoff.caller_wait_ended' AND data LIKE '%busy%'").get() as { n: number };
      expect(busy.n).toBe(TRANSFERS - BUDGET);

      // The platform repeats a turned-away call's request: the caller hears the fallback again, and the
      // handoff gets no new event and no card edit.
      const turnedAway = db
        .prepare("SELECT p.call_id AS callId, h.id AS id FROM handoffs h JOIN provider_calls p ON p.handoff_id = h.id WHERE h.connect_state = 'timed_out' LIMIT 1")
        .get() as { callId: string; id: string };
      const eventsOf = () => (db.prepare('SELECT COUNT(*) AS n FROM events WHERE handoff_id = ?').get(turnedAway.id) as { n: number }).n;
      const editsOf = () => (db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE handoff_id = ? AND kind = 'slack.update_card'").get(turnedAway.id) as { n: number }).n;
      const before = { events: eventsOf(), edits: editsOf() };
      const answered = answers.length;
      for (let i = 0; i < 5; i++) transfer(turnedAway.callId);
      await until(() => answers.length >= answered + 5, 30_000, 'the repeats answered');
      for (const a of answers.slice(answered)) expect(a.body).toMatchObject({ error: FALLBACK });
      expect({ events: eventsOf(), edits: editsOf() }).toEqual(before);
    } finally {
      db.close();
    }
  }, 180_000);
});
