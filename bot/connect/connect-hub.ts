import type { HandoffConfig } from '../config/load-config.js';
import { dialDecisionFor } from '../domain/dial-policy.js';
import type { Logger } from '../observability/logger.js';
import type { ConnectState, HandoffRecord } from '../store/records.js';
import type { Store } from '../store/store.js';
import type { ConnectAnswer } from './answers.js';
import { codeOf } from '../../shared/error-code.js';

export interface ConnectHubDeps {
  store: Store;
  config: HandoffConfig;
  clock: () => number;
  logger: Logger;
  /** How often waits left over by a restart are looked for and recorded as over. */
  sweepMs?: number;
  /** Requests held at most (http/connection-guard.ts heldBudgetFor); past it a new one is answered with the fallback at once. */
  maxHeld?: number;
}

interface Waiter {
  handoffId: string;
  until: number;
  timer: NodeJS.Timeout;
  resolve: (answer: ConnectAnswer) => void;
}

/**
 * Holds live callers' transfer requests until a person claims (docs/contract/reaching-the-caller.md). Nothing is held but a
 * promise and a timer per request: no transaction stays open and many callers wait at once. Waiters
 * are woken by the event log, the same committed Claim that updates the card and the desktop, from
 * wherever it came (Slack, the desktop API, Call back); this hub never decides who claims. The wait
 * is persisted (`connect_waiting_until`), so after a restart the card tells the truth and the sweep
 * records the wait as over.
 */
export class ConnectHub {
  private readonly waiters = new Map<string, Set<Waiter>>();
  private cursor = 0;
  private readonly unsubscribe: () => void;
  private readonly sweeper: NodeJS.Timeout;
  private closed = false;
  /** One read of the log at a time; a commit meanwhile makes it read once more. */
  private pumping: Promise<void> | null = null;
  private pumpAgain = false;
  /** Requests inside `hold` now: the budget `maxHeld` counts these. */
  private held = 0;

  constructor(private readonly d: ConnectHubDeps) {
    // Every commit that added events (Slack, desktop, timers, intake) may have claimed a waited-on handoff.
    this.unsubscribe = d.store.commits.subscribe((n) => {
      if (n.events) this.pump();
    });
    this.sweeper = setInterval(() => void this.sweep(), d.sweepMs ?? 5_000);
    this.sweeper.unref();
    void this.sweep();
  }

  get waiting(): number {
    let n = 0;
    for (const set of this.waiters.values()) n += set.size;
    return n;
  }

  /**
   * Holds until the handoff is claimed (answered with the claimer's phone, or the fallback when they
   * have none), `wait` passes, or `signal` aborts (the platform closed the request: the handoff stays
   * open and carded, its card asks for a call back).
   */
  async hold(handoffId: string, waitMs: number, signal?: AbortSignal): Promise<ConnectAnswer> {
    if (this.closed) return { kind: 'fallback', why: 'shutdown' };
    // Each held request keeps a connection the cap never evicts: past the budget the caller hears the
    // fallback now, so waiting callers cannot take the connections intake, Slack and health need.
    // Counted from the first line (not once the waiter is added, after awaits) so a burst cannot overshoot.
    if (this.held >= (this.d.maxHeld ?? Number.POSITIVE_INFINITY)) {
      void this.recordBusy(handoffId, this.d.clock());
      return { kind: 'fallback', why: 'busy' };
    }
    this.held++;
    try {
      return await this.holdHere(handoffId, waitMs, signal);
    } finally {
      this.held--;
    }
  }

