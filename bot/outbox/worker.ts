import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { laneOf, type OutboxRecord } from '../store/records.js';
import type { Store } from '../store/store.js';
import type { DeliveryHandlers, DeliveryOutcome } from './outcome.js';
import { codeOf } from '../../shared/error-code.js';

export interface OutboxWorkerOptions {
  store: Store;
  handlers: DeliveryHandlers;
  clock: () => number;
  logger: Logger;
  metrics: Metrics;
  /** Minimum gap between two sends with the same pace key (Slack: 1 message/s per channel). */
  paceMs?: number;
  /** Gaps for particular pace keys (Slack's chat.update tier is ~50/min for the whole workspace). */
  paceMsByKey?: Readonly<Record<string, number>>;
  concurrency?: number;
  /** Upper bound on how long the worker sleeps between looks at the table. */
  idleMs?: number;
  /** Least time between two looks when woken repeatedly (a burst of handoffs costs one read, not one each). */
  minTickGapMs?: number;
}

/** `slack:C0…` belongs to `slack:*`; a key without a family is its own. */
export function pauseFamilyOf(paceKey: string): string {
  const i = paceKey.indexOf(':');
  return i < 0 ? paceKey : `${paceKey.slice(0, i)}:*`;
}

/**
 * Reads the outbox and delivers each row exactly once, in order per handoff (only the oldest pending
 * row of a handoff is ever due), at most `concurrency` at a time, pacing per key, honouring pauses
 * (Slack's Retry-After) and surviving restarts (all state is in the table).
 */
