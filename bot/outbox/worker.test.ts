import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../observability/logger.js';
import { createMetrics } from '../observability/metrics.js';
import { join } from 'node:path';
import type { NewOutboxItem, OutboxRecord } from '../store/records.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import type { DeliveryHandlers, DeliveryOutcome } from './outcome.js';
import { OutboxWorker } from './worker.js';
import { acceptedFixture } from '../../test/support/fixtures.js';
import { tempDir } from '../../test/support/harness.js';
import { until } from '../../test/support/until.js';

let worker: OutboxWorker | undefined;
let opened: SqliteStore | undefined;
afterEach(async () => {
  await worker?.stop();
  worker = undefined;
  await opened?.close();
  opened = undefined;
});

/** A store on a fresh file holding these handoffs, each with its outbox rows. */
async function storeWith(handoffs: Record<string, NewOutboxItem[]>, now: number): Promise<SqliteStore> {
  opened = await SqliteStore.open({ file: join(tempDir('handoff-worker-'), 'w.db') });
  for (const [id, outbox] of Object.entries(handoffs)) await opened.accept(acceptedFixture(id, now, outbox));
  return opened;
}

function start(store: SqliteStore, handlers: DeliveryHandlers, clock: () => number, paceMs = 0): OutboxWorker {
  worker = new OutboxWorker({ store, handlers, clock, logger: createLogger('silent'), metrics: createMetrics(), paceMs, idleMs: 10 });
  worker.start();
  return worker;
}

/** Waits until the worker has looked at the table again, twice, so one whole look began after this call. */
async function anotherLook(w: OutboxWorker): Promise<void> {
  for (let i = 0; i < 2; i++) {
    const n = w.looks;
    w.wake();
    await until(() => w.looks > n, 5_000, 'another look at the outbox');
  }
}

describe('OutboxWorker', () => {
  it("delivers one handoff's Slack rows in order: the update waits until the card's retry succeeds", async () => {
    let now = 1_000_000;
    const store = await storeWith({ ho_a: [{ kind: 'slack.post_card' }, { kind: 'slack.update_card' }] }, now);
    const seen: string[] = [];
    let cardTries = 0;
    start(
      store,
      {
        'slack.post_card': async (item: OutboxRecord): Promise<DeliveryOutcome> => {
          seen.push(`${item.kind}#${++cardTries}`);
          return cardTries === 1 ? { type: 'retry', code: 'http_500', afterMs: 60_000 } : { type: 'done' };
        },
        'slack.update_card': async (item) => {
          seen.push(item.kind);
          return { type: 'done' };
        },
      },
      () => now,
    );
    await until(() => seen.length === 1);
    await until(async () => (await store.outbox.forHandoff('ho_a'))[0]!.attempts === 1, 5_000, 'the retry recorded');
    await anotherLook(worker!);
    expect(seen).toEqual(['slack.post_card#1']); // not retried early, and the update did not jump the queue
    now += 60_000;
    await until(() => seen.length === 3);
    expect(seen).toEqual(['slack.post_card#1', 'slack.post_card#2', 'slack.update_card']);
    expect((await store.outbox.stats()).depth).toBe(0);
  });

  it("a Slack rate-limit pause holds every handoff's Slack rows but not their SMS", async () => {
    let now = 2_000_000;
    const store = await storeWith({ ho_a: [{ kind: 'slack.post_card' }] }, now);
    const seen: string[] = [];
    let limited = false;
    start(
      store,
      {
        'slack.post_card': async (item) => {
          seen.push(`card:${item.handoffId}`);
          if (!limited) {
            limited = true;
            return { type: 'retry', code: 'ratelimited', afterMs: 2_000, countAttempt: false, pauseKey: 'slack' };
          }
          return { type: 'done' };
        },
        'sms.send': async (item) => {
          seen.push(`sms:${item.handoffId}`);
          return { type: 'done' };
        },
      },
      () => now,
    );
    await until(() => seen.length === 1);
    await store.accept(acceptedFixture('ho_b', now, [{ kind: 'slack.post_card' }, { kind: 'sms.send', payload: { to: '+15555550100' } }]));
    worker!.wake();
    await until(() => seen.includes('sms:ho_b'));
    await anotherLook(worker!);
    expect(seen).toEqual(['card:ho_a', 'sms:ho_b']);
    expect((await store.outbox.forHandoff('ho_a'))[0]!.attempts).toBe(0); // a rate limit is not a failed attempt
    now += 2_000;
    await until(() => seen.length === 4);
    expect(seen.slice(2).sort()).toEqual(['card:ho_a', 'card:ho_b']);
  });

  it('paces rows with the same pace key by paceMs of the clock', async () => {
    let now = 3_000_000;
    const paced: NewOutboxItem[] = [{ kind: 'slack.post_card', paceKey: 'slack:C1' }];
    const store = await storeWith({ ho_a: paced, ho_b: paced, ho_c: paced }, now);
    const sentAt: number[] = [];
    start(store, { 'slack.post_card': async () => (sentAt.push(now), { type: 'done' }) }, () => now, 1_000);
    await until(() => sentAt.length === 1);
    await anotherLook(worker!);
    expect(sentAt).toHaveLength(1);
    now += 999;
    await anotherLook(worker!);
    expect(sentAt).toHaveLength(1);
    now += 1;
    await until(() => sentAt.length === 2);
    now += 1_000;
    await until(() => sentAt.length === 3);
    expect(sentAt).toEqual([3_000_000, 3_001_000, 3_002_000]);
  });
});
