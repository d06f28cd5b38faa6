import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { HANDOFF_ACTION_IDS } from '../cards/actions.js';
import { buildDetailsModal, toDetailsModalInput } from '../cards/details-modal.js';
import { escapeTruncate } from '../mrkdwn.js';
import { classifySlackError } from '../slack-errors.js';
import type { InteractionDeps } from './register-interactions.js';
import { mayAct } from '../../domain/may-act.js';
import { refusalText } from './refusal-text.js';

/**
 * "Details": the one place sensitive fields are shown (SPEC section 4), in a
 * modal only the clicking user sees, and only to people allowed to act. The
 * audit line names who looked at which handoff, never what they saw.
 */
export function registerDetailsAction(app: App, deps: Pick<InteractionDeps, 'store' | 'config' | 'logger'>): void {
  app.action<BlockAction<ButtonAction>>(HANDOFF_ACTION_IDS.details, async ({ ack, body, client, respond }) => {
    await ack();
    const handoffId = body.actions[0]?.value ?? '';
    const userId = body.user.id;
    const h = deps.store.handoffs.get(handoffId);
    if (!h) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: refusalText('not_found', null, '') });
      return;
    }
    const workflow = deps.config.workflows.get(h.workflowId);
    if (!mayAct(workflow, userId)) {
      deps.logger.info({ handoff_id: handoffId, action: 'details_viewed', user_id: userId, ok: false, refusal: 'not_allowed' }, 'slack details refused');
      await respond({ response_type: 'ephemeral', replace_original: false, text: refusalText('not_allowed', h, workflow?.name ?? 'these') });
      return;
    }
    try {
      await client.views.open({ trigger_id: body.trigger_id, view: buildDetailsModal(toDetailsModalInput(h, workflow)) as never });
    } catch (err) {
      // A Slack error can echo the request (the view, with its values): only its code is kept.
      const { code } = classifySlackError(err);
      deps.logger.warn({ handoff_id: handoffId, action: 'details_viewed', user_id: userId, ok: false, err_code: code }, 'slack details view failed');
      await respond({ response_type: 'ephemeral', replace_original: false, text: `The details could not be opened (${escapeTruncate(code, 80)}). Try again.` });
      return;
    }
    deps.logger.info({ handoff_id: handoffId, action: 'details_viewed', user_id: userId, ok: true }, 'slack details viewed');
  });
}
