import { afterEach, describe, expect, it } from 'vitest';
import type { HandoffEvent } from '../../shared/schemas/handoff-view.js';
import { startFakeBot, type FakeBot } from '../../test/support/desktop/fake-bot.js';
import { view } from '../../test/support/fixtures.js';
import { untilPasses } from '../../test/support/until.js';
import { createEventStream, type EventStream, type StreamState, type Timers } from './event-stream.js';

/** Real timers that also record each requested delay. */
function recordingTimers(): Timers & { delays: number[] } {
  const delays: number[] = [];
  return {
    delays,
    setTimeout: (fn, ms) => {
      delays.push(ms);
      return setTimeout(fn, 1);
    },
    clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  };
}

let bot: FakeBot | null = null;
let stream: EventStream | null = null;
afterEach(async () => {
  stream?.stop();
  await bot?.close();
  bot = null;
  stream = null;
});

describe('event stream', () => {
  it('resumes with Last-Event-ID after the connection drops mid-event: nothing missed, nothing repeated', async () => {
    bot = await startFakeBot();
    for (let i = 1; i <= 5; i++) bot.publish(view({ id: `ho_${i}` }));
    bot.dropAfter = 2;
    const seen: string[] = [];
    stream = createEventStream({
      baseUrl: bot.url,
      getToken: () => bot?.token ?? null,
      onEvent: (e, id) => seen.push(`${id}:${e.handoff_id}`),
      backoff: { initialMs: 5, maxMs: 20 },
    });
    stream.start();
    await untilPasses(() => expect(seen).toHaveLength(5));
    expect(seen).toEqual(['1:ho_1', '2:ho_2', '3:ho_3', '4:ho_4', '5:ho_5']);
    expect(bot.streamRequests).toEqual([null, '2', '4']);

    bot.dropAfter = null;
    await untilPasses(() => expect(bot?.openStreams()).toBe(1));
    bot.publish(view({ id: 'ho_6' }));
    await untilPasses(() => expect(seen).toHaveLength(6));
    expect(seen.at(-1)).toBe('6:ho_6');
    expect(stream.lastEventId).toBe('6');
  });

  it('starts from a stored last event id', async () => {
    bot = await startFakeBot();
    for (let i = 1; i <= 3; i++) bot.publish(view({ id: `ho_${i}` }));
    const seen: number[] = [];
    stream = createEventStream({ baseUrl: bot.url, getToken: () => bot?.token ?? null, lastEventId: '2', onEvent: (e) => seen.push(e.seq) });
    stream.start();
    await untilPasses(() => expect(seen).toEqual([3]));
    expect(bot.streamRequests).toEqual(['2']);
  });

  it('reports connecting, online, offline and online again across a drop', async () => {
    bot = await startFakeBot();
    bot.publish(view({ id: 'ho_1' }));
    bot.publish(view({ id: 'ho_2' }));
    bot.dropAfter = 1;
    const states: StreamState[] = [];
    stream = createEventStream({
      baseUrl: bot.url,
      getToken: () => bot?.token ?? null,
      onEvent: () => undefined,
      onStateChange: (s) => states.push(s),
      backoff: { initialMs: 5, maxMs: 5 },
    });
    stream.start();
    await untilPasses(() => expect(states).toContain('offline'));
    bot.dropAfter = null;
    await untilPasses(() => expect(stream?.state).toBe('online'));
    expect(states.slice(0, 4)).toEqual(['connecting', 'online', 'offline', 'connecting']);
  });

  it('backs off exponentially with jitter while the server answers 503', async () => {
    bot = await startFakeBot();
    bot.failStreamWith = [503, 503, 503];
    const timers = recordingTimers();
    stream = createEventStream({
      baseUrl: bot.url,
      getToken: () => bot?.token ?? null,
      onEvent: () => undefined,
      timers,
      random: () => 0.5,
      backoff: { initialMs: 100, maxMs: 1000, factor: 2 },
      idleTimeoutMs: 0,
    });
    stream.start();
    await untilPasses(() => expect(stream?.state).toBe('online'));
    expect(timers.delays).toEqual([75, 150, 300]);
    expect(bot.streamRequests).toHaveLength(4);
  });

  it('stops with state unauthorized on 401 and never retries', async () => {
    bot = await startFakeBot();
    const timers = recordingTimers();
    stream = createEventStream({ baseUrl: bot.url, getToken: () => 'wrong-token', onEvent: () => undefined, timers, idleTimeoutMs: 0 });
    stream.start();
    await untilPasses(() => expect(stream?.state).toBe('unauthorized'));
    // A retry is scheduled in the same turn as the state change, so none is recorded by now means none.
    expect(timers.delays).toEqual([]);
  });

  it('does not advance past an event the consumer failed to take, and gets it again', async () => {
    bot = await startFakeBot();
    bot.publish(view({ id: 'ho_1' }));
    bot.publish(view({ id: 'ho_2' }));
    let failOnce = true;
    const seen: number[] = [];
    stream = createEventStream({
      baseUrl: bot.url,
      getToken: () => bot?.token ?? null,
      onEvent: (e: HandoffEvent) => {
        if (e.seq === 2 && failOnce) {
          failOnce = false;
          throw new Error('disk full');
        }
        seen.push(e.seq);
      },
      backoff: { initialMs: 5, maxMs: 5 },
    });
    stream.start();
    await untilPasses(() => expect(seen).toEqual([1, 2]));
    expect(bot.streamRequests).toEqual([null, '1']);
  });

  it('skips a malformed event without stopping the stream', async () => {
    bot = await startFakeBot();
    const invalid: string[] = [];
    bot.publish({ ...view(), severity: 'catastrophic' } as never);
    bot.publish(view({ id: 'ho_ok' }));
    const seen: string[] = [];
    stream = createEventStream({
      baseUrl: bot.url,
      getToken: () => bot?.token ?? null,
      onEvent: (e) => seen.push(e.handoff_id),
      onInvalidEvent: (i) => invalid.push(`${i.id}:${i.reason}`),
    });
    stream.start();
    await untilPasses(() => expect(seen).toEqual(['ho_ok']));
    expect(invalid).toEqual(['1:invalid_shape']);
  });

  it('treats a silent connection as dead after the idle timeout and reconnects', async () => {
    bot = await startFakeBot();
    stream = createEventStream({
      baseUrl: bot.url,
      getToken: () => bot?.token ?? null,
      onEvent: () => undefined,
      idleTimeoutMs: 40,
      backoff: { initialMs: 5, maxMs: 5 },
    });
    stream.start();
    await untilPasses(() => expect(bot?.streamRequests.length).toBeGreaterThanOrEqual(2));
  });

  it('stop() closes the connection and schedules nothing more', async () => {
    bot = await startFakeBot();
    stream = createEventStream({ baseUrl: bot.url, getToken: () => bot?.token ?? null, onEvent: () => undefined });
    stream.start();
    await untilPasses(() => expect(bot?.openStreams()).toBe(1));
    stream.stop();
    await untilPasses(() => expect(bot?.openStreams()).toBe(0));
    expect(stream.state).toBe('stopped');
  });

  it('reconnect() drops the live connection and connects again at once, resuming after the last event', async () => {
    const b = await startFakeBot();
    bot = b;
    b.publish(view({ id: 'ho_1' }));
    const timers = recordingTimers();
    const seen: string[] = [];
    const s = createEventStream({
      baseUrl: b.url,
      getToken: () => b.token,
      onEvent: (_e, id) => seen.push(id),
      timers,
      idleTimeoutMs: 0, // no watchdog: only reconnect() can make the second request
      backoff: { initialMs: 60_000, maxMs: 60_000 },
    });
    stream = s;
    s.start();
    await untilPasses(() => expect(seen).toEqual(['1']));
    s.reconnect();
    await untilPasses(() => expect(b.streamRequests).toEqual([null, '1']), 10_000);
    await untilPasses(() => expect(b.openStreams()).toBe(1), 10_000);
    await untilPasses(() => expect(s.state).toBe('online'), 10_000);
    expect(timers.delays).toEqual([]); // no backoff wait on the way
    b.publish(view({ id: 'ho_2' }));
    await untilPasses(() => expect(seen).toEqual(['1', '2']), 10_000);
  });

  it('reconnect() cuts a pending backoff short and does nothing once stopped', async () => {
    const b = await startFakeBot();
    bot = b;
    b.failStreamWith = [503];
    const scheduled: (() => void)[] = [];
    const s = createEventStream({
      baseUrl: b.url,
      getToken: () => b.token,
      onEvent: () => undefined,
      timers: { setTimeout: (fn) => scheduled.push(fn), clearTimeout: () => undefined },
      idleTimeoutMs: 0,
    });
    stream = s;
    s.start();
    await untilPasses(() => expect(s.state).toBe('offline'), 10_000);
    expect(scheduled).toHaveLength(1); // the retry waits; nothing runs it in this test
    s.reconnect();
    await untilPasses(() => expect(s.state).toBe('online'), 10_000);
    expect(b.streamRequests).toHaveLength(2);
    s.stop();
    s.reconnect();
    expect(s.state).toBe('stopped');
  });
});
