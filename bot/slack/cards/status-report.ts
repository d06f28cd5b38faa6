import { SEVERITIES, type HandoffStatus, type Severity } from '../../../shared/schemas/enums.js';
import { escapeTruncate, link, singleLine, slackDate } from '../mrkdwn.js';
import { type MessageBlock, type SlackMessage, mrkdwn, plain } from './blocks.js';
import { AUTO_ACTOR, type CardInput } from './card-input.js';
import { actorText, formatAge, reasonText, severityLabel, severityText, statusLabel } from './format.js';
import { packedSections, plural } from './pack.js';
import { CALLER_HUNG_UP_TEXT } from './card-state.js';
import { headerBlock, summarySection } from './summary.js';
import { outcomeOf } from './outcome-picker.js';

/** Handoffs a list shows at most (docs/contract/slack.md#the-handoff-command: "up to 10 open handoffs"). */
export const LIST_LIMIT = 10;

export interface StatusCounts {
  open: number;
  claimed: number;
  /** Not resolved and escalation level > 0 (counted in open/claimed too). */
  escalated: number;
}

/** One handoff in a `/handoff status` or `/handoff mine` list. No personal data. */
export interface HandoffListItem {
  handoffId: string;
  workflowName: string;
  reason: string;
  reasonLabel?: string;
  severity: Severity;
  status: HandoffStatus;
  escalationLevel: number;
  receivedAt: number;
  claimedBy: string | null;
  claimedAt: number | null;
  /** chat.getPermalink of the card; null when unknown or not posted yet. */
  permalink: string | null;
  /** The caller hung up before anyone claimed: someone must call back. */
  callerHungUp?: boolean;
}

export interface StatusSummary {
  now: number;
  counts: Record<Severity, StatusCounts>;
  /** `received_at` of the oldest open (unclaimed) handoff; null when there is none. */
  oldestUnclaimedAt: number | null;
  /** Unresolved handoffs in the order to show them (most urgent first); only the first 10 are listed. */
  openHandoffs: readonly HandoffListItem[];
  /** How many unresolved handoffs exist when `openHandoffs` was already cut short by the query. */
  openTotal?: number;
}

/** `/handoff status`: counts by severity, oldest unclaimed age, the first open handoffs. */
export function buildStatusReport(summary: StatusSummary): SlackMessage {
  const totals = SEVERITIES.reduce(
    (acc, s) => ({
      open: acc.open + summary.counts[s].open,
      claimed: acc.claimed + summary.counts[s].claimed,
      escalated: acc.escalated + summary.counts[s].escalated,
    }),
    { open: 0, claimed: 0, escalated: 0 },
  );
  const oldest =
    summary.oldestUnclaimedAt === null
      ? 'Nothing is waiting for a person.'
      : `Oldest unclaimed: *${formatAge(summary.now - summary.oldestUnclaimedAt)}*`;
  const blocks: MessageBlock[] = [
    { type: 'header', block_id: 'ho_status_header', text: plain('Handoff status') },
    {
      type: 'section',
      block_id: 'ho_status_counts',
      text: mrkdwn(`*${totals.open}* open · *${totals.claimed}* claimed · *${totals.escalated}* escalated\n${oldest}`),
      fields: [...SEVERITIES]
        .reverse()
        .map((s) =>
          mrkdwn(
            `${severityText(s, true)}\n` +
              `${summary.counts[s].open} open · ${summary.counts[s].claimed} claimed · ${summary.counts[s].escalated} escalated`,
          ),
        ),
    },
  ];
  const items = summary.openHandoffs;
  const total = Math.max(summary.openTotal ?? items.length, items.length);
  if (total === 0) {
    blocks.push({ type: 'section', block_id: 'ho_status_list_0', text: mrkdwn('No open handoffs. :tada:') });
  } else {
    blocks.push(...listBlocks(items.slice(0, LIST_LIMIT), summary.now, total - Math.min(items.length, LIST_LIMIT), 'ho_status_list'));
  }
  return { text: `Handoffs: ${totals.open} open, ${totals.claimed} claimed, ${totals.escalated} escalated`, blocks };
}

