import { afterEach, describe, expect, it } from 'vitest';
import { startTwilioFake, type TwilioFake } from '../../sandbox/fakes/twilio-fake.js';
import { startHarness, startTestSlack, type Harness } from '../support/harness.js';
import { TEST_CHANNELS, testConfig } from '../support/test-config.js';
import { until } from '../support/until.js';
import { postHandoff, sampleHandoff } from '../support/webhooks.js';

const DAY_CHANNEL = 'C0CLINIC01';
const NIGHT_CHANNEL = 'C0NIGHT001';
const NIGHT_ESCALATION = 'C0NIGHTESC';
const DAY_NUMBER = '+15555550100';
const NIGHT_NUMBER = '+15555550199';
const NIGHT_MESSAGE = 'The clinic is closed; the nurse on call will call you back within the hour.';

/** Clinic weekdays 09:00-17:00 in New York; outside them, the night nurse. Billing is restricted to Alice. */
const config = testConfig((doc) => {
  Object.assign(doc.workflows[0]!, {
    hours: { time_zone: 'America/New_York', open: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }] },
    after_hours: {
      owner_channel: NIGHT_CHANNEL,
      escalation_channel: NIGHT_ESCALATION,
      escalation_mention: 'U0NURSE001',
      sms_to: [NIGHT_NUMBER],
      escalate_after: { urgent: '2m' },
      caller_message: NIGHT_MESSAGE,
    },
  });
  Object.assign(doc.workflows[1]!, { allowed_users: ['U0ALICE01'] });
  return doc;
});

/** A clock the test sets by hand; the bot reads every time through it. */
function manualClock(start: number) {
  let now = start;
  return { clock: () => now, set: (t: number) => (now = t) };
}

let h: Harness | undefined;
let twilio: TwilioFake | undefined;
afterEach(async () => {
  await h?.close();
  await twilio?.close();
  h = twilio = undefined;
});

async function start(startAt: string) {
  const t = manualClock(Date.parse(startAt));
  twilio = await startTwilioFake();
  const slack = await startTestSlack([...TEST_CHANNELS, { id: NIGHT_CHANNEL, name: 'clinic-night' }, { id: NIGHT_ESCALATION, name: 'clinic-night-oncall' }]);
  h = await startHarness({
    slack,
    config,
    clock: t.clock,
    outbox: { paceMs: 0 },
    settings: { twilio: { accountSid: twilio.accountSid, authToken: twilio.authToken, from: '+15555550000', apiUrl: twilio.url } },
  });
  const bot = h.bot;
  return {
    t,
    bot,
    h,
    /** Posts an urgent handoff at `iso` and waits for its card; returns where it went. */
    async handoffAt(iso: string) {
      t.set(Date.parse(iso));
      const res = await postHandoff(bot.url, sampleHandoff(), { timestampSeconds: t.clock() / 1000 });
      expect(res.status).toBe(202);
      const id = res.json.handoff_id as string;
      const row = await until(async () => {
        const r = await bot.store.handoffs.get(id);
        return r?.slackChannel ? r : null;
      }, 10_000, 'card posted');
      const received = (await bot.store.events.forHandoff(id)).find((e) => e.type === 'handoff.received')!;
      return { id, channel: row.slackChannel, callerMessage: res.json.caller_message, row, routing: received.data.routing };
    },
  };
}

/** The numbers that got `id`'s SMS. Time moves on while waiting: an SMS may wait a moment for its card's link. */
async function smsTo(s: { t: { clock: () => number; set: (t: number) => number } }, id: string): Promise<string[]> {
  await until(
    () => {
      s.t.set(s.t.clock() + 50);
      return twilio!.messages.some((m) => m.body.includes(id));
    },
    10_000,
    'the SMS',
  );
  return twilio!.messages.filter((m) => m.body.includes(id)).map((m) => m.to);
}

