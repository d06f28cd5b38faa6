import { ErrorCode, LogLevel, WebClient, type WebAPIPlatformError, type WebAPIRateLimitedError, type WebAPIHTTPError } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSlackEmulator, type ChangeEvent, type SlackEmulator } from './index.js';

const TOKEN = 'xoxb-test-token';
const CHANNELS = [
  { id: 'C0CLINIC', name: 'clinic-handoffs' },
  { id: 'C0ESCALATE', name: 'escalations' },
];

let emu: SlackEmulator;
let now: number;
let client: WebClient;

const silent = { debug() {}, info() {}, warn() {}, error() {}, setLevel() {}, getLevel: () => LogLevel.ERROR, setName() {} };

function webClient(token = TOKEN, extra: Record<string, unknown> = {}): WebClient {
  return new WebClient(token, { slackApiUrl: emu.apiUrl, retryConfig: { retries: 0 }, logger: silent, ...extra });
}

async function slackError(p: Promise<unknown>): Promise<WebAPIPlatformError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'expected the call to fail').toBeDefined();
  return err as WebAPIPlatformError;
}

const card = (id: string) => [
  { type: 'header', text: { type: 'plain_text', text: 'Urgent handoff' } },
  { type: 'actions', block_id: `act_${id}`, elements: [{ type: 'button', action_id: 'handoff_claim', text: { type: 'plain_text', text: 'Claim' }, value: id }] },
];

beforeEach(async () => {
  now = 1_700_000_000_000;
  emu = await startSlackEmulator({ botToken: TOKEN, signingSecret: 'sekret', channels: CHANNELS, clock: () => now, rateLimits: false });
  client = webClient();
});

afterEach(async () => {
  await emu.close();
});