/** `/handoff mine`: the unresolved handoffs the user has claimed. */
export function buildMineReport(list: readonly HandoffListItem[], now: number): SlackMessage {
  const blocks: MessageBlock[] = [{ type: 'header', block_id: 'ho_mine_header', text: plain('Your handoffs') }];
  if (list.length === 0) {
    blocks.push({ type: 'section', block_id: 'ho_mine_list_0', text: mrkdwn('You have no claimed handoffs.') });
  } else {
    blocks.push(...listBlocks(list.slice(0, LIST_LIMIT), now, Math.max(0, list.length - LIST_LIMIT), 'ho_mine_list'));
  }
  return { text: `You have ${plural(list.length, 'claimed handoff')}`, blocks };
}

function listBlocks(items: readonly HandoffListItem[], now: number, notListed: number, prefix: string): MessageBlock[] {
  const blocks = packedSections(
    items.map((item) => listLine(item, now)),
    { maxSections: LIST_LIMIT, blockIdPrefix: prefix, moreBlockId: `${prefix}_more`, more: (n) => `+${n} more not listed` },
  );
  if (notListed > 0) {
    blocks.push({ type: 'context', block_id: `${prefix}_rest`, elements: [mrkdwn(`+${notListed} more not listed`)] });
  }
  return blocks;
}

/** "Urgent 🚨 <permalink|Reason> · Workflow · Claimed by <@U…> · 12m · `ho_…`", every part bounded. */
export function listLine(item: HandoffListItem, now: number): string {
  const reason = reasonText(item);
  const title = (item.permalink === null ? null : link(item.permalink, reason)) ?? `*${escapeTruncate(reason, 80)}*`;
  const state = item.status === 'claimed' ? `Claimed by ${actorText(item.claimedBy)}` : statusLabel(item.status);
  const escalated = item.escalationLevel > 0 ? ` · escalated (level ${item.escalationLevel})` : '';
  const hungUp = item.callerHungUp ? ` · :telephone_receiver: *${CALLER_HUNG_UP_TEXT.toLowerCase()}*` : '';
  return (
    `${severityText(item.severity)} ${title} · ${escapeTruncate(singleLine(item.workflowName), 80)} · ${state}${escalated}${hungUp}` +
    ` · ${formatAge(now - item.receivedAt)} · \`${escapeTruncate(item.handoffId, 80)}\``
  );
}

/** One entry of a handoff's event log (the store's EventRecord fits). `data` holds no personal data. */
export interface TimelineEvent {
  type: string;
  actor: string | null;
  at: number;
  data?: Record<string, unknown>;
}

export type TimelineHandoff = CardInput & { permalink: string | null };

/** Event lines a timeline shows at most; older ones are summarised. */
export const TIMELINE_LIMIT = 40;

/** `/handoff status ho_…`: the handoff's summary and its event log, newest last. */
export function buildHandoffTimeline(handoff: TimelineHandoff, events: readonly TimelineEvent[]): SlackMessage {
  const id = escapeTruncate(handoff.handoffId, 100);
  const cardLink = handoff.permalink === null ? null : link(handoff.permalink, 'Open the card');
  const blocks: MessageBlock[] = [
    headerBlock(handoff, 'ho_timeline_header'),
    ...(handoff.callerHungUp && handoff.status !== 'resolved'
      ? [{ type: 'section' as const, block_id: 'ho_timeline_hung_up', text: mrkdwn(`:telephone_receiver: *${CALLER_HUNG_UP_TEXT}.* The call ended before anyone claimed this handoff.`) }]
      : []),
    summarySection(handoff, 'ho_timeline_summary'),
    { type: 'context', block_id: 'ho_timeline_link', elements: [mrkdwn(cardLink === null ? `\`${id}\`` : `${cardLink} · \`${id}\``)] },
  ];
  const shown = events.slice(-TIMELINE_LIMIT);
  const earlier = events.length - shown.length;
  if (earlier > 0) {
    blocks.push({ type: 'context', block_id: 'ho_timeline_earlier', elements: [mrkdwn(`${plural(earlier, 'earlier event')} not shown`)] });
  }
  if (events.length === 0) {
    blocks.push({ type: 'section', block_id: 'ho_timeline_events_0', text: mrkdwn('No events recorded.') });
  } else {
    blocks.push(
      ...packedSections(
        shown.map((e) => `${slackDate(e.at)} — ${eventText(e)}`),
        { maxSections: 10, blockIdPrefix: 'ho_timeline_events', moreBlockId: 'ho_timeline_events_more', more: (n) => `+${plural(n, 'later event')} not shown` },
      ),
    );
  }
  return { text: `Handoff ${id}: ${statusLabel(handoff.status).toLowerCase()}`, blocks };
}

const SEVERITY_SET: ReadonlySet<unknown> = new Set(SEVERITIES);

