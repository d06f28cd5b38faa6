import type { WebClient } from '@slack/web-api';
import type { HandoffConfig } from '../config/load-config.js';
import { weekStartUtc } from '../domain/week.js';
import type { Logger } from '../observability/logger.js';
import { backoffMs, OUTBOX_BACKOFF } from '../../shared/backoff.js';
import { buildStatsReport } from './cards/stats-report.js';
import { classifySlackError } from './slack-errors.js';
import type { Store } from '../store/store.js';
import { collectStats } from '../stats/collect-stats.js';

export interface WeeklyDigestDeps {
  store: Store;
  config: HandoffConfig;
  client: WebClient;
  clock: () => number;
  logger: Logger;
  tickMs?: number;
}

/**
 * The weekly digest (docs/contract/outcomes.md#stats): `/handoff stats` for the 7 days before each Monday 00:00 UTC,
 * posted to `stats_channel`. A row per week in the database is claimed once (any restart or second
 * process sees it taken) and retried with backoff until Slack takes the message. A channel is seen by
 * its members, not by `allowed_users`: restricted workflows stay out of it.
 */
export class WeeklyDigest {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly deps: WeeklyDigestDeps) {}

  start(): void {
    if (!this.deps.config.statsChannel || this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.deps.tickMs ?? 60_000);
    this.timer.unref();
    void this.tick();
  }

  /** Stops the schedule and waits for a tick in flight (it must not outlive the database). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Claims this week's digest if nobody has, then posts every due one. One tick at a time. */
  tick(): Promise<void> {
    this.running ??= this.run().finally(() => (this.running = null));
    return this.running;
  }

  private async run(): Promise<void> {
    const channel = this.deps.config.statsChannel;
    if (!channel) return;
    const now = this.deps.clock();
    const repo = this.deps.store.weeklyDigests;
    await repo.claimWeek(weekStartUtc(now), channel, now);
    for (const due of await repo.due(now)) {
      const workflows = [...this.deps.config.workflows.values()].filter((w) => w.allowed_users.length === 0);
      const report = buildStatsReport(await collectStats(this.deps.store.stats, this.deps.config, { now: due.weekStart, days: 7, workflows, scope: null }));
      try {
        const res = await this.deps.client.chat.postMessage({ channel: due.channel, text: `Weekly digest. ${report.text}`, blocks: report.blocks, unfurl_links: false });
        await repo.markPosted(due.weekStart, String(res.ts ?? ''));
        this.deps.logger.info({ job: 'weekly_digest', week_start: due.weekStart }, 'weekly digest posted');
      } catch (err) {
        const c = classifySlackError(err);
        const after = c.class === 'rate_limited' ? (c.retryAfterMs ?? 1_000) : backoffMs(due.attempts, OUTBOX_BACKOFF);
        await repo.retryLater(due.weekStart, this.deps.clock() + after, c.code);
        this.deps.logger.warn({ job: 'weekly_digest', week_start: due.weekStart, err_class: c.class, err_code: c.code }, 'weekly digest not posted; retrying');
      }
    }
  }
}
