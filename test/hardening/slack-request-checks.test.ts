import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedHeaders } from '../../sandbox/slack-emulator/index.js';
import { SIGNING_SECRET, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ outbox: { paceMs: 0 } });
});
afterAll(async () => {
  await h.close();
});

const nowS = (): number => Math.floor(Date.now() / 1000);

/** A request to /slack/events signed with the right secret at `ts`, exactly as Slack signs. */
async function postSigned(rawBody: string, opts: { ts?: number; contentType?: string; headers?: Record<string, string> } = {}) {
  const ts = opts.ts ?? nowS();
  const res = await fetch(`${h.bot.url}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': opts.contentType ?? 'application/x-www-form-urlencoded', ...signedHeaders(SIGNING_SECRET, ts, rawBody), ...opts.headers },
    body: rawBody,
  });
  return { status: res.status, text: await res.text() };
}

function slashForm(text: string, triggerId: string): string {
  return new URLSearchParams({
    token: 'unused',
    team_id: 'T0SANDBOX',
    channel_id: 'C0CLINIC01',
    user_id: 'U0ALICE01',
    command: '/handoff',
    text,
    response_url: 'http://127.0.0.1:9/response',
    trigger_id: triggerId,
  }).toString();
}

describe('Slack request timestamps and replays', () => {
  it('refuses a correctly signed request dated 10 years or 6 minutes ahead, and accepts one 4 minutes ahead', async () => {
    const year = 365 * 24 * 3600;
    expect((await postSigned(slashForm('help', 't.1'), { ts: nowS() + 10 * year })).status).toBe(401);
    expect((await postSigned(slashForm('help', 't.2'), { ts: nowS() + 6 * 60 })).status).toBe(401);
    expect((await postSigned(slashForm('help', 't.3'), { ts: nowS() - 6 * 60 })).status).toBe(401);
    expect((await postSigned(slashForm('help', 't.4'), { ts: nowS() + 4 * 60 })).status).toBe(200);
  });

  it('refuses a captured /handoff desktop request sent again: one pairing code, not two', async () => {
    const body = slashForm('desktop', 't.captured');
    const ts = nowS();
    const first = await postSigned(body, { ts });
    expect(first.status).toBe(200);
    expect(first.text).toMatch(/[A-Z2-9]{4}-[A-Z2-9]{4}/);
    const replay = await postSigned(body, { ts });
    expect(replay.status).toBe(401);
    expect(replay.text).not.toMatch(/[A-Z2-9]{4}-[A-Z2-9]{4}/);
  });
});

describe('signed but malformed Slack payloads get a 4xx, never a 5xx', () => {
  const cases: Array<[string, string, string?]> = [
    ['payload=null', 'payload=null'],
    ['payload that is not JSON', 'payload=%7Bnope'],
    ['payload that is an array', `payload=${encodeURIComponent('[]')}`],
    [
      'a click without user',
      `payload=${encodeURIComponent(JSON.stringify({ type: 'block_actions', trigger_id: 't', actions: [{ action_id: 'handoff_claim', value: 'ho_x' }] }))}`,
    ],
    [
      'a click whose user has no id',
      `payload=${encodeURIComponent(JSON.stringify({ type: 'block_actions', user: {}, actions: [{ action_id: 'handoff_claim', value: 'ho_x' }] }))}`,
    ],
    ['a click without actions', `payload=${encodeURIComponent(JSON.stringify({ type: 'block_actions', user: { id: 'U0ALICE01' } }))}`],
    ['a view submission without view', `payload=${encodeURIComponent(JSON.stringify({ type: 'view_submission', user: { id: 'U0ALICE01' } }))}`],
    ['a slash command without user_id', new URLSearchParams({ command: '/handoff', text: 'status' }).toString()],
    ['JSON null', 'null', 'application/json'],
    ['JSON array', '[1]', 'application/json'],
    ['JSON event_callback without event', '{"type":"event_callback"}', 'application/json'],
    ['invalid JSON', '{', 'application/json'],
  ];
  for (const [name, body, contentType] of cases) {
    it(name, async () => {
      const res = await postSigned(body, { contentType });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    });
  }

  it('logs no internal error for any of them', () => {
    expect(h.logs.text).not.toMatch(/unhandled error|"level":50/);
  });
});
