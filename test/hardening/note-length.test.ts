import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { postHandoff, sampleHandoff } from '../support/webhooks.js';
import { until } from '../support/until.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ outbox: { paceMs: 0 } });
});
afterAll(async () => {
  await h.close();
});

describe('note length', () => {
  it('refuses a submitted note over 3,000 characters with a clear error in the modal, and stores nothing', async () => {
    const id = (await postHandoff(h.bot.url, sampleHandoff())).json.handoff_id as string;
    const card = await until(async () => { const c = await h.bot.store.handoffs.get(id); return c?.slackTs ? c : null; }, 5000, 'the card');
    await h.slack.sendBlockAction({ user: 'U0ALICE01', channel: card.slackChannel!, messageTs: card.slackTs!, actionId: 'handoff_note', value: id });
    const view = await until(() => h.slack.views({ user: 'U0ALICE01', state: 'open' }).at(-1));
    const submitted = await h.slack.sendViewSubmission({ viewId: view.id, user: 'U0ALICE01', values: { note: { note_text: 'x'.repeat(5000) } } });
    expect(submitted.status).toBe(200);
    expect(submitted.outcome).toBe('errors');
    expect(submitted.body).toContain('at most 3000 characters');
    expect((await h.bot.store.events.forHandoff(id)).map((e) => e.type)).not.toContain('handoff.note_added');
  });
});
