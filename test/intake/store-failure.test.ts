import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { postHandoff, sampleHandoff } from '../support/webhooks.js';
import { rowCounts } from '../support/row-counts.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const DOOMED_CALLER = '+15555550666';

describe('when the store cannot write', () => {
  it('answers 503 unavailable, keeps nothing of the handoff, and a retry with the same key is accepted later', async () => {
    h = await startHarness();
    const db = h.db;
    // The database refuses this one row, as a full disk or a broken file would: the unit must vanish whole.
    db.exec(`CREATE TRIGGER refuse_doomed BEFORE INSERT ON handoffs WHEN NEW.caller_id = '${DOOMED_CALLER}'
             BEGIN SELECT RAISE(ABORT, 'simulated write failure'); END`);
    const before = rowCounts(db);
    const body = sampleHandoff({ caller_id: DOOMED_CALLER });
    const failed = await postHandoff(h.bot.url, body, { id: 'msg_doomed_1' });
    expect(failed.status).toBe(503);
    expect(failed.json.error).toBe('unavailable');
    expect(failed.headers.get('retry-after')).toBe('1');
    expect(rowCounts(db)).toEqual(before);
    expect(h.logs.text).not.toContain(DOOMED_CALLER);

    db.exec('DROP TRIGGER refuse_doomed');
    const retried = await postHandoff(h.bot.url, body, { id: 'msg_doomed_1' });
    expect(retried.status).toBe(202);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
  });

  it('/readyz answers 503 when the database does not answer; /healthz still says the process runs', async () => {
    h = await startHarness();
    expect((await fetch(`${h.bot.url}/readyz`)).status).toBe(200);
    await h.bot.store.close();
    const ready = await fetch(`${h.bot.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { error: string }).error).toBe('unavailable');
    expect((await fetch(`${h.bot.url}/healthz`)).status).toBe(200);
  });
});
