import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per bot instance (several bots can share a test process). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    handoffsReceived: new Counter({
      name: 'handoff_intake_requests_total',
      help: 'Handoff webhooks by result (accepted, replayed or the error code)',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    providerRequests: new Counter({
      name: 'handoff_provider_requests_total',
      help: 'Voice-platform requests (docs/contract/voice-platforms.md) by platform and result (accepted, replayed, call_ended, … or the error code)',
      labelNames: ['platform', 'result'] as const,
      registers: [registry],
    }),
    intakeLatency: new Histogram({
      name: 'handoff_intake_latency_seconds',
      help: 'Time from request start to answer on POST /v1/handoffs',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    }),
    commitBatchSize: new Histogram({
      name: 'handoff_intake_commit_batch_size',
      help: 'Handoffs committed per group-commit transaction',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
      registers: [registry],
    }),
    outboxDepth: new Gauge({ name: 'handoff_outbox_depth', help: 'Pending outbox rows', registers: [registry] }),
    outboxOldestAge: new Gauge({
      name: 'handoff_outbox_oldest_age_seconds',
      help: 'Age of the oldest pending outbox row',
      registers: [registry],
    }),
    outboxFailed: new Counter({
      name: 'handoff_outbox_given_up_total',
      help: 'Outbox deliveries given up, by kind and error code',
      labelNames: ['kind', 'code'] as const,
      registers: [registry],
    }),
    slackApiErrors: new Counter({
      name: 'handoff_slack_api_errors_total',
      help: 'Slack Web API errors by method and class',
      labelNames: ['method', 'class'] as const,
      registers: [registry],
    }),
    escalations: new Counter({
      name: 'handoff_escalations_total',
      help: 'Escalations by trigger (manual, auto)',
      labelNames: ['trigger'] as const,
      registers: [registry],
    }),
    callbacksGivenUp: new Counter({
      name: 'handoff_callbacks_given_up_total',
      help: 'Status callbacks given up after 24 h or refused by the SSRF guard',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    // docs/contract/outcomes.md#app-home-and-metrics. Labels are config ids only (workflow, reason): bounded, and nothing personal.
    timeToClaim: new Histogram({
      name: 'handoff_time_to_claim_seconds',
      help: 'From receipt to the first claim, by workflow and reason',
      labelNames: ['workflow', 'reason'] as const,
      buckets: QUALITY_BUCKETS_SECONDS,
      registers: [registry],
    }),
    timeToResolve: new Histogram({
      name: 'handoff_time_to_resolve_seconds',
      help: 'From receipt to resolve, by workflow and reason',
      labelNames: ['workflow', 'reason'] as const,
      buckets: QUALITY_BUCKETS_SECONDS,
      registers: [registry],
    }),
  };
}

/** 5 s to a day: a caller waits seconds to minutes for a claim; a resolve may take hours. */
export const QUALITY_BUCKETS_SECONDS = [5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 86400];

export type Metrics = ReturnType<typeof createMetrics>;
