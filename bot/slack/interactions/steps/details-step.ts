import { mayAct } from '../../../domain/may-act.js';
import { issueDetailsLink } from '../../../details-page/issue-link.js';
import { buildDetailsModal, toDetailsModalInput } from '../../cards/details-modal.js';
import { chatView } from '../../chat-view.js';
import { escapeTruncate, link } from '../../mrkdwn.js';
import { classifySlackError } from '../../slack-errors.js';
import { handoffName, refusalText } from '../refusal-text.js';
import type { ActionInput, ActionStep, SlackRouteDeps } from '../route-types.js';
import type { HandoffRecord } from '../../../store/records.js';

/**
 * "Details": the one place sensitive fields are shown (docs/contract/config.md#sensitive-fields), only to people allowed to act.
 * A `full` workflow's open in a modal only the clicking user sees; a `link_only` workflow's never go to
 * Slack: the clicker gets a link to the bot's own page, single-use, for 10 minutes (docs/contract/regulated-workflows.md).
 * The audit line names who looked at which handoff, never what they saw.
 */
export const openDetails: ActionStep = async (deps, input) => {
  const handoffId = input.value;
  const userId = input.userId;
  const h = await deps.store.handoffs.get(handoffId);
  if (!h) {
    await input.reply(refusalText('not_found', null, deps.config));
    return;
  }
  const workflow = deps.config.workflows.get(h.workflowId);
  if (!mayAct(deps.config, h.workflowId, userId)) {
    deps.logger.info({ handoff_id: handoffId, action: 'details_viewed', user_id: userId, ok: false, refusal: 'not_allowed' }, 'slack details refused');
    await input.reply(refusalText('not_allowed', h, deps.config));
    return;
  }
  const view = chatView(h, deps.config);
  if (view.withheld) {
    await replyWithLink(deps, input, h);
    return;
  }
  try {
    await input.client.views.open({ trigger_id: input.triggerId, view: buildDetailsModal(toDetailsModalInput(view, workflow)) });
  } catch (err) {
    // A Slack error can echo the request (the view, with its values): only its code is kept.
    const { code } = classifySlackError(err);
    deps.logger.warn({ handoff_id: handoffId, action: 'details_viewed', user_id: userId, ok: false, err_code: code }, 'slack details view failed');
    await input.reply(`The details could not be opened (${escapeTruncate(code, 80)}). Try again.`);
    return;
  }
  deps.logger.info({ handoff_id: handoffId, action: 'details_viewed', user_id: userId, ok: true }, 'slack details viewed');
};

async function replyWithLink(deps: SlackRouteDeps, input: ActionInput, h: HandoffRecord): Promise<void> {
  if (!deps.publicUrl) {
    await input.reply(`The details of ${handoffName(h, deps.config)} stay on the bot's server, but it has no public URL to link to: ask an admin to set HANDOFF_PUBLIC_URL.`);
    return;
  }
  const url = await issueDetailsLink({ store: deps.store, publicUrl: deps.publicUrl, clock: deps.clock }, h.id, input.userId);
  const opened = link(url, 'Open the details') ?? url;
  await input.reply(
    `:lock: ${handoffName(h, deps.config)}: ${opened} on our server. The link is for you alone: it works once, for 10 minutes, in the browser that opens it first.`,
  );
  deps.logger.info({ handoff_id: h.id, action: 'details_link', user_id: input.userId, ok: true }, 'slack details link given');
}
