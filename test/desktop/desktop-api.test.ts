import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handoffViewSchema } from '../../shared/schemas/handoff-view.js';
import { startHarness, type Harness } from '../support/harness.js';
import { testConfig } from '../support/test-config.js';
import { postHandoff, sampleHandoff } from '../support/webhooks.js';
import { until } from '../support/until.js';
import { api, openRawSse, pair, pairedToken, pairingCodeFor, type RawSseClient } from '../support/desktop-api.js';

const ALICE = 'U0ALICE01';
const BOB = 'U0BOB0001';

let h: Harness;
let aliceToken: string;
let bobToken: string;
const streams: RawSseClient[] = [];

beforeAll(async () => {
  h = await startHarness({
    outbox: { paceMs: 0 },
    desktopApi: { pairRateLimit: { capacity: 100, refillMs: 60_000 } },
    // Billing is restricted to Alice, so Bob's desktop actions on it are refused.
    config: testConfig((doc) => {
      doc.workflows[1]!.allowed_users = [ALICE] as never;
      return doc;
    }),
  });
  aliceToken = await pairedToken(h, ALICE);
  bobToken = await pairedToken(h, BOB);
});
afterAll(async () => {
  for (const s of streams) s.close();
  await h.close();
});

async function sse(token: string, opts: { lastEventId?: string; query?: string } = {}): Promise<RawSseClient> {
  const s = await openRawSse(h.bot.url, token, opts);
  streams.push(s);
  return s;
}

async function newHandoff(overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await postHandoff(h.bot.url, sampleHandoff(overrides));
  expect(res.status).toBe(202);
  return res.json.handoff_id as string;
}

const LOW = { handoff_reason: 'appointment_change' };
const BILLING = { workflow_id: 'billing', handoff_reason: 'billing_question', structured_fields: { account_number: 'AC-1' } };

async function cardText(id: string): Promise<string> {
  const row = await h.bot.store.handoffs.get(id);
  if (!row?.slackChannel || !row.slackTs) return '';
  return JSON.stringify(h.slack.message(row.slackChannel, row.slackTs)?.blocks ?? []);
}