describe('Web API through the real @slack/web-api WebClient', () => {
  it('auth.test answers with the bot identity', async () => {
    const res = await client.auth.test();
    expect(res).toMatchObject({ ok: true, team_id: 'T0SANDBOX', user_id: 'U0HANDOFF', bot_id: 'B0HANDOFF' });
  });

  it('posts a card, updates it, and history returns it newest-first with its metadata', async () => {
    const posted = await client.chat.postMessage({
      channel: 'C0CLINIC',
      text: 'New handoff',
      blocks: card('ho_1'),
      metadata: { event_type: 'handoff_card', event_payload: { handoff_id: 'ho_1' } },
    });
    expect(posted.ok).toBe(true);
    expect(posted.channel).toBe('C0CLINIC');
    expect(posted.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(posted.message?.blocks).toHaveLength(2);

    now += 1000;
    const second = await client.chat.postMessage({ channel: 'C0CLINIC', text: 'Another', blocks: card('ho_2') });
    expect(Number(second.ts)).toBeGreaterThan(Number(posted.ts));

    const updated = await client.chat.update({ channel: 'C0CLINIC', ts: posted.ts!, text: 'Claimed by <@U0ALICE01>', blocks: [] });
    expect(updated).toMatchObject({ ok: true, ts: posted.ts, text: 'Claimed by <@U0ALICE01>' });

    const history = await client.conversations.history({ channel: 'C0CLINIC', include_all_metadata: true });
    expect(history.messages?.map((m) => m.ts)).toEqual([second.ts, posted.ts]);
    expect(history.messages?.[1]).toMatchObject({
      text: 'Claimed by <@U0ALICE01>',
      metadata: { event_type: 'handoff_card', event_payload: { handoff_id: 'ho_1' } },
    });
  });

  it('leaves metadata out of history unless include_all_metadata is set, as Slack does', async () => {
    await client.chat.postMessage({ channel: 'C0CLINIC', text: 't', metadata: { event_type: 'handoff_card', event_payload: { handoff_id: 'ho_9' } } });
    const history = await client.conversations.history({ channel: 'C0CLINIC' });
    expect(history.messages?.[0]?.metadata).toBeUndefined();
  });

  it('gives every message a unique increasing ts even within the same millisecond', async () => {
    const tss: string[] = [];
    for (let i = 0; i < 5; i++) tss.push((await client.chat.postMessage({ channel: 'C0CLINIC', text: `m${i}` })).ts!);
    expect(new Set(tss).size).toBe(5);
    expect([...tss].sort()).toEqual(tss);
    expect(tss[0]).toBe('1700000000.000000');
  });

  it('pages history with limit and cursor, oldest and latest', async () => {
    const tss: string[] = [];
    for (let i = 0; i < 5; i++) {
      now += 1000;
      tss.push((await client.chat.postMessage({ channel: 'C0CLINIC', text: `m${i}` })).ts!);
    }
    const first = await client.conversations.history({ channel: 'C0CLINIC', limit: 2 });
    expect(first.messages?.map((m) => m.text)).toEqual(['m4', 'm3']);
    expect(first.has_more).toBe(true);
    const second = await client.conversations.history({ channel: 'C0CLINIC', limit: 2, cursor: first.response_metadata?.next_cursor });
    expect(second.messages?.map((m) => m.text)).toEqual(['m2', 'm1']);
    const window = await client.conversations.history({ channel: 'C0CLINIC', oldest: tss[1], latest: tss[3] });
    expect(window.messages?.map((m) => m.text)).toEqual(['m2']);
  });

  it('keeps thread replies out of history and returns them from conversations.replies', async () => {
    const parent = await client.chat.postMessage({ channel: 'C0CLINIC', text: 'card' });
    await client.chat.postMessage({ channel: 'C0CLINIC', text: 'note: called back', thread_ts: parent.ts! });
    const history = await client.conversations.history({ channel: 'C0CLINIC' });
    expect(history.messages).toHaveLength(1);
    expect(history.messages?.[0]).toMatchObject({ reply_count: 1, thread_ts: parent.ts });
    const replies = await client.conversations.replies({ channel: 'C0CLINIC', ts: parent.ts! });
    expect(replies.messages?.map((m) => m.text)).toEqual(['card', 'note: called back']);
    expect(emu.messages('C0CLINIC')).toHaveLength(2);
  });

  it('records ephemerals per user and links messages with chat.getPermalink', async () => {
    const posted = await client.chat.postMessage({ channel: 'C0CLINIC', text: 'card' });
    const eph = await client.chat.postEphemeral({ channel: 'C0CLINIC', user: 'U0BOB0001', text: 'already claimed by Alice' });
    expect(eph.ok).toBe(true);
    expect(emu.ephemerals('U0BOB0001')).toEqual([expect.objectContaining({ channel: 'C0CLINIC', text: 'already claimed by Alice', via: 'api' })]);
    expect(emu.ephemerals('U0ALICE01')).toEqual([]);
    const link = await client.chat.getPermalink({ channel: 'C0CLINIC', message_ts: posted.ts! });
    expect(link.permalink).toBe(`${emu.url}archives/C0CLINIC/p${posted.ts!.replace('.', '')}`);
  });

  it('announces posts, updates and ephemerals on the change feed', async () => {
    const events: ChangeEvent[] = [];
    const off = emu.onChange((e) => events.push(e));
    const posted = await client.chat.postMessage({ channel: 'C0CLINIC', text: 'card' });
    await client.chat.update({ channel: 'C0CLINIC', ts: posted.ts!, text: 'claimed' });
    await client.chat.postEphemeral({ channel: 'C0CLINIC', user: 'U0BOB0001', text: 'no' });
    off();
    await client.chat.postMessage({ channel: 'C0CLINIC', text: 'after unsubscribe' });
    expect(events.map((e) => e.type)).toEqual(['message_posted', 'message_updated', 'ephemeral']);
    expect(events[1]).toMatchObject({ channel: 'C0CLINIC', ts: posted.ts, message: { text: 'claimed' } });
  });

  it.each([
    ['header over 150 characters', [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }], '/blocks/0/text/text'],
    ['button value over 2000 characters', [{ type: 'actions', elements: [{ type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'b' }, value: 'v'.repeat(2001) }] }], '/blocks/0/elements/0/value'],
    ['51 blocks', Array.from({ length: 51 }, () => ({ type: 'divider' })), '/blocks'],
    ['duplicate block_ids', [{ type: 'divider', block_id: 'd' }, { type: 'divider', block_id: 'd' }], '/blocks/1/block_id'],
    ['an unknown block type', [{ type: 'marquee' }], '/blocks/0/type'],
  ])('refuses %s with invalid_blocks and says where', async (_name, blocks, pointer) => {
    const err = await slackError(client.chat.postMessage({ channel: 'C0CLINIC', text: 't', blocks: blocks as never }));
    expect(err.code).toBe(ErrorCode.PlatformError);
    expect(err.data.error).toBe('invalid_blocks');
    const errors = (err.data as unknown as { errors: string[] }).errors;
    expect(errors.some((e) => e.endsWith(`[json-pointer:${pointer}]`))).toBe(true);
    expect(err.data.response_metadata?.messages?.[0]).toMatch(/^\[ERROR\] /);
    expect(emu.messages('C0CLINIC')).toEqual([]);
  });

  it('refuses invalid blocks in chat.update too, leaving the message unchanged', async () => {
    const posted = await client.chat.postMessage({ channel: 'C0CLINIC', text: 'card', blocks: card('ho_1') });
    const err = await slackError(client.chat.update({ channel: 'C0CLINIC', ts: posted.ts!, blocks: [{ type: 'header', text: { type: 'mrkdwn', text: 'x' } }] as never }));
    expect(err.data.error).toBe('invalid_blocks');
    expect(emu.message('C0CLINIC', posted.ts!)?.blocks).toHaveLength(2);
  });

  it('answers msg_too_long for text over 40,000 characters', async () => {
    const err = await slackError(client.chat.postMessage({ channel: 'C0CLINIC', text: 'x'.repeat(40_001) }));
    expect(err.data.error).toBe('msg_too_long');
    await expect(client.chat.postMessage({ channel: 'C0CLINIC', text: 'x'.repeat(40_000) })).resolves.toMatchObject({ ok: true });
  });

  it('answers invalid_auth for a wrong token and not_authed for none', async () => {
    const wrong = await slackError(webClient('xoxb-wrong').chat.postMessage({ channel: 'C0CLINIC', text: 'x' }));
    expect(wrong.data.error).toBe('invalid_auth');
    const res = await fetch(`${emu.apiUrl}auth.test`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: false, error: 'not_authed' });
    expect(emu.calls.all('chat.postMessage')[0]).toMatchObject({ outcome: 'auth_error', error: 'invalid_auth' });
  });

  it('accepts JSON bodies with a Bearer token and form bodies with a token argument', async () => {
    const json = await fetch(`${emu.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: 'C0CLINIC', text: 'json', blocks: card('ho_j') }),
    });
    expect(await json.json()).toMatchObject({ ok: true, channel: 'C0CLINIC' });
    const form = await fetch(`${emu.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: TOKEN, channel: 'C0CLINIC', text: 'form', blocks: JSON.stringify(card('ho_f')) }).toString(),
    });
    expect(await form.json()).toMatchObject({ ok: true });
    expect(emu.messages('C0CLINIC').map((m) => m.text)).toEqual(['json', 'form']);
  });

  it('answers channel_not_found for a channel that is not configured, and resolves #names', async () => {
    const err = await slackError(client.chat.postMessage({ channel: 'C0NOPE', text: 'x' }));
    expect(err.data.error).toBe('channel_not_found');
    const byName = await client.chat.postMessage({ channel: '#escalations', text: 'x' });
    expect(byName.channel).toBe('C0ESCALATE');
  });

  it('surfaces a 429 fault as a rate-limit error with retryAfter, then recovers', async () => {
    emu.faults.rateLimit('chat.postMessage', 7, 1);
    const limited = webClient(TOKEN, { rejectRateLimitedCalls: true });
    const err = (await slackError(limited.chat.postMessage({ channel: 'C0CLINIC', text: 'x' }))) as unknown as WebAPIRateLimitedError;
    expect(err.code).toBe(ErrorCode.RateLimitedError);
    expect(err.retryAfter).toBe(7);
    await expect(limited.chat.postMessage({ channel: 'C0CLINIC', text: 'x' })).resolves.toMatchObject({ ok: true });
    expect(emu.calls.all('chat.postMessage').map((c) => c.outcome)).toEqual(['ratelimited', 'ok']);
  });

  it('answers 5xx while a status fault lasts, until its deadline on the emulator clock', async () => {
    emu.faults.add({ method: '*', fault: { kind: 'status', status: 503 }, untilMs: now + 60_000 });
    const err = (await slackError(client.auth.test())) as unknown as WebAPIHTTPError;
    expect(err.code).toBe(ErrorCode.HTTPError);
    expect(err.statusCode).toBe(503);
    now += 60_000;
    await expect(client.auth.test()).resolves.toMatchObject({ ok: true });
  });

  it('returns an injected Slack error code with HTTP 200', async () => {
    emu.faults.slackError('chat.update', 'is_archived', 1);
    const err = await slackError(client.chat.update({ channel: 'C0CLINIC', ts: '1.0', text: 'x' }));
    expect(err.data.error).toBe('is_archived');
  });

  it('hangs a call when told to, so the client times out', async () => {
    emu.faults.hang('chat.postMessage', 1);
    const impatient = webClient(TOKEN, { timeout: 200 });
    const err = await slackError(impatient.chat.postMessage({ channel: 'C0CLINIC', text: 'x' }));
    expect(err.code).toBe(ErrorCode.RequestError);
    expect(emu.calls.all('chat.postMessage')[0]?.outcome).toBe('hung');
    expect(emu.messages('C0CLINIC')).toEqual([]);
  });

  it('drops the connection when told to, so the client sees a network error', async () => {
    emu.faults.add({ method: 'chat.postMessage', fault: { kind: 'disconnect' }, times: 1 });
    const err = await slackError(client.chat.postMessage({ channel: 'C0CLINIC', text: 'x' }));
    expect(err.code).toBe(ErrorCode.RequestError);
    await expect(client.chat.postMessage({ channel: 'C0CLINIC', text: 'x' })).resolves.toMatchObject({ ok: true });
  });

  it('takes faults over HTTP and counts calls per method', async () => {
    const add = await fetch(`${emu.url}_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'chat.postMessage', kind: 'ratelimit', retryAfterSec: 2, times: 2 }),
    });
    expect(await add.json()).toMatchObject({ ok: true, id: 1 });
    const raw = await fetch(`${emu.apiUrl}chat.postMessage`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(raw.status).toBe(429);
    expect(raw.headers.get('retry-after')).toBe('2');
    expect(await raw.json()).toEqual({ ok: false, error: 'ratelimited' });
    const bad = await fetch(`${emu.url}_emulator/faults`, { method: 'POST', body: JSON.stringify({ kind: 'explode' }) });
    expect(bad.status).toBe(400);
    await client.auth.test();
    const calls = (await (await fetch(`${emu.url}_emulator/calls`)).json()) as { counts: Record<string, number> };
    expect(calls.counts).toEqual({ 'chat.postMessage': 1, 'auth.test': 1 });
    await fetch(`${emu.url}_emulator/faults`, { method: 'DELETE' });
    await expect(client.chat.postMessage({ channel: 'C0CLINIC', text: 'x' })).resolves.toMatchObject({ ok: true });
  });

  it('serves the whole state as JSON', async () => {
    await client.chat.postMessage({ channel: 'C0CLINIC', text: 'card' });
    const state = (await (await fetch(`${emu.url}_emulator/state`)).json()) as Record<string, unknown>;
    expect(state).toMatchObject({
      channels: CHANNELS,
      messages: { C0CLINIC: [expect.objectContaining({ text: 'card' })], C0ESCALATE: [] },
      users: expect.arrayContaining([expect.objectContaining({ id: 'U0ALICE01', name: 'alice' })]),
    });
  });

  it('streams changes as server-sent events', async () => {
    const abort = new AbortController();
    const res = await fetch(`${emu.url}_emulator/events`, { signal: abort.signal });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (needle: string): Promise<void> => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        text += decoder.decode(value);
      }
    };
    await readUntil('event: state');
    await client.chat.postMessage({ channel: 'C0CLINIC', text: 'streamed card' });
    await readUntil('streamed card');
    expect(text).toContain('event: change\ndata: {"type":"message_posted"');
    abort.abort();
  });
});
