import { escapeTruncate, singleLine } from '../mrkdwn.js';
import { type MessageBlock, type SlackMessage, mrkdwn, plain } from './blocks.js';
import { reasonText } from './format.js';
import { packedSections, plural } from './pack.js';
import type { StatsDays, StatsReportInput, StatsReportRow, StatsTiming } from '../../stats/stats-figures.js';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "45s", "3m 20s", "1h 5m", "2d 3h": precise enough to compare waits, short enough for a line. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  if (ms < MINUTE) return `${Math.round(ms / SECOND)}s`;
  const parts = (big: number, bigUnit: string, small: number, smallUnit: string) => {
    const a = Math.floor(ms / big);
    const b = Math.floor((ms % big) / small);
    return b === 0 ? `${a}${bigUnit}` : `${a}${bigUnit} ${b}${smallUnit}`;
  };
  if (ms < HOUR) return parts(MINUTE, 'm', SECOND, 's');
  if (ms < DAY) return parts(HOUR, 'h', MINUTE, 'm');
  return parts(DAY, 'd', HOUR, 'h');
}

export function percent(part: number, whole: number): string {
  return whole === 0 ? '–' : `${Math.round((part / whole) * 100)}%`;
}

/** "▲ 12%", "▼ 5%", "no change", or "new" when the previous period had none. */
export function change(now: number, before: number | null | undefined): string {
  if (before === null || before === undefined || before === 0) return 'new';
  const pct = Math.round(((now - before) / before) * 100);
  if (pct === 0) return 'no change';
  return pct > 0 ? `▲ ${pct}%` : `▼ ${-pct}%`;
}

/** A bar of `width` cells for value/max, drawn in text (App Home and the digest have no charts). */
export function textBar(value: number, max: number, width = 10): string {
  const filled = max <= 0 ? 0 : Math.max(value > 0 ? 1 : 0, Math.round((value / max) * width));
  return '█'.repeat(Math.min(filled, width)) + '░'.repeat(Math.max(0, width - filled));
}

function timingText(label: string, t: StatsTiming, before: StatsTiming | undefined): string {
  if (t.n === 0 || t.medianMs === null) return `${label}: none yet`;
  const was = before?.medianMs === null || before?.medianMs === undefined ? '' : ` (was ${formatDuration(before.medianMs)})`;
  return `${label}: median ${formatDuration(t.medianMs)}${was}, p90 ${formatDuration(t.p90Ms ?? t.medianMs)}`;
}

/** The two lines of one workflow and reason. */
export function statsLines(row: StatsReportRow, days: StatsDays): string[] {
  const reason = escapeTruncate(reasonText(row), 100);
  const previous = row.previous;
  return [
    `*${reason}* · ${plural(row.count, 'handoff')} (${change(row.count, previous?.count)} vs the ${days} days before)`,
    [
      timingText('Claim', row.timeToClaim, previous?.timeToClaim),
      timingText('Resolve', row.timeToResolve, previous?.timeToResolve),
      `Escalated ${percent(row.escalated, row.count)}`,
      `Hung up before a claim ${percent(row.hungUpBeforeClaim, row.count)}`,
      `Not needed ${percent(row.notNeeded, row.resolved)} of resolved`,
    ].join(' · '),
  ];
}

function periodText(days: StatsDays, scope: string | null): string {
  const where = scope === null ? '' : ` · ${escapeTruncate(singleLine(scope), 100)}`;
  return `last ${days} days${where}`;
}

/** `/handoff stats [7d|30d] [workflow]`: per workflow and reason, with the change against the period before. */
export function buildStatsReport(input: StatsReportInput): SlackMessage {
  const title = `Handoff stats · ${periodText(input.days, input.scope)}`;
  const blocks: MessageBlock[] = [{ type: 'header', block_id: 'ho_stats_header', text: plain(escapeTruncate(title, 150)) }];
  if (input.rows.length === 0) {
    // Zeros would read as figures; an empty period is said in words.
    blocks.push({ type: 'section', block_id: 'ho_stats_empty', text: mrkdwn(`No handoffs in the ${periodText(input.days, input.scope)}, so there are no figures yet.`) });
    return { text: `${title}: no handoffs`, blocks };
  }
  const lines: string[] = [];
  let workflow: string | null = null;
  for (const row of input.rows) {
    if (row.workflowId !== workflow) {
      workflow = row.workflowId;
      lines.push(`:telephone_receiver: *${escapeTruncate(singleLine(row.workflowName), 150)}*`);
    }
    lines.push(...statsLines(row, input.days));
  }
  blocks.push(
    ...packedSections(lines, { maxSections: 40, blockIdPrefix: 'ho_stats_rows', moreBlockId: 'ho_stats_more', more: (n) => `+${plural(n, 'more line')} not shown` }),
  );
  const total = input.rows.reduce((sum, r) => sum + r.count, 0);
  blocks.push({
    type: 'context',
    block_id: 'ho_stats_legend',
    elements: [mrkdwn('Times from receipt: to the first claim, to resolve. Medians and p90 interpolate between ranks. "Not needed" is the outcome people picked on resolve.')],
  });
  return { text: `${title}: ${plural(total, 'handoff')}`, blocks };
}