const WAIT_ENDED: Record<string, string> = {
  timed_out: 'timed out: nobody claimed in time',
  no_phone: 'ended: the claimer has no phone under `people`',
  closed: 'ended: the agent platform stopped waiting',
  busy: 'could not start: too many callers were already waiting, so this one heard the fallback',
};

/** One timeline line (mrkdwn). Unknown types are shown by name, escaped. */
export function eventText(event: TimelineEvent): string {
  const by = event.actor === null ? '' : ` by ${actorText(event.actor)}`;
  const data = event.data ?? {};
  switch (event.type) {
    case 'handoff.received':
      return 'Received';
    case 'handoff.claimed':
      return `Claimed${by}`;
    case 'handoff.released':
      return `Released${by}`;
    case 'handoff.escalated': {
      // perform-action writes `escalation_level` (and no actor, trigger 'auto', for the timer); `level` is the older key.
      const n = typeof data['escalation_level'] === 'number' ? data['escalation_level'] : data['level'];
      const level = typeof n === 'number' ? ` to level ${n}` : '';
      const who = event.actor === null && data['trigger'] === 'auto' ? ` by ${actorText(AUTO_ACTOR)}` : by;
      const from = SEVERITY_SET.has(data['severity_from']) ? (data['severity_from'] as Severity) : null;
      const to = SEVERITY_SET.has(data['severity']) ? (data['severity'] as Severity) : null;
      const raised = from !== null && to !== null && from !== to ? `: severity raised from ${severityLabel(from)} to ${severityLabel(to)}` : '';
      return `Escalated${level}${who}${raised}`;
    }
    case 'handoff.resolved': {
      const outcome = outcomeOf(data['outcome']);
      return `Resolved${by}${outcome === null ? '' : ` (${outcome})`}`;
    }
    case 'handoff.outcome_recorded': {
      const outcome = outcomeOf(data['outcome']);
      return `Outcome${outcome === null ? ' changed' : ` set to ${outcome}`}${by}`;
    }
    case 'handoff.note_added':
      return `Note added${by}`;
    case 'handoff.details_viewed':
      return `:lock: Details page opened${by}`;
    case 'handoff.call_back_started':
      return `:telephone_receiver: Call back started${by}`;
    case 'handoff.caller_waiting':
      return ':telephone_receiver: Caller waiting on the line to be connected';
    case 'handoff.caller_connected':
      return `:telephone_receiver: Caller transferred${event.actor === null ? '' : ` to ${actorText(event.actor)}`}`;
    case 'handoff.caller_wait_ended': {
      const why = WAIT_ENDED[String(data['outcome'])] ?? 'ended';
      return `:warning: Caller's wait on the line ${why}${by}`;
    }
    case 'call_back.given_up':
      return `:warning: Call back could not be placed${typeof data['code'] === 'string' ? ` (\`${escapeTruncate(singleLine(data['code']), 60)}\`)` : ''}`;
    case 'handoff.updated':
      return 'Updated by a later request from the call';
    case 'handoff.call_ended':
      return data['caller_hung_up'] === true ? `Call ended: :telephone_receiver: ${CALLER_HUNG_UP_TEXT.toLowerCase()}` : 'Call ended';
    case 'callback.given_up': {
      const what = typeof data['event'] === 'string' ? ` \`${escapeTruncate(singleLine(data['event']), 60)}\`` : '';
      const tries = typeof data['attempts'] === 'number' ? ` after ${plural(data['attempts'], 'attempt')}` : '';
      return `:warning: Status callback${what} given up${tries}`;
    }
    default:
      return `\`${escapeTruncate(singleLine(event.type), 60)}\`${by}`;
  }
}

/** `/handoff help`: one line per usage of the route table. */
export function buildHelp(usage: readonly { example: string; text: string }[]): SlackMessage {
  const lines = usage.map((u) => `\`/handoff ${u.example}\`: ${u.text}`);
  return {
    text: 'Handoff commands',
    blocks: [
      { type: 'header', block_id: 'ho_help_header', text: plain('Handoff commands') },
      { type: 'section', block_id: 'ho_help_commands', text: mrkdwn(lines.join('\n')) },
      {
        type: 'context',
        block_id: 'ho_help_buttons',
        elements: [mrkdwn('On a card: *Claim* takes it, *Escalate* calls for help, *Resolve* closes it, *Add note* writes to its thread.')],
      },
    ],
  };
}