export class OutboxWorker {
  private readonly paceMs: number;
  private readonly concurrency: number;
  private readonly idleMs: number;
  private readonly inFlight = new Set<string>(); // handoff id + lane
  private readonly lastSentAt = new Map<string, number>();
  private readonly pausedUntil = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private ticking = false;
  private again = false;
  private idlePromise: Promise<void> = Promise.resolve();
  private active = 0;
  private lastTickAt = -Infinity;
  private completedLooks = 0;
  /** The last look found rows but every one was held by pacing or a pause: the armed timer covers them. */
  private heldBack = false;
  private timerAt = Infinity;
  private readonly minTickGapMs: number;
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly o: OutboxWorkerOptions) {
    this.paceMs = o.paceMs ?? 1_000;
    this.concurrency = o.concurrency ?? 4;
    this.idleMs = o.idleMs ?? 1_000;
    this.minTickGapMs = o.minTickGapMs ?? 20;
    // A key with its own pace is always known: the store gives card edits theirs (slack.update) even
    // where a commit announced the row without it.
    for (const key of Object.keys(o.paceMsByKey ?? {})) this.paceKeys.add(key);
  }

  start(): void {
    this.running = true;
    // Rows committed from now on announce their pace keys; the ones already pending are read once.
    this.unsubscribe = this.o.store.commits.subscribe((n) => {
      if (!n.outbox) return;
      for (const key of n.outbox.paceKeys) this.paceKeys.add(key);
      this.wake();
    });
    void this.o.store.outbox.pendingPaceKeys().then(
      (keys) => {
        for (const key of keys) this.paceKeys.add(key);
        this.wake();
      },
      (err: unknown) => this.o.logger.error({ err_code: codeOf(err) ?? 'outbox_read_failed' }, 'outbox pace keys unread'),
    );
    this.wake();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.notifyIdleWaiters();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.active > 0 || this.ticking) await new Promise((r) => setTimeout(r, 10));
    await this.idlePromise;
  }

  /**
   * Resolves once no delivery is in flight and no row is due at the worker's clock (rows waiting for a
   * later retry time do not count). Tests wait on this instead of sleeping; a stopped worker is idle.
   */
  async whenIdle(): Promise<void> {
    for (;;) {
      await this.idlePromise;
      if (await this.isIdle()) return;
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
  }

  private readonly idleWaiters: Array<() => void> = [];

  private async isIdle(): Promise<boolean> {
    if (!this.running) return true;
    if (this.active > 0 || this.ticking) return false;
    const next = await this.o.store.outbox.nextDueAt();
    if (this.active > 0 || this.ticking) return false;
    return next === null || next > this.o.clock();
  }

  /** Lets every whenIdle() look again (after a tick and after each delivery). */
  private notifyIdleWaiters(): void {
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /**
   * Another sender hit a limit these rows share (Slack's Retry-After on chat.update): hold rows of
   * `key` until `until` (clock ms).
   */
  pause(key: string, until: number): void {
    this.pausedUntil.set(key, Math.max(until, this.pausedUntil.get(key) ?? 0));
  }

  /** Until when rows of `key` are held by a Retry-After (0 when they are not). */
  pausedUntilOf(key: string): number {
    return this.pausedUntil.get(key) ?? 0;
  }

  /** Looks at the table completed so far: a test waits for one more to see that nothing else went. */
  get looks(): number {
    return this.completedLooks;
  }

  /** Called after a commit that added rows: look now instead of at the next timer. */
  wake(): void {
    if (!this.running) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    // While a backlog waits on pacing, new rows join it at the armed timer (at most one pace gap away)
    // instead of each commit paying for a scan of the whole backlog.
    if (this.heldBack && this.timer) return;
    const at = Math.max(performance.now(), this.lastTickAt + this.minTickGapMs);
    if (this.timer && this.timerAt <= at) return;
    this.arm(at - performance.now());
  }

  private arm(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = performance.now() + delayMs;
    this.timer = setTimeout(() => this.tick(), Math.max(0, delayMs));
  }

  private paceGap(key: string): number {
    return this.o.paceMsByKey?.[key] ?? this.paceMs;
  }

  /**
   * When a row may go, as far as Retry-After pauses say: its lane's (legacy), its pace key's, and its
   * pace key family's (`slack:*`: a 429 on a post does not say whether the channel's or the
   * workspace's limit was hit).
   */
  private pausedFor(item: OutboxRecord): number {
    const lane = this.pausedUntil.get(laneOf(item.kind)) ?? 0;
    if (!item.paceKey) return lane;
    return Math.max(lane, this.pausedUntil.get(item.paceKey) ?? 0, this.pausedUntil.get(pauseFamilyOf(item.paceKey)) ?? 0);
  }

  private laneKey(item: OutboxRecord): string {
    return `${item.handoffId}:${laneOf(item.kind)}`;
  }

  /** Pace keys still waiting for their gap and lanes paused by a Retry-After: the due query skips them. */
  private blocked(now: number): { paceKeys: string[]; lanes: string[] } {
    const paceKeys: string[] = [];
    for (const [key, at] of this.lastSentAt) {
      if (at + this.paceGap(key) > now) paceKeys.push(key);
      else this.lastSentAt.delete(key);
    }
    // A pause is per pace key (a 429 on one channel's posts, or on chat.update) or, for rows without
    // a pace key, per lane.
    const lanes: string[] = [];
    for (const [key, until] of this.pausedUntil) {
      if (until <= now) this.pausedUntil.delete(key);
      else if (this.paceKeys.has(key)) paceKeys.push(key);
      else if (key.endsWith(':*')) paceKeys.push(...[...this.paceKeys].filter((k) => pauseFamilyOf(k) === key));
      else lanes.push(key);
    }
    return { paceKeys, lanes };
  }

  private readonly paceKeys = new Set<string>();

  private tick(): void {
    this.timer = null;
    this.timerAt = Infinity;
    if (!this.running) return;
    this.ticking = true;
    this.again = false;
    this.lastTickAt = performance.now();
    void this.look().then((soonest) => {
      this.ticking = false;
      this.completedLooks++;
      if (!this.running) return this.notifyIdleWaiters();
      if (this.again) this.wake();
      else this.arm(Math.max(this.minTickGapMs, soonest - this.o.clock()));
      this.notifyIdleWaiters();
    });
  }

  /** One look at the table: starts what may go now; returns when to look next. */
  private async look(): Promise<number> {
    const now = this.o.clock();
    let soonest = now + this.idleMs;
    try {
      const free = this.concurrency - this.active;
      const blocked = this.blocked(now);
      for (const key of blocked.paceKeys) {
        const paused = Math.max(this.pausedUntil.get(key) ?? 0, this.pausedUntil.get(pauseFamilyOf(key)) ?? 0);
        soonest = Math.min(soonest, Math.max((this.lastSentAt.get(key) ?? 0) + this.paceGap(key), paused));
      }
      for (const lane of blocked.lanes) soonest = Math.min(soonest, this.pausedUntil.get(lane) ?? soonest);
      const blockedKeys = new Set(blocked.paceKeys);
      const openKeys = [...this.paceKeys].filter((k) => !blockedKeys.has(k));
      const due = free > 0 ? await this.o.store.outbox.due(now, free * 8, openKeys, blocked.lanes) : [];
      let started = 0;
      this.heldBack = false;
      for (const item of due) {
        if (started >= free) break;
        if (this.inFlight.has(this.laneKey(item))) continue;
        const paused = this.pausedFor(item);
        if (paused > now) {
          soonest = Math.min(soonest, paused);
          continue;
        }
        if (item.paceKey) {
          const nextOk = (this.lastSentAt.get(item.paceKey) ?? 0) + this.paceGap(item.paceKey);
          if (nextOk > now) {
            soonest = Math.min(soonest, nextOk);
            continue;
          }
          const before = this.lastSentAt.get(item.paceKey);
          // Taken here, or by another process when the claim fails: either way the key's next slot is a gap away.
          this.lastSentAt.set(item.paceKey, now);
          if (!(await this.claim(item, now))) continue;
          started++;
          this.run(item, before);
          continue;
        }
        if (!(await this.claim(item, now))) continue;
        started++;
        this.run(item);
      }
      this.heldBack = started === 0 && (blocked.paceKeys.length > 0 || blocked.lanes.length > 0 || due.length > 0);
      const nextDue = await this.o.store.outbox.nextDueAt();
      if (nextDue !== null && nextDue > now) soonest = Math.min(soonest, nextDue);
    } catch (err) {
      this.o.logger.error({ err_code: codeOf(err) ?? 'outbox_read_failed' }, 'outbox tick failed');
    }
    return soonest;
  }

  /** The row is this process's to deliver (several processes may share one database); false when another has it. */
  private async claim(item: OutboxRecord, now: number): Promise<boolean> {
    return this.running && (await this.o.store.outbox.claim(item.id, item.paceKey, now, item.paceKey ? this.paceGap(item.paceKey) : 0));
  }

  private run(item: OutboxRecord, paceTakenAt?: number): void {
    this.inFlight.add(this.laneKey(item));
    this.active++;
    const handler = this.o.handlers[item.kind];
    const attempt: Promise<DeliveryOutcome> = handler
      ? handler(item).catch((err: unknown) => ({ type: 'retry', code: codeOf(err) ?? 'handler_error', afterMs: 5_000 }) as DeliveryOutcome)
      : Promise.resolve({ type: 'retry', code: 'no_handler', afterMs: 60_000, countAttempt: false });
    const p = attempt.then(async (outcome) => {
      // A deferred row sent nothing: its pace slot stays free for the next row of its key.
      if (outcome.type === 'defer' && !outcome.paceUsed && item.paceKey) {
        if (paceTakenAt === undefined) this.lastSentAt.delete(item.paceKey);
        else this.lastSentAt.set(item.paceKey, paceTakenAt);
      }
      await this.record(item, outcome);
      this.inFlight.delete(this.laneKey(item));
      this.active--;
      // A finished delivery frees its lane and a slot: the next row of its key may be due now, not at
      // the timer armed for rows held by pacing.
      this.heldBack = false;
      this.wake();
      this.notifyIdleWaiters();
    });
    this.idlePromise = Promise.all([this.idlePromise, p]).then(() => undefined);
  }

  private async record(item: OutboxRecord, outcome: DeliveryOutcome): Promise<void> {
    const now = this.o.clock();
    const meta = { handoff_id: item.handoffId, outbox_id: item.id, kind: item.kind, attempts: item.attempts + 1 };
    try {
      switch (outcome.type) {
        case 'done':
          await this.o.store.outbox.markDone(item.id, now);
          this.o.logger.debug(meta, 'outbox delivered');
          break;
        case 'retry':
          if (outcome.pauseKey) this.pausedUntil.set(outcome.pauseKey, now + outcome.afterMs);
          await this.o.store.outbox.retryLater(item.id, now + outcome.afterMs, now, outcome.code, outcome.countAttempt ?? true);
          this.o.logger.warn({ ...meta, err_code: outcome.code, retry_in_ms: outcome.afterMs }, 'outbox delivery will be retried');
          break;
        case 'defer':
          await this.o.store.outbox.deferTo(item.id, now + outcome.afterMs);
          break;
        case 'give_up':
          await this.o.store.outbox.markFailed(item.id, now, outcome.code);
          this.o.metrics.outboxFailed.inc({ kind: item.kind, code: outcome.code });
          this.o.logger.error({ ...meta, err_code: outcome.code }, 'outbox delivery given up');
          break;
      }
    } catch (err) {
      this.o.logger.error({ ...meta, err_code: codeOf(err) ?? 'outbox_write_failed' }, 'outbox bookkeeping failed');
    }
  }
}
