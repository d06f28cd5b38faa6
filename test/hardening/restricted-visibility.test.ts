import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { testConfig } from '../support/test-config.js';
import { postHandoff, sampleHandoff } from '../support/webhooks.js';
import { api, pairedToken } from '../support/desktop-api.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    outbox: { paceMs: 0 },
    config: testConfig((doc) => {
      doc.workflows[1]!.allowed_users = ['U0ALICE01'] as never;
      return doc;
    }),
  });
});
afterAll(async () => {
  await h.close();
});

const BILLING = { workflow_id: 'billing', handoff_reason: 'billing_question', severity: 'urgent', structured_fields: { account_number: 'AC-7' } };

describe('allowed_users hides a restricted workflow everywhere', () => {
  it('/handoff status neither lists nor counts a restricted workflow\'s handoffs for someone outside allowed_users', async () => {
    const restricted = (await postHandoff(h.bot.url, sampleHandoff(BILLING))).json.handoff_id as string;
    const eve = await h.slack.sendSlashCommand({ user: 'U0EVE00001', channel: 'C0CLINIC01', text: 'status' });
    expect(eve.status).toBe(200);
    expect(eve.body).not.toContain(restricted);
    expect(eve.body).not.toContain('Billing line');
    expect(eve.body).not.toContain('billing_question');
    // Nothing else is open: Eve's counts are all zero and her list is empty; Alice's count the handoff.
    const alice = await h.slack.sendSlashCommand({ user: 'U0ALICE01', channel: 'C0CLINIC01', text: 'status' });
    expect(alice.body).toContain(restricted);
    expect(alice.body).toContain('*1* open');
    expect(eve.body).toContain('*0* open');
    expect(eve.body).toContain('No open handoffs');
  });

  it('answers desktop actions on a restricted handoff with the same 404 as an unknown id', async () => {
    const restricted = (await postHandoff(h.bot.url, sampleHandoff(BILLING))).json.handoff_id as string;
    const bob = await pairedToken(h, 'U0BOB0001');
    const unknown = await api(h.bot.url, 'POST', '/v1/handoffs/ho_unknown000/claim', bob);
    for (const path of [`/v1/handoffs/${restricted}/claim`, `/v1/handoffs/${restricted}/escalate`, `/v1/handoffs/${restricted}/resolve`]) {
      const res = await api(h.bot.url, 'POST', path, bob);
      expect(res.status, path).toBe(404);
      expect(res.json, path).toEqual(unknown.json);
    }
    expect((await api(h.bot.url, 'GET', `/v1/handoffs/${restricted}`, bob)).status).toBe(404);
    expect((await h.bot.store.handoffs.get(restricted))!.status).toBe('open');
  });
});
