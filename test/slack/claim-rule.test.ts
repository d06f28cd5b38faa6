import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCallbackReceiver, type CallbackReceiver } from '../../sandbox/fakes/callback-receiver.js';
import { postAndAwaitCard } from '../support/cards.js';
import { CALLBACK_SECRET, startHarness, type Harness } from '../support/harness.js';
import { until } from '../support/until.js';
import { sampleHandoff } from '../support/webhooks.js';

const ALICE = 'U0ALICE01';
const BOB = 'U0BOB0001';

let h: Harness;
let receiver: CallbackReceiver;
beforeAll(async () => {
  receiver = await startCallbackReceiver({ secret: CALLBACK_SECRET });
  h = await startHarness({ outbox: { paceMs: 0 } });
});
afterAll(async () => {
  await h.close();
  await receiver.close();
});

async function newCard() {
  return postAndAwaitCard(h, sampleHandoff({ webhook_url: `${receiver.url}/hooks` }));
}

function cardJson(channel: string, ts: string): string {
  return JSON.stringify(h.slack.message(channel, ts)?.blocks ?? []);
}

function button(channel: string, ts: string, actionId: string): Record<string, unknown> | undefined {
  const blocks = (h.slack.message(channel, ts)?.blocks ?? []) as { type: string; elements?: Record<string, unknown>[] }[];
  return blocks.flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : [])).find((e) => e.action_id === actionId);
}

function threadReplies(channel: string, ts: string): string[] {
  return h.slack.messages(channel).filter((m) => m.thread_ts === ts && m.ts !== ts).map((m) => JSON.stringify(m.blocks));
}

async function click(user: string, card: { id: string; channel: string; ts: string }, actionId: string) {
  const answer = await h.slack.sendBlockAction({ user, channel: card.channel, messageTs: card.ts, actionId, value: card.id });
  expect(answer.status).toBe(200);
}

function callbacksOf(id: string): { type: string; data: { actor: string | null; status: string } }[] {
  const verifier = new Webhook(CALLBACK_SECRET);
  return receiver.received
    .filter((r) => r.answeredStatus === 200)
    .map((r) => verifier.verify(r.rawBody, r.headers as Record<string, string>) as { type: string; data: { handoff_id: string; actor: string | null; status: string } })
    .filter((d) => d.data.handoff_id === id);
}

describe('acting on someone else\'s claim (the rule in README "Who may act")', () => {
  it('Escalate and Resolve carry Slack confirm dialogs on the posted card', async () => {
    const card = await newCard();
    expect(button(card.channel, card.ts, 'handoff_escalate')?.confirm).toMatchObject({ title: { text: 'Escalate this handoff?' }, confirm: { text: 'Escalate' }, deny: { text: 'Cancel' } });
    expect(button(card.channel, card.ts, 'handoff_resolve')?.confirm).toMatchObject({ title: { text: 'Resolve this handoff?' }, confirm: { text: 'Resolve' } });
    expect(button(card.channel, card.ts, 'handoff_claim')?.confirm).toBeUndefined();
  });

  it('Bob cannot release Alice\'s claim and is told why, naming the handoff and what he can do instead', async () => {
    const card = await newCard();
    await click(ALICE, card, 'handoff_claim');
    await until(() => cardJson(card.channel, card.ts).includes('handoff_release'), 5_000, 'Release on the card');
    await click(BOB, card, 'handoff_release');
    const refusal = await until(() => h.slack.ephemerals(BOB).find((e) => e.text.includes(card.id)), 5_000, "Bob's refusal");
    expect(refusal.text).toContain(`Only <@${ALICE}>, who claimed`);
    expect(refusal.text).toContain('You can still Escalate or Resolve it');
    expect(await h.bot.store.handoffs.get(card.id)).toMatchObject({ status: 'claimed', claimedBy: ALICE });
  });

  it('Bob may escalate and resolve Alice\'s claim; Alice is told each time in the card\'s thread', async () => {
    const card = await newCard();
    await click(ALICE, card, 'handoff_claim');
    await click(BOB, card, 'handoff_escalate');
    await until(() => threadReplies(card.channel, card.ts).some((r) => r.includes(`<@${ALICE}>: <@${BOB}> escalated this handoff you claimed to level 1`)), 5_000, 'the escalation notice');
    await click(BOB, card, 'handoff_resolve');
    await until(() => threadReplies(card.channel, card.ts).some((r) => r.includes(`<@${ALICE}>: <@${BOB}> resolved this handoff you claimed`)), 5_000, 'the resolve notice');
    expect(await h.bot.store.handoffs.get(card.id)).toMatchObject({ status: 'resolved', resolvedBy: BOB });
  });

  it('Alice acting on her own claim tells nobody', async () => {
    const card = await newCard();
    await click(ALICE, card, 'handoff_claim');
    await click(ALICE, card, 'handoff_escalate');
    await click(ALICE, card, 'handoff_resolve');
    await until(() => cardJson(card.channel, card.ts).includes('handoff_reopen'), 5_000, 'the resolved card');
    await until(async () => (await h.bot.store.outbox.forHandoff(card.id)).every((o) => o.status !== 'pending' || o.kind === 'callback.send'), 5_000, 'the outbox');
    expect(threadReplies(card.channel, card.ts)).toEqual([]);
  });
});

describe('Release and Reopen', () => {
  it('Release leaves a trace on the card and sends a signed handoff.released callback', async () => {
    const card = await newCard();
    await click(ALICE, card, 'handoff_claim');
    await click(ALICE, card, 'handoff_release');
    await until(() => cardJson(card.channel, card.ts).includes(`Released by <@${ALICE}>`), 5_000, 'the release trace');
    expect(cardJson(card.channel, card.ts)).toContain('handoff_claim');
    await until(() => callbacksOf(card.id).some((c) => c.type === 'handoff.released'), 10_000, 'the released callback');
    expect(callbacksOf(card.id).find((c) => c.type === 'handoff.released')?.data).toMatchObject({ actor: ALICE, status: 'open' });
  });

  it('a resolved card keeps Details and offers Reopen, which puts the handoff back in the queue', async () => {
    const card = await newCard();
    await click(ALICE, card, 'handoff_claim');
    await click(ALICE, card, 'handoff_resolve');
    await until(() => cardJson(card.channel, card.ts).includes('handoff_reopen'), 5_000, 'Reopen on the card');
    expect(button(card.channel, card.ts, 'handoff_details')).toBeDefined();

    await click(BOB, card, 'handoff_reopen');
    expect(await h.bot.store.handoffs.get(card.id)).toMatchObject({ status: 'open', claimedBy: null, resolvedBy: null, reopenedBy: BOB });
    expect((await h.bot.store.handoffs.get(card.id))?.escalateDueAt).not.toBeNull();
    await until(() => cardJson(card.channel, card.ts).includes(`Reopened by <@${BOB}>`), 5_000, 'the reopened card');
    expect(cardJson(card.channel, card.ts)).toContain('handoff_claim');
    expect((await h.bot.store.events.forHandoff(card.id)).map((e) => e.type).at(-1)).toBe('handoff.reopened');
    await until(() => callbacksOf(card.id).some((c) => c.type === 'handoff.reopened'), 10_000, 'the reopened callback');

    // A second Reopen finds nothing to reopen and says so.
    await click(BOB, card, 'handoff_reopen');
    await until(() => h.slack.ephemerals(BOB).some((e) => e.text.includes('is not resolved: Reopen and the outcome apply to resolved handoffs only') && e.text.includes(card.id)), 5_000, 'the refusal');
  });
});