describe('pairing', () => {
  it('exchanges the code from /handoff desktop for a token bound to that Slack user, once', async () => {
    const code = await pairingCodeFor(h, 'U0CAROL01');
    const first = await pair(h.bot.url, code, 'Carol laptop');
    expect(first.status).toBe(200);
    expect(first.json.user_id).toBe('U0CAROL01');
    expect(first.json.token).toMatch(/^hod_[A-Za-z0-9_-]{20,}$/);
    expect(first.headers.get('cache-control')).toBe('no-store');

    const again = await pair(h.bot.url, code);
    expect(again.status).toBe(401);
    expect(again.json.error).toBe('invalid_pairing_code');

    // The code is typed by people: lower case and no dash still match, but it is used up now.
    const lower = await pair(h.bot.url, code.toLowerCase().replace('-', ''));
    expect(lower.status).toBe(401);

    const works = await api(h.bot.url, 'GET', '/v1/handoffs/ho_doesnotexist', first.json.token as string);
    expect(works.status).toBe(404);
    expect(works.json.error).toBe('not_found');
  });

  it('refuses a made-up code with 401 invalid_pairing_code and a malformed body with 422', async () => {
    const wrong = await pair(h.bot.url, 'ABCD-EFGH');
    expect(wrong.status).toBe(401);
    expect(wrong.json).toMatchObject({ error: 'invalid_pairing_code' });
    const res = await fetch(`${h.bot.url}/v1/desktop/pair`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"code": 42}' });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: string }).error).toBe('validation_failed');
    const bad = await fetch(`${h.bot.url}/v1/desktop/pair`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"code":' });
    expect(bad.status).toBe(400);
  });

  it('answers 401 unauthorized for a missing, wrong or revoked token on every desktop route', async () => {
    const wrongToken = `hod_${'x'.repeat(43)}`;
    for (const [method, path] of [
      ['GET', '/v1/events'],
      ['GET', '/v1/handoffs/ho_x'],
      ['POST', '/v1/handoffs/ho_x/claim'],
      ['POST', '/v1/handoffs/ho_x/resolve'],
    ] as const) {
      for (const token of [null, wrongToken, 'not-even-a-token']) {
        const res = await api(h.bot.url, method, path, token);
        expect(res.status, `${method} ${path}`).toBe(401);
        expect(res.json.error).toBe('unauthorized');
        expect(res.headers.get('www-authenticate')).toBe('Bearer');
      }
    }
    const davidToken = await pairedToken(h, 'U0DAVID01');
    expect((await api(h.bot.url, 'GET', '/v1/handoffs/ho_x', davidToken)).status).toBe(404);
    const revoke = await h.slack.sendSlashCommand({ user: 'U0DAVID01', channel: 'C0CLINIC01', text: 'desktop revoke' });
    expect(revoke.body).toContain('Signed out 1');
    expect((await api(h.bot.url, 'GET', '/v1/handoffs/ho_x', davidToken)).status).toBe(401);
  });

  it('never writes a pairing code or a token to the log', async () => {
    const code = await pairingCodeFor(h, 'U0CAROL01');
    const res = await pair(h.bot.url, code);
    const token = res.json.token as string;
    await api(h.bot.url, 'GET', '/v1/handoffs/ho_x', token);
    expect(h.logs.text).not.toContain(code);
    expect(h.logs.text).not.toContain(token);
    expect(h.logs.text).not.toContain(aliceToken);
    expect(h.logs.text).toContain('desktop paired');
  });
});

describe('routes and methods', () => {
  it('answers 405 method_not_allowed with Allow for wrong methods on the desktop paths', async () => {
    for (const [method, path, allow] of [
      ['GET', '/v1/desktop/pair', 'POST'],
      ['POST', '/v1/events', 'GET'],
      ['DELETE', '/v1/handoffs/ho_x', 'GET'],
      ['GET', '/v1/handoffs/ho_x/claim', 'POST'],
      ['PUT', '/v1/handoffs/ho_x/escalate', 'POST'],
      ['GET', '/v1/handoffs/ho_x/resolve', 'POST'],
    ] as const) {
      const res = await api(h.bot.url, method, path, aliceToken);
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.json.error).toBe('method_not_allowed');
      expect(res.headers.get('allow')).toBe(allow);
    }
  });

  it('shows a handoff without its sensitive fields and with the caller id masked', async () => {
    const id = await newHandoff({ structured_fields: { patient_name: 'Dana Whitfield', symptoms: 'chest pain', date_of_birth: '1970-01-02' } });
    const res = await api(h.bot.url, 'GET', `/v1/handoffs/${id}`, aliceToken);
    expect(res.status).toBe(200);
    const view = handoffViewSchema.parse(res.json);
    expect(view).toMatchObject({ id, workflow_name: 'Clinic after-hours line', severity: 'urgent', status: 'open', caller_id_masked: '+1******0123' });
    expect(view.fields).toEqual([{ name: 'patient_name', label: 'Patient', value: 'Dana Whitfield' }]);
    expect(JSON.stringify(res.json)).not.toContain('chest pain');
    expect(JSON.stringify(res.json)).not.toContain('1970-01-02');
  });
});

