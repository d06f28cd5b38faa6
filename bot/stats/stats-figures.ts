// What /handoff stats, App Home and the weekly digest show, as collect-stats.ts computes it; the
// Slack text is bot/slack/cards/stats-report.ts.

export const STATS_PERIODS = [7, 30] as const;
export type StatsDays = (typeof STATS_PERIODS)[number];

export interface StatsTiming {
  n: number;
  medianMs: number | null;
  p90Ms: number | null;
}

/** One workflow and reason over a period: counts and timings only, never personal data. */
export interface StatsFigures {
  count: number;
  escalated: number;
  hungUpBeforeClaim: number;
  resolved: number;
  notNeeded: number;
  timeToClaim: StatsTiming;
  timeToResolve: StatsTiming;
}

export interface StatsReportRow extends StatsFigures {
  workflowId: string;
  workflowName: string;
  reason: string;
  reasonLabel?: string;
  /** The same workflow and reason over the period before; null when it had none. */
  previous: StatsFigures | null;
}

export interface StatsReportInput {
  days: StatsDays;
  /** The workflow name when the report is for one workflow. */
  scope: string | null;
  rows: readonly StatsReportRow[];
}
