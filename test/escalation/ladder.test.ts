import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify as toYaml } from 'yaml';
import { startTwilioFake, type TwilioFake } from '../../sandbox/fakes/twilio-fake.js';
import type { StoredMessage } from '../../sandbox/slack-emulator/types.js';
import { startHarness, startTestSlack, tempDir, type Harness, type HarnessOptions } from '../support/harness.js';
import { manualClock } from '../support/manual-clock.js';
import { issuesOf } from '../support/config-issues.js';
import { TEST_CONFIG_DOC, testConfig } from '../support/test-config.js';
import { until } from '../support/until.js';
import { postHandoff, sampleHandoff } from '../support/webhooks.js';

const MIN = 60_000;
const CARD_CHANNEL = 'C0CLINIC01';
const ONCALL_CHANNEL = 'C0ONCALL01';
const L1_PHONE = '+15555550111';
const L2_PHONE = '+15555550122';

/** The older escalation keys of the test config, as they are. */
const OLD_KEYS_CONFIG = testConfig((doc) => {
  (doc.workflows[0] as Record<string, unknown>).callbacks = false;
  return doc;
});

/**
 * Level 1 pages the on-call group in the card's own thread and by SMS; level 2 pages the lead with a
 * card in the on-call channel and by SMS; level 3 pages the manager in that same channel (where the
 * handoff's escalation card already is).
 */
const LADDER_CONFIG = testConfig((doc) => {
  const wf = doc.workflows[0] as Record<string, unknown>;
  // Status callbacks retrying on the test's frozen clock would keep the outbox from ever being idle.
  wf.callbacks = false;
  delete wf.escalation_channel;
  delete wf.escalation_mention;
  delete wf.escalate_after;
  wf.levels = [
    { wait: { urgent: '5m', high: '5m' }, mention: 'S0ONCALL01', sms_to: [L1_PHONE] },
    { wait: '10m', channel: ONCALL_CHANNEL, mention: 'U0BOB0001', sms_to: [L2_PHONE] },
    { wait: '15m', channel: ONCALL_CHANNEL, mention: 'U0CAROL01' },
  ];
  return doc;
});

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function twilioFake(): Promise<TwilioFake> {
  const twilio = await startTwilioFake();
  cleanups.push(() => twilio.close());
  return twilio;
}

async function harness(opts: HarnessOptions, twilio?: TwilioFake): Promise<Harness> {
  const h = await startHarness({
    outbox: { paceMs: 0 },
    ...(twilio ? { settings: { twilio: { accountSid: twilio.accountSid, authToken: twilio.authToken, from: '+15555550000', apiUrl: twilio.url } } } : {}),
    ...opts,
  });
  cleanups.push(() => h.close());
  return h;
}

async function postedCard(h: Harness, nowMs: number, overrides: Record<string, unknown> = {}): Promise<{ id: string; ts: string }> {
  const res = await postHandoff(h.bot.url, sampleHandoff(overrides), { timestampSeconds: nowMs / 1000 });
  expect(res.status).toBe(202);
  const id = res.json.handoff_id as string;
  const ts = await until(async () => (await h.bot.store.handoffs.get(id))?.slackTs, 5_000, 'card posted');
  return { id, ts };
}

const isPage = (id: string, level: number) => (m: StoredMessage) =>
  m.metadata?.event_type === 'handoff_escalation' && m.metadata.event_payload.handoff_id === id && m.metadata.event_payload.level === level;

/** Every message anyone sees about this handoff's escalations, in one channel (top level and threads). */
function escalationMessages(h: Harness, channel: string, id: string): StoredMessage[] {
  return h.slack.messages(channel).filter((m) => m.metadata?.event_type === 'handoff_escalation' && m.metadata.event_payload.handoff_id === id);
}

/** A thread's parent carries `thread_ts` = its own ts once it has replies, as in Slack. */
const topLevel = (m: StoredMessage) => m.thread_ts === undefined || m.thread_ts === m.ts;

