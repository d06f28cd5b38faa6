import type { EventEmitter } from 'node:events';
import type { HandoffConfig } from '../config/load-config.js';
import type { Logger } from '../observability/logger.js';
import type { ConnectState, HandoffRecord } from '../store/records.js';
import type { Store } from '../store/store.js';
import type { ConnectAnswer } from './answers.js';

export interface ConnectHubDeps {
  store: Store;
  config: HandoffConfig;
  clock: () => number;
  logger: Logger;
  /** Emits 'appended' after every commit that added events: Slack, desktop, timers, intake. */
  events: EventEmitter;
  /** After this hub committed a change: wake the outbox (card edit) and the event stream. */
  afterCommit: (eventSeq: number) => void;
  /** How often waits left over by a restart are looked for and recorded as over. */
  sweepMs?: number;
}

interface Waiter {
  handoffId: string;
  until: number;
  timer: NodeJS.Timeout;
  resolve: (answer: ConnectAnswer) => void;
}

/**
 * Holds live callers' transfer requests until a person claims (SPEC section 9). Nothing is held but a
 * promise and a timer per request: no transaction stays open and many callers wait at once. Waiters
 * are woken by the event log, the same committed Claim that updates the card and the desktop, from
 * wherever it came (Slack, the desktop API, Call back); this hub never decides who claims. The wait
 * is persisted (`connect_waiting_until`), so after a restart the card tells the truth and the sweep
 * records the wait as over.
 */
export class ConnectHub {
  private readonly waiters = new Map<string, Set<Waiter>>();
  private cursor = 0;
  private readonly onAppended = () => this.pump();
  private readonly sweeper: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly d: ConnectHubDeps) {
    d.events.on('appended', this.onAppended);
    this.sweeper = setInterval(() => this.sweep(), d.sweepMs ?? 5_000);
    this.sweeper.unref();
    this.sweep();
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
  hold(handoffId: string, waitMs: number, signal?: AbortSignal): Promise<ConnectAnswer> {
    if (this.closed) return Promise.resolve({ kind: 'fallback', why: 'shutdown' });
    // The cursor starts before the state is read, so a Claim committed after the read is seen.
    if (this.waiters.size === 0) this.cursor = this.d.store.events.lastSeq();
    const h = this.d.store.handoffs.get(handoffId);
    if (!h) return Promise.resolve({ kind: 'fallback', why: 'resolved' });
    const now = this.d.clock();
    const settled = this.settledAnswer(h, now);
    if (settled) return Promise.resolve(settled);

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
      const onAbort = () => this.abandon(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.add(waiter);
      const started = this.d.store.transaction(() => {
        if (!this.d.store.connect.startWaiting(handoffId, now, until)) return null;
        const seq = this.d.store.events.append(handoffId, 'handoff.caller_waiting', null, now, { until });
        this.d.store.outbox.enqueue(handoffId, [{ kind: 'slack.update_card' }], now);
        return seq;
      });
      if (started === null) this.check(handoffId); // claimed or resolved between the read and the write
      else this.d.afterCommit(started);
      if (signal?.aborted) this.abandon(waiter);
    });
  }

  /** Answers every held request with the fallback (the process is stopping; their waits stay persisted). */
  close(): void {
    this.closed = true;
    clearInterval(this.sweeper);
    this.d.events.off('appended', this.onAppended);
    for (const set of this.waiters.values()) for (const w of set) w.resolve({ kind: 'fallback', why: 'shutdown' });
    this.waiters.clear();
  }

  /** Reads the events committed since the last look; every handoff with a waiter among them is checked. */
  private pump(): void {
    if (this.waiters.size === 0) return;
    for (;;) {
      const rows = this.d.store.events.after(this.cursor, 500);
      if (rows.length === 0) return;
      this.cursor = rows.at(-1)!.seq;
      const touched = new Set(rows.filter((e) => this.waiters.has(e.handoffId)).map((e) => e.handoffId));
      for (const id of touched) this.check(id);
      if (rows.length < 500) return;
    }
  }

  /** A claimed or resolved handoff answers its waiters; the outcome is recorded before they hear it. */
  private check(handoffId: string): void {
    const set = this.waiters.get(handoffId);
    if (!set || set.size === 0) return;
    const h = this.d.store.handoffs.get(handoffId);
    const answer = h ? this.settledAnswer(h, this.d.clock()) : ({ kind: 'fallback', why: 'resolved' } as const);
    if (!answer) return;
    this.waiters.delete(handoffId);
    for (const w of set) w.resolve(answer);
  }

  /** The answer a handoff's current state gives at once (recording it on the card), or null: keep waiting. */
  private settledAnswer(h: HandoffRecord, now: number): ConnectAnswer | null {
    if (h.status === 'resolved') {
      this.end(h.id, 'closed', null, now);
      return { kind: 'fallback', why: 'resolved' };
    }
    if (h.status !== 'claimed' || !h.claimedBy) return null;
    const phone = this.d.config.people.get(h.claimedBy);
    this.end(h.id, phone ? 'connected' : 'no_phone', h.claimedBy, now);
    return phone ? { kind: 'connected', userId: h.claimedBy, phone } : { kind: 'fallback', why: 'no_phone' };
  }

  private timeOut(w: Waiter): void {
    this.remove(w);
    // A timer may fire a hair before the clock reaches `until`; the wait is over all the same.
    this.end(w.handoffId, 'timed_out', null, Math.max(this.d.clock(), w.until));
    w.resolve({ kind: 'fallback', why: 'timed_out' });
  }

  private abandon(w: Waiter): void {
    if (!this.remove(w)) return;
    if (!this.waiters.has(w.handoffId)) this.end(w.handoffId, 'closed', null, this.d.clock());
    w.resolve({ kind: 'fallback', why: 'closed' });
  }

  /** Records how the wait ended (once: the UPDATE is conditional on a wait being on), with its event and card edit. */
  private end(handoffId: string, state: ConnectState, user: string | null, now: number): void {
    try {
      const seq = this.d.store.transaction(() => {
        if (!this.d.store.connect.endWaiting(handoffId, state, user, now)) return null;
        const seq =
          state === 'connected'
            ? this.d.store.events.append(handoffId, 'handoff.caller_connected', user, now, {})
            : this.d.store.events.append(handoffId, 'handoff.caller_wait_ended', user, now, { outcome: state });
        this.d.store.outbox.enqueue(handoffId, [{ kind: 'slack.update_card' }], now);
        return seq;
      });
      if (seq !== null) this.d.afterCommit(seq);
    } catch (err) {
      // The caller is answered anyway; the sweep or the next change records the state.
      this.d.logger.warn({ handoff_id: handoffId, err_code: (err as { code?: string }).code ?? 'connect_write_failed' }, 'connect state not recorded');
    }
  }

  /** Waits whose time passed with no request held here (a restart): recorded as timed out, the card asks for a call back. */
  private sweep(): void {
    try {
      const now = this.d.clock();
      for (const id of this.d.store.connect.expired(now)) if (!this.waiters.has(id)) this.end(id, 'timed_out', null, now);
    } catch (err) {
      this.d.logger.warn({ err_code: (err as { code?: string }).code ?? 'connect_sweep_failed' }, 'connect sweep failed');
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
