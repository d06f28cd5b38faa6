import { describe, expect, it } from 'vitest';
import { AcceptBatcher } from './accept-batcher.js';

describe('AcceptBatcher', () => {
  it('commits what arrives during a commit together, in arrival order, and answers each unit with its own outcome', async () => {
    const batches: number[][] = [];
    let release: (() => void) | null = null;
    const batcher = new AcceptBatcher<number>(async (batch) => {
      batches.push([...batch]);
      if (batches.length === 1) await new Promise<void>((r) => (release = r));
      return batch.map((n) => (n === 3 ? new Error('taken') : null));
    });
    const first = batcher.submit(0);
    const rest = [1, 2, 3, 4].map((n) => batcher.submit(n).then(() => 'ok', (e: Error) => e.message));
    expect(batches).toEqual([[0]]);
    release!();
    await first;
    expect(await Promise.all(rest)).toEqual(['ok', 'ok', 'taken', 'ok']);
    expect(batches).toEqual([[0], [1, 2, 3, 4]]);
  });

  it('fails every unit of a batch whose transaction failed, and goes on with the next batch', async () => {
    let calls = 0;
    const batcher = new AcceptBatcher<number>(async (batch) => {
      calls++;
      if (calls === 1) throw new Error('connection lost');
      return batch.map(() => null);
    }, 2);
    const outcomes = [0, 1, 2].map((n) => batcher.submit(n).then(() => 'ok', (e: Error) => e.message));
    expect(await Promise.all(outcomes)).toEqual(['connection lost', 'ok', 'ok']);
  });
});