const textOf = (m: StoredMessage) => `${m.text}\n${JSON.stringify(m.blocks)}`;

async function waitFor(h: Harness, channel: string, id: string, level: number): Promise<StoredMessage> {
  return until(() => h.slack.messages(channel).find(isPage(id, level)), 5_000, `level ${level} page in ${channel}`);
}

async function levelOf(h: Harness, id: string): Promise<number> {
  return (await h.bot.store.handoffs.get(id))!.escalationLevel;
}

describe('the escalation ladder', () => {
  it('fires its levels in order, each paging its own channel, mention and SMS numbers, and stops at the top', async () => {
    const t = manualClock();
    const twilio = await twilioFake();
    const h = await harness({ clock: t.clock, config: LADDER_CONFIG }, twilio);
    const { id, ts: cardTs } = await postedCard(h, t.clock());
    const received = (await h.bot.store.handoffs.get(id))!;
    expect(received.escalateDueAt).toBe(received.receivedAt + 5 * MIN);

    // Level 1 (5m): the card's own channel, so the on-call group is paged in the card's thread, not by a second card.
    t.set(received.escalateDueAt! - 1);
    expect(await h.bot.escalations.runDue()).toBe(0);
    t.set(received.escalateDueAt!);
    expect(await h.bot.escalations.runDue()).toBe(1);
    const l1 = await waitFor(h, CARD_CHANNEL, id, 1);
    expect(l1.thread_ts).toBe(cardTs);
    expect(textOf(l1)).toContain('<!subteam^S0ONCALL01>');
    expect(h.slack.messages(CARD_CHANNEL).filter(topLevel)).toHaveLength(1);
    await until(() => twilio.messages.some((m) => m.to === L1_PHONE), 5_000, 'level 1 SMS');
    expect(twilio.messages.find((m) => m.to === L1_PHONE)!.body).toContain('ESCALATED L1');

    // Level 2 (10m after level 1): a card in the on-call channel for the lead, an SMS to the lead's number.
    const afterL1 = (await h.bot.store.handoffs.get(id))!;
    expect(afterL1.escalateDueAt).toBe(received.escalateDueAt! + 10 * MIN);
    t.set(afterL1.escalateDueAt!);
    expect(await h.bot.escalations.runDue()).toBe(1);
    const l2 = await waitFor(h, ONCALL_CHANNEL, id, 2);
    expect(topLevel(l2)).toBe(true);
    expect(textOf(l2)).toContain('<@U0BOB0001>');
    expect(textOf(l2)).not.toContain('S0ONCALL01');
    await until(() => twilio.messages.some((m) => m.to === L2_PHONE), 5_000, 'level 2 SMS');

    // Level 3 (15m later): same channel as level 2, so the manager is paged in that card's thread, and the card says level 3.
    const afterL2 = (await h.bot.store.handoffs.get(id))!;
    expect(afterL2.escalateDueAt).toBe(afterL1.escalateDueAt! + 15 * MIN);
    t.set(afterL2.escalateDueAt!);
    expect(await h.bot.escalations.runDue()).toBe(1);
    const l3 = await waitFor(h, ONCALL_CHANNEL, id, 3);
    expect(l3.thread_ts).toBe(l2.ts);
    expect(textOf(l3)).toContain('<@U0CAROL01>');
    await h.bot.outbox.whenIdle();
    await until(() => h.slack.message(ONCALL_CHANNEL, l2.ts)!.text.includes('level 3'), 5_000, 'escalation card edited to level 3');
    expect(escalationMessages(h, ONCALL_CHANNEL, id).filter(topLevel)).toHaveLength(1);

    // The top: no more timer, no more pages; each number got exactly one SMS.
    expect((await h.bot.store.handoffs.get(id))!.escalateDueAt).toBeNull();
    t.advance(24 * 60 * MIN);
    expect(await h.bot.escalations.runDue()).toBe(0);
    expect(await levelOf(h, id)).toBe(3);
    await h.bot.outbox.whenIdle();
    // The workflow's own sms_to got the arrival page; each level's numbers one page each.
    expect(twilio.messages.map((m) => m.to).sort()).toEqual(['+15555550100', L1_PHONE, L2_PHONE]);
  });

  it('a restart between levels: the next level still fires once, on the restarted bot', async () => {
    const t = manualClock();
    const twilio = await twilioFake();
    const slack = await startTestSlack();
    const dir = tempDir('handoff-ladder-');
    cleanups.push(async () => {
      await slack.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const first = await harness({ clock: t.clock, config: LADDER_CONFIG, dir, slack }, twilio);
    const { id } = await postedCard(first, t.clock());
    t.set((await first.bot.store.handoffs.get(id))!.escalateDueAt!);
    expect(await first.bot.escalations.runDue()).toBe(1);
    await waitFor(first, CARD_CHANNEL, id, 1);
    const due2 = (await first.bot.store.handoffs.get(id))!.escalateDueAt!;
    await first.close();

    t.set(due2 + MIN);
    const second = await harness({ clock: t.clock, config: LADDER_CONFIG, dir, slack }, twilio);
    // No runDue(): the restarted scheduler catches up by itself.
    await waitFor(second, ONCALL_CHANNEL, id, 2);
    await until(() => twilio.messages.some((m) => m.to === L2_PHONE), 5_000, 'level 2 SMS');
    expect(await second.bot.escalations.runDue()).toBe(0);
    await second.bot.outbox.whenIdle();
    expect(await levelOf(second, id)).toBe(2);
    expect(escalationMessages(second, ONCALL_CHANNEL, id)).toHaveLength(1);
    expect(escalationMessages(second, CARD_CHANNEL, id)).toHaveLength(1);
    expect((await second.bot.store.events.forHandoff(id)).filter((e) => e.type === 'handoff.escalated')).toHaveLength(2);
    expect(twilio.messages.filter((m) => m.to === L2_PHONE)).toHaveLength(1);
  });

  it('the older keys are one level: the timer pages the escalation channel once; a later Escalate pages in that card thread instead of a second card', async () => {
    const t = manualClock();
    const h = await harness({ clock: t.clock, config: OLD_KEYS_CONFIG });
    const { id } = await postedCard(h, t.clock());
    t.set((await h.bot.store.handoffs.get(id))!.escalateDueAt!);
    expect(await h.bot.escalations.runDue()).toBe(1);
    const card = await waitFor(h, ONCALL_CHANNEL, id, 1);
    expect(topLevel(card)).toBe(true);
    expect(textOf(card)).toContain('<!subteam^S0ONCALL01>');
    // One level: the timer stops there.
    expect((await h.bot.store.handoffs.get(id))!.escalateDueAt).toBeNull();
    t.advance(60 * MIN);
    expect(await h.bot.escalations.runDue()).toBe(0);

    const click = await h.slack.sendBlockAction({ user: 'U0BOB0001', channel: ONCALL_CHANNEL, messageTs: card.ts, actionId: 'handoff_escalate', value: id });
    expect(click.status).toBe(200);
    const page = await waitFor(h, ONCALL_CHANNEL, id, 2);
    expect(page.thread_ts).toBe(card.ts);
    expect(textOf(page)).toContain('<!subteam^S0ONCALL01>');
    expect(textOf(page)).toContain('by <@U0BOB0001>');
    await until(() => h.slack.message(ONCALL_CHANNEL, card.ts)!.text.includes('level 2'), 5_000, 'escalation card edited to level 2');
    expect(escalationMessages(h, ONCALL_CHANNEL, id).filter(topLevel)).toHaveLength(1);
  });

  it('auto-escalation that raises HIGH to URGENT says so on the card, the escalation card and the timeline', async () => {
    const t = manualClock();
    const h = await harness({ clock: t.clock, config: OLD_KEYS_CONFIG });
    const { id, ts } = await postedCard(h, t.clock(), { severity: 'high', handoff_reason: 'appointment_change' });
    const row = (await h.bot.store.handoffs.get(id))!;
    expect(row.severity).toBe('high');
    expect(row.escalateDueAt).toBe(row.receivedAt + 30 * MIN);
    t.set(row.escalateDueAt!);
    expect(await h.bot.escalations.runDue()).toBe(1);
    expect((await h.bot.store.handoffs.get(id))!.severity).toBe('urgent');

    const escalation = await waitFor(h, ONCALL_CHANNEL, id, 1);
    expect(textOf(escalation)).toContain('Severity raised from High to Urgent.');
    await until(() => textOf(h.slack.message(CARD_CHANNEL, ts)!).includes('nobody claimed it in time. Severity raised from High to Urgent.'), 5_000, 'the card says the severity was raised');
    const timeline = await h.slack.sendSlashCommand({ user: 'U0ALICE01', channel: CARD_CHANNEL, text: `status ${id}` });
    expect(timeline.body).toContain('Escalated to level 1 by auto-escalation: severity raised from High to Urgent');
    // The escalation card links back to the original card (the emulator's permalinks are http).
    expect(JSON.stringify(escalation.blocks)).toMatch(/<http:\/\/127\.0\.0\.1:\d+\/archives\/C0CLINIC01\/p\d+\|Open the original card>/);
  });
});

describe('a page that could not go out before the handoff was resolved', () => {
  it('is dropped: nobody is paged for a resolved handoff', async () => {
    const t = manualClock();
    const h = await harness({ clock: t.clock, config: OLD_KEYS_CONFIG, startWorkers: false });
    const res = await postHandoff(h.bot.url, sampleHandoff(), { timestampSeconds: t.clock() / 1000 });
    const id = res.json.handoff_id as string;
    expect(await h.bot.perform({ handoffId: id, action: 'escalate', actor: { kind: 'user', userId: 'U0BOB0001' } })).toMatchObject({ ok: true });
    expect(await h.bot.perform({ handoffId: id, action: 'resolve', actor: { kind: 'user', userId: 'U0BOB0001' } })).toMatchObject({ ok: true });
    h.bot.outbox.start();
    await until(async () => (await h.bot.store.outbox.forHandoff(id)).filter((o) => o.kind.startsWith('slack.')).every((o) => o.status === 'done'), 5_000, 'Slack rows done');
    expect(h.slack.messages(CARD_CHANNEL).filter((m) => m.metadata?.event_payload.handoff_id === id)).toHaveLength(1);
    expect(escalationMessages(h, ONCALL_CHANNEL, id)).toHaveLength(0);
  });
});

// `npm start` stops on these before listening, one line per problem (test/intake/durability.test.ts
// shows that for any config problem); the ladder's own rules are read straight from the loader.
describe('a bad ladder in the config', () => {
  it('is refused, one issue per problem naming the YAML path and what is wrong', () => {
    const broken = structuredClone(TEST_CONFIG_DOC) as { workflows: Record<string, unknown>[] };
    delete broken.workflows[0]!.escalation_channel;
    delete broken.workflows[0]!.escalation_mention;
    delete broken.workflows[0]!.escalate_after;
    broken.workflows[0]!.levels = [{ wait: '5m', mention: 'S0ONCALL01' }, { wait: 'soon', channel: 'C0ONCALL01' }, { wait: '10m' }];
    broken.workflows[1]!.levels = [{ mention: 'S0BILLING1' }];
    const issues = issuesOf(toYaml(broken));
    const expected = [
      /^workflows\[0\]\.levels\[1\]\.wait: must be a duration/,
      /^workflows\[0\]\.levels\[2\]: pages nobody: give it a channel, a mention or sms_to numbers/,
      /^workflows\[1\]\.escalation_channel: levels replaces this key/,
      /^workflows\[1\]\.escalate_after: levels replaces this key/,
    ];
    for (const re of expected) expect(issues.filter((l) => re.test(l)), `${re}\n${issues.join('\n')}`).toHaveLength(1);
    expect(issues).toHaveLength(expected.length);
  });
});
