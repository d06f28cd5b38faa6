import { afterEach, describe, expect, it } from 'vitest';
import { startCallbackReceiver, type CallbackReceiver } from '../../sandbox/fakes/callback-receiver.js';
import type { ChangeEvent } from '../../sandbox/slack-emulator/index.js';
import { startHarness, type Harness } from '../support/harness.js';
import { postHandoff, sampleHandoff } from '../support/webhooks.js';
import { until } from '../support/until.js';
import { cardsByHandoff, makePendingDue, outboxDepth, pendingRows } from '../support/outbox.js';

const OWNER_CHANNELS = ['C0CLINIC01', 'C0BILLING1'];

let h: Harness | undefined;
let receiver: CallbackReceiver | undefined;
afterEach(async () => {
  await h?.close();
  await receiver?.close();
  h = undefined;
  receiver = undefined;
});

/** 10 handoffs over both workflows, with callbacks to a listed loopback receiver so the outbox can drain. */
async function acceptTen(harness: Harness, callbackUrl: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < 10; i++) {
    const body =
      i % 2 === 0
        ? sampleHandoff({ webhook_url: callbackUrl, structured_fields: { patient_name: `Patient ${i}` } })
        : sampleHandoff({ workflow_id: 'billing', handoff_reason: 'billing_question', webhook_url: callbackUrl, structured_fields: { account_number: `AC-${i}` } });
    const res = await postHandoff(harness.bot.url, body);
    expect(res.status).toBe(202);
    ids.push(res.json.handoff_id as string);
  }
  return ids;
}

/** Records the emulator's changes with the order they happened in. */
function recordChanges(harness: Harness): ChangeEvent[] {
  const seen: ChangeEvent[] = [];
  harness.slack.onChange((e) => seen.push(e));
  return seen;
}

function assertUpdatesFollowCards(changes: ChangeEvent[], cardTs: Map<string, string>, claimed: string[]): void {
  for (const id of claimed) {
    const ts = cardTs.get(id)!;
    const posted = changes.findIndex((e) => e.type === 'message_posted' && e.ts === ts);
    const firstUpdate = changes.findIndex((e) => e.type === 'message_updated' && e.ts === ts);
    expect(posted, `card of ${id} posted`).toBeGreaterThanOrEqual(0);
    // A card posted after the claim shows it already: no edit is spent on it.
    const postedClaimed = JSON.stringify((changes[posted] as { message: { blocks: unknown } }).message.blocks).includes('handoff_release');
    if (postedClaimed) expect(firstUpdate, `card of ${id} posted claimed, never edited`).toBe(-1);
    else expect(firstUpdate, `card of ${id} updated after the claim`).toBeGreaterThan(posted);
  }
}

async function expectExactlyOneCardEach(harness: Harness, ids: string[]): Promise<Map<string, string>> {
  const cards = cardsByHandoff(harness.slack, OWNER_CHANNELS);
  const ts = new Map<string, string>();
  for (const id of ids) {
    expect(cards.get(id)?.length, `cards for ${id}`).toBe(1);
    ts.set(id, cards.get(id)![0]!.ts);
    expect((await harness.bot.store.handoffs.get(id))!.slackTs).toBe(cards.get(id)![0]!.ts);
  }
  expect(cards.size).toBe(ids.length);
  return ts;
}

