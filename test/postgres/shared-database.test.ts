import { afterEach, describe, expect, it } from 'vitest';
import type { CommitNotice } from '../../bot/store/notifier.js';
import { PostgresStore } from '../../bot/store/postgres/postgres-store.js';
import { isStoreError } from '../../bot/store/store.js';
import { acceptedFixture } from '../support/fixtures.js';
import { sharedPostgres } from '../support/shared-postgres.js';
import { until } from '../support/until.js';

// Two stores on one database stand for two bot processes: what one commits, the other must see and honour.
const server = sharedPostgres();

const open: PostgresStore[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

async function twoProcesses(): Promise<[PostgresStore, PostgresStore]> {
  const url = await server.createDatabase();
  const [a, b] = await Promise.all([PostgresStore.open({ url }), PostgresStore.open({ url })]);
  open.push(a, b);
  return [a, b];
}

const T0 = 1_764_547_200_000;
const id = (n: number) => `ho_${String(n).padStart(26, '0')}`;

describe('PostgreSQL store shared by two processes', () => {
  it("tells each process about the other's commits, after they commit", async () => {
    const [a, b] = await twoProcesses();
    const heard: Partial<CommitNotice>[] = [];
    b.commits.subscribe((n) => heard.push(n));
    await a.accept({ ...acceptedFixture(id(1), T0, [{ kind: 'slack.post_card', paceKey: 'slack:C1' }]), handoff: { ...acceptedFixture(id(1), T0).handoff, escalateDueAt: T0 + 5 } });
    const notice = await until(() => heard.find((n) => n.events), 10_000, 'notice on the other process');
    expect(notice).toMatchObject({ events: true, outbox: { paceKeys: ['slack:C1'] }, dueAt: [T0 + 5] });
    expect((await b.events.after(0)).map((e) => e.handoffId)).toEqual([id(1)]);
  });

  it('gives one process the idempotency key two race on; the other fails on it and stores nothing', async () => {
    const [a, b] = await twoProcesses();
    const key = { key: 'raced', bodyHash: 'h', response: '{}' };
    const results = await Promise.allSettled([a.accept({ ...acceptedFixture(id(1), T0), idempotency: key }), b.accept({ ...acceptedFixture(id(2), T0), idempotency: key })]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failed = results.find((r) => r.status === 'rejected');
    expect(isStoreError(failed?.reason, 'duplicate')).toBe(true);
    expect((await a.events.after(0)).length).toBe(1);
  });

  it('leases an outbox row to one process, shares the pace slot, and frees a dead process’s lease at once', async () => {
    const [a, b] = await twoProcesses();
    await a.accept(acceptedFixture(id(1), T0, [{ kind: 'slack.post_card', paceKey: 'slack:C1' }]));
    await a.accept(acceptedFixture(id(2), T0, [{ kind: 'slack.post_card', paceKey: 'slack:C1' }]));
    const [row1, row2] = await a.outbox.forHandoff(id(1)).then(async (r) => [r[0]!, (await a.outbox.forHandoff(id(2)))[0]!]);
    const claims = await Promise.all([a.outbox.claim(row1!.id, null, T0, 1_000), b.outbox.claim(row1!.id, null, T0, 1_000)]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    const holder = claims[0] ? a : b;
    const other = claims[0] ? b : a;
    // Leased rows are not offered as due, to either process.
    expect((await other.outbox.due(T0, 10, ['slack:C1'])).map((o) => o.id)).toEqual([row2!.id]);
    // One channel's slot: the first paced claim takes it, the next within paceMs must wait, on any process.
    expect(await holder.outbox.claim(row2!.id, 'slack:C1', T0, 1_000)).toBe(true);
    await holder.outbox.retryLater(row2!.id, T0, T0, 'test', false);
    expect(await other.outbox.claim(row2!.id, 'slack:C1', T0 + 500, 1_000)).toBe(false);
    expect(await other.outbox.claim(row2!.id, 'slack:C1', T0 + 1_000, 1_000)).toBe(true);
    // The holder dies (its connections close): its lease is void at once, long before it would lapse.
    open.splice(open.indexOf(holder), 1);
    await holder.close();
    await until(async () => (await other.outbox.due(T0 + 1_000, 10, ['slack:C1'])).some((o) => o.id === row1!.id), 10_000, 'dead lease freed');
    expect(await other.outbox.claim(row1!.id, null, T0, 1_000)).toBe(true);
  });

  it('hands out event seqs in commit order, so a reader following its cursor misses none', async () => {
    const [a, b] = await twoProcesses();
    const seen: number[] = [];
    let cursor = 0;
    let reading: Promise<void> = Promise.resolve();
    const read = () =>
      (reading = reading.then(async () => {
        for (const e of await b.events.after(cursor, 1_000)) {
          seen.push(e.seq);
          cursor = e.seq;
        }
      }));
    b.commits.subscribe((n) => {
      if (n.events) void read();
    });
    const writes = Array.from({ length: 60 }, (_, n) => (n % 2 ? a : b).accept(acceptedFixture(id(n), T0 + n)));
    await Promise.all(writes);
    const all = (await a.events.after(0, 1_000)).map((e) => e.seq);
    expect(all).toHaveLength(60);
    await until(async () => {
      await read();
      return seen.length === 60;
    }, 10_000, 'reader caught up');
    expect(seen).toEqual(all);
  });
});
