import { afterEach, describe, expect, it } from 'vitest';
import { type ChangeEvent, type SlackEmulator, type StoredMessage } from '../../sandbox/slack-emulator/index.js';
import { startHarness, startTestSlack, tempDir, TEST_USERS, type Harness } from '../support/harness.js';
import { until } from '../support/until.js';
import { postHandoff, sampleHandoff } from '../support/webhooks.js';

const CHANNEL = 'C0CLINIC01';
const STORM = 200;

let h: Harness | undefined;
let slack: SlackEmulator | undefined;
afterEach(async () => {
  await h?.close();
  await slack?.close();
  h = undefined;
  slack = undefined;
});

const claimValues = (m: StoredMessage): string[] =>
  m.blocks.flatMap((b) => {
    const els = [...((b.elements as { action_id?: string; value?: string }[] | undefined) ?? []), ...(b.accessory ? [b.accessory as { action_id?: string; value?: string }] : [])];
    return els.filter((e) => e.action_id === 'handoff_claim').map((e) => e.value ?? '');
  });
const isCard = (m: StoredMessage) => m.metadata?.event_type === 'handoff_card';
const isDigest = (m: StoredMessage) => m.metadata?.event_type === 'handoff_digest';

/** 200 handoffs, one in four urgent, posted at once; resolves with their ids in sending order. */
async function storm(harness: Harness): Promise<{ id: string; urgent: boolean }[]> {
  const bodies = Array.from({ length: STORM }, (_, i) =>
    i % 4 === 3
      ? sampleHandoff({ webhook_url: 'https://hooks.example.com/cb', structured_fields: { patient_name: `Caller ${i}` } })
      : sampleHandoff({ handoff_reason: 'appointment_change', webhook_url: 'https://hooks.example.com/cb', structured_fields: { patient_name: `Caller ${i}` } }),
  );
  const answers = await Promise.all(bodies.map((b) => postHandoff(harness.bot.url, b)));
  for (const a of answers) expect(a.status).toBe(202);
  return answers.map((a, i) => ({ id: a.json.handoff_id as string, urgent: i % 4 === 3 }));
}