describe('business hours route handoffs (America/New_York, on a controllable clock)', () => {
  it('in March: Friday 16:59 EST is daytime, Monday 08:59 EDT is night and Monday 09:00 EDT (13:00Z, not 14:00Z) is daytime again', async () => {
    const s = await start('2026-03-06T21:59:00Z');

    const friday = await s.handoffAt('2026-03-06T21:59:00Z');
    expect(friday).toMatchObject({ channel: DAY_CHANNEL, callerMessage: 'I am marking this for a person now.', routing: 'business_hours' });
    expect(friday.row.escalateDueAt).toBe(Date.parse('2026-03-06T21:59:00Z') + 5 * 60_000);
    expect(await smsTo(s, friday.id)).toEqual([DAY_NUMBER]);

    const fridayEvening = await s.handoffAt('2026-03-06T22:00:00Z');
    expect(fridayEvening).toMatchObject({ channel: NIGHT_CHANNEL, callerMessage: NIGHT_MESSAGE, routing: 'after_hours' });
    expect(fridayEvening.row.escalateDueAt).toBe(Date.parse('2026-03-06T22:00:00Z') + 2 * 60_000);
    expect(await smsTo(s, fridayEvening.id)).toEqual([NIGHT_NUMBER]);

    expect(await s.handoffAt('2026-03-09T12:59:00Z')).toMatchObject({ channel: NIGHT_CHANNEL, routing: 'after_hours' });
    expect(await s.handoffAt('2026-03-09T13:00:00Z')).toMatchObject({ channel: DAY_CHANNEL, routing: 'business_hours' });
  });

  it('in November: Monday 09:00 EST is 14:00Z', async () => {
    const s = await start('2026-11-02T13:59:00Z');
    expect(await s.handoffAt('2026-11-02T13:59:00Z')).toMatchObject({ channel: NIGHT_CHANNEL, routing: 'after_hours' });
    expect(await s.handoffAt('2026-11-02T14:00:00Z')).toMatchObject({ channel: DAY_CHANNEL, routing: 'business_hours' });
  });

  it('an after-hours handoff escalates on the after-hours timer to the after-hours channel, paging the night nurse', async () => {
    const s = await start('2026-03-07T15:00:00Z'); // Saturday
    const { id, row } = await s.handoffAt('2026-03-07T15:00:00Z');
    s.t.set(row.escalateDueAt!);
    expect(await s.bot.escalations.runDue()).toBe(1);
    const card = await until(
      () => s.h.slack.messages(NIGHT_ESCALATION).find((m) => m.metadata?.event_type === 'handoff_escalation' && m.metadata.event_payload.handoff_id === id),
      10_000,
      'the escalation card in the night channel',
    );
    expect(JSON.stringify(card.blocks) + card.text).toContain('<@U0NURSE001>');
    expect(s.h.slack.messages('C0ONCALL01')).toHaveLength(0);
  });
});

describe('/handoff oncall', () => {
  async function oncall(s: Awaited<ReturnType<typeof start>>, user: string, at: string): Promise<string> {
    s.t.set(Date.parse(at));
    const answer = await s.h.slack.sendSlashCommand({ user, channel: DAY_CHANNEL, text: 'oncall' });
    expect(answer.status).toBe(200);
    return JSON.stringify(answer.json);
  }

  it('shows where each workflow would go now, after hours and until when, with masked numbers; restricted workflows hidden', async () => {
    const s = await start('2026-03-06T22:30:00Z');
    const night = await oncall(s, 'U0BOB0001', '2026-03-06T22:30:00Z');
    expect(night).toContain('Clinic after-hours line');
    expect(night).toContain('After hours until <!date^' + Date.parse('2026-03-09T13:00:00Z') / 1000);
    expect(night).toContain('(America/New_York), Mon 9 Mar, 09:00 there');
    expect(night).toContain(`<#${NIGHT_CHANNEL}>`);
    expect(night).toContain(`<#${NIGHT_ESCALATION}>, paging <@U0NURSE001>: urgent after 2m unclaimed`);
    expect(night).toContain('`+1******0199`');
    expect(night).not.toContain('5555550199');
    expect(night).not.toContain('Billing line');

    const day = await oncall(s, 'U0ALICE01', '2026-03-09T13:00:00Z');
    expect(day).toContain('Business hours until <!date^' + Date.parse('2026-03-09T21:00:00Z') / 1000);
    expect(day).toContain(`<#${DAY_CHANNEL}>`);
    expect(day).toContain('`+1******0100`');
    expect(day).toContain('Billing line');
    expect(day).toContain('No business hours: the same routing at every hour');
  });

  it('is listed in /handoff help', async () => {
    const s = await start('2026-03-06T22:30:00Z');
    const answer = await s.h.slack.sendSlashCommand({ user: 'U0ALICE01', channel: DAY_CHANNEL, text: 'help' });
    expect(JSON.stringify(answer.json)).toContain('/handoff oncall`');
  });
});
