import type { App } from '@slack/bolt';
import type { HandoffConfig } from '../../config/load-config.js';
import type { PairingService } from '../../desktop-api/pairing.js';
import type { Logger } from '../../observability/logger.js';
import type { HandoffRecord } from '../../store/records.js';
import { StatusQueries } from '../../store/status-queries.js';
import type { Store } from '../../store/store.js';
import { toCardInput } from '../card-model.js';
import type { SlackMessage } from '../cards/blocks.js';
import { buildHandoffTimeline, buildHelp, buildMineReport, buildStatusReport, LIST_LIMIT, type HandoffListItem } from '../cards/status-report.js';
import { parseHandoffCommand } from './parse-command.js';
import { toListItem } from '../list-item.js';
import { StatsQueries } from '../../store/stats-queries.js';
import { collectStats, visibleWorkflows } from '../../stats/collect-stats.js';
import { buildStatsReport } from '../cards/stats-report.js';
import { escapeTruncate } from '../mrkdwn.js';
import { mayAct } from '../../domain/may-act.js';

export interface CommandDeps {
  store: Store;
  config: HandoffConfig;
  clock: () => number;
  logger: Logger;
  pairing: PairingService;
}

function simple(text: string): SlackMessage {
  return { text, blocks: [{ type: 'section', block_id: 'ho_reply', text: { type: 'mrkdwn', text } }] };
}

/** `/handoff …` answered ephemerally in the ack itself: no second round trip inside Slack's 3 s. */
export function registerHandoffCommand(app: App, deps: CommandDeps): void {
  const queries = new StatusQueries(deps.store.db);
  const stats = new StatsQueries(deps.store.db);

  const listItem = (h: HandoffRecord): HandoffListItem => toListItem(h, deps.config);

  function answer(text: string, userId: string): SlackMessage {
    const cmd = parseHandoffCommand(text);
    const now = deps.clock();
    switch (cmd.kind) {
      case 'status': {
        // allowed_users hides a restricted workflow's handoffs from everyone else: lists and counts.
        const hidden = [...deps.config.workflows.values()].filter((w) => !mayAct(w, userId)).map((w) => w.id);
        const c = queries.counts(hidden);
        return buildStatusReport({
          now,
          counts: c.counts,
          oldestUnclaimedAt: c.oldestUnclaimedAt,
          openHandoffs: queries.unresolved(LIST_LIMIT, hidden).map(listItem),
          openTotal: c.unresolvedTotal,
        });
      }
      case 'status_one': {
        const h = deps.store.handoffs.get(cmd.handoffId);
        if (!h) return simple(`No handoff \`${cmd.handoffId}\` here.`);
        const workflow = deps.config.workflows.get(h.workflowId);
        // The timeline shows the caller: only to people who may act on the workflow's handoffs.
        if (!mayAct(workflow, userId)) {
          return simple(`You are not on the list of people who may act on ${workflow?.name ?? 'these'} handoffs, so this one is not shown.`);
        }
        const notes = (deps.store.db.prepare('SELECT COUNT(*) AS n FROM notes WHERE handoff_id = ?').get(h.id) as { n: number }).n;
        const events = deps.store.events.forHandoff(h.id).map((e) => ({ type: e.type, actor: e.actor, at: e.at, data: e.data }));
        const failed = deps.store.outbox
          .forHandoff(h.id)
          .filter((o) => (o.kind === 'callback.send' || o.kind === 'voice.call_back') && o.status === 'failed')
          .map((o) => ({
            type: o.kind === 'voice.call_back' ? 'call_back.given_up' : 'callback.given_up',
            actor: null,
            at: o.doneAt ?? o.createdAt,
            data: { event: o.payload.type, attempts: o.attempts, code: o.lastError ?? 'failed' },
          }));
        const timeline = [...events, ...failed].sort((a, b) => a.at - b.at);
        return buildHandoffTimeline({ ...toCardInput(h, deps.config, now, notes), permalink: h.slackPermalink }, timeline);
      }
      case 'mine':
        return buildMineReport(queries.mine(userId, LIST_LIMIT).map(listItem), now);
      case 'desktop': {
        const { code } = deps.pairing.issueCode(userId);
        return simple(
          `Your desktop pairing code: *${code}*\nEnter it in the Handoff desktop app's settings with this server's URL within 10 minutes. It works once. \`/handoff desktop revoke\` signs out every paired desktop.`,
        );
      }
      case 'desktop_revoke': {
        const n = deps.pairing.revokeAll(userId);
        return simple(n === 0 ? 'You have no paired desktops.' : `Signed out ${n} paired desktop${n === 1 ? '' : 's'}.`);
      }
      case 'stats': {
        const visible = visibleWorkflows(deps.config, userId);
        const workflows = cmd.workflowId === null ? visible : visible.filter((w) => w.id === cmd.workflowId);
        // A restricted workflow is answered like a missing one: its name is not confirmed to outsiders.
        if (workflows.length === 0) {
          return simple(cmd.workflowId === null ? 'There are no workflows you may see.' : `No workflow \`${escapeTruncate(cmd.workflowId, 64)}\` that you may see.`);
        }
        return buildStatsReport(collectStats(stats, deps.config, { now, days: cmd.days, workflows, scope: cmd.workflowId === null ? null : workflows[0]!.name }));
      }
      case 'stats_bad_period':
        return simple(`\`${escapeTruncate(cmd.word, 10)}\` is not a period stats knows: use \`7d\` (the default) or \`30d\`.`);
      case 'help':
        return buildHelp();
      case 'unknown':
        return { ...buildHelp(), text: `Unknown subcommand. Handoff commands` };
    }
  }

  app.command('/handoff', async ({ ack, command }) => {
    const started = deps.clock();
    const message = answer(command.text ?? '', command.user_id);
    await ack({ response_type: 'ephemeral', text: message.text, blocks: message.blocks as never });
    deps.logger.info({ command: parseHandoffCommand(command.text ?? '').kind, ms: deps.clock() - started }, 'slash command');
  });
}
