import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { testConfig } from '../support/test-config.js';
import { postHandoff, sampleHandoff } from '../support/webhooks.js';

const CALLER = '+15555550871';
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

describe('/handoff status ho_… and allowed_users', () => {
  it('shows a restricted workflow\'s handoff, caller included, only to its allowed users', async () => {
    const res = await postHandoff(
      h.bot.url,
      sampleHandoff({ workflow_id: 'billing', handoff_reason: 'billing_question', caller_id: CALLER, structured_fields: { account_number: 'AC-9' } }),
    );
    const id = res.json.handoff_id as string;
    const eve = await h.slack.sendSlashCommand({ user: 'U0EVE00001', channel: 'C0BILLING1', text: `status ${id}` });
    expect(eve.status).toBe(200);
    // The answer for an unknown id: it confirms neither the handoff nor its workflow.
    expect(eve.body).toContain(`There is no handoff \`${id}\` here`);
    expect(eve.body).not.toContain('Billing');
    expect(eve.body).not.toContain(CALLER);
    const alice = await h.slack.sendSlashCommand({ user: 'U0ALICE01', channel: 'C0BILLING1', text: `status ${id}` });
    expect(alice.body).toContain(CALLER);
  });
});
