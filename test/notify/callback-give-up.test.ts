import { afterEach, describe, expect, it } from 'vitest';
import { startCallbackReceiver, type CallbackReceiver } from '../../sandbox/fakes/callback-receiver.js';
import { makePendingDue } from '../support/outbox.js';
import { CALLBACK_SECRET, startHarness, type Harness } from '../support/harness.js';
import { until } from '../support/until.js';
import { postHandoff, sampleHandoff } from '../support/webhooks.js';

const HOUR = 3_600_000;
let h: Harness | undefined;
let receiver: CallbackReceiver | undefined;
afterEach(async () => {
  await h?.close();
  await receiver?.close();
  h = receiver = undefined;
});

describe('a status callback that keeps failing', () => {
  it('is retried for 24 h, then given up: counted in /metrics and shown in /handoff status ho_…', async () => {
    let now = Date.now();
    receiver = await startCallbackReceiver({ secret: CALLBACK_SECRET });
    receiver.failNext(10_000, { kind: 'status', status: 503 });
    h = await startHarness({ clock: () => now, outbox: { paceMs: 0 } });
    const bot = h.bot;
    const res = await postHandoff(bot.url, sampleHandoff({ webhook_url: `${receiver.url}/status` }));
    const id = res.json.handoff_id as string;
    const card = await until(async () => (await bot.store.handoffs.get(id))?.slackTs && (await bot.store.handoffs.get(id)), 5000, 'the card');
    await h.slack.sendBlockAction({ user: 'U0ALICE01', channel: card.slackChannel!, messageTs: card.slackTs!, actionId: 'handoff_claim', value: id });

    const callbackRow = async () => (await bot.store.outbox.forHandoff(id)).find((o) => o.kind === 'callback.send');
    await until(() => receiver!.received.length >= 1, 5000, 'the first attempt');
    expect((await callbackRow())?.status).toBe('pending');

    // 23 hours of failures later it is still being retried.
    now += 23 * HOUR;
    const before = receiver.received.length;
    // Made due on every look: the first attempt may still be recording its own retry time.
    await until(
      async () => {
        if ((await callbackRow())!.attempts >= 2 && receiver!.received.length > before) return true;
        makePendingDue(h!);
        return false;
      },
      5000,
      'a retry within 24 h',
    );
    expect((await callbackRow())?.status).toBe('pending');

    // Past 24 hours since the first attempt, the next failure gives up.
    now += 2 * HOUR;
    await until(
      async () => {
        if ((await callbackRow())?.status === 'failed') return true;
        makePendingDue(h!);
        return false;
      },
      5000,
      'giving up',
    );
    expect((await callbackRow())?.lastError).toMatch(/^gave_up_after_24h:http_503/);
    const ids = new Set(receiver.received.map((r) => r.headers['webhook-id']));
    expect(ids.size).toBe(1); // every attempt carried the same webhook-id

    const metrics = await (await fetch(`${bot.url}/metrics`)).text();
    expect(metrics).toMatch(/handoff_callbacks_given_up_total\{reason="expired_24h"\} 1/);
    const status = await h.slack.sendSlashCommand({ user: 'U0ALICE01', channel: 'C0CLINIC01', text: `status ${id}` });
    expect(status.body).toContain('given up');
    expect(status.body).toContain('handoff.claimed');
  });
});
