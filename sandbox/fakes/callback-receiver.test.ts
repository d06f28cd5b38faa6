import { afterEach, describe, expect, it } from 'vitest';
import { signWebhook } from '../../shared/standard-webhooks.js';
import { startCallbackReceiver, type CallbackReceiver, type ReceivedCallback } from './callback-receiver.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
let receiver: CallbackReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

describe('callback receiver fake', () => {
  it('listens on loopback only and records each POST with headers and the raw body', async () => {
    receiver = await startCallbackReceiver();
    expect(receiver.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${receiver.url}/hook?a=1`, { method: 'POST', headers: { 'x-one': '1' }, body: '{ "raw" : true }' });
    expect(res.status).toBe(200);
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]).toMatchObject({ seq: 1, method: 'POST', path: '/hook?a=1', rawBody: '{ "raw" : true }', answeredStatus: 200 });
    expect(receiver.received[0]!.headers['x-one']).toBe('1');
  });

  it('does not record other methods', async () => {
    receiver = await startCallbackReceiver();
    expect((await fetch(receiver.url)).status).toBe(405);
    expect(receiver.received).toHaveLength(0);
  });

  it('answers the injected status for the next N posts, then 200 again', async () => {
    receiver = await startCallbackReceiver();
    receiver.failNext(2, { kind: 'status', status: 500 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(receiver.url, { method: 'POST', body: 'x' })).status);
    expect(statuses).toEqual([500, 500, 200]);
    expect(receiver.received.map((r) => r.answeredStatus)).toEqual([500, 500, 200]);
  });

  it('answers a redirect with the given Location', async () => {
    receiver = await startCallbackReceiver();
    receiver.failNext(1, { kind: 'redirect', location: 'http://169.254.169.254/', status: 307 });
    const res = await fetch(receiver.url, { method: 'POST', body: 'x', redirect: 'manual' });
    expect([res.status, res.headers.get('location')]).toEqual([307, 'http://169.254.169.254/']);
  });

  it('hangs when told to, records the request, and still closes promptly', async () => {
    receiver = await startCallbackReceiver();
    receiver.failNext(1, { kind: 'hang' });
    const outcome = await fetch(receiver.url, { method: 'POST', body: 'x', signal: AbortSignal.timeout(100) }).then(
      () => 'answered',
      (e: Error) => e.name,
    );
    expect(outcome).toBe('TimeoutError');
    expect(receiver.received[0]!.answeredStatus).toBeNull();
  });

  it('checks signatures when given a secret', async () => {
    receiver = await startCallbackReceiver({ secret: SECRET });
    const body = '{"type":"handoff.resolved"}';
    const headers = signWebhook(SECRET, 'cb_1', Date.now() / 1000, body);
    await fetch(receiver.url, { method: 'POST', headers: { ...headers }, body });
    await fetch(receiver.url, { method: 'POST', headers: { ...headers }, body: body + ' ' });
    expect(receiver.received.map((r) => r.signatureValid)).toEqual([true, false]);
  });

  it('notifies change listeners and stops after unsubscribe', async () => {
    receiver = await startCallbackReceiver();
    const seen: ReceivedCallback[] = [];
    const off = receiver.onChange((entry) => seen.push(entry));
    await fetch(receiver.url, { method: 'POST', body: 'a' });
    off();
    await fetch(receiver.url, { method: 'POST', body: 'b' });
    expect(seen.map((e) => e.rawBody)).toEqual(['a']);
    expect(receiver.received).toHaveLength(2);
  });
});
