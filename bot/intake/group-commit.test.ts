import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../store/db.js';
import { Store } from '../store/store.js';
import { GroupCommitter } from './group-commit.js';

let dir: string;
let store: Store;
let reader: Database.Database;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'group-commit-'));
  const file = join(dir, 'gc.db');
  store = new Store(openDatabase(file));
  store.db.exec('CREATE TABLE t (unit INTEGER NOT NULL)');
  // A second connection sees only what has committed.
  reader = new Database(file, { readonly: true });
});

afterEach(() => {
  reader.close();
  store.db.close();
  rmSync(dir, { recursive: true, force: true });
});

const committedUnits = (): number[] => (reader.prepare('SELECT unit FROM t ORDER BY unit').all() as { unit: number }[]).map((r) => r.unit);
const insert = (unit: number) => store.db.prepare('INSERT INTO t (unit) VALUES (?)').run(unit);

describe('GroupCommitter', () => {
  it('commits every submit of one tick in a single transaction', async () => {
    const batches: number[] = [];
    const gc = new GroupCommitter(store, { onBatch: (n) => batches.push(n) });
    const seenByOthersDuringLastUnit: number[][] = [];
    const promises = Array.from({ length: 40 }, (_, i) =>
      gc.submit(() => {
        insert(i);
        if (i === 39) seenByOthersDuringLastUnit.push(committedUnits());
        return i * 2;
      }),
    );
    const values = await Promise.all(promises);
    expect(values).toEqual(Array.from({ length: 40 }, (_, i) => i * 2));
    expect(batches).toEqual([40]);
    // While the 40th unit ran, none of the first 39 had committed: they share its transaction.
    expect(seenByOthersDuringLastUnit).toEqual([[]]);
    expect(committedUnits()).toHaveLength(40);
  });

  it('settles each promise only after its writes are visible to another connection', async () => {
    const gc = new GroupCommitter(store);
    const observed: boolean[] = [];
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        gc.submit(() => insert(i)).then(() => {
          observed.push(committedUnits().includes(i));
        }),
      ),
    );
    expect(observed).toEqual(Array(10).fill(true));
  });

  it('rolls back a unit that throws alone; the rest of its batch commits', async () => {
    const batches: number[] = [];
    const gc = new GroupCommitter(store, { onBatch: (n) => batches.push(n) });
    const boom = new Error('unit 3 failed');
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) =>
        gc.submit(() => {
          insert(i);
          if (i === 3) {
            insert(103); // written before the throw: must vanish with the unit
            throw boom;
          }
          return i;
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((results[3] as PromiseRejectedResult).reason).toBe(boom);
    expect(committedUnits()).toEqual([0, 1, 2, 4, 5]);
    expect(batches).toEqual([6]);
  });

  it('rejects the whole batch and keeps nothing when the transaction itself cannot commit', async () => {
    store.db.pragma('busy_timeout = 0');
    const blocker = new Database(join(dir, 'gc.db'));
    blocker.exec('BEGIN IMMEDIATE');
    const gc = new GroupCommitter(store);
    const results = await Promise.allSettled([gc.submit(() => insert(1)), gc.submit(() => insert(2))]);
    blocker.exec('ROLLBACK');
    blocker.close();
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(((results[0] as PromiseRejectedResult).reason as { code?: string }).code).toBe('SQLITE_BUSY');
    expect(committedUnits()).toEqual([]);
    // The committer recovers: the next submit commits normally.
    await gc.submit(() => insert(7));
    expect(committedUnits()).toEqual([7]);
  });

  it('splits a burst larger than maxBatch into consecutive transactions, in order', async () => {
    const batches: number[] = [];
    const gc = new GroupCommitter(store, { maxBatch: 8, onBatch: (n) => batches.push(n) });
    const order: number[] = [];
    await Promise.all(Array.from({ length: 20 }, (_, i) => gc.submit(() => insert(i)).then(() => order.push(i))));
    expect(batches).toEqual([8, 8, 4]);
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(committedUnits()).toHaveLength(20);
  });

  it('starts a new transaction for submits that arrive after a batch was flushed', async () => {
    const batches: number[] = [];
    const gc = new GroupCommitter(store, { onBatch: (n) => batches.push(n) });
    await Promise.all([gc.submit(() => insert(1)), gc.submit(() => insert(2))]);
    await gc.submit(() => insert(3));
    expect(batches).toEqual([2, 1]);
  });
});
