import { mayAct, workflowScope } from '../../domain/may-act.js';
import type { HandoffRecord } from '../../store/records.js';
import { toCardInput } from '../card-model.js';
import type { SlackMessage } from '../cards/blocks.js';
import { buildHandoffTimeline, buildMineReport, buildStatusReport, LIST_LIMIT, type HandoffListItem } from '../cards/status-report.js';
import type { CommandStep, SlackRouteDeps } from '../interactions/route-types.js';
import { checkHandoffId } from './parse-command.js';
import { toListItem } from '../list-item.js';
import { collectStats, visibleWorkflows } from '../../stats/collect-stats.js';
import { buildStatsReport } from '../cards/stats-report.js';
import { escapeTruncate } from '../mrkdwn.js';
import { chatView } from '../chat-view.js';

export function simpleReply(text: string): SlackMessage {
  return { text, blocks: [{ type: 'section', block_id: 'ho_reply', text: { type: 'mrkdwn', text } }] };
}

function listItem(deps: SlackRouteDeps, h: HandoffRecord): HandoffListItem {
  return toListItem(chatView(h, deps.config), deps.config);
}

/** `/handoff status [ho_…]`: the queue, or one handoff and its timeline. */
export const statusCommand: CommandStep = async (deps, input) => {
  const [idWord, ...extra] = input.args;
  if (idWord !== undefined) {
    const check = checkHandoffId(idWord);
    if (!check.ok) return simpleReply(`${check.problem}\nUsage: \`/handoff status\` or \`/handoff status ho_…\`.`);
    if (extra.length > 0) return simpleReply('`/handoff status` takes one handoff id at most.');
    return statusOne(deps, check.handoffId, input.userId, input.now);
  }
  const q = deps.store.status;
  // allowed_users hides a restricted workflow's handoffs from everyone else, and a retired workflow's from
  // all but retired_workflows_visible_to: lists and counts.
  const scope = workflowScope(deps.config, input.userId);
  const c = await q.counts(scope);
  return buildStatusReport({
    now: input.now,
    counts: c.counts,
    oldestUnclaimedAt: c.oldestUnclaimedAt,
    openHandoffs: (await q.unresolved(LIST_LIMIT, scope)).map((h) => listItem(deps, h)),
    openTotal: c.unresolvedTotal,
  });
};

async function statusOne(deps: SlackRouteDeps, handoffId: string, userId: string, now: number): Promise<SlackMessage> {
  const h = await deps.store.handoffs.get(handoffId);
  // The timeline shows the caller: only to people who may act on the workflow's handoffs. Anyone else gets
  // the unknown-id answer word for word, so it confirms neither the handoff nor its workflow.
  if (!h || !mayAct(deps.config, h.workflowId, userId)) return simpleReply(`There is no handoff \`${handoffId}\` here (it may be a typo, or another installation's id).`);
  const notes = await deps.store.notes.countFor(h.id);
  const events = (await deps.store.events.forHandoff(h.id)).map((e) => ({ type: e.type, actor: e.actor, at: e.at, data: e.data }));
  const failed = (await deps.store.outbox.forHandoff(h.id))
    .filter((o) => (o.kind === 'callback.send' || o.kind === 'voice.call_back') && o.status === 'failed')
    .map((o) => ({
      type: o.kind === 'voice.call_back' ? 'call_back.given_up' : 'callback.given_up',
      actor: null,
      at: o.doneAt ?? o.createdAt,
      data: { event: o.payload.type, attempts: o.attempts, code: o.lastError ?? 'failed' },
    }));
  const timeline = [...events, ...failed].sort((a, b) => a.at - b.at);
  return buildHandoffTimeline({ ...toCardInput(chatView(h, deps.config), deps.config, now, notes), permalink: h.slackPermalink }, timeline);
}

/** `/handoff mine`: what the user has claimed, of the workflows they may still see. */
export const mineCommand: CommandStep = async (deps, input) =>
  buildMineReport(
    (await deps.store.status.mine(input.userId, LIST_LIMIT, workflowScope(deps.config, input.userId))).map((h) => listItem(deps, h)),
    input.now,
  );

/** `/handoff desktop [revoke]`: a one-time pairing code, or sign every desktop out. */
export const desktopCommand: CommandStep = async (deps, input) => {
  const [sub] = input.args.map((a) => a.toLowerCase());
  if (sub === 'revoke') {
    const n = await deps.pairing.revokeAll(input.userId);
    return simpleReply(n === 0 ? 'You have no paired desktops.' : `Signed out ${n} paired desktop${n === 1 ? '' : 's'}.`);
  }
  if (sub !== undefined) return simpleReply(`\`/handoff desktop\` takes \`revoke\` or nothing, not \`${sub.slice(0, 30).replace(/[`<>&]/g, '')}\`.`);
  const { code } = await deps.pairing.issueCode(input.userId);
  return simpleReply(
    `Your desktop pairing code: *${code}*\nEnter it in the Handoff desktop app's settings with this server's URL within 10 minutes. It works once. \`/handoff desktop revoke\` signs out every paired desktop.`,
  );
};

/** `/handoff stats [7d|30d] [workflow]`, in either order; another period like `90d` is refused by name. */
export const statsCommand: CommandStep = async (deps, input) => {
  let days: 7 | 30 = 7;
  let workflowId: string | null = null;
  for (const raw of input.args.slice(0, 2)) {
    const arg = raw.toLowerCase();
    if (arg === '7d' || arg === '30d') days = arg === '7d' ? 7 : 30;
    else if (/^\d+[a-z]?$/.test(arg)) return simpleReply(`\`${escapeTruncate(arg.slice(0, 10), 10)}\` is not a period stats knows: use \`7d\` (the default) or \`30d\`.`);
    else workflowId = arg.slice(0, 64);
  }
  const visible = visibleWorkflows(deps.config, input.userId);
  const workflows = workflowId === null ? visible : visible.filter((w) => w.id === workflowId);
  // A restricted workflow is answered like a missing one: its name is not confirmed to outsiders.
  if (workflows.length === 0) {
    return simpleReply(workflowId === null ? 'There are no workflows you may see.' : `No workflow \`${escapeTruncate(workflowId, 64)}\` that you may see.`);
  }
  return buildStatsReport(await collectStats(deps.store.stats, deps.config, { now: input.now, days, workflows, scope: workflowId === null ? null : workflows[0]!.name }));
};
