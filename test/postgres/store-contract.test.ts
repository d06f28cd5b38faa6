import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../bot/store/sqlite/sqlite-store.js';
import { PostgresStore } from '../../bot/store/postgres/postgres-store.js';
import type { EventType } from '../../shared/schemas/enums.js';
import { isStoreError, type FollowUps, type Store } from '../../bot/store/store.js';
import { erasureFollowUps } from '../../bot/retention/erase-expired.js';
import { acceptedFixture } from '../support/fixtures.js';
import { tempDir } from '../support/harness.js';
import { sharedPostgres } from '../support/shared-postgres.js';

// The Store contract, run against both engines: what the bot relies on must hold on each.
const server = sharedPostgres();

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function sqlite(): Promise<Store> {
  const dir = tempDir('handoff-contract-');
  const store = await SqliteStore.open({ file: join(dir, 'handoff.db') });
  cleanups.push(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return store;
}

async function postgres(): Promise<Store> {
  const store = await PostgresStore.open({ url: await server.createDatabase() });
  cleanups.push(() => store.close());
  return store;
}

const T0 = 1_764_547_200_000;
const id = (n: number) => `ho_${String(n).padStart(26, '0')}`;
const claimed: FollowUps = (h) => ({ event: { type: 'handoff.claimed', actor: h.claimedBy, at: T0 + 1 }, outbox: [{ kind: 'slack.update_card', paceKey: 'slack.update' }] });

describe.each([
  ['SQLite', sqlite],
  ['PostgreSQL', postgres],
] as const)('Store on %s', (_name, open) => {
  it('commits an accepted handoff with its event, outbox rows and idempotency record, and announces it', async () => {
    const store = await open();
    const heard: boolean[] = [];
    store.commits.subscribe((n) => heard.push(n.events));
    const unit = acceptedFixture(id(1), T0, [{ kind: 'slack.post_card', paceKey: 'slack:C1' }, { kind: 'sms.send', payload: { to: '+15555550100' }, paceKey: 'sms' }]);
    await store.accept({ ...unit, idempotency: { key: 'k1', bodyHash: 'h1', response: '{"ok":true}' } });
    expect(heard).toEqual([true]);
    const h = await store.handoffs.get(id(1));
    expect(h).toMatchObject({ id: id(1), status: 'open', version: 1, structuredFields: { patient_name: 'Dana' }, callbacksEnabled: false, receivedAt: T0 });
    expect((await store.events.after(0)).map((e) => [e.handoffId, e.type])).toEqual([[id(1), 'handoff.received']]);
    expect(await store.idempotency.get('clinic-after-hours', 'k1')).toEqual({ bodyHash: 'h1', handoffId: id(1), response: '{"ok":true}' });
    expect((await store.outbox.forHandoff(id(1))).map((o) => o.kind)).toEqual(['slack.post_card', 'sms.send']);
    expect((await store.outbox.pendingPaceKeys()).sort()).toEqual(['slack:C1', 'sms']);
    const due = await store.outbox.due(T0, 10, ['slack:C1', 'sms']);
    expect(due.map((o) => o.kind)).toEqual(['slack.post_card', 'sms.send']);
    expect(await store.outbox.stats()).toEqual({ depth: 2, oldestCreatedAt: T0 });
  });

  it('refuses a second handoff under a used idempotency key and keeps nothing of it', async () => {
    const store = await open();
    const key = { key: 'same', bodyHash: 'h', response: '{}' };
    await store.accept({ ...acceptedFixture(id(1), T0), idempotency: key });
    const second = await store.accept({ ...acceptedFixture(id(2), T0), idempotency: key }).then(() => null, (e: unknown) => e);
    expect(isStoreError(second, 'duplicate')).toBe(true);
    expect(await store.handoffs.get(id(2))).toBeNull();
    expect((await store.events.after(0)).length).toBe(1);
  });

  it('rejects with a StoreError, never a driver error, once its database is gone', async () => {
    const store = await open();
    await store.accept(acceptedFixture(id(1), T0));
    await store.close();
    const failures = await Promise.all([store.handoffs.get(id(1)), store.events.after(0), store.accept(acceptedFixture(id(2), T0))].map((p) => p.then(() => null, (e: unknown) => e)));
    for (const err of failures) expect(err).toMatchObject({ name: 'StoreError', code: 'unavailable' });
    expect(failures.every((err) => isStoreError(err, 'unavailable'))).toBe(true);
  });

  it('stores 30 handoffs accepted at once, each with its event, and refuses only the one whose key another took', async () => {
    const store = await open();
    const units = Array.from({ length: 30 }, (_, i) => ({ ...acceptedFixture(id(i + 1), T0 + i), idempotency: { key: i === 29 ? 'k-0' : `k-${i}`, bodyHash: 'h', response: '{}' } }));
    const outcomes = await Promise.all(units.map((u) => store.accept(u).then(() => null, (e: unknown) => e)));
    expect(outcomes.slice(0, 29)).toEqual(Array.from({ length: 29 }, () => null));
    expect(isStoreError(outcomes[29], 'duplicate')).toBe(true);
    expect(await store.handoffs.get(id(30))).toBeNull();
    const events = await store.events.after(0);
    expect(events.map((e) => e.handoffId).sort()).toEqual(units.slice(0, 29).map((u) => u.handoff.id).sort());
    expect(new Set(events.map((e) => e.seq)).size).toBe(29);
  });

  it('gives 20 concurrent claims one winner, one event and one card update', async () => {
    const store = await open();
    await store.accept(acceptedFixture(id(1), T0));
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.handoffs.claim(id(1), { who: `U${i}`, now: T0 + 1 }, claimed)));
    const winners = results.filter((r) => r !== null);
    expect(winners).toHaveLength(1);
    expect(winners[0]!.handoff).toMatchObject({ status: 'claimed', version: 2, firstClaimedAt: T0 + 1 });
    expect((await store.events.forHandoff(id(1))).map((e) => e.type)).toEqual(['handoff.received', 'handoff.claimed']);
    expect((await store.outbox.forHandoff(id(1))).map((o) => o.kind)).toEqual(['slack.update_card']);
  });

  it('fires a due timer once, whoever runs it, and a stale one changes nothing', async () => {
    const store = await open();
    await store.accept({ ...acceptedFixture(id(1), T0), handoff: { ...acceptedFixture(id(1), T0).handoff, escalateDueAt: T0 + 100, severity: 'normal' } });
    expect(await store.handoffs.nextEscalationDueAt()).toBe(T0 + 100);
    expect(await store.handoffs.dueForEscalation(T0 + 99, 10)).toEqual([]);
    const [due] = await store.handoffs.dueForEscalation(T0 + 100, 10);
    expect(due).toEqual({ id: id(1), escalateDueAt: T0 + 100 });
    const escalated: FollowUps = (h) => ({ event: { type: 'handoff.escalated', actor: null, at: T0 + 100, data: { level: h.escalationLevel } }, outbox: [] });
    const change = { who: 'timer', now: T0 + 100, severity: 'high' as const, dueAt: T0 + 500, version: 1, expectedDueAt: T0 + 100 };
    const runs = await Promise.all([1, 2, 3].map(() => store.handoffs.escalate(id(1), change, escalated)));
    expect(runs.filter((r) => r !== null)).toHaveLength(1);
    expect(await store.handoffs.get(id(1))).toMatchObject({ escalationLevel: 1, severity: 'high', escalateDueAt: T0 + 500 });
    await store.handoffs.clearDue(id(1), T0 + 100);
    expect((await store.handoffs.get(id(1)))?.escalateDueAt).toBe(T0 + 500);
    await store.handoffs.clearDue(id(1), T0 + 500);
    expect(await store.handoffs.nextEscalationDueAt()).toBeNull();
  });

  it('keeps notes, resolves with an outcome and erases personal data once', async () => {
    const store = await open();
    await store.accept(acceptedFixture(id(1), T0));
    const noted = await store.handoffs.addNote(id(1), { author: 'U1', text: 'called back', now: T0 + 1 }, (h, x) => ({
      event: { type: 'handoff.note_added', actor: 'U1', at: T0 + 1, data: { note_id: x.noteId } },
      outbox: [],
    }));
    expect(noted?.handoff.version).toBe(2);
    expect(await store.notes.countFor(id(1))).toBe(1);
    const resolved = await store.handoffs.resolve(id(1), { who: 'U1', now: T0 + 2, outcome: 'handled', note: 'done' }, (h) => ({
      event: { type: 'handoff.resolved', actor: h.resolvedBy, at: T0 + 2 },
      outbox: [],
    }));
    expect(resolved?.handoff).toMatchObject({ status: 'resolved', outcome: 'handled' });
    expect(await store.notes.countFor(id(1))).toBe(2);
    const counts = await Promise.all([1, 2].map(() => store.retention.erase(T0 + 10, T0, T0 + 20, erasureFollowUps(T0 + 20))));
    expect(counts.map((c) => c.handoffs).sort()).toEqual([0, 1]);
    expect(await store.handoffs.get(id(1))).toMatchObject({ callerId: null, structuredFields: null, erasedAt: T0 + 20 });
    expect((await store.outbox.forHandoff(id(1))).filter((o) => o.kind === 'slack.update_card' || o.kind === 'slack.delete_notes')).toHaveLength(2);
    expect((await store.events.forHandoff(id(1))).filter((e) => e.type === 'handoff.erased')).toHaveLength(1);
  });

  it('uses a pairing code once and finds the token it made', async () => {
    const store = await open();
    await store.desktopAuth.addPairingCode('code-hash', 'U1', T0, T0 + 60_000);
    const tries = await Promise.all([1, 2, 3].map((n) => store.desktopAuth.exchangeCode('code-hash', `token-${n}`, 'laptop', T0 + 1)));
    expect(tries.filter((t) => t !== null)).toEqual([{ userId: 'U1' }]);
    const winner = `token-${tries.findIndex((t) => t !== null) + 1}`;
    expect(await store.desktopAuth.userOfToken(winner)).toBe('U1');
    expect(await store.desktopAuth.revokeTokens('U1', T0 + 2)).toBe(1);
    expect(await store.desktopAuth.userOfToken(winner)).toBeNull();
  });

  it('answers status, mine and stats from the same rows', async () => {
    const store = await open();
    for (let n = 1; n <= 3; n++) await store.accept(acceptedFixture(id(n), T0 + n));
    await store.handoffs.claim(id(2), { who: 'U1', now: T0 + 10 }, claimed);
    const status = await store.status.counts();
    expect(status.counts.urgent).toEqual({ open: 2, claimed: 1, escalated: 0 });
    expect(status).toMatchObject({ unresolvedTotal: 3, oldestUnclaimedAt: T0 + 1 });
    expect((await store.status.counts({ ids: ['clinic-after-hours'], only: false })).unresolvedTotal).toBe(0);
    expect((await store.status.counts({ ids: ['clinic-after-hours'], only: true })).unresolvedTotal).toBe(3);
    expect((await store.status.counts({ ids: [], only: true })).unresolvedTotal).toBe(0);
    expect((await store.status.unresolved(10)).map((h) => h.id)).toEqual([id(1), id(3), id(2)]);
    expect(await store.status.unresolved(10, { ids: ['billing'], only: true })).toEqual([]);
    expect((await store.status.unresolved(10, { ids: ['billing'], only: false })).map((h) => h.id)).toEqual([id(1), id(3), id(2)]);
    expect((await store.status.mine('U1', 10)).map((h) => h.id)).toEqual([id(2)]);
    const period = await store.stats.period(T0, T0 + 100, ['clinic-after-hours']);
    expect(period.rows).toHaveLength(1);
    expect(period.rows[0]).toMatchObject({ count: 3, escalated: 0, resolved: 0, timeToClaim: { n: 1, medianMs: 8 } });

    // mine is filtered before its limit: a newer claim the user may no longer see (a retired workflow's)
    // does not take the place of a visible one.
    const retired = { ...acceptedFixture(id(4), T0 + 4) };
    retired.handoff = { ...retired.handoff, workflowId: 'retired-line' };
    await store.accept(retired);
    await store.handoffs.claim(id(4), { who: 'U1', now: T0 + 20 }, claimed);
    expect((await store.status.mine('U1', 1)).map((h) => h.id)).toEqual([id(4)]);
    expect((await store.status.mine('U1', 1, { ids: ['clinic-after-hours'], only: true })).map((h) => h.id)).toEqual([id(2)]);
  });

  it('records outbox attempts and retries', async () => {
    const store = await open();
    await store.accept(acceptedFixture(id(1), T0, [{ kind: 'callback.send' }, { kind: 'callback.send' }]));
    const [first] = await store.outbox.due(T0, 10, []);
    expect((await store.outbox.due(T0, 10, [])).length).toBe(1); // the second waits for the first of its lane
    await store.outbox.markAttemptStarted(first!.id, T0 + 1);
    await store.outbox.retryLater(first!.id, T0 + 1_000, T0 + 1, 'timeout');
    expect(await store.outbox.nextDueAt()).toBe(T0);
    expect(await store.outbox.due(T0 + 2, 10, [])).toEqual([]);
    await store.outbox.markDone(first!.id, T0 + 1_000);
    const [second] = await store.outbox.due(T0 + 1_000, 10, []);
    expect(second!.id).toBeGreaterThan(first!.id);
    expect(await store.outbox.get(first!.id)).toMatchObject({ status: 'done', attempts: 2, firstAttemptAt: T0 + 1 });
  });

  it('keeps storm digests and the weekly digest schedule', async () => {
    const store = await open();
    for (let n = 1; n <= 3; n++) await store.accept(acceptedFixture(id(n), T0 + n, [{ kind: 'slack.post_card', paceKey: 'slack:C1', priority: n === 3 ? 0 : 2 }]));
    expect(await store.stormDigests.waitingUndigested('slack:C1', 10)).toEqual([id(3), id(1), id(2)]);
    const digest = await store.stormDigests.create('C1', [id(3), id(1)], T0 + 10);
    expect(digest).toMatchObject({ channel: 'C1', createdAt: T0 + 10, ts: null, closedAt: null });
    expect(await store.stormDigests.waitingUndigested('slack:C1', 10)).toEqual([id(2)]);
    expect((await store.stormDigests.unposted('C1')).map((d) => d.id)).toEqual([digest.id]);
    await store.stormDigests.markAttempted(digest.id, T0 + 11);
    await store.stormDigests.markPosted(digest.id, '111.000', 'hash1');
    await store.stormDigests.recordPermalink(digest.id, 'https://slack.example/p111');
    expect((await store.stormDigests.open()).map((d) => d.id)).toEqual([digest.id]);
    expect((await store.stormDigests.entries(digest.id)).map((h) => h.id)).toEqual([id(3), id(1)]);
    expect(await store.stormDigests.digestOf(id(1))).toMatchObject({ id: digest.id, ts: '111.000', permalink: 'https://slack.example/p111', attemptedAt: T0 + 11 });
    await store.stormDigests.markRendered(digest.id, 'hash2', T0 + 20);
    expect(await store.stormDigests.get(digest.id)).toMatchObject({ renderedHash: 'hash2', closedAt: T0 + 20 });
    expect(await store.stormDigests.open()).toEqual([]);

    await store.handoffs.setSlackCard(id(1), 'C1', '1.1', 1);
    await store.handoffs.recordCardVersion(id(1), 3);
    await store.handoffs.recordCardVersion(id(1), 2);
    expect(await store.handoffs.get(id(1))).toMatchObject({ slackChannel: 'C1', slackTs: '1.1', slackCardVersion: 3 });

    const week = T0 - 86_400_000;
    expect(await Promise.all([store.weeklyDigests.claimWeek(week, 'C9', T0), store.weeklyDigests.claimWeek(week, 'C9', T0)])).toContain(false);
    expect((await store.weeklyDigests.due(T0)).map((d) => d.weekStart)).toEqual([week]);
    await store.weeklyDigests.retryLater(week, T0 + 5, 'ratelimited');
    expect(await store.weeklyDigests.due(T0 + 1)).toEqual([]);
    expect(await store.weeklyDigests.due(T0 + 5)).toEqual([{ weekStart: week, channel: 'C9', attempts: 1 }]);
    expect(await store.weeklyDigests.markPosted(week, '9.9')).toBe(true);
    expect(await store.weeklyDigests.markPosted(week, '9.9')).toBe(false);
  });

  it('queues a claim reminder once when two timers race for it, and an erasure tells the mirrors', async () => {
    const store = await open();
    await store.accept(acceptedFixture(id(1), T0));
    await store.handoffs.claim(id(1), { who: 'U1', now: T0 + 1, remindDueAt: T0 + 100 }, claimed);
    expect(await store.reminders.nextDueAt()).toBe(T0 + 100);
    const [due] = await store.reminders.dueClaims(T0 + 100, 10);
    expect(due).toMatchObject({ id: id(1), claimant: 'U1', remindDueAt: T0 + 100 });
    const change = { claimant: 'U1', expectedDueAt: T0 + 100, nextDueAt: T0 + 200, now: T0 + 100 };
    const raced = await Promise.all([1, 2].map(() => store.reminders.remindClaimer(id(1), change, [{ kind: 'slack.remind', paceKey: 'slack:C1' }])));
    expect(raced.sort()).toEqual([false, true]);
    expect((await store.outbox.forHandoff(id(1))).filter((o) => o.kind === 'slack.remind')).toHaveLength(1);
    await store.handoffs.resolve(id(1), { who: 'U1', now: T0 + 150, outcome: 'handled', note: null }, (h) => ({ event: { type: 'handoff.resolved', actor: h.resolvedBy, at: T0 + 150 }, outbox: [] }));
    expect(await store.reminders.nextDueAt()).toBeNull();
    await store.retention.erase(T0 + 1_000, T0, T0 + 1_000, erasureFollowUps(T0 + 1_000));
    expect((await store.events.forHandoff(id(1))).map((e) => e.type).at(-1)).toBe('handoff.erased');
  });

  it('applies every named change only while its condition holds', async () => {
    const store = await open();
    await store.accept({ ...acceptedFixture(id(1), T0), providerCall: { platform: 'vapi', callId: 'call-1' } });
    expect(await store.providerCalls.find('clinic-after-hours', 'vapi', 'call-1')).toBe(id(1));
    expect(await store.providerCalls.find('clinic-after-hours', 'vapi', 'call-2')).toBeNull();
    const f = (type: EventType, at: number): FollowUps => () => ({ event: { type, actor: null, at }, outbox: [] });
    await store.handoffs.claim(id(1), { who: 'U1', now: T0 + 1 }, claimed);
    const released = await store.handoffs.release(id(1), { who: 'U1', now: T0 + 2, dueAt: T0 + 60, version: 2 }, f('handoff.released', T0 + 2));
    expect(released?.handoff).toMatchObject({ status: 'open', claimedBy: null, lastReleasedBy: 'U1', escalateDueAt: T0 + 60, version: 3 });
    expect(await store.handoffs.release(id(1), { who: 'U1', now: T0 + 3, dueAt: null, version: 3 }, f('handoff.released', T0 + 3))).toBeNull();

    const firsts: boolean[] = [];
    const callBack: FollowUps = (_h, extra) => (firsts.push(extra.claimedFirst === true), { event: { type: 'handoff.call_back_started', actor: 'U2', at: T0 + 4 }, outbox: [] });
    expect((await store.handoffs.callBack(id(1), { who: 'U2', now: T0 + 4, quietSince: T0 }, callBack))?.handoff).toMatchObject({ status: 'claimed', claimedBy: 'U2', claimedAt: T0 + 4 });
    expect((await store.handoffs.callBack(id(1), { who: 'U2', now: T0 + 5, quietSince: T0 }, callBack))?.handoff).toMatchObject({ claimedBy: 'U2', claimedAt: T0 + 4 });
    expect(await store.handoffs.callBack(id(1), { who: 'U3', now: T0 + 6, quietSince: T0 }, callBack)).toBeNull();
    expect(firsts).toEqual([true, false]);

    const merged = await store.handoffs.get(id(1));
    const update = { reason: 'billing', severity: 'high' as const, notify: merged!.notify, ownerNotified: merged!.ownerNotified, callerMessage: 'Someone will call you.', structuredFields: { patient_name: 'Dana' }, intakeIssues: null, escalateDueAt: null, callerId: '+15555550123' };
    expect(await store.handoffs.applyCallUpdate(id(1), merged!.version - 1, update, f('handoff.updated', T0 + 7))).toBeNull();
    expect((await store.handoffs.applyCallUpdate(id(1), merged!.version, update, f('handoff.updated', T0 + 7)))?.handoff).toMatchObject({ reason: 'billing', severity: 'high', callerMessage: 'Someone will call you.' });

    await store.handoffs.resolve(id(1), { who: 'U2', now: T0 + 8, outcome: 'handled', note: null }, f('handoff.resolved', T0 + 8));
    expect((await store.handoffs.markCallEnded(id(1), { summary: 'Caller asked about a bill.', now: T0 + 9 }, f('handoff.call_ended', T0 + 9)))?.handoff).toMatchObject({ callStatus: 'completed', callSummary: 'Caller asked about a bill.', callerHungUpAt: null });
    expect(await store.handoffs.markCallEnded(id(1), { summary: 'Caller asked about a bill.', now: T0 + 10 }, f('handoff.call_ended', T0 + 10))).toBeNull();
    const outcome = await store.handoffs.recordOutcome(id(1), { who: 'U2', now: T0 + 11, outcome: 'not_needed', note: 'wrong number' }, f('handoff.outcome_recorded', T0 + 11));
    expect(outcome?.handoff.outcome).toBe('not_needed');
    const reopened = await store.handoffs.reopen(id(1), { who: 'U4', now: T0 + 12, dueAt: T0 + 99, version: outcome!.handoff.version }, f('handoff.reopened', T0 + 12));
    expect(reopened?.handoff).toMatchObject({ status: 'open', outcome: null, resolvedBy: null, reopenedBy: 'U4', escalateDueAt: T0 + 99 });
    expect(await store.handoffs.reopen(id(1), { who: 'U4', now: T0 + 13, dueAt: null, version: outcome!.handoff.version }, f('handoff.reopened', T0 + 13))).toBeNull();
    expect(await store.handoffs.recordOutcome(id(1), { who: 'U2', now: T0 + 14, outcome: 'handled', note: null }, f('handoff.outcome_recorded', T0 + 14))).toBeNull();

    await store.handoffs.setSlackPermalink(id(1), 'https://example.slack.com/archives/C1/p1');
    await store.handoffs.disableCallbacks(id(1), 'blocked_address');
    expect(await store.handoffs.get(id(1))).toMatchObject({ slackPermalink: 'https://example.slack.com/archives/C1/p1', callbacksEnabled: false, callbacksOffReason: 'blocked_address' });
    expect((await store.events.forHandoff(id(1))).map((e) => e.type)).toEqual([
      'handoff.received', 'handoff.claimed', 'handoff.released', 'handoff.call_back_started', 'handoff.call_back_started', 'handoff.updated',
      'handoff.resolved', 'handoff.call_ended', 'handoff.outcome_recorded', 'handoff.reopened',
    ]);
    expect((await store.notes.countFor(id(1)))).toBe(1);
  });

  it('follows the event log for a desktop: last seq, the latest of each unresolved handoff, the ones resolved since a cursor', async () => {
    const store = await open();
    for (const n of [1, 2, 3]) await store.accept(acceptedFixture(id(n), T0 + n));
    await store.handoffs.claim(id(2), { who: 'U1', now: T0 + 10 }, claimed);
    const cursor = await store.events.lastSeq();
    expect(cursor).toBe(4);
    await store.handoffs.resolve(id(3), { who: 'U1', now: T0 + 11, outcome: 'handled', note: null }, (h) => ({ event: { type: 'handoff.resolved', actor: h.resolvedBy, at: T0 + 11 }, outbox: [] }));
    const head = await store.events.lastSeq();
    expect((await store.events.latestOfUnresolvedRelevant(head, 10)).map((e) => [e.handoffId, e.type])).toEqual([[id(1), 'handoff.received'], [id(2), 'handoff.claimed']]);
    expect((await store.events.latestOfUnresolvedRelevant(head, 10, 1)).map((e) => e.handoffId)).toEqual([id(2)]);
    expect((await store.events.latestOfResolvedSince(cursor, head, 10)).map((e) => [e.handoffId, e.type])).toEqual([[id(3), 'handoff.resolved']]);
    expect(await store.events.latestOfResolvedSince(head, head, 10)).toEqual([]);
  });

  it('keeps a card edit pending when its handoff moved past the card before the edit was marked done', async () => {
    const store = await open();
    await store.accept(acceptedFixture(id(1), T0));
    await store.accept(acceptedFixture(id(2), T0));
    await store.handoffs.setSlackCard(id(1), 'C1', '1.1', 1);
    await store.handoffs.claim(id(1), { who: 'U1', now: T0 + 1 }, claimed);
    await store.handoffs.claim(id(2), { who: 'U1', now: T0 + 1 }, claimed);
    const [edit] = await store.outbox.forHandoff(id(1));
    // The edit drew version 1; the claim (version 2) queued no edit of its own: this row must redraw.
    await store.outbox.markDone(edit!.id, T0 + 2);
    expect(await store.outbox.get(edit!.id)).toMatchObject({ kind: 'slack.update_card', status: 'pending', doneAt: null, attempts: 1 });
    expect((await store.outbox.due(T0 + 2, 10, ['slack.update'])).map((o) => o.id)).toContain(edit!.id);
    await store.handoffs.recordCardVersion(id(1), 2);
    await store.outbox.markDone(edit!.id, T0 + 3);
    expect(await store.outbox.get(edit!.id)).toMatchObject({ status: 'done', doneAt: T0 + 3, attempts: 2 });
    // No card posted yet: the post draws the latest state, the edit has nothing to redraw.
    const [noCard] = await store.outbox.forHandoff(id(2));
    await store.outbox.markDone(noCard!.id, T0 + 2);
    expect(await store.outbox.get(noCard!.id)).toMatchObject({ status: 'done', doneAt: T0 + 2 });
  });

  it('leases, fails, defers and retries outbox rows', async () => {
    const store = await open();
    await store.accept(acceptedFixture(id(1), T0, [{ kind: 'sms.send', payload: { to: '+15555550100' } }, { kind: 'callback.send' }]));
    const [sms, callback] = await store.outbox.forHandoff(id(1));
    expect(await store.outbox.claim(sms!.id, null, T0, 1_000)).toBe(true);
    await store.outbox.markFailed(sms!.id, T0 + 1, 'invalid_number');
    expect(await store.outbox.get(sms!.id)).toMatchObject({ status: 'failed', attempts: 1, lastError: 'invalid_number', doneAt: T0 + 1 });
    await store.outbox.deferTo(callback!.id, T0 + 500);
    expect(await store.outbox.get(callback!.id)).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: T0 + 500 });
    expect(await store.outbox.due(T0 + 499, 10, [])).toEqual([]);
    expect((await store.outbox.due(T0 + 500, 10, [])).map((o) => o.id)).toEqual([callback!.id]);
    expect(await store.outbox.nextDueAt()).toBe(T0 + 500);
  });

  it('keeps where notes and escalation cards went in Slack, and which Call back calls were ours', async () => {
    const store = await open();
    await store.accept(acceptedFixture(id(1), T0, [{ kind: 'voice.call_back' }]));
    const added = await store.handoffs.addNote(id(1), { author: 'U1', text: 'Called back', now: T0 + 1 }, (_h, extra) => ({ event: { type: 'handoff.note_added', actor: 'U1', at: T0 + 1, data: { note_id: extra.noteId } }, outbox: [] }));
    const noteId = (await store.events.forHandoff(id(1))).at(-1)!.data.note_id as number;
    expect(added).not.toBeNull();
    expect(await store.notes.get(noteId)).toEqual({ author: 'U1', text: 'Called back' });
    await store.notes.recordPosted(noteId, 'C1', '111.222');
    await store.handoffs.resolve(id(1), { who: 'U1', now: T0 + 2, outcome: 'handled', note: null }, (h) => ({ event: { type: 'handoff.resolved', actor: h.resolvedBy, at: T0 + 2 }, outbox: [] }));
    expect(await store.notes.erasedInSlack(id(1))).toEqual([]);
    await store.retention.erase(T0 + 3, T0, T0 + 3, erasureFollowUps(T0 + 3));
    expect(await store.notes.get(noteId)).toEqual({ author: 'U1', text: null });
    expect(await store.notes.erasedInSlack(id(1))).toEqual([{ noteId, channel: 'C1', ts: '111.222' }]);
    await store.notes.markDeletedFromSlack(noteId, T0 + 4);
    expect(await store.notes.erasedInSlack(id(1))).toEqual([]);

    await store.slackMessages.rememberEscalation(id(1), 1, 'C9', '1.0');
    await store.slackMessages.rememberEscalation(id(1), 2, 'C8', '2.0');
    await store.slackMessages.rememberEscalation(id(1), 1, 'C9', '1.5');
    expect(await store.slackMessages.escalations(id(1))).toEqual([{ level: 1, channel: 'C9', ts: '1.5' }, { level: 2, channel: 'C8', ts: '2.0' }]);

    const [row] = await store.outbox.forHandoff(id(1));
    await store.callBacks.recordPlaced(row!.id, id(1), 'CA1', T0 + 5);
    await store.callBacks.recordPlaced(row!.id, id(1), 'CA1', T0 + 6);
    expect(await store.callBacks.known(['CA1', 'CA2'])).toEqual(new Set(['CA1']));
    expect(await store.callBacks.known([])).toEqual(new Set());
  });

  it('reminds once about a caller who hung up waiting, and holds and ends a live caller\'s wait', async () => {
    const store = await open();
    await store.accept(acceptedFixture(id(1), T0));
    const ended = await store.handoffs.markCallEnded(id(1), { summary: null, now: T0 + 5 }, (h) => ({ event: { type: 'handoff.call_ended', actor: null, at: T0 + 5, data: { caller_hung_up: h.callerHungUpAt !== null } }, outbox: [] }));
    expect(ended?.handoff.callerHungUpAt).toBe(T0 + 5);
    expect(await store.reminders.dueCallBacks(10)).toEqual([{ id: id(1), workflowId: 'clinic-after-hours', slackChannel: null }]);
    expect(await store.reminders.nextDueAt()).toBe(T0 + 5);
    const raced = await Promise.all([1, 2].map(() => store.reminders.remindCallBack(id(1), T0 + 6, [{ kind: 'slack.remind', paceKey: 'slack:C1' }])));
    expect(raced.sort()).toEqual([false, true]);
    expect(await store.reminders.dueCallBacks(10)).toEqual([]);

    await store.accept(acceptedFixture(id(2), T0));
    const wait: FollowUps = (h) => ({ event: { type: 'handoff.caller_waiting', actor: null, at: T0 + 1, data: { until: h.connect.waitingUntil } }, outbox: [] });
    expect((await store.connect.startWaiting(id(2), { now: T0 + 1, until: T0 + 100 }, wait))?.handoff.connect).toEqual({ state: 'waiting', waitingSince: T0 + 1, waitingUntil: T0 + 100, user: null });
    expect((await store.connect.startWaiting(id(2), { now: T0 + 2, until: T0 + 50 }, wait))?.handoff.connect).toMatchObject({ waitingSince: T0 + 1, waitingUntil: T0 + 100 });
    const endWait = (state: 'timed_out' | 'connected'): FollowUps => () => ({ event: { type: 'handoff.caller_wait_ended', actor: null, at: T0 + 3, data: { state } }, outbox: [] });
    expect(await store.connect.endWaiting(id(2), { state: 'timed_out', user: null, now: T0 + 99 }, endWait('timed_out'))).toBeNull();
    expect(await store.connect.expired(T0 + 99)).toEqual([]);
    expect(await store.connect.expired(T0 + 100)).toEqual([id(2)]);
    expect((await store.connect.endWaiting(id(2), { state: 'connected', user: 'U1', now: T0 + 3 }, endWait('connected')))?.handoff.connect).toMatchObject({ state: 'connected', user: 'U1', waitingUntil: null });
    expect(await store.connect.endWaiting(id(2), { state: 'connected', user: 'U1', now: T0 + 4 }, endWait('connected'))).toBeNull();
  });

  it('keeps Details links by hash: opened once (with the timeline event), reloaded only by that browser, never after expiry', async () => {
    const store = await open();
    await store.accept(acceptedFixture(id(1), T0));
    const heard: boolean[] = [];
    store.commits.subscribe((n) => heard.push(n.events));
    const link = { handoffId: id(1), userId: 'U0ALICE01', now: T0, expiresAt: T0 + 600_000 };
    await store.detailsLinks.issue({ ...link, tokenHash: 'token-a' });
    await store.detailsLinks.issue({ ...link, tokenHash: 'token-b' });
    // Two browsers race for one link: exactly one opens it.
    const race = await Promise.all([store.detailsLinks.open('token-a', 'browser-1', T0 + 1), store.detailsLinks.open('token-a', 'browser-2', T0 + 1)]);
    expect(race.filter((r) => r?.first)).toHaveLength(1);
    expect(race.filter((r) => r === null)).toHaveLength(1);
    const winner = race.find((r) => r?.first) === race[0] ? 'browser-1' : 'browser-2';
    expect(race.find((r) => r)).toEqual({ handoffId: id(1), userId: 'U0ALICE01', expiresAt: T0 + 600_000, first: true });
    expect(await store.detailsLinks.open('token-a', winner, T0 + 2)).toEqual({ handoffId: id(1), userId: 'U0ALICE01', expiresAt: T0 + 600_000, first: false });
    expect(await store.detailsLinks.open('token-a', 'browser-3', T0 + 2)).toBeNull();
    expect(await store.detailsLinks.open('token-a', winner, T0 + 600_000)).toBeNull();
    expect(await store.detailsLinks.open('token-b', 'browser-1', T0 + 600_000)).toBeNull();
    expect(await store.detailsLinks.open('unknown', 'browser-1', T0 + 2)).toBeNull();
    const viewed = (await store.events.forHandoff(id(1))).filter((e) => e.type === 'handoff.details_viewed');
    expect(viewed.map((e) => ({ actor: e.actor, at: e.at, data: e.data }))).toEqual([{ actor: 'U0ALICE01', at: T0 + 1, data: {} }]);
    expect(heard).toEqual([true]);
    // A day after expiry, issuing a new link clears the old ones.
    await store.detailsLinks.issue({ ...link, tokenHash: 'token-c', now: T0 + 2 * 86_400_000, expiresAt: T0 + 2 * 86_400_000 + 600_000 });
    expect(await store.detailsLinks.open('token-c', 'browser-1', T0 + 2 * 86_400_000)).toMatchObject({ first: true });
  });
});
