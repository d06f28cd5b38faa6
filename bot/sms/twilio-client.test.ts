import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTwilioFake, type TwilioFake } from '../../sandbox/fakes/twilio-fake.js';
import { createTwilioClient, parseTwilioResponse, type TwilioClient } from './twilio-client.js';

let fake: TwilioFake;
let client: TwilioClient;
const msg = { to: '+15555550100', from: '+15555550199', body: 'URGENT: Clinic - emergency. Handoff ho_1' };

beforeAll(async () => {
  fake = await startTwilioFake();
  client = createTwilioClient({ accountSid: fake.accountSid, authToken: fake.authToken, apiUrl: `${fake.url}/` });
});
afterAll(async () => {
  await fake.close();
});
afterEach(() => fake.reset());

describe('Twilio client against the loopback fake', () => {
  it('sends the form to the account Messages.json and returns the SM sid', async () => {
    const result = await client.sendSms(msg);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(result.status).toBe('queued');
    expect(fake.messages).toEqual([expect.objectContaining({ sid: result.sid, to: msg.to, from: msg.from, body: msg.body })]);
  });

  it('reports a wrong auth token as 20003, not retryable', async () => {
    const wrong = createTwilioClient({ accountSid: fake.accountSid, authToken: 'not-the-token', apiUrl: fake.url });
    expect(await wrong.sendSms(msg)).toEqual({ ok: false, retryable: false, code: '20003', httpStatus: 401 });
    expect(fake.messages).toHaveLength(0);
  });

  it("reports an invalid 'To' as 21211, not retryable, and sends nothing", async () => {
    expect(await client.sendSms({ ...msg, to: '555-0100' })).toEqual({ ok: false, retryable: false, code: '21211', httpStatus: 400 });
    expect(fake.messages).toHaveLength(0);
  });

  it('reports an empty body as 21602, not retryable', async () => {
    expect(await client.sendSms({ ...msg, body: '' })).toMatchObject({ ok: false, retryable: false, code: '21602' });
  });

  it('reports 429 (20429) as retryable with the Retry-After delay', async () => {
    fake.failNext(1, { kind: 'status', status: 429 });
    expect(await client.sendSms(msg)).toEqual({ ok: false, retryable: true, code: '20429', httpStatus: 429, retryAfterMs: 1000 });
    expect(fake.messages).toHaveLength(0);
  });

  it('reports a 500 as retryable, and the next call succeeds once the fault is used up', async () => {
    fake.failNext(1, { kind: 'status', status: 500 });
    expect(await client.sendSms(msg)).toEqual({ ok: false, retryable: true, code: '20500', httpStatus: 500 });
    expect((await client.sendSms(msg)).ok).toBe(true);
    expect(fake.messages).toHaveLength(1);
  });

  it('reports a hanging Twilio as a retryable timeout', async () => {
    fake.failNext(1, { kind: 'hang' });
    const slow = createTwilioClient({ accountSid: fake.accountSid, authToken: fake.authToken, apiUrl: fake.url, timeoutMs: 150 });
    expect(await slow.sendSms(msg)).toEqual({ ok: false, retryable: true, code: 'timeout', httpStatus: null });
  });

  it('reports a refused connection as a retryable network_error', async () => {
    const gone = await startTwilioFake();
    const port = gone.port;
    await gone.close();
    const c = createTwilioClient({ accountSid: fake.accountSid, authToken: fake.authToken, apiUrl: `http://127.0.0.1:${port}` });
    expect(await c.sendSms(msg)).toEqual({ ok: false, retryable: true, code: 'network_error', httpStatus: null });
  });

  it('rejects a malformed account SID at construction', () => {
    expect(() => createTwilioClient({ accountSid: 'nope', authToken: 'x' })).toThrow(/account SID/);
  });
});

describe('parseTwilioResponse', () => {
  it.each([
    [400, '{"code":21211,"message":"The \'To\' number +15555550100 is not valid","status":400}', { code: '21211', retryable: false }],
    [404, '{"code":20404,"message":"not found","status":404}', { code: '20404', retryable: false }],
    [503, '<html>down</html>', { code: 'http_503', retryable: true }],
    [502, '', { code: 'http_502', retryable: true }],
    [429, '{"code":20429}', { code: '20429', retryable: true }],
  ])('HTTP %i %s -> %j', (status, body, expected) => {
    expect(parseTwilioResponse(status, body)).toMatchObject({ ok: false, httpStatus: status, ...expected });
  });

  it("never carries Twilio's message text, which quotes the phone number", () => {
    const result = parseTwilioResponse(400, '{"code":21211,"message":"The \'To\' number +15555550100 is not valid","status":400}');
    expect(JSON.stringify(result)).not.toContain('5555550100');
  });

  it('treats a 201 without a sid as a non-retryable bad_response (a retry could double-send)', () => {
    expect(parseTwilioResponse(201, '{}')).toEqual({ ok: false, retryable: false, code: 'bad_response', httpStatus: 201 });
  });
});

describe('Twilio client: the Calls API', () => {
  const call = { to: '+15555550101', from: '+15555550199', twiml: '<Response><Say>Hi</Say><Dial callerId="+15555550199"><Number>+15555550123</Number></Dial></Response>' };

  it('posts To, From and Twiml to the account Calls.json and returns the CA sid', async () => {
    const result = await client.createCall(call);
    expect(fake.calls).toEqual([expect.objectContaining({ to: call.to, from: call.from, twiml: call.twiml })]);
    expect(result).toMatchObject({ ok: true, status: 'queued', sid: fake.calls[0]!.sid });
  });

  it('reports a refused call with its Twilio code, not retryable', async () => {
    expect(await client.createCall({ ...call, to: 'nobody' })).toEqual({ ok: false, retryable: false, code: '21211', httpStatus: 400 });
  });

  it('lists the calls placed to a number, with their creation time', async () => {
    await client.createCall(call);
    const listed = await client.listCalls({ to: call.to, from: call.from });
    expect(listed).toEqual({ ok: true, calls: [{ sid: fake.calls[0]!.sid, dateCreatedMs: expect.any(Number) }] });
    const none = await client.listCalls({ to: '+15555550777', from: call.from });
    expect(none).toEqual({ ok: true, calls: [] });
  });
});