  private async holdHere(handoffId: string, waitMs: number, signal?: AbortSignal): Promise<ConnectAnswer> {
    // The cursor starts before the state is read, so a Claim committed after the read is seen.
    if (this.waiters.size === 0) this.cursor = await this.d.store.events.lastSeq();
    const h = await this.d.store.handoffs.get(handoffId);
    if (!h) return { kind: 'fallback', why: 'resolved' };
    const now = this.d.clock();
    const settled = await this.settledAnswer(h, now);
    if (settled) return settled;

    return new Promise<ConnectAnswer>((resolve) => {
      const until = now + waitMs;
      const waiter: Waiter = {
        handoffId,
        until,
        timer: setTimeout(() => this.timeOut(waiter), waitMs),
        resolve: (answer) => {
          clearTimeout(waiter.timer);
          signal?.removeEventListener('abort', onAbort);
          resolve(answer);
        },
      };
      const onAbort = () => void this.abandon(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
      // A repeated request of a call whose caller already waits (held here, or recorded and still on)
      // joins that wait: no event and no card edit. The wait ends when its last request does.
      const joins = this.waiters.has(handoffId) || (h.connect.state === 'waiting' && (h.connect.waitingUntil ?? 0) > now);
      this.add(waiter);
      if (joins) {
        if (signal?.aborted) void this.abandon(waiter);
        return;
      }
      void this.d.store.connect
        .startWaiting(handoffId, { now, until }, () => ({
          event: { type: 'handoff.caller_waiting', actor: null, at: now, data: { until } },
          outbox: [{ kind: 'slack.update_card' }],
        }))
        .then(
          async (started) => {
            if (started === null) await this.check(handoffId); // claimed or resolved between the read and the write
          },
          (err: unknown) => this.d.logger.warn({ handoff_id: handoffId, err_code: codeOf(err) ?? 'connect_write_failed' }, 'connect state not recorded'),
        );
      if (signal?.aborted) void this.abandon(waiter);
    });
  }

  /**
   * A caller turned away for want of room: recorded as a wait that ended at once (the card asks for a
   * call back), unless another request of the same call is held, which keeps the wait on.
   */
  private async recordBusy(handoffId: string, now: number): Promise<void> {
    // Another request of this call is held here: its wait goes on, and the card already says so.
    if (this.waiters.has(handoffId)) return;
    try {
      // A call that waited, or was turned away, before already has its answer on the card: a repeated
      // request (platforms retry) adds no event and no edit.
      const h = await this.d.store.handoffs.get(handoffId);
      if (!h || h.connect.state !== null) return;
      await this.d.store.connect.startWaiting(handoffId, { now, until: now }, () => ({
        event: { type: 'handoff.caller_waiting', actor: null, at: now, data: { until: now } },
        outbox: [{ kind: 'slack.update_card' }],
      }));
      await this.d.store.connect.endWaiting(handoffId, { state: 'timed_out', user: null, now }, () => ({
        event: { type: 'handoff.caller_wait_ended', actor: null, at: now, data: { outcome: 'busy' } },
        outbox: [{ kind: 'slack.update_card' }],
      }));
    } catch (err) {
      this.d.logger.warn({ handoff_id: handoffId, err_code: codeOf(err) ?? 'connect_write_failed' }, 'connect state not recorded');
    }
  }

  /** Answers every held request with the fallback (the process is stopping; their waits stay persisted). */
  close(): void {
    this.closed = true;
    clearInterval(this.sweeper);
    this.unsubscribe();
    for (const set of this.waiters.values()) for (const w of set) w.resolve({ kind: 'fallback', why: 'shutdown' });
    this.waiters.clear();
  }

  /** Reads the events committed since the last look; every handoff with a waiter among them is checked. */
  private pump(): void {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = (async () => {
      do {
        this.pumpAgain = false;
        await this.pumpOnce();
      } while (this.pumpAgain && !this.closed);
    })()
      .catch((err: unknown) => this.d.logger.warn({ err_code: codeOf(err) ?? 'connect_read_failed' }, 'connect read failed'))
      .finally(() => {
        this.pumping = null;
      });
  }

  private async pumpOnce(): Promise<void> {
    if (this.waiters.size === 0) return;
    for (;;) {
      const rows = await this.d.store.events.after(this.cursor, 500);
      if (rows.length === 0) return;
      this.cursor = rows.at(-1)!.seq;
      const touched = new Set(rows.filter((e) => this.waiters.has(e.handoffId)).map((e) => e.handoffId));
      for (const id of touched) await this.check(id);
      if (rows.length < 500) return;
    }
  }

  /** A claimed or resolved handoff answers its waiters; the outcome is recorded before they hear it. */
  private async check(handoffId: string): Promise<void> {
    if (!this.waiters.get(handoffId)?.size) return;
    const h = await this.d.store.handoffs.get(handoffId);
    const answer = h ? await this.settledAnswer(h, this.d.clock()) : ({ kind: 'fallback', why: 'resolved' } as const);
    // Read again after the awaits: a waiter that timed out or went away meanwhile has been answered.
    const set = this.waiters.get(handoffId);
    if (!set || set.size === 0) return;
    if (!answer) return;
    this.waiters.delete(handoffId);
    for (const w of set) w.resolve(answer);
  }

  /** The answer a handoff's current state gives at once (recording it on the card), or null: keep waiting. */
  private async settledAnswer(h: HandoffRecord, now: number): Promise<ConnectAnswer | null> {
    if (h.status === 'resolved') {
      await this.end(h.id, 'closed', null, now);
      return { kind: 'fallback', why: 'resolved' };
    }
    if (h.status !== 'claimed' || !h.claimedBy) return null;
    // A phone the dial policy refuses for this workflow (its country is not on the list) cannot be put through either.
    const listed = this.d.config.people.get(h.claimedBy);
    const phone = listed !== undefined && dialDecisionFor(this.d.config, h.workflowId, listed).ok ? listed : undefined;
    await this.end(h.id, phone ? 'connected' : 'no_phone', h.claimedBy, now);
    return phone ? { kind: 'connected', userId: h.claimedBy, phone } : { kind: 'fallback', why: 'no_phone' };
  }

  private timeOut(w: Waiter): void {
    this.remove(w);
    // Another request of the same call still held keeps the wait on; the last one ends it.
    if (this.waiters.has(w.handoffId)) {
      w.resolve({ kind: 'fallback', why: 'timed_out' });
      return;
    }
    // A timer may fire a hair before the clock reaches `until`; the wait is over all the same.
    void this.end(w.handoffId, 'timed_out', null, Math.max(this.d.clock(), w.until)).then(() => w.resolve({ kind: 'fallback', why: 'timed_out' }));
  }

  private async abandon(w: Waiter): Promise<void> {
    if (!this.remove(w)) return;
    if (!this.waiters.has(w.handoffId)) await this.end(w.handoffId, 'closed', null, this.d.clock());
    w.resolve({ kind: 'fallback', why: 'closed' });
  }

  /** Records how the wait ended (once: the UPDATE is conditional on a wait being on), with its event and card edit. */
  private async end(handoffId: string, state: ConnectState, user: string | null, now: number): Promise<void> {
    try {
      await this.d.store.connect.endWaiting(handoffId, { state, user, now }, () => ({
        event:
          state === 'connected'
            ? { type: 'handoff.caller_connected', actor: user, at: now, data: {} }
            : { type: 'handoff.caller_wait_ended', actor: user, at: now, data: { outcome: state } },
        outbox: [{ kind: 'slack.update_card' }],
      }));
    } catch (err) {
      // The caller is answered anyway; the sweep or the next change records the state.
      this.d.logger.warn({ handoff_id: handoffId, err_code: codeOf(err) ?? 'connect_write_failed' }, 'connect state not recorded');
    }
  }

  /** Waits whose time passed with no request held here (a restart): recorded as timed out, the card asks for a call back. */
  private async sweep(): Promise<void> {
    try {
      const now = this.d.clock();
      for (const id of await this.d.store.connect.expired(now)) if (!this.waiters.has(id)) await this.end(id, 'timed_out', null, now);
    } catch (err) {
      this.d.logger.warn({ err_code: codeOf(err) ?? 'connect_sweep_failed' }, 'connect sweep failed');
    }
  }

  private add(w: Waiter): void {
    let set = this.waiters.get(w.handoffId);
    if (!set) this.waiters.set(w.handoffId, (set = new Set()));
    set.add(w);
  }

  private remove(w: Waiter): boolean {
    const set = this.waiters.get(w.handoffId);
    if (!set?.delete(w)) return false;
    if (set.size === 0) this.waiters.delete(w.handoffId);
    return true;
  }
}
