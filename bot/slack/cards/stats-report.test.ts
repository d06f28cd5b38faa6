import { describe, expect, it } from 'vitest';
import type { StatsReportRow } from '../../stats/stats-figures.js';
import { buildStatsReport, change, formatDuration, percent, textBar } from './stats-report.js';
import { messageProblems } from '../../../test/support/cards/check-message.js';

const timing = (medianMs: number | null) => ({ n: medianMs === null ? 0 : 3, medianMs, p90Ms: medianMs === null ? null : medianMs * 2 });

function row(i: number, over: Partial<StatsReportRow> = {}): StatsReportRow {
  return {
    workflowId: `wf-${Math.floor(i / 5)}`,
    workflowName: `Workflow <${Math.floor(i / 5)}> & *bold*`,
    reason: `reason_${i}`,
    count: 10 + i,
    escalated: 2,
    hungUpBeforeClaim: 1,
    resolved: 8,
    notNeeded: 2,
    timeToClaim: timing(90_000),
    timeToResolve: timing(3_600_000),
    previous: null,
    ...over,
  };
}

describe('buildStatsReport', () => {
  it('stays within Block Kit limits with two thousand workflows and reasons, escaping names', () => {
    const report = buildStatsReport({ days: 30, scope: null, rows: Array.from({ length: 2000 }, (_, i) => row(i)) });
    expect(messageProblems(report, {})).toEqual([]);
    expect(JSON.stringify(report.blocks)).toContain('Workflow &lt;0&gt; &amp;');
    expect(JSON.stringify(report.blocks)).toContain('not shown');
  });

  it('says "none yet" for a reason nobody claimed, and the change against the period before', () => {
    const text = JSON.stringify(
      buildStatsReport({ days: 7, scope: 'Billing', rows: [row(0, { timeToClaim: timing(null), previous: { ...row(0), count: 5, timeToResolve: timing(60_000) } })] }).blocks,
    );
    expect(text).toContain('Claim: none yet');
    expect(text).toContain('10 handoffs (▲ 100% vs the 7 days before)');
    expect(text).toContain('Resolve: median 1h (was 1m), p90 2h');
  });

  it('formats durations, shares, changes and bars', () => {
    expect([0, 45_000, 90_000, 3_600_000, 3_660_000, 90_000_000].map(formatDuration)).toEqual(['0s', '45s', '1m 30s', '1h', '1h 1m', '1d 1h']);
    expect([percent(1, 3), percent(0, 0)]).toEqual(['33%', '–']);
    expect([change(12, 10), change(9, 10), change(10, 10), change(3, 0), change(3, null)]).toEqual(['▲ 20%', '▼ 10%', 'no change', 'new', 'new']);
    expect([textBar(5, 10), textBar(1, 100), textBar(0, 0)]).toEqual(['█████░░░░░', '█░░░░░░░░░', '░░░░░░░░░░']);
  });
});