describe('Slack outage: cards and updates wait in the outbox', () => {
  it('honours 429 Retry-After: no Slack call during the pause, then every card exactly once and updates after their card', async () => {
    h = await startHarness({ outbox: { paceMs: 0 } });
    receiver = await startCallbackReceiver();
    const changes = recordChanges(h);
    const outageEnds = Date.now() + 1_000;
    h.slack.faults.add({ method: 'chat.postMessage', fault: { kind: 'ratelimit', retryAfterSec: 2 }, untilMs: outageEnds });

    const ids = await acceptTen(h, `${receiver.url}/cb`);
    await until(() => h!.slack.calls.all('chat.postMessage').some((c) => c.outcome === 'ratelimited'), 5_000, 'a rate-limited post');
    // Claims during the outage queue a card update behind each card.
    const claimed = ids.slice(0, 4);
    for (const id of claimed) expect((await h.bot.perform({ handoffId: id, action: 'claim', actor: { kind: 'user', userId: 'U0ALICE01' } })).ok).toBe(true);
    expect(await outboxDepth(h.bot.url)).toBeGreaterThan(0);

    await until(() => pendingRows(h!) === 0, 15_000, 'outbox drained');
    expect(await outboxDepth(h.bot.url)).toBe(0);

    const posts = h.slack.calls.all('chat.postMessage');
    const firstLimited = posts.find((c) => c.outcome === 'ratelimited')!;
    const nextAfterPause = posts.find((c) => c.at > firstLimited.at && c.outcome !== 'ratelimited');
    expect(nextAfterPause!.at - firstLimited.at).toBeGreaterThanOrEqual(1_950);
    expect(posts.filter((c) => c.outcome === 'ok')).toHaveLength(10);
    // The outbox saw the 429 as a rate limit (a pause, not a failed attempt with growing backoff).
    const metrics = await (await fetch(`${h.bot.url}/metrics`)).text();
    expect(metrics).toMatch(/handoff_slack_api_errors_total\{method="chat.postMessage",class="rate_limited"\} [1-9]/);
    expect(h.logs.text).toContain('"err_code":"ratelimited"');

    const cardTs = await expectExactlyOneCardEach(h, ids);
    assertUpdatesFollowCards(changes, cardTs, claimed);
    for (const id of claimed) expect(JSON.stringify(h.slack.message((await h.bot.store.handoffs.get(id))!.slackChannel!, cardTs.get(id)!)!.blocks)).toContain('handoff_release');
  });

  it('rides out a run of HTTP 500s: every card exactly once, updates after their card, depth back to 0', async () => {
    h = await startHarness({ outbox: { paceMs: 0 } });
    receiver = await startCallbackReceiver();
    const changes = recordChanges(h);
    const fault = h.slack.faults.serverError('*', 500);

    const ids = await acceptTen(h, `${receiver.url}/cb`);
    await until(() => h!.slack.calls.all('chat.postMessage').filter((c) => c.outcome === 'http_error').length >= 4, 5_000, 'failed posts');
    const claimed = ids.slice(0, 4);
    for (const id of claimed) expect((await h.bot.perform({ handoffId: id, action: 'claim', actor: { kind: 'user', userId: 'U0BOB0001' } })).ok).toBe(true);
    expect(await outboxDepth(h.bot.url)).toBeGreaterThanOrEqual(10);
    expect(cardsByHandoff(h.slack, OWNER_CHANNELS).size).toBe(0);

    h.slack.faults.remove(fault);
    // The rows sit in exponential backoff; make them due instead of sleeping through it (on every
    // look: an attempt still in flight when the fault cleared records its own retry time after us).
    await until(
      () => {
        if (pendingRows(h!) === 0) return true;
        makePendingDue(h!);
        return false;
      },
      15_000,
      'outbox drained',
    );
    expect(await outboxDepth(h.bot.url)).toBe(0);

    expect(h.slack.calls.all('chat.postMessage').filter((c) => c.outcome === 'ok')).toHaveLength(10);
    const cardTs = await expectExactlyOneCardEach(h, ids);
    assertUpdatesFollowCards(changes, cardTs, claimed);
    // A retried post first looks for an earlier one (conversations.history), since postMessage has no idempotency key.
    expect(h.slack.calls.count('conversations.history')).toBeGreaterThan(0);
  });
});

describe('Slack pacing', () => {
  it('keeps cards to one channel at least ~1 s apart with the default pace, without holding up another channel', async () => {
    h = await startHarness();
    const posted: { channel: string; at: number }[] = [];
    h.slack.onChange((e) => {
      if (e.type === 'message_posted') posted.push({ channel: e.channel, at: Date.now() });
    });
    for (let i = 0; i < 3; i++) expect((await postHandoff(h.bot.url, sampleHandoff())).status).toBe(202);
    expect((await postHandoff(h.bot.url, sampleHandoff({ workflow_id: 'billing', handoff_reason: 'billing_question', structured_fields: { account_number: 'AC-1' } }))).status).toBe(202);

    await until(() => posted.filter((p) => p.channel === 'C0CLINIC01').length === 3 && posted.some((p) => p.channel === 'C0BILLING1'), 10_000, 'four cards');
    const clinic = posted.filter((p) => p.channel === 'C0CLINIC01').map((p) => p.at);
    expect(clinic[1]! - clinic[0]!).toBeGreaterThanOrEqual(950);
    expect(clinic[2]! - clinic[1]!).toBeGreaterThanOrEqual(950);
    const billing = posted.find((p) => p.channel === 'C0BILLING1')!.at;
    expect(billing).toBeLessThan(clinic[2]!);
  });
});
