import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { signedCallEnded, signVapi, vapiStatusUpdate, vapiToolCalls } from '../../sandbox/fakes/voice-platforms.js';
import type { StoredMessage } from '../../sandbox/slack-emulator/types.js';
import { startHarness, startTestSlack, tempDir, type Harness, type HarnessOptions } from '../support/harness.js';
import { manualClock } from '../support/manual-clock.js';
import { testConfig } from '../support/test-config.js';
import { until } from '../support/until.js';
import { postHandoff, sampleHandoff } from '../support/webhooks.js';
import { awaitCard, send, startProviderHarness, VOICE_SECRETS } from '../support/providers.js';

const MIN = 60_000;
const REMIND_AFTER = 30 * MIN;
const CARD_CHANNEL = 'C0CLINIC01';

const REMINDING_CONFIG = testConfig((doc) => {
  const wf = doc.workflows[0] as Record<string, unknown>;
  wf.remind_after = '30m';
  // Status callbacks retrying on the test's frozen clock would keep the outbox busy.
  wf.callbacks = false;
  return doc;
});

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function harness(opts: HarnessOptions): Promise<Harness> {
  const h = await startHarness({ outbox: { paceMs: 0 }, config: REMINDING_CONFIG, ...opts });
  cleanups.push(() => h.close());
  return h;
}

async function postedCard(h: Harness, nowMs: number): Promise<{ id: string; ts: string }> {
  const res = await postHandoff(h.bot.url, sampleHandoff(), { timestampSeconds: nowMs / 1000 });
  expect(res.status).toBe(202);
  const id = res.json.handoff_id as string;
  const ts = await until(async () => (await h.bot.store.handoffs.get(id))?.slackTs, 5_000, 'card posted');
  return { id, ts };
}

/** A person clicks a button on the card, through the emulator with Slack's real signature. */
async function click(h: Harness, user: string, actionId: string, id: string, ts: string): Promise<void> {
  const res = await h.slack.sendBlockAction({ user, channel: CARD_CHANNEL, messageTs: ts, actionId, value: id });
  expect(res.status).toBe(200);
}

function reminders(h: Harness, id: string, channel = CARD_CHANNEL): StoredMessage[] {
  return h.slack.messages(channel).filter((m) => m.metadata?.event_type === 'handoff_reminder' && m.metadata.event_payload.handoff_id === id);
}

const textOf = (m: StoredMessage) => `${m.text}\n${JSON.stringify(m.blocks)}`;

