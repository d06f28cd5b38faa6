import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTwilioFake, type TwilioFake, type TwilioFakeChange } from './twilio-fake.js';
import { readTwiml } from './twilio-calls.js';

let fake: TwilioFake;
beforeAll(async () => {
  fake = await startTwilioFake({ clock: () => Date.UTC(2025, 6, 30, 20, 12, 31) });
});
afterAll(async () => {
  await fake.close();
});
afterEach(() => fake.reset());

function post(form: Record<string, string>, opts: { sid?: string; token?: string } = {}): Promise<Response> {
  const sid = opts.sid ?? fake.accountSid;
  const auth = Buffer.from(`${fake.accountSid}:${opts.token ?? fake.authToken}`).toString('base64');
  return fetch(`${fake.url}/2010-04-01/Accounts/${sid}/Messages.json`, {
    method: 'POST',
    headers: { authorization: `Basic ${auth}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
}

const good = { To: '+15555550100', From: '+15555550199', Body: 'hello' };

describe('Twilio fake', () => {
  it('answers 201 with a realistic message resource', async () => {
    const res = await post(good);
    expect(res.status).toBe(201);
    const json = (await res.json()) as Record<string, unknown>;
    expect(json).toMatchObject({
      account_sid: fake.accountSid,
      api_version: '2010-04-01',
      to: '+15555550100',
      from: '+15555550199',
      body: 'hello',
      status: 'queued',
      direction: 'outbound-api',
      num_segments: '1',
      date_created: 'Wed, 30 Jul 2025 20:12:31 +0000',
    });
    expect(json['sid']).toMatch(/^SM[0-9a-f]{32}$/);
    expect(json['uri']).toBe(`/2010-04-01/Accounts/${fake.accountSid}/Messages/${String(json['sid'])}.json`);
    expect(fake.messages).toHaveLength(1);
  });

  it('gives every message a different sid', async () => {
    const a = (await (await post(good)).json()) as { sid: string };
    const b = (await (await post(good)).json()) as { sid: string };
    expect(a.sid).not.toBe(b.sid);
  });

  it('refuses a wrong token with 401 / 20003 in Twilio error shape', async () => {
    const res = await post(good, { token: 'wrong' });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 });
  });

  it('answers 404 / 20404 for another account path', async () => {
    const res = await post(good, { sid: `AC${'0'.repeat(32)}` });
    expect([res.status, ((await res.json()) as { code: number }).code]).toEqual([404, 20404]);
  });

  it.each([
    [{ ...good, To: '5550100' }, 400, 21211],
    [{ From: good.From, Body: good.Body }, 400, 21604],
    [{ To: good.To, Body: good.Body }, 400, 21603],
    [{ ...good, From: 'not a number!' }, 400, 21212],
    [{ To: good.To, From: good.From }, 400, 21602],
    [{ ...good, Body: 'x'.repeat(1601) }, 400, 21617],
  ])('rejects bad form %j with %i / %i and records nothing', async (form, status, code) => {
    const res = await post(form);
    expect([res.status, ((await res.json()) as { code: number }).code]).toEqual([status, code]);
    expect(fake.messages).toHaveLength(0);
  });

  it('fails the next N calls as injected (429 with Retry-After, 500), then succeeds', async () => {
    fake.failNext(1, { kind: 'status', status: 429 });
    fake.failNext(1, { kind: 'status', status: 500 });
    const first = await post(good);
    expect([first.status, first.headers.get('retry-after'), ((await first.json()) as { code: number }).code]).toEqual([429, '1', 20429]);
    const second = await post(good);
    expect([second.status, ((await second.json()) as { code: number }).code]).toEqual([500, 20500]);
    expect((await post(good)).status).toBe(201);
    expect(fake.requests.map((r) => r.httpStatus)).toEqual([429, 500, 201]);
  });

  it('hangs when told to', async () => {
    fake.failNext(1, { kind: 'hang' });
    const outcome = await fetch(`${fake.url}/2010-04-01/Accounts/${fake.accountSid}/Messages.json`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${fake.accountSid}:${fake.authToken}`).toString('base64')}` },
      body: new URLSearchParams(good).toString(),
      signal: AbortSignal.timeout(100),
    }).then(
      () => 'answered',
      (e: Error) => e.name,
    );
    expect(outcome).toBe('TimeoutError');
    expect(fake.messages).toHaveLength(0);
  });

  it('tells change listeners about requests and messages', async () => {
    const seen: TwilioFakeChange['kind'][] = [];
    const off = fake.onChange((c) => seen.push(c.kind));
    await post(good);
    await post({ ...good, To: 'bad' });
    off();
    await post(good);
    expect(seen).toEqual(['request', 'message', 'request']);
  });
});

describe('Twilio fake: the Calls API', () => {
  const twiml = '<Response><Say>Handoff ho_1 &amp; more.</Say><Dial callerId="+15555550199"><Number>+15555550123</Number></Dial></Response>';
  function calls(form: Record<string, string> | null, query = ''): Promise<Response> {
    const auth = Buffer.from(`${fake.accountSid}:${fake.authToken}`).toString('base64');
    return fetch(`${fake.url}/2010-04-01/Accounts/${fake.accountSid}/Calls.json${query}`, {
      method: form ? 'POST' : 'GET',
      headers: { authorization: `Basic ${auth}`, ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
  }

  it('answers 201 with a call resource and records what the call would say and dial', async () => {
    const res = await calls({ To: '+15555550101', From: '+15555550199', Twiml: twiml });
    expect(res.status).toBe(201);
    const json = (await res.json()) as Record<string, unknown>;
    expect(json).toMatchObject({ to: '+15555550101', from: '+15555550199', status: 'queued', direction: 'outbound-api', date_created: 'Wed, 30 Jul 2025 20:12:31 +0000' });
    expect(json.sid).toMatch(/^CA[0-9a-f]{32}$/);
    expect(fake.calls).toEqual([
      expect.objectContaining({ sid: json.sid, to: '+15555550101', says: ['Handoff ho_1 & more.'], dial: { number: '+15555550123', callerId: '+15555550199' } }),
    ]);
    expect(fake.messages).toHaveLength(0);
  });

  it.each([
    [{ From: '+15555550199', Twiml: twiml }, 21201],
    [{ To: '555-0101', From: '+15555550199', Twiml: twiml }, 21211],
    [{ To: '+15555550101', Twiml: twiml }, 21213],
    [{ To: '+15555550101', From: '+15555550199' }, 21205],
    [{ To: '+15555550101', From: '+15555550199', Twiml: `<Response><Say>${'x'.repeat(4000)}</Say></Response>` }, 32018],
    [{ To: '+15555550101', From: '+15555550199', Twiml: '<Say>no response element</Say>' }, 12100],
  ])('refuses %j with Twilio error %i and places nothing', async (form, code) => {
    const res = await calls(form);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: number }).code).toBe(code);
    expect(fake.calls).toHaveLength(0);
  });

  it('lists calls newest first, filtered by To and From', async () => {
    await calls({ To: '+15555550101', From: '+15555550199', Twiml: twiml });
    await calls({ To: '+15555550102', From: '+15555550199', Twiml: twiml });
    const res = await calls(null, '?To=%2B15555550101&From=%2B15555550199');
    expect(res.status).toBe(200);
    const json = (await res.json()) as { calls: Array<{ to: string }>; next_page_uri: null };
    expect(json.calls.map((c) => c.to)).toEqual(['+15555550101']);
    expect(json.next_page_uri).toBeNull();
  });

  it('asks for Basic auth on the Calls API too', async () => {
    const res = await fetch(`${fake.url}/2010-04-01/Accounts/${fake.accountSid}/Calls.json`, { method: 'POST', body: 'To=%2B15555550101' });
    expect(res.status).toBe(401);
    expect(fake.calls).toHaveLength(0);
  });
});

describe('readTwiml: what a Call back would do, step by step', () => {
  it('keeps what is said after the Dial apart: it is heard only when the dialled call ends', () => {
    const twiml = '<Response><Say>Call back for ho_1. Connecting you to the caller now.</Say><Dial callerId="+15555550199"><Number>+15555550123</Number></Dial><Say>The caller did not answer. Goodbye.</Say></Response>';
    expect(readTwiml(twiml)).toEqual({
      says: ['Call back for ho_1. Connecting you to the caller now.'],
      saysAfterDial: ['The caller did not answer. Goodbye.'],
      dial: { number: '+15555550123', callerId: '+15555550199' },
    });
  });

  it('without a Dial every Say is said in order', () => {
    expect(readTwiml('<Response><Say>One.</Say><Say>Two.</Say></Response>')).toEqual({ says: ['One.', 'Two.'], saysAfterDial: [], dial: null });
  });
});
