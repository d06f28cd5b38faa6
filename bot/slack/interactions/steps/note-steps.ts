import { mayAct } from '../../../domain/may-act.js';
import { buildNoteModal, NOTE_MODAL } from '../../cards/note-modal.js';
import { refusalText } from '../refusal-text.js';
import type { ActionStep, ViewStep } from '../route-types.js';

/** "Add note": opens the modal for people who may act on the handoff. */
export const openNoteModal: ActionStep = async (deps, input) => {
  const h = await deps.store.handoffs.get(input.value);
  if (!h) {
    await input.reply(refusalText('not_found', null, deps.config));
    return;
  }
  if (!mayAct(deps.config, h.workflowId, input.userId)) {
    await input.reply(refusalText('not_allowed', h, deps.config));
    return;
  }
  await input.client.views.open({ trigger_id: input.triggerId, view: buildNoteModal(h.id) });
};

/** The note modal's submission: an empty note or a refusal keeps the modal open with the reason. */
export const submitNote: ViewStep = async (deps, input) => {
  const text = input.values[NOTE_MODAL.blockId]?.[NOTE_MODAL.actionId]?.value?.trim() ?? '';
  if (text === '') return { response_action: 'errors', errors: { [NOTE_MODAL.blockId]: 'Write a note first.' } };
  // The modal's max_length is only a hint to Slack's client: a crafted submission is refused here.
  if (text.length > NOTE_MODAL.maxLength) {
    return { response_action: 'errors', errors: { [NOTE_MODAL.blockId]: `A note is at most ${NOTE_MODAL.maxLength} characters; this one has ${text.length}.` } };
  }
  const handoffId = input.privateMetadata;
  const result = await deps.perform({ handoffId, action: 'note', actor: { kind: 'user', userId: input.userId }, noteText: text });
  if (!result.ok) return { response_action: 'errors', errors: { [NOTE_MODAL.blockId]: refusalText(result.refusal, result.handoff, deps.config) } };
  deps.logger.info({ handoff_id: handoffId, action: 'note' }, 'slack note added');
  return undefined;
};
