import { describe, expect, it } from 'vitest';
import { createUserNames, displayNameOf } from './user-names.js';

function directory(answers: Record<string, string | null | Error | 'hang'>) {
  const calls: string[] = [];
  let now = 0;
  const names = createUserNames({
    clock: () => now,
    ttlMs: 1_000,
    failureTtlMs: 100,
    waitMs: 50,
    lookup: (id) => {
      calls.push(id);
      const a = answers[id];
      if (a === 'hang') return new Promise(() => undefined);
      return a instanceof Error ? Promise.reject(a) : Promise.resolve(a ?? null);
    },
  });
  return { names, calls, advance: (ms: number) => (now += ms) };
}

describe('user names', () => {
  it('learns each Slack user once and answers from memory until the name is stale', async () => {
    const d = directory({ U0ALICE01: 'Alice', U0BOB0001: 'Bob' });
    await d.names.learn(['U0ALICE01', 'U0BOB0001', 'U0ALICE01', null, 'system', 'timer']);
    expect([d.names.known('U0ALICE01'), d.names.known('U0BOB0001'), d.names.known('system')]).toEqual(['Alice', 'Bob', undefined]);
    await d.names.learn(['U0ALICE01']);
    expect(d.calls).toEqual(['U0ALICE01', 'U0BOB0001']);
    d.advance(1_001);
    await d.names.learn(['U0ALICE01']);
    expect(d.calls).toEqual(['U0ALICE01', 'U0BOB0001', 'U0ALICE01']);
  });

  it('leaves the id when Slack fails or is slow, and does not ask again at once', async () => {
    const d = directory({ U0BROKEN1: new Error('user_not_found'), U0SLOW001: 'hang' });
    await d.names.learn(['U0BROKEN1', 'U0SLOW001']); // returns after waitMs although one lookup hangs
    expect([d.names.known('U0BROKEN1'), d.names.known('U0SLOW001')]).toEqual([undefined, undefined]);
    await d.names.learn(['U0BROKEN1', 'U0SLOW001']);
    expect(d.calls).toEqual(['U0BROKEN1', 'U0SLOW001']);
  });

  it('reads what Slack shows: the display name, else the full name, else the handle', () => {
    expect(displayNameOf({ name: 'alice', real_name: 'Alice Moreno', profile: { display_name: 'Al', real_name: 'Alice Moreno' } })).toBe('Al');
    expect(displayNameOf({ name: 'alice', real_name: 'Alice Moreno', profile: { display_name: '', real_name: 'Alice Moreno' } })).toBe('Alice Moreno');
    expect(displayNameOf({ name: 'alice' })).toBe('alice');
    expect(displayNameOf(undefined)).toBeNull();
  });
});