describe('claim reminders (remind_after)', () => {
  it('reminds the claimer in the card thread once per period until the handoff is resolved', async () => {
    const t = manualClock();
    const h = await harness({ clock: t.clock });
    const { id, ts } = await postedCard(h, t.clock());
    await click(h, 'U0ALICE01', 'handoff_claim', id, ts);
    const claimed = (await h.bot.store.handoffs.get(id))!;
    expect(claimed.remindDueAt).toBe(claimed.claimedAt! + REMIND_AFTER);

    t.set(claimed.remindDueAt! - 1);
    expect(await h.bot.reminders.runDue()).toBe(0);
    t.set(claimed.remindDueAt!);
    expect(await h.bot.reminders.runDue()).toBe(1);
    expect(await h.bot.reminders.runDue()).toBe(0);
    const first = await until(() => reminders(h, id)[0], 5_000, 'first reminder');
    expect(first.thread_ts).toBe(ts);
    expect(textOf(first)).toContain('<@U0ALICE01> :alarm_clock: *Reminder:* you claimed this handoff');

    t.advance(REMIND_AFTER);
    expect(await h.bot.reminders.runDue()).toBe(1);
    await until(() => reminders(h, id).length === 2, 5_000, 'second reminder');

    await click(h, 'U0ALICE01', 'handoff_resolve', id, ts);
    expect((await h.bot.store.handoffs.get(id))!).toMatchObject({ status: 'resolved', remindDueAt: null });
    t.advance(3 * REMIND_AFTER);
    expect(await h.bot.reminders.runDue()).toBe(0);
    await h.bot.outbox.whenIdle();
    expect(reminders(h, id)).toHaveLength(2);
  });

  it('a release stops the reminders; the next claimer gets their own, a period after their claim', async () => {
    const t = manualClock();
    const h = await harness({ clock: t.clock });
    const { id, ts } = await postedCard(h, t.clock());
    await click(h, 'U0ALICE01', 'handoff_claim', id, ts);
    t.advance(10 * MIN);
    await click(h, 'U0ALICE01', 'handoff_release', id, ts);
    expect((await h.bot.store.handoffs.get(id))!.remindDueAt).toBeNull();
    t.advance(REMIND_AFTER);
    expect(await h.bot.reminders.runDue()).toBe(0);

    await click(h, 'U0BOB0001', 'handoff_claim', id, ts);
    t.advance(REMIND_AFTER - 1);
    expect(await h.bot.reminders.runDue()).toBe(0);
    t.advance(1);
    expect(await h.bot.reminders.runDue()).toBe(1);
    const reminder = await until(() => reminders(h, id)[0], 5_000, 'reminder to the new claimer');
    expect(textOf(reminder)).toContain('<@U0BOB0001>');
    expect(textOf(reminder)).not.toContain('U0ALICE01');
    await h.bot.outbox.whenIdle();
    expect(reminders(h, id)).toHaveLength(1);
  });

  it('a reminder that fell due while the bot was down goes out once after the restart', async () => {
    const t = manualClock();
    const slack = await startTestSlack();
    const dir = tempDir('handoff-remind-');
    cleanups.push(async () => {
      await slack.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const first = await harness({ clock: t.clock, dir, slack });
    const { id, ts } = await postedCard(first, t.clock());
    await click(first, 'U0ALICE01', 'handoff_claim', id, ts);
    const due = (await first.bot.store.handoffs.get(id))!.remindDueAt!;
    await first.close();

    t.set(due + 5 * REMIND_AFTER);
    const second = await harness({ clock: t.clock, dir, slack });
    // No runDue(): the scheduler's own start catches up, with one reminder (not one per missed period).
    await until(() => reminders(second, id).length === 1, 5_000, 'reminder after the restart');
    expect(await second.bot.reminders.runDue()).toBe(0);
    expect((await second.bot.store.handoffs.get(id))!.remindDueAt).toBe(t.clock() + REMIND_AFTER);
    await second.bot.outbox.whenIdle();
    expect(reminders(second, id)).toHaveLength(1);
  });
});

describe('call-back reminders', () => {
  it('a caller who hung up waiting, before any claim, gets one "call back" reminder paging the on-call group in the card thread', async () => {
    let now = Date.now();
    const h = await startProviderHarness({ clock: () => now });
    cleanups.push(() => h.close());
    const callId = 'vapi-call-remind-1';
    await send(h, 'vapi', signVapi(JSON.stringify(vapiToolCalls({ callId, callerId: '+15555550144', args: { handoff_reason: 'appointment_change', patient_name: 'Rita Reyes' } })), VOICE_SECRETS.vapiSecret));
    const id = (await h.bot.store.providerCalls.find('clinic-after-hours', 'vapi', callId))!;
    const { ts } = await awaitCard(h, id);
    expect(reminders(h, id)).toHaveLength(0);

    now += MIN;
    await send(h, 'vapi', signVapi(JSON.stringify(vapiStatusUpdate(callId, 'ended')), VOICE_SECRETS.vapiSecret));
    await send(h, 'vapi', signedCallEnded('vapi', callId, 'Rita asked about her appointment', VOICE_SECRETS));
    const reminder = await until(() => reminders(h, id)[0], 5_000, 'call-back reminder');
    expect(reminder.thread_ts).toBe(ts);
    expect(textOf(reminder)).toContain('<!subteam^S0ONCALL01> :telephone_receiver: *Call back:* the caller hung up');
    expect(textOf(reminder)).not.toContain('Rita');
    expect(textOf(reminder)).not.toContain('+15555550144');

    // Once: later looks, and the claim that follows, send nothing more.
    expect(await h.bot.reminders.runDue()).toBe(0);
    await h.slack.sendBlockAction({ user: 'U0ALICE01', channel: CARD_CHANNEL, messageTs: ts, actionId: 'handoff_claim', value: id });
    now += 60 * MIN;
    expect(await h.bot.reminders.runDue()).toBe(0);
    await h.bot.outbox.whenIdle();
    expect(reminders(h, id)).toHaveLength(1);
  });

  it('no call-back reminder when the call ends after someone claimed', async () => {
    const now = Date.now();
    const h = await startProviderHarness({ clock: () => now });
    cleanups.push(() => h.close());
    const callId = 'vapi-call-remind-2';
    await send(h, 'vapi', signVapi(JSON.stringify(vapiToolCalls({ callId, callerId: '+15555550145', args: { handoff_reason: 'appointment_change', patient_name: 'Sam Soto' } })), VOICE_SECRETS.vapiSecret));
    const id = (await h.bot.store.providerCalls.find('clinic-after-hours', 'vapi', callId))!;
    const { ts } = await awaitCard(h, id);
    await h.slack.sendBlockAction({ user: 'U0ALICE01', channel: CARD_CHANNEL, messageTs: ts, actionId: 'handoff_claim', value: id });
    await send(h, 'vapi', signVapi(JSON.stringify(vapiStatusUpdate(callId, 'ended')), VOICE_SECRETS.vapiSecret));
    await until(async () => (await h.bot.store.handoffs.get(id))!.callStatus === 'completed', 5_000, 'call ended');
    expect((await h.bot.store.handoffs.get(id))!.callerHungUpAt).toBeNull();
    expect(await h.bot.reminders.runDue()).toBe(0);
    await h.bot.outbox.whenIdle();
    expect(reminders(h, id)).toHaveLength(0);
  });
});
