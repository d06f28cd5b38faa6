import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_USERS } from '../../sandbox/slack-emulator/index.js';
import { postAndAwaitCard } from '../support/cards.js';
import { startHarness, type Harness } from '../support/harness.js';
import { until } from '../support/until.js';
import { sampleHandoff } from '../support/webhooks.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ outbox: { paceMs: 0 } });
});
afterAll(async () => {
  await h.close();
});

function newCard(overrides: Record<string, unknown> = {}) {
  return postAndAwaitCard(h, sampleHandoff(overrides));
}

function cardText(channel: string, ts: string): string {
  return JSON.stringify(h.slack.message(channel, ts)?.blocks ?? []);
}

describe('Slack cards through Bolt and the emulator', () => {
  it('posts a card with the buttons, the mention and no sensitive field to the owner channel', async () => {
    const { id, channel, ts } = await newCard();
    expect(channel).toBe('C0CLINIC01');
    const msg = h.slack.message(channel, ts)!;
    const text = cardText(channel, ts);
    for (const actionId of ['handoff_claim', 'handoff_escalate', 'handoff_resolve', 'handoff_note']) expect(text).toContain(actionId);
    expect(text).toContain(id);
    expect(text).toContain('<!subteam^S0ONCALL01>');
    expect(text).toContain('Dana Whitfield');
    expect(text).not.toContain('chest pain');
    expect(msg.text).not.toContain('+15555550123');
    expect((msg as { metadata?: { event_type: string } }).metadata?.event_type).toBe('handoff_card');
  });

  it('gives exactly one of 30 concurrent Claim clicks the handoff; the others are told ephemerally', async () => {
    const { id, channel, ts } = await newCard();
    const updatesBefore = h.slack.calls.count('chat.update');
    const users = Array.from({ length: 30 }, (_, i) => `U0RACE${String(i).padStart(4, '0')}`);
    const answers = await Promise.all(
      users.map((user) => h.slack.sendBlockAction({ user, channel, messageTs: ts, actionId: 'handoff_claim', value: id })),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const row = (await h.bot.store.handoffs.get(id))!;
    expect(row.status).toBe('claimed');
    expect(users).toContain(row.claimedBy);
    const losers = users.filter((u) => u !== row.claimedBy);
    await until(() => losers.every((u) => h.slack.ephemerals(u).some((e) => JSON.stringify(e).includes('already claimed by'))));
    expect(h.slack.ephemerals(row.claimedBy!)).toHaveLength(0);
    expect((await h.bot.store.events.forHandoff(id)).filter((e) => e.type === 'handoff.claimed')).toHaveLength(1);
    await until(() => h.slack.calls.count('chat.update') > updatesBefore);
    await until(() => cardText(channel, ts).includes('handoff_release'));
    expect(h.slack.calls.count('chat.update') - updatesBefore).toBe(1);
    expect(cardText(channel, ts)).not.toContain('handoff_claim"');
  });

  it('escalates, releases, resolves and adds a note, each changing the card and the event log', async () => {
    const { id, channel, ts } = await newCard({ handoff_reason: 'appointment_change' });
    const alice = SAMPLE_USERS[0]!.id;
    await h.slack.sendBlockAction({ user: alice, channel, messageTs: ts, actionId: 'handoff_escalate', value: id });
    await until(() => h.slack.messages('C0ONCALL01').some((m) => JSON.stringify(m).includes(id)));
    expect(await h.bot.store.handoffs.get(id)).toMatchObject({ escalationLevel: 1, severity: 'normal' });

    await h.slack.sendBlockAction({ user: alice, channel, messageTs: ts, actionId: 'handoff_claim', value: id });
    await h.slack.sendBlockAction({ user: alice, channel, messageTs: ts, actionId: 'handoff_release', value: id });
    expect((await h.bot.store.handoffs.get(id))!.status).toBe('open');

    await h.slack.sendBlockAction({ user: alice, channel, messageTs: ts, actionId: 'handoff_note', value: id, });
    const view = await until(() => h.slack.views({ user: alice, state: 'open' }).at(-1));
    const submitted = await h.slack.sendViewSubmission({ viewId: view.id, user: alice, values: { note: { note_text: 'Called back, no answer.' } } });
    expect(submitted.status).toBe(200);
    await until(() => h.slack.messages(channel).some((m) => (m as { thread_ts?: string }).thread_ts === ts && JSON.stringify(m).includes('Called back')));

    await h.slack.sendBlockAction({ user: alice, channel, messageTs: ts, actionId: 'handoff_resolve', value: id });
    await until(async () => (await h.bot.store.outbox.forHandoff(id)).every((o) => o.status !== 'pending' || o.kind === 'callback.send'));
    await until(() => cardText(channel, ts).includes('handoff_reopen'));
    expect((await h.bot.store.events.forHandoff(id)).map((e) => e.type)).toEqual([
      'handoff.received',
      'handoff.escalated',
      'handoff.claimed',
      'handoff.released',
      'handoff.note_added',
      'handoff.resolved',
    ]);
  });

  it('changes nothing for a request with a bad Slack signature (401)', async () => {
    const { id, channel, ts } = await newCard();
    const answer = await h.slack.sendBlockAction({ user: 'U0EVE00001', channel, messageTs: ts, actionId: 'handoff_claim', value: id, signature: 'v0=deadbeef' });
    expect(answer.status).toBe(401);
    expect((await h.bot.store.handoffs.get(id))!.status).toBe('open');
  });

  it('answers /handoff status ephemerally with counts and a timeline for one handoff', async () => {
    const { id } = await newCard();
    const status = await h.slack.sendSlashCommand({ user: 'U0ALICE01', channel: 'C0CLINIC01', text: 'status' });
    expect(status.status).toBe(200);
    expect(status.body).toContain('ephemeral');
    const one = await h.slack.sendSlashCommand({ user: 'U0ALICE01', channel: 'C0CLINIC01', text: `status ${id}` });
    expect(one.body).toContain(id);
    const help = await h.slack.sendSlashCommand({ user: 'U0ALICE01', channel: 'C0CLINIC01', text: 'help' });
    expect(help.body).toContain('/handoff mine');
  });
});
