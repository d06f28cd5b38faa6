import { mayAct } from '../../../domain/may-act.js';
import { buildDetailsModal, toDetailsModalInput } from '../../cards/details-modal.js';
import { escapeTruncate } from '../../mrkdwn.js';
import { classifySlackError } from '../../slack-errors.js';
import { refusalText } from '../refusal-text.js';
import type { ActionStep } from '../route-types.js';

/**
 * "Details": the one place sensitive fields are shown (docs/contract/config.md#sensitive-fields), in a
 * modal only the clicking user sees, and only to people allowed to act. The
 * audit line names who looked at which handoff, never what they saw.
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
  try {
    await input.client.views.open({ trigger_id: input.triggerId, view: buildDetailsModal(toDetailsModalInput(h, workflow)) });
  } catch (err) {
    // A Slack error can echo the request (the view, with its values): only its code is kept.
    const { code } = classifySlackError(err);
    deps.logger.warn({ handoff_id: handoffId, action: 'details_viewed', user_id: userId, ok: false, err_code: code }, 'slack details view failed');
    await input.reply(`The details could not be opened (${escapeTruncate(code, 80)}). Try again.`);
    return;
  }
  deps.logger.info({ handoff_id: handoffId, action: 'details_viewed', user_id: userId, ok: true }, 'slack details viewed');
};
