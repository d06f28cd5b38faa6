import type { App, BlockAction, ButtonAction, StaticSelectAction } from '@slack/bolt';
import type { ActionName, ActionResult } from '../../actions/action-types.js';
import type { ActionRequest } from '../../actions/perform-action.js';
import type { HandoffConfig } from '../../config/load-config.js';
import type { Logger } from '../../observability/logger.js';
import type { Store } from '../../store/store.js';
import { HANDOFF_ACTION_IDS } from '../cards/actions.js';
import { buildNoteModal, NOTE_MODAL } from '../cards/note-modal.js';
import { OUTCOME_ACTION_ID, parseOutcomeOptionValue } from '../cards/outcome-picker.js';
import { registerCallBackAction } from './call-back-action.js';
import { registerDetailsAction } from './details-action.js';
import { mayAct } from '../../domain/may-act.js';
import { addPhoneText, refusalText } from './refusal-text.js';

export interface InteractionDeps {
  store: Store;
  config: HandoffConfig;
  logger: Logger;
  perform: (req: ActionRequest) => ActionResult;
  /** Twilio is configured, so Call back can place calls. */
  callBack?: boolean;
}

/** The routing table from a button's action_id to the action it performs (SPEC section 5). */
const BUTTON_ACTIONS: Record<string, ActionName> = {
  [HANDOFF_ACTION_IDS.claim]: 'claim',
  [HANDOFF_ACTION_IDS.release]: 'release',
  [HANDOFF_ACTION_IDS.escalate]: 'escalate',
  [HANDOFF_ACTION_IDS.resolve]: 'resolve',
};

/**
 * Buttons, the note modal and the Details view. Each handler acks first (Slack's 3 s), then performs the action
 * through the same code path as the desktop API; refusals are answered ephemerally.
 */
export function registerInteractions(app: App, deps: InteractionDeps): void {
  const workflowName = (handoffId: string): string => {
    const h = deps.store.handoffs.get(handoffId);
    return (h && deps.config.workflows.get(h.workflowId)?.name) ?? 'these';
  };

  for (const [actionId, action] of Object.entries(BUTTON_ACTIONS)) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, respond }) => {
      await ack();
      const handoffId = body.actions[0]?.value ?? '';
      const result = deps.perform({ handoffId, action, actor: { kind: 'user', userId: body.user.id } });
      deps.logger.info({ handoff_id: handoffId, action, ok: result.ok, refusal: result.ok ? undefined : result.refusal }, 'slack action');
      if (!result.ok) {
        await respond({ response_type: 'ephemeral', replace_original: false, text: refusalText(result.refusal, result.handoff, workflowName(handoffId)) });
        return;
      }
      // A caller waiting on the line was answered by this very claim (synchronously, from the event log).
      const connect = action === 'claim' ? deps.store.handoffs.get(handoffId)?.connect : undefined;
      if (connect?.state === 'no_phone' && connect.user === body.user.id) {
        const text = addPhoneText(body.user.id, 'The claim is yours. The caller was waiting on the line to be transferred to whoever claimed');
        await respond({ response_type: 'ephemeral', replace_original: false, text });
      }
    });
  }

  app.action<BlockAction<ButtonAction>>(HANDOFF_ACTION_IDS.note, async ({ ack, body, client, respond }) => {
    await ack();
    const handoffId = body.actions[0]?.value ?? '';
    const h = deps.store.handoffs.get(handoffId);
    const workflow = h ? deps.config.workflows.get(h.workflowId) : undefined;
    if (!h) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: refusalText('not_found', null, '') });
      return;
    }
    if (workflow && !mayAct(workflow, body.user.id)) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: refusalText('not_allowed', h, workflow.name) });
      return;
    }
    await client.views.open({ trigger_id: body.trigger_id, view: buildNoteModal(handoffId) as never });
  });

  // The resolved card's outcome picker amends the outcome Resolve recorded (SPEC section 11).
  app.action<BlockAction<StaticSelectAction>>(OUTCOME_ACTION_ID, async ({ ack, body, respond }) => {
    await ack();
    const picked = parseOutcomeOptionValue(body.actions[0]?.selected_option?.value ?? '');
    if (!picked) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: 'That outcome is not one this app knows; nothing changed.' });
      return;
    }
    const { handoffId, outcome } = picked;
    const result = deps.perform({ handoffId, action: 'outcome', actor: { kind: 'user', userId: body.user.id }, outcome });
    deps.logger.info({ handoff_id: handoffId, action: 'outcome', outcome, ok: result.ok, refusal: result.ok ? undefined : result.refusal }, 'slack action');
    if (!result.ok) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: refusalText(result.refusal, result.handoff, workflowName(handoffId)) });
    }
  });

  registerDetailsAction(app, deps);
  registerCallBackAction(app, deps);

  app.view(NOTE_MODAL.callbackId, async ({ ack, body, view }) => {
    const text = view.state.values[NOTE_MODAL.blockId]?.[NOTE_MODAL.actionId]?.value?.trim() ?? '';
    if (text === '') {
      await ack({ response_action: 'errors', errors: { [NOTE_MODAL.blockId]: 'Write a note first.' } });
      return;
    }
    const handoffId = view.private_metadata;
    const result = deps.perform({ handoffId, action: 'note', actor: { kind: 'user', userId: body.user.id }, noteText: text });
    if (!result.ok) {
      await ack({ response_action: 'errors', errors: { [NOTE_MODAL.blockId]: refusalText(result.refusal, result.handoff, workflowName(handoffId)) } });
      return;
    }
    await ack();
    deps.logger.info({ handoff_id: handoffId, action: 'note' }, 'slack note added');
  });
}
