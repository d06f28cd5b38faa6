import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { laneOf } from '../store/outbox-repo.js';
import type { OutboxRecord } from '../store/records.js';
import type { Store } from '../store/store.js';
import type { DeliveryHandlers, DeliveryOutcome } from './outcome.js';

export interface OutboxWorkerOptions {
  store: Store;
  handlers: DeliveryHandlers;
  clock: () => number;
  logger: Logger;
  metrics: Metrics;
  /** Minimum gap between two sends with the same pace key (Slack: 1 message/s per channel). */
  paceMs?: number;
  concurrency?: number;
  /** Upper bound on how long the worker sleeps between looks at the table. */
  idleMs?: number;
  /** Least time between two looks when woken repeatedly (a burst of handoffs costs one read, not one each). */
  minTickGapMs?: number;
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
  /** The last look found rows but every one was held by pacing or a pause: the armed timer covers them. */
  private heldBack = false;
  private timerAt = Infinity;
  private readonly minTickGapMs: number;

  constructor(private readonly o: OutboxWorkerOptions) {
    this.paceMs = o.paceMs ?? 1_000;
    this.concurrency = o.concurrency ?? 4;
    this.idleMs = o.idleMs ?? 1_000;
    this.minTickGapMs = o.minTickGapMs ?? 20;
  }

  start(): void {
    this.running = true;
    for (const key of this.o.store.outbox.pendingPaceKeys()) this.paceKeys.add(key);
    this.o.store.outbox.onPaceKey = (key) => this.paceKeys.add(key);
    this.wake();
  }

  async stop(): Promise<void> {
    this.running = false;
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
      if (this.isIdle()) return;
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
  }

  private readonly idleWaiters: Array<() => void> = [];

  private isIdle(): boolean {
    if (!this.running) return true;
    if (this.active > 0 || this.ticking) return false;
    const next = this.o.store.outbox.nextDueAt();
    return next === null || next > this.o.clock();
  }

  /** Lets every whenIdle() look again (after a tick and after each delivery). */
  private notifyIdleWaiters(): void {
    for (const resolve of this.idleWaiters.splice(0)) resolve();
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

  private pauseKeyOf(item: OutboxRecord): string {
    return laneOf(item.kind);
  }

  private laneKey(item: OutboxRecord): string {
    return `${item.handoffId}:${laneOf(item.kind)}`;
  }

  /** Pace keys still waiting for their gap and lanes paused by a Retry-After: the due query skips them. */
  private blocked(now: number): { paceKeys: string[]; lanes: string[] } {
    const paceKeys: string[] = [];
    for (const [key, at] of this.lastSentAt) {
      if (at + this.paceMs > now) paceKeys.push(key);
      else this.lastSentAt.delete(key);
    }
    const lanes = [...this.pausedUntil].filter(([, until]) => until > now).map(([lane]) => lane);
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
    const now = this.o.clock();
    let soonest = now + this.idleMs;
    try {
      const free = this.concurrency - this.active;
      const blocked = this.blocked(now);
      for (const key of blocked.paceKeys) soonest = Math.min(soonest, (this.lastSentAt.get(key) ?? 0) + this.paceMs);
      for (const lane of blocked.lanes) soonest = Math.min(soonest, this.pausedUntil.get(lane) ?? soonest);
      const blockedKeys = new Set(blocked.paceKeys);
      const openKeys = [...this.paceKeys].filter((k) => !blockedKeys.has(k));
      const due = free > 0 ? this.o.store.outbox.due(now, free * 8, openKeys, blocked.lanes) : [];
      let started = 0;
      this.heldBack = false;
      for (const item of due) {
        if (started >= free) break;
        if (this.inFlight.has(this.laneKey(item))) continue;
        const paused = this.pausedUntil.get(this.pauseKeyOf(item)) ?? 0;
        if (paused > now) {
          soonest = Math.min(soonest, paused);
          continue;
        }
        if (item.paceKey) {
          const nextOk = (this.lastSentAt.get(item.paceKey) ?? 0) + this.paceMs;
          if (nextOk > now) {
            soonest = Math.min(soonest, nextOk);
            continue;
          }
          this.lastSentAt.set(item.paceKey, now);
        }
        started++;
        this.run(item);
      }
      this.heldBack = started === 0 && (blocked.paceKeys.length > 0 || blocked.lanes.length > 0 || due.length > 0);
      const nextDue = this.o.store.outbox.nextDueAt();
      if (nextDue !== null && nextDue > now) soonest = Math.min(soonest, nextDue);
    } catch (err) {
      this.o.logger.error({ err_code: (err as { code?: string }).code ?? 'outbox_read_failed' }, 'outbox tick failed');
    } finally {
      this.ticking = false;
    }
    if (!this.running) return this.notifyIdleWaiters();
    if (this.again) this.wake();
    else this.arm(Math.max(this.minTickGapMs, soonest - this.o.clock()));
    this.notifyIdleWaiters();
  }

  private run(item: OutboxRecord): void {
    this.inFlight.add(this.laneKey(item));
    this.active++;
    const handler = this.o.handlers[item.kind];
    const attempt: Promise<DeliveryOutcome> = handler
      ? handler(item).catch((err: unknown) => ({ type: 'retry', code: (err as { code?: string }).code ?? 'handler_error', afterMs: 5_000 }) as DeliveryOutcome)
      : Promise.resolve({ type: 'retry', code: 'no_handler', afterMs: 60_000, countAttempt: false });
    const p = attempt.then((outcome) => {
      this.record(item, outcome);
      this.inFlight.delete(this.laneKey(item));
      this.active--;
      this.wake();
      this.notifyIdleWaiters();
    });
    this.idlePromise = Promise.all([this.idlePromise, p]).then(() => undefined);
  }

  private record(item: OutboxRecord, outcome: DeliveryOutcome): void {
    const now = this.o.clock();
    const meta = { handoff_id: item.handoffId, outbox_id: item.id, kind: item.kind, attempts: item.attempts + 1 };
    try {
      switch (outcome.type) {
        case 'done':
          this.o.store.outbox.markDone(item.id, now);
          this.o.logger.debug(meta, 'outbox delivered');
          break;
        case 'retry':
          if (outcome.pauseKey) this.pausedUntil.set(outcome.pauseKey, now + outcome.afterMs);
          this.o.store.outbox.retryLater(item.id, now + outcome.afterMs, now, outcome.code, outcome.countAttempt ?? true);
          this.o.logger.warn({ ...meta, err_code: outcome.code, retry_in_ms: outcome.afterMs }, 'outbox delivery will be retried');
          break;
        case 'give_up':
          this.o.store.outbox.markFailed(item.id, now, outcome.code);
          this.o.metrics.outboxFailed.inc({ kind: item.kind, code: outcome.code });
          this.o.logger.error({ ...meta, err_code: outcome.code }, 'outbox delivery given up');
          break;
      }
    } catch (err) {
      this.o.logger.error({ ...meta, err_code: (err as { code?: string }).code ?? 'outbox_write_failed' }, 'outbox bookkeeping failed');
    }
  }
}
