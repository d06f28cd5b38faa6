import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { postHandoff, sampleHandoff } from '../support/webhooks.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ outbox: { paceMs: 0 } });
});
afterAll(async () => {
  await h.close();
});

/** The sample body as raw text with `visits` written exactly as given. */
function rawWithVisits(key: string, visits: string): string {
  const body = JSON.stringify(sampleHandoff({ idempotency_key: key, structured_fields: { patient_name: 'Dana', visits: 0 } }));
  return body.replace('"visits":0', `"visits":${visits}`);
}

describe('idempotency compares bodies exactly, numbers included', () => {
  it('answers 422 idempotency_key_reused to a number beyond 2^53 that a double rounds to the first one', async () => {
    const first = await postHandoff(h.bot.url, null, { rawBody: rawWithVisits('key-big', '9007199254740992') });
    expect(first.status).toBe(202);
    const again = await postHandoff(h.bot.url, null, { rawBody: rawWithVisits('key-big', '9007199254740992.0') });
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const other = await postHandoff(h.bot.url, null, { rawBody: rawWithVisits('key-big', '9007199254740993') });
    expect(other.status).toBe(422);
    expect(other.json.error).toBe('idempotency_key_reused');
  });

  it('does not replay `1e400` as if it were `null`', async () => {
    const first = await postHandoff(h.bot.url, null, { rawBody: rawWithVisits('key-null', 'null') });
    expect(first.status).toBe(202);
    const other = await postHandoff(h.bot.url, null, { rawBody: rawWithVisits('key-null', '1e400') });
    expect(other.status).toBe(422);
    expect(other.json.error).toBe('idempotency_key_reused');
  });
});
