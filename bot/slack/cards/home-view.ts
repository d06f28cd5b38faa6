import type * as slack from '@slack/types';
import { escapeTruncate, singleLine } from '../mrkdwn.js';
import { type MessageBlock, mrkdwn, plain } from './blocks.js';
import { reasonText } from './format.js';
import { packedSections, plural } from './pack.js';
import type { StatsReportInput } from '../../stats/stats-figures.js';
import { formatDuration, percent, textBar } from './stats-report.js';
import { LIST_LIMIT, listLine, type HandoffListItem } from './status-report.js';

export interface HomeViewInput {
  now: number;
  /** The viewer's claimed, unresolved handoffs (of workflows they may see). */
  mine: readonly HandoffListItem[];
  /** Unresolved handoffs of the workflows they may see, most urgent first; at most LIST_LIMIT shown. */
  queue: readonly HandoffListItem[];
  queueCounts: { open: number; claimed: number };
  /** This week's figures, for the same workflows. */
  week: StatsReportInput;
}

export interface HomeView extends slack.HomeView {
  type: 'home';
  blocks: MessageBlock[];
}

/** This week per workflow and reason, with a text bar of each reason's share of the busiest one. */
function weekLines(week: StatsReportInput): string[] {
  const max = Math.max(0, ...week.rows.map((r) => r.count));
  const lines: string[] = [];
  let workflow: string | null = null;
  for (const row of week.rows) {
    if (row.workflowId !== workflow) {
      workflow = row.workflowId;
      lines.push(`*${escapeTruncate(singleLine(row.workflowName), 150)}*`);
    }
    const claim = row.timeToClaim.medianMs === null ? 'no claims yet' : `claimed in ${formatDuration(row.timeToClaim.medianMs)} (median)`;
    lines.push(
      `\`${textBar(row.count, max)}\` ${row.count} ${escapeTruncate(reasonText(row), 80)} · ${claim} · not needed ${percent(row.notNeeded, row.resolved)}`,
    );
  }
  return lines;
}

/**
 * The App Home tab (views.publish): the viewer's handoffs, the queue and this week's figures. The
 * caller passes only what the viewer may see; nothing here reads personal data (lists show reason,
 * workflow, state and age, as `/handoff status` does).
 */
export function buildHomeView(input: HomeViewInput): HomeView {
  const blocks: MessageBlock[] = [{ type: 'header', block_id: 'ho_home_header', text: plain('Handoff') }];
  blocks.push({ type: 'section', block_id: 'ho_home_mine_title', text: mrkdwn(`*Your handoffs* (${input.mine.length === 0 ? 'none' : plural(input.mine.length, 'claimed')})`) });
  if (input.mine.length === 0) {
    blocks.push({ type: 'context', block_id: 'ho_home_mine_none', elements: [mrkdwn('You have no claimed handoffs.')] });
  } else {
    blocks.push(...packedSections(input.mine.slice(0, LIST_LIMIT).map((i) => listLine(i, input.now)), { maxSections: 5, blockIdPrefix: 'ho_home_mine', moreBlockId: 'ho_home_mine_more', more: (n) => `+${n} more` }));
  }
  blocks.push({ type: 'divider', block_id: 'ho_home_div_1' });
  const { open, claimed } = input.queueCounts;
  blocks.push({ type: 'section', block_id: 'ho_home_queue_title', text: mrkdwn(`*The queue* · ${open} open · ${claimed} claimed`) });
  if (input.queue.length === 0) {
    blocks.push({ type: 'context', block_id: 'ho_home_queue_none', elements: [mrkdwn('Nothing is waiting for a person.')] });
  } else {
    const listed = input.queue.slice(0, LIST_LIMIT);
    const rest = open + claimed - listed.length;
    blocks.push(
      ...packedSections(listed.map((i) => listLine(i, input.now)), { maxSections: 5, blockIdPrefix: 'ho_home_queue', moreBlockId: 'ho_home_queue_more', more: (n) => `+${n} more` }),
    );
    if (rest > 0) blocks.push({ type: 'context', block_id: 'ho_home_queue_rest', elements: [mrkdwn(`+${rest} more not listed · \`/handoff status\``)] });
  }
  blocks.push({ type: 'divider', block_id: 'ho_home_div_2' });
  const total = input.week.rows.reduce((sum, r) => sum + r.count, 0);
  blocks.push({ type: 'section', block_id: 'ho_home_week_title', text: mrkdwn(`*This week* · ${plural(total, 'handoff')}`) });
  if (input.week.rows.length === 0) {
    blocks.push({ type: 'context', block_id: 'ho_home_week_none', elements: [mrkdwn('No handoffs in the last 7 days, so there are no figures yet.')] });
  } else {
    blocks.push(...packedSections(weekLines(input.week), { maxSections: 20, blockIdPrefix: 'ho_home_week', moreBlockId: 'ho_home_week_more', more: (n) => `+${plural(n, 'more line')} · \`/handoff stats\`` }));
    blocks.push({ type: 'context', block_id: 'ho_home_week_hint', elements: [mrkdwn('`/handoff stats` has time to resolve, escalations, hang-ups and the change against last week.')] });
  }
  return { type: 'home', blocks };
}