describe('a storm of 200 handoffs to one channel, with Slack rate limits on', () => {
  it('makes every handoff claimable in the first post of a digest, claims each from where it shows, posts no card twice and honours 429s', async () => {
    slack = await startTestSlack(undefined, { rateLimits: true });
    const dir = tempDir();
    h = await startHarness({ slack, dir, outbox: { paceMs: 1_000 } });
    const changes: ChangeEvent[] = [];
    slack.onChange((e) => changes.push(e));
    // One 429 for a post and one for an edit during the storm: the bot must wait them out.
    slack.faults.rateLimit('chat.postMessage', 2, 1);

    const sent = await storm(h);
    const ids = new Set(sent.map((s) => s.id));

    // The design's property: each handoff is claimable from the first post that lists it (its card or a
    // digest); no message shows it only after a later edit.
    const firstClaimable = new Map<string, { ts: string; kind: 'card' | 'digest'; order: number }>();
    await until(
      () => {
        changes.forEach((e, order) => {
          if (e.type !== 'message_posted' || e.channel !== CHANNEL) return;
          for (const v of claimValues(e.message)) if (!firstClaimable.has(v)) firstClaimable.set(v, { ts: e.ts, kind: isCard(e.message) ? 'card' : 'digest', order });
        });
        return [...ids].every((id) => firstClaimable.has(id));
      },
      60_000,
      'every handoff claimable',
    );
    const digests = slack.messages(CHANNEL).filter(isDigest);
    expect(digests.length).toBeGreaterThan(0);
    // 48 rows a digest: a burst of 200 needs a handful of posts, not 200.
    expect(digests.length).toBeLessThanOrEqual(Math.ceil(STORM / 48) + 1);
    expect(slack.messages(CHANNEL).length).toBeLessThan(30);

    // Urgent first: within each digest, every urgent row comes before every normal one.
    const urgent = new Set(sent.filter((s) => s.urgent).map((s) => s.id));
    for (const e of changes) {
      if (e.type !== 'message_posted' || !isDigest(e.message)) continue;
      const flags = claimValues(e.message).map((id) => urgent.has(id));
      expect(flags.indexOf(false) === -1 || flags.lastIndexOf(true) < flags.indexOf(false), 'urgent rows first').toBe(true);
    }

    // The 429'd post was waited out: the next post came at least Retry-After later.
    const posts = slack.calls.all('chat.postMessage');
    const limited = posts.findIndex((c) => c.outcome === 'ratelimited');
    expect(limited).toBeGreaterThanOrEqual(0);
    const afterLimit = posts.slice(limited + 1).find((c) => c.outcome === 'ok');
    expect(afterLimit, 'a post that went through after the 429').toBeDefined();
    expect(afterLimit!.at - posts[limited]!.at).toBeGreaterThanOrEqual(1_950);

    // Claim each from wherever it shows now (digest row or card), each by one of many people.
    slack.faults.rateLimit('chat.update', 2, 1);
    const racers = TEST_USERS.filter((u) => u.id.startsWith('U0RACE'));
    const order = [...ids];
    for (let i = 0; i < order.length; i += 20) {
      await Promise.all(
        order.slice(i, i + 20).map(async (id, j) => {
          const button = slack!.buttons(CHANNEL, 'handoff_claim').find((b) => b.value === id);
          expect(button, `a Claim button for ${id}`).toBeDefined();
          await slack!.sendBlockAction({ user: racers[(i + j) % racers.length]!.id, channel: CHANNEL, messageTs: button!.messageTs, actionId: 'handoff_claim', value: id });
        }),
      );
    }
    await until(async () => (await Promise.all([...ids].map((id) => h!.bot.store.handoffs.get(id)))).every((x) => x?.status === 'claimed'), 30_000, 'all claimed');
    // The digests follow: a claimed row loses its Claim button.
    await until(() => slack!.buttons(CHANNEL, 'handoff_claim').length === 0, 60_000, 'no Claim button left');

    const updates = slack.calls.all('chat.update');
    const limitedUpdate = updates.findIndex((c) => c.outcome === 'ratelimited');
    expect(limitedUpdate).toBeGreaterThanOrEqual(0);
    const nextUpdate = updates.slice(limitedUpdate + 1).find((c) => c.outcome === 'ok');
    expect(nextUpdate, 'an update that went through after the 429').toBeDefined();
    expect(nextUpdate!.at - updates[limitedUpdate]!.at).toBeGreaterThanOrEqual(1_950);
    const ourLimits = updates.filter((c) => c.outcome === 'ratelimited').length;
    expect(ourLimits, 'chat.update stays inside its tier apart from the injected 429').toBeLessThanOrEqual(1);

    // A restart mid-storm loses nothing: the rest of the cards go out (unpaced now), each exactly once,
    // and every digest ends with each row linking to its card.
    await h.close();
    slack.rateLimits.configure(null);
    h = await startHarness({ slack, dir, outbox: { paceMs: 0 } });
    await until(async () => (await Promise.all([...ids].map((id) => h!.bot.store.handoffs.get(id)))).every((x) => x?.slackTs), 60_000, 'every card posted');
    await until(async () => (await h!.bot.store.stormDigests.open()).length === 0, 30_000, 'digests settled');
    const cards = slack.messages(CHANNEL).filter(isCard);
    // Cards that waited for their turn went out urgent first.
    const firstDigestAt = changes.findIndex((e) => e.type === 'message_posted' && isDigest(e.message));
    const laterCards = changes
      .slice(firstDigestAt)
      .flatMap((e) => (e.type === 'message_posted' && isCard(e.message) ? [urgent.has(String(e.message.metadata!.event_payload.handoff_id))] : []));
    expect(laterCards.lastIndexOf(true)).toBeLessThan(laterCards.indexOf(false));
    const perHandoff = new Map<string, number>();
    for (const c of cards) {
      const id = String(c.metadata!.event_payload.handoff_id);
      perHandoff.set(id, (perHandoff.get(id) ?? 0) + 1);
    }
    expect(perHandoff.size).toBe(STORM);
    expect([...perHandoff.values()].every((n) => n === 1)).toBe(true);
    for (const d of slack.messages(CHANNEL).filter(isDigest)) {
      expect(claimValues(d)).toEqual([]);
      expect(JSON.stringify(d.blocks)).toContain('now has its own card');
    }
    expect(slack.messages(CHANNEL).filter(isDigest).length).toBe(digests.length);
  }, 240_000);
});