describe('GET /v1/events', () => {
  it('delivers an urgent webhook to a connected client within 1 s of its 202', async () => {
    const stream = await sse(aliceToken);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    expect(stream.headers.get('x-accel-buffering')).toBe('no');
    expect(stream.headers.get('cache-control')).toBe('no-store');
    await until(() => stream.comments.includes('connected'));
    const res = await postHandoff(h.bot.url, sampleHandoff());
    const accepted = Date.now();
    const id = res.json.handoff_id as string;
    const event = await stream.waitFor((e) => e.handoff_id === id, 1000);
    expect(Date.now() - accepted).toBeLessThan(1000);
    expect(event).toMatchObject({ type: 'handoff.received', actor: null, handoff: { id, severity: 'urgent', status: 'open' } });
    expect(stream.ids[stream.events.indexOf(event)]).toBe(String(event.seq));
    expect(JSON.stringify(event)).not.toContain('chest pain');
  });

  it('sends many clients the same events and forgets each client when it disconnects', async () => {
    const before = h.bot.desktop.hub.clientCount;
    // Streams are capped per token (4), so 20 clients are five paired desktops of Bob's, four streams each.
    const tokens = await Promise.all(Array.from({ length: 5 }, () => pairedToken(h, BOB)));
    const clients = await Promise.all(Array.from({ length: 20 }, (_, i) => sse(tokens[i % 5]!)));
    await until(() => clients.every((c) => c.comments.includes('connected')));
    expect(h.bot.desktop.hub.clientCount).toBe(before + 20);
    const id = await newHandoff();
    const got = await Promise.all(clients.map((c) => c.waitFor((e) => e.handoff_id === id)));
    expect(new Set(got.map((e) => e.seq)).size).toBe(1);
    for (const c of clients) c.close();
    await until(() => h.bot.desktop.hub.clientCount === before);
  });

  it('resumes after a dropped connection exactly after Last-Event-ID: nothing missed, nothing repeated', async () => {
    const first = await sse(aliceToken);
    const a = await newHandoff();
    await first.waitFor((e) => e.handoff_id === a);
    const cursor = first.ids.at(-1)!;
    first.close();

    // While the client is away: new urgent handoffs, an action on one it knows, a low one escalated.
    const b = await newHandoff();
    const c = await newHandoff();
    const low = await newHandoff(LOW);
    expect((await api(h.bot.url, 'POST', `/v1/handoffs/${a}/claim`, bobToken)).status).toBe(200);
    expect((await h.bot.perform({ handoffId: low, action: 'escalate', actor: { kind: 'user', userId: BOB } })).ok).toBe(true);

    const resumed = await sse(aliceToken, { lastEventId: cursor });
    const d = await newHandoff();
    await resumed.waitFor((e) => e.handoff_id === d);

    const seqs = resumed.events.map((e) => e.seq);
    expect(seqs.every((s) => s > Number(cursor))).toBe(true);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
    expect(resumed.ids).toEqual(seqs.map(String));
    // Exactly the relevant log entries after the cursor, as the store has them.
    const relevant: number[] = [];
    for (const e of await h.bot.store.events.after(Number(cursor), 10_000)) {
      const row = (await h.bot.store.handoffs.get(e.handoffId))!;
      if (row.severity === 'urgent' || row.escalationLevel > 0 || row.ownerNotified.includes('desktop')) relevant.push(e.seq);
    }
    const expected = relevant
      .filter((s) => s <= seqs.at(-1)!);
    expect(seqs).toEqual(expected);
    const mine = resumed.events.filter((e) => [a, b, c, low, d].includes(e.handoff_id)).map((e) => `${e.handoff_id}:${e.type}`);
    expect(mine).toEqual([`${b}:handoff.received`, `${c}:handoff.received`, `${low}:handoff.received`, `${a}:handoff.claimed`, `${low}:handoff.escalated`, `${d}:handoff.received`]);
    expect(resumed.events.find((e) => e.handoff_id === a)!.handoff).toMatchObject({ status: 'claimed', claimed_by: BOB });

    const viaQuery = await sse(aliceToken, { query: `?last_event_id=${cursor}` });
    await viaQuery.waitFor((e) => e.handoff_id === d);
    expect(viaQuery.events.map((e) => e.seq)).toEqual(seqs);
  });

  it('starts a client without Last-Event-ID with the unresolved urgent and escalated handoffs, then live', async () => {
    const open = await newHandoff();
    const resolved = await newHandoff();
    expect((await api(h.bot.url, 'POST', `/v1/handoffs/${resolved}/resolve`, aliceToken)).status).toBe(200);
    const low = await newHandoff(LOW);
    const escalatedLow = await newHandoff(LOW);
    await h.bot.perform({ handoffId: escalatedLow, action: 'escalate', actor: { kind: 'user', userId: ALICE } });
    const head = await h.bot.store.events.lastSeq();

    const fresh = await sse(bobToken);
    await fresh.waitFor((e) => e.handoff_id === escalatedLow);
    const ids = fresh.events.map((e) => e.handoff_id);
    expect(ids).toContain(open);
    expect(ids).not.toContain(resolved);
    expect(ids).not.toContain(low);
    expect(new Set(ids).size).toBe(ids.length);
    expect(fresh.events.find((e) => e.handoff_id === escalatedLow)).toMatchObject({ type: 'handoff.escalated', handoff: { escalation_level: 1 } });
    expect(fresh.events.every((e) => e.handoff.status !== 'resolved')).toBe(true);
    // The snapshot's last id is the log's head, so a reconnect does not replay older history.
    expect(fresh.ids.at(-1)).toBe(String(head));

    const again = await sse(bobToken, { lastEventId: fresh.ids.at(-1)! });
    const later = await newHandoff();
    await again.waitFor((e) => e.handoff_id === later);
    expect(again.events.map((e) => e.handoff_id)).toEqual([later]);
  });

  it('does not stream a non-urgent handoff until it is escalated', async () => {
    const stream = await sse(aliceToken);
    await until(() => stream.comments.includes('connected'));
    const low = await newHandoff(LOW);
    const billing = await newHandoff(BILLING);
    // Events arrive in log order: once a later urgent one is here, the low ones were skipped.
    const marker = await newHandoff();
    await stream.waitFor((e) => e.handoff_id === marker);
    expect(stream.events.some((e) => e.handoff_id === low || e.handoff_id === billing)).toBe(false);

    const row = await until(async () => {
      const r = await h.bot.store.handoffs.get(low);
      return r?.slackTs ? r : null;
    });
    await h.slack.sendBlockAction({ user: ALICE, channel: row.slackChannel!, messageTs: row.slackTs!, actionId: 'handoff_escalate', value: low });
    const escalated = await stream.waitFor((e) => e.handoff_id === low);
    expect(escalated).toMatchObject({ type: 'handoff.escalated', actor: ALICE, handoff: { escalation_level: 1, severity: 'normal' } });
    expect(stream.events.filter((e) => e.handoff_id === low)).toHaveLength(1);
  });

  it('streams a low-severity handoff that asked for notify [slack, desktop], live and in a fresh snapshot', async () => {
    const live = await sse(aliceToken);
    await until(() => live.comments.includes('connected'));
    const res = await postHandoff(h.bot.url, sampleHandoff({ ...LOW, notify: ['slack', 'desktop'] }));
    expect(res.status).toBe(202);
    expect(res.json.owner_notified).toEqual(['slack', 'desktop']);
    const id = res.json.handoff_id as string;
    const event = await live.waitFor((e) => e.handoff_id === id);
    expect(event).toMatchObject({ type: 'handoff.received', handoff: { id, severity: 'low', escalation_level: 0, status: 'open' } });

    const fresh = await sse(bobToken);
    await fresh.waitFor((e) => e.handoff_id === id);
  });

  it('answers 400 for a Last-Event-ID that is not an event id', async () => {
    const res = await fetch(`${h.bot.url}/v1/events`, { headers: { authorization: `Bearer ${aliceToken}`, 'last-event-id': 'abc' } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('invalid_request');
  });
});

describe('actions from the desktop', () => {
  it('claims through the Slack code path: the card shows the claimer and a second claim gets 409', async () => {
    const stream = await sse(bobToken);
    const id = await newHandoff();
    await until(async () => (await cardText(id)).includes('handoff_claim'));

    const claim = await api(h.bot.url, 'POST', `/v1/handoffs/${id}/claim`, aliceToken);
    expect(claim.status).toBe(200);
    expect(handoffViewSchema.parse(claim.json)).toMatchObject({ id, status: 'claimed', claimed_by: ALICE });
    await until(async () => (await cardText(id)).includes('handoff_release'));
    expect(await cardText(id)).toContain(`<@${ALICE}>`);
    expect(await cardText(id)).not.toContain('"handoff_claim"');

    const second = await api(h.bot.url, 'POST', `/v1/handoffs/${id}/claim`, bobToken);
    expect(second.status).toBe(409);
    expect(second.json).toMatchObject({ error: 'conflict' });
    expect(second.json.message).toContain(ALICE);
    const claimed = await stream.waitFor((e) => e.handoff_id === id && e.type === 'handoff.claimed');
    expect(claimed.actor).toBe(ALICE);
    expect((await h.bot.store.events.forHandoff(id)).filter((e) => e.type === 'handoff.claimed')).toHaveLength(1);
  });

  it('escalates and resolves; any action on a resolved handoff is 409', async () => {
    const id = await newHandoff(LOW);
    const esc = await api(h.bot.url, 'POST', `/v1/handoffs/${id}/escalate`, bobToken);
    expect(esc.status).toBe(200);
    expect(esc.json).toMatchObject({ escalation_level: 1, last_escalated_by: BOB, severity: 'normal' });
    await until(() => h.slack.messages('C0ONCALL01').some((m) => JSON.stringify(m).includes(id)));

    const resolved = await api(h.bot.url, 'POST', `/v1/handoffs/${id}/resolve`, bobToken);
    expect(resolved.status).toBe(200);
    expect(resolved.json).toMatchObject({ status: 'resolved', resolved_by: BOB });
    expect(resolved.json.resolved_at).toEqual(expect.any(String));
    // A resolved card keeps Reopen and Details, so wait for the state line and for Claim to go.
    await until(async () => { const t = await cardText(id); return t.includes('RESOLVED') && !t.includes('"handoff_claim"'); });
    for (const action of ['claim', 'escalate', 'resolve']) {
      const res = await api(h.bot.url, 'POST', `/v1/handoffs/${id}/${action}`, aliceToken);
      expect(res.status, action).toBe(409);
      expect(res.json.error).toBe('conflict');
    }
  });

  it('answers a user outside allowed_users exactly as for an unknown handoff (404), and changes nothing', async () => {
    const id = await newHandoff(BILLING);
    const unknown = await api(h.bot.url, 'POST', '/v1/handoffs/ho_nope/claim', bobToken);
    for (const action of ['claim', 'escalate', 'resolve']) {
      const bob = await api(h.bot.url, 'POST', `/v1/handoffs/${id}/${action}`, bobToken);
      expect(bob.status, action).toBe(404);
      expect(bob.json, action).toEqual(unknown.json);
    }
    expect((await h.bot.store.handoffs.get(id))!.status).toBe('open');
    const alice = await api(h.bot.url, 'POST', `/v1/handoffs/${id}/claim`, aliceToken);
    expect(alice.status).toBe(200);
    const missing = await api(h.bot.url, 'POST', '/v1/handoffs/ho_nope/claim', aliceToken);
    expect(missing.status).toBe(404);
    expect(missing.json.error).toBe('not_found');
  });
});

describe('who sees what', () => {
  it('streams and shows a restricted workflow\'s handoffs only to its allowed users', async () => {
    const alice = await sse(aliceToken);
    const bob = await sse(bobToken);
    const id = await newHandoff({ ...BILLING, severity: 'urgent' });
    const urgentClinic = await newHandoff();
    await alice.waitFor((e) => e.handoff_id === id);
    // Bob sees the clinic handoff that came after it, so the billing one was skipped, not late.
    await bob.waitFor((e) => e.handoff_id === urgentClinic);
    expect(bob.events.some((e) => e.handoff_id === id)).toBe(false);
    const bobGet = await api(h.bot.url, 'GET', `/v1/handoffs/${id}`, bobToken);
    expect(bobGet.status).toBe(404);
    expect(JSON.stringify(bobGet.json)).not.toContain('AC-1');
    expect((await api(h.bot.url, 'GET', `/v1/handoffs/${id}`, aliceToken)).status).toBe(200);
  });

  it('ends a user\'s open streams at once when /handoff desktop revoke runs', async () => {
    const carolToken = await pairedToken(h, 'U0CAROL01');
    const carol = await sse(carolToken);
    const before = h.bot.desktop.hub.clientCount;
    const answer = await h.slack.sendSlashCommand({ user: 'U0CAROL01', channel: 'C0CLINIC01', text: 'desktop revoke' });
    expect(answer.body).toContain('Signed out');
    await until(() => h.bot.desktop.hub.clientCount === before - 1);
    const watcher = await sse(aliceToken);
    const id = await newHandoff();
    // A stream still open gets the new handoff; by then Carol's closed one would have had it too.
    await until(() => watcher.events.some((e) => e.handoff_id === id), 10_000, 'the handoff on a live stream');
    expect(carol.events.some((e) => e.handoff_id === id)).toBe(false);
    expect((await api(h.bot.url, 'GET', `/v1/handoffs/${id}`, carolToken)).status).toBe(401);
  });
});
