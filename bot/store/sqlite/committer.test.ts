import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newHandoffFixture } from '../../../test/support/fixtures.js';
import { tempDir } from '../../../test/support/harness.js';
import { openDatabase } from './db.js';
import type { Db } from './db.js';
import { appendEventOp, insertHandoffOp, type WriteOp } from '../write-ops.js';
import { StoreError } from '../store-error.js';
import { WriterThread, type Committer, type CommitterOptions } from './writer-thread.js';

let dir: string;
let file: string;
let db: Db;
let reader: Database.Database;
const open: Committer[] = [];

beforeEach(() => {
  dir = tempDir('handoff-committer-');
  file = join(dir, 'c.db');
  db = openDatabase(file);
  // A second connection sees only what has committed.
  reader = new Database(file, { readonly: true });
});

afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
  reader.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** One accepted-handoff-like unit: a handoff row and its event. */
function unit(n: number, id = `ho_${String(n).padStart(26, '0')}`): WriteOp[] {
  return [
    insertHandoffOp(newHandoffFixture({ id, workflowId: 'wf', receivedAt: n })),
    appendEventOp(id, 'handoff.received', null, n),
  ];
}

const committed = (): number[] => reader.prepare('SELECT received_at FROM handoffs ORDER BY received_at').pluck().all() as number[];
const events = (): number => reader.prepare('SELECT COUNT(*) FROM events').pluck().get() as number;

const kinds: [string, (opts: CommitterOptions & { busyTimeoutMs?: number }) => Committer][] = [
  ['the writer thread', (opts) => new WriterThread({ file, ...opts })],
];

describe.each(kinds)('%s', (_name, make) => {
  const start = (opts: CommitterOptions & { busyTimeoutMs?: number } = {}) => {
    const c = make(opts);
    open.push(c);
    return c;
  };

  it('commits the units submitted together in one transaction, each promise after its commit', async () => {
    const batches: number[] = [];
    const c = start({ onBatch: (n) => batches.push(n) });
    const seen: boolean[] = [];
    await Promise.all(Array.from({ length: 40 }, (_, i) => c.submit(unit(i)).then(() => seen.push(committed().includes(i)))));
    expect(batches).toEqual([40]);
    expect(seen).toEqual(Array(40).fill(true));
    expect(events()).toBe(40);
  });

  it('rolls a failing unit back alone (its earlier writes too); the rest of its batch commits', async () => {
    const c = start();
    await c.submit(unit(100, 'ho_taken00000000000000000000'));
    // Unit 3 inserts a handoff whose event row is fine but whose id is taken: nothing of it may stay.
    const clash = [...unit(3), ...unit(3, 'ho_taken00000000000000000000')];
    const results = await Promise.allSettled([c.submit(unit(1)), c.submit(unit(2)), c.submit(clash), c.submit(unit(4))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const reason = (results[2] as PromiseRejectedResult).reason as StoreError;
    expect(reason).toBeInstanceOf(StoreError);
    expect(reason.code).toBe('duplicate');
    expect(reason.detail).toMatch(/^SQLITE_CONSTRAINT/);
    expect(committed()).toEqual([1, 2, 4, 100]);
    expect(events()).toBe(4);
  });

  it('rejects the whole batch and keeps nothing when the transaction cannot take the write lock, then recovers', async () => {
    const c = start({ busyTimeoutMs: 0 });
    if (c instanceof WriterThread) await c.whenReady();
    const blocker = new Database(file);
    blocker.exec('BEGIN IMMEDIATE');
    const results = await Promise.allSettled([c.submit(unit(1)), c.submit(unit(2))]);
    blocker.exec('ROLLBACK');
    blocker.close();
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'unavailable', detail: 'SQLITE_BUSY' });
    expect(committed()).toEqual([]);
    await c.submit(unit(7));
    expect(committed()).toEqual([7]);
  });

  it('splits a burst larger than maxBatch into consecutive transactions, in order', async () => {
    const batches: number[] = [];
    const c = start({ maxBatch: 8, onBatch: (n) => batches.push(n) });
    const order: number[] = [];
    await Promise.all(Array.from({ length: 20 }, (_, i) => c.submit(unit(i)).then(() => order.push(i))));
    expect(batches).toEqual([8, 8, 4]);
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});

describe('the writer thread', () => {
  it('rejects what it held when the thread dies, and a new thread takes over', async () => {
    const c = new WriterThread({ file });
    open.push(c);
    await c.whenReady();
    const held = c.submit(unit(1));
    await (c as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    await expect(held).rejects.toMatchObject({ code: 'unavailable', detail: 'writer_died' });
    await c.submit(unit(2));
    expect(committed()).toContain(2);
  });

  it('backs off when a new thread dies at once, and work submitted meanwhile goes to the thread that lives', async () => {
    const c = new WriterThread({ file });
    open.push(c);
    const internals = c as unknown as { worker: { terminate(): Promise<number> } };
    for (let i = 0; i < 3; i++) {
      await c.whenReady();
      await internals.worker.terminate();
    }
    const late = c.submit(unit(9));
    await late;
    expect(committed()).toContain(9);
  });
});
