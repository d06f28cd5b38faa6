import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { until } from '../support/until.js';
import { postHandoff, sampleHandoff } from '../support/webhooks.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ outbox: { paceMs: 0 } });
});
afterAll(async () => {
  await h.close();
});

function escalationMessage(id: string): string {
  return JSON.stringify(h.slack.messages('C0ONCALL01').find((m) => JSON.stringify(m).includes(id))?.blocks ?? null);
}

describe('escalation-channel cards follow the handoff', () => {
  it('lose Claim once someone claims, and all but Reopen and Details once it is resolved', async () => {
    const res = await postHandoff(h.bot.url, sampleHandoff({ handoff_reason: 'appointment_change' }));
    const id = res.json.handoff_id as string;
    await until(async () => !!(await h.bot.store.handoffs.get(id))?.slackTs, 5_000, 'the owner card');
    const owner = (await h.bot.store.handoffs.get(id))!;

    await h.slack.sendBlockAction({ user: 'U0ALICE01', channel: owner.slackChannel!, messageTs: owner.slackTs!, actionId: 'handoff_escalate', value: id });
    await until(() => escalationMessage(id).includes('handoff_claim'), 5_000, 'the escalation card with Claim');

    await h.slack.sendBlockAction({ user: 'U0BOB0001', channel: owner.slackChannel!, messageTs: owner.slackTs!, actionId: 'handoff_claim', value: id });
    await until(() => escalationMessage(id).includes('handoff_release'), 5_000, 'the escalation card to offer Release');
    expect(escalationMessage(id)).not.toContain('"handoff_claim"');

    await h.slack.sendBlockAction({ user: 'U0BOB0001', channel: owner.slackChannel!, messageTs: owner.slackTs!, actionId: 'handoff_resolve', value: id });
    await until(() => escalationMessage(id).includes('handoff_reopen'), 5_000, 'the escalation card with only Reopen and Details');
    expect(escalationMessage(id)).not.toMatch(/"handoff_(claim|release|escalate|resolve|note)"/);
  });
});
