import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { until } from '../support/until.js';
import { postHandoff, sampleHandoff } from '../support/webhooks.js';
import { cardsByHandoff, makePendingDue } from '../support/outbox.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Keeps making the retries due (skipping their backoff) until the card is in Slack. */
function cardArrives(h: Harness, id: string): Promise<unknown> {
  return until(
    () => {
      makePendingDue(h);
      return cardsByHandoff(h.slack, ['C0CLINIC01']).get(id)?.length === 1;
    },
    10_000,
    'the card',
  );
}

describe('the crash look-up before a card is posted again', () => {
  it('posts the card when Slack refuses the look-up (bot not in the channel) instead of giving the card up', async () => {
    h = await startHarness({ outbox: { paceMs: 0 } });
    const { slack, bot } = h;
    // The first post times out at Slack's side (a 503 here), so the retry must look before posting;
    // that look-up is refused as Slack refuses conversations.history to a bot outside the channel.
    slack.faults.serverError('chat.postMessage', 503, 1);
    slack.faults.slackError('conversations.history', 'not_in_channel', 5);
    const res = await postHandoff(bot.url, sampleHandoff());
    const id = res.json.handoff_id as string;
    await cardArrives(h, id);
    expect(slack.calls.count('conversations.history')).toBeGreaterThanOrEqual(1);
    // The row is marked done once the worker has stored the ts (after the message reached Slack).
    await until(async () => (await bot.store.outbox.forHandoff(id)).find((o) => o.kind === 'slack.post_card')?.status === 'done', 5_000, 'the row done');
    expect(cardsByHandoff(slack, ['C0CLINIC01']).get(id)).toHaveLength(1);
  });

  it('waits and looks again when the look-up fails because Slack is down', async () => {
    h = await startHarness({ outbox: { paceMs: 0 } });
    const { slack, bot } = h;
    slack.faults.serverError('chat.postMessage', 503, 1);
    slack.faults.serverError('conversations.history', 503, 2);
    const res = await postHandoff(bot.url, sampleHandoff());
    const id = res.json.handoff_id as string;
    await cardArrives(h, id);
    expect(slack.calls.count('conversations.history')).toBeGreaterThanOrEqual(3);
  });
});
