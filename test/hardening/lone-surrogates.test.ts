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

describe('lone UTF-16 surrogates', () => {
  it('are refused with 422 naming the field instead of being stored changed', async () => {
    const raw = JSON.stringify(sampleHandoff({ structured_fields: { patient_name: 'Dana X' } })).replace('Dana X', 'Dana \\ud800');
    const res = await postHandoff(h.bot.url, null, { rawBody: raw });
    expect(res.status).toBe(422);
    expect(res.json.error).toBe('validation_failed');
    expect(res.json.issues).toEqual([{ path: 'structured_fields.patient_name', message: expect.stringContaining('lone surrogate') }]);
  });

  it('accept a well-formed pair (an emoji written as escapes) and store it unchanged', async () => {
    const raw = JSON.stringify(sampleHandoff({ structured_fields: { patient_name: 'Dana X' } })).replace('Dana X', 'Dana \\ud83d\\ude00');
    const res = await postHandoff(h.bot.url, null, { rawBody: raw });
    expect(res.status).toBe(202);
    expect((await h.bot.store.handoffs.get(res.json.handoff_id as string))!.structuredFields).toMatchObject({ patient_name: 'Dana \u{1F600}' });
  });
});
