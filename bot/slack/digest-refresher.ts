import type { WebClient } from '@slack/web-api';
import type { HandoffConfig } from '../config/load-config.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Store } from '../store/store.js';
import { renderDigest } from './digest-model.js';
import { classifySlackError } from './slack-errors.js';
import { codeOf } from '../../shared/error-code.js';

export interface DigestRefresherDeps {
  store: Store;
  config: HandoffConfig;
  client: WebClient;
  clock: () => number;
  logger: Logger;
  metrics: Metrics;
  /**
   * Least time between two digest edits. chat.update is ~50/min for the whole workspace; card edits
   * take the rest of that budget (their own pace key in the outbox).
   */
  paceMs: number;
  /** Longest sleep while digests are open (a missed wake-up is noticed by then). */
  idleMs?: number;
  /** chat.update's Retry-After, shared with card edits in the outbox (clock ms). */
  updatePause: { pause(until: number): void; until(): number };
}

/**
 * Keeps each posted digest in step with its handoffs: a row links to its card once posted and shows
 * who claimed. Edits are coalesced (only what changed since the last edit, at most one per `paceMs`)
 * and driven by the database alone, so a restart picks up where it left off. A digest whose every row
 * has its card is edited a last time and closed.
 */
export class DigestRefresher {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private busy = false;
  private again = false;
  private lastEditAt = -Infinity;
  private cursor = 0;

  constructor(private readonly deps: DigestRefresherDeps) {}

  start(): void {
    this.running = true;
    this.wake();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.busy) await new Promise((r) => setTimeout(r, 10));
  }

  /** Something a digest shows may have changed. */
  wake(): void {
    if (!this.running) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    const now = performance.now();
    this.arm(Math.max(0, this.lastEditAt + this.deps.paceMs - now, this.deps.updatePause.until() - this.deps.clock()));
  }

  private arm(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(), delayMs);
  }

  private async run(): Promise<void> {
    this.timer = null;
    if (!this.running) return;
    this.busy = true;
    this.again = false;
    let more: boolean;
    try {
      more = await this.editOne();
    } catch (err) {
      this.deps.logger.error({ err_code: codeOf(err) ?? 'digest_refresh_failed' }, 'digest refresh failed');
      more = true;
    } finally {
      this.busy = false;
    }
    if (!this.running) return;
    if (more || this.again) this.wake();
    else if ((await this.deps.store.stormDigests.open()).length > 0) this.arm(this.deps.idleMs ?? 5_000);
  }

  /** Edits the next digest (round robin) whose content changed; returns whether others may be due. */
  private async editOne(): Promise<boolean> {
    const { store, config, client, clock } = this.deps;
    // A Retry-After that card edits met since this run was armed holds digest edits too.
    if (this.deps.updatePause.until() > clock()) return true;
    const open = await store.stormDigests.open();
    const renders = await Promise.all(open.map(async (d) => ({ digest: d, rendered: renderDigest(d, await store.stormDigests.entries(d.id), config) })));
    const due = renders
      .filter(({ digest, rendered }) => rendered.hash !== digest.renderedHash || rendered.settled);
    if (due.length === 0) return false;
    const next = due.find((d) => d.digest.id > this.cursor) ?? due[0]!;
    this.cursor = next.digest.id;
    const { digest, rendered } = next;
    if (rendered.hash !== digest.renderedHash) {
      this.lastEditAt = performance.now();
      try {
        await client.chat.update({ channel: digest.channel, ts: digest.ts!, text: rendered.message.text, blocks: rendered.message.blocks });
      } catch (err) {
        const c = classifySlackError(err);
        this.deps.metrics.slackApiErrors.inc({ method: 'chat.update', class: c.class });
        if (c.class === 'rate_limited') this.deps.updatePause.pause(clock() + (c.retryAfterMs ?? 1_000));
        if (c.class !== 'permanent') return true;
        // Deleted or archived: nothing left to keep in step.
        this.deps.logger.warn({ digest_id: digest.id, err_code: c.code }, 'digest can no longer be edited');
        await store.stormDigests.markRendered(digest.id, rendered.hash, clock());
        return due.length > 1;
      }
    }
    await store.stormDigests.markRendered(digest.id, rendered.hash, rendered.settled ? clock() : null);
    return due.length > 1;
  }
}
