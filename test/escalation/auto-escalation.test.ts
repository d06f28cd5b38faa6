import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, startTestSlack, tempDir, type Harness } from '../support/harness.js';
import { postHandoff, sampleHandoff } from '../support/webhooks.js';
import { until } from '../support/until.js';
import { manualClock } from '../support/manual-clock.js';

const FIVE_MIN = 5 * 60_000;
const ESCALATION_CHANNEL = 'C0ONCALL01';


const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function harness(opts: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  const h = await startHarness({ outbox: { paceMs: 0 }, ...opts });
  cleanups.push(() => h.close());
  return h;
}

async function urgentCard(h: Harness, nowMs: number): Promise<string> {
  const res = await postHandoff(h.bot.url, sampleHandoff(), { timestampSeconds: nowMs / 1000 });
  expect(res.status).toBe(202);
  const id = res.json.handoff_id as string;
  await until(async () => (await h.bot.store.handoffs.get(id))?.slackTs, 5_000, 'card posted');
  return id;
}

function escalationCards(h: Harness, id: string) {
  return h.slack.messages(ESCALATION_CHANNEL).filter((m) => m.metadata?.event_type === 'handoff_escalation' && m.metadata.event_payload.handoff_id === id);
}

async function escalatedEvents(h: Harness, id: string) {
  return (await h.bot.store.events.forHandoff(id)).filter((e) => e.type === 'handoff.escalated');
}

describe('auto-escalation of unclaimed handoffs', () => {
  it('escalates an unclaimed urgent handoff at its due time (5m), once, with a card and the mention in the escalation channel', async () => {
    const t = manualClock();
    const h = await harness({ clock: t.clock });
    const id = await urgentCard(h, t.clock());
    const row = (await h.bot.store.handoffs.get(id))!;
    expect(row.escalateDueAt).toBe(row.receivedAt + FIVE_MIN);

    t.set(row.escalateDueAt! - 1);
    expect(await h.bot.escalations.runDue()).toBe(0);
    expect((await h.bot.store.handoffs.get(id))!.escalationLevel).toBe(0);

    t.set(row.escalateDueAt!);
    expect(await h.bot.escalations.runDue()).toBe(1);
    expect(await h.bot.escalations.runDue()).toBe(0);
    expect(await h.bot.store.handoffs.get(id)).toMatchObject({ escalationLevel: 1, status: 'open', lastEscalatedBy: 'auto' });
    expect(await escalatedEvents(h, id)).toHaveLength(1);
    expect((await escalatedEvents(h, id))[0]!.data).toMatchObject({ trigger: 'auto', escalation_level: 1 });

    const cards = await until(() => (escalationCards(h, id).length > 0 ? escalationCards(h, id) : null), 5_000, 'escalation card');
    await h.bot.outbox.whenIdle();
    expect(escalationCards(h, id)).toHaveLength(1);
    expect(cards[0]!.metadata!.event_payload.level).toBe(1);
    expect(JSON.stringify(cards[0]!.blocks) + cards[0]!.text).toContain('<!subteam^S0ONCALL01>');
  });

  it('does not escalate a handoff that was claimed before its due time', async () => {
    const t = manualClock();
    const h = await harness({ clock: t.clock });
    const id = await urgentCard(h, t.clock());
    const row = (await h.bot.store.handoffs.get(id))!;
    const claim = await h.slack.sendBlockAction({ user: 'U0ALICE01', channel: row.slackChannel!, messageTs: row.slackTs!, actionId: 'handoff_claim', value: id });
    expect(claim.status).toBe(200);
    expect((await h.bot.store.handoffs.get(id))!.status).toBe('claimed');

    t.advance(FIVE_MIN * 3);
    expect(await h.bot.escalations.runDue()).toBe(0);
    expect((await h.bot.store.handoffs.get(id))!.escalationLevel).toBe(0);
    expect(await escalatedEvents(h, id)).toHaveLength(0);
    expect(escalationCards(h, id)).toHaveLength(0);
  });

  it('escalates once on start when the bot was down at the due time (restart on the same database)', async () => {
    const t = manualClock();
    const slack = await startTestSlack();
    const dir = tempDir('handoff-esc-');
    cleanups.push(async () => {
      await slack.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const first = await startHarness({ clock: t.clock, dir, slack, outbox: { paceMs: 0 } });
    const id = await urgentCard(first, t.clock());
    const due = (await first.bot.store.handoffs.get(id))!.escalateDueAt!;
    await first.close();

    t.set(due + 60_000);
    const second = await harness({ clock: t.clock, dir, slack });
    // No runDue() here: the scheduler's own start must catch up.
    await until(async () => (await second.bot.store.handoffs.get(id))!.escalationLevel === 1, 5_000, 'escalation on start');
    await until(() => escalationCards(second, id).length === 1, 5_000, 'escalation card');
    expect(await second.bot.escalations.runDue()).toBe(0);
    await second.bot.outbox.whenIdle();
    expect((await second.bot.store.handoffs.get(id))!.escalationLevel).toBe(1);
    expect(await escalatedEvents(second, id)).toHaveLength(1);
    expect(escalationCards(second, id)).toHaveLength(1);
  });

  it('a timer that read the due time before a manual Escalate click does nothing (stale token)', async () => {
    const t = manualClock();
    const h = await harness({ clock: t.clock });
    const id = await urgentCard(h, t.clock());
    const token = (await h.bot.store.handoffs.get(id))!.escalateDueAt!;

    t.set(token - 1_000);
    const row = (await h.bot.store.handoffs.get(id))!;
    const click = await h.slack.sendBlockAction({ user: 'U0BOB0001', channel: row.slackChannel!, messageTs: row.slackTs!, actionId: 'handoff_escalate', value: id });
    expect(click.status).toBe(200);
    expect((await h.bot.store.handoffs.get(id))!.escalationLevel).toBe(1);

    t.set(token);
    const late = await h.bot.perform({ handoffId: id, action: 'escalate', actor: { kind: 'timer' }, expectedDueAt: token });
    expect(late).toMatchObject({ ok: false, refusal: 'stale_timer' });
    expect(await h.bot.escalations.runDue()).toBe(0);
    expect((await h.bot.store.handoffs.get(id))!.escalationLevel).toBe(1);
    expect((await escalatedEvents(h, id)).map((e) => e.data.trigger)).toEqual(['manual']);
    await until(() => escalationCards(h, id).length === 1, 5_000, 'escalation card');
  });

  it('a timer that read the due time before a Claim does nothing (stale token)', async () => {
    const t = manualClock();
    const h = await harness({ clock: t.clock });
    const id = await urgentCard(h, t.clock());
    const token = (await h.bot.store.handoffs.get(id))!.escalateDueAt!;
    t.set(token);
    expect((await h.bot.perform({ handoffId: id, action: 'claim', actor: { kind: 'user', userId: 'U0CAROL01' } })).ok).toBe(true);
    expect(await h.bot.perform({ handoffId: id, action: 'escalate', actor: { kind: 'timer' }, expectedDueAt: token })).toMatchObject({ ok: false, refusal: 'stale_timer' });
    expect(await h.bot.store.handoffs.get(id)).toMatchObject({ escalationLevel: 0, status: 'claimed' });
    expect(await escalatedEvents(h, id)).toHaveLength(0);
  });
});
