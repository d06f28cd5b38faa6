import { escapeSplit } from '../mrkdwn.js';
import { type MessageBlock, type ModalView, type SlackMessage, mrkdwn, plain } from './blocks.js';
import { actorText } from './format.js';
import { BLOCK_KIT_LIMITS } from '../../../shared/block-kit-limits.js';

export const NOTE_MODAL = {
  callbackId: 'handoff_note_modal',
  blockId: 'note',
  actionId: 'note_text',
  maxLength: BLOCK_KIT_LIMITS.plainTextInputLength,
} as const;

/** The "Add note" modal for views.open; `private_metadata` carries the handoff id to the submission. */
export function buildNoteModal(handoffId: string): ModalView {
  return {
    type: 'modal',
    callback_id: NOTE_MODAL.callbackId,
    private_metadata: handoffId,
    title: plain('Add a note'),
    submit: plain('Add note'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'input',
        block_id: NOTE_MODAL.blockId,
        label: plain('Note'),
        element: {
          type: 'plain_text_input',
          action_id: NOTE_MODAL.actionId,
          multiline: true,
          max_length: NOTE_MODAL.maxLength,
          placeholder: plain('What happened, what is next. Posted in the card’s thread.'),
        },
      },
    ],
  };
}

/** Sections a note takes at most: the modal's 3,000 characters escape to at most 15,000. */
const NOTE_SECTIONS = 6;

/**
 * The thread reply for a note. The text is escaped, keeps its line breaks,
 * and is split over several sections when escaping made it longer than one
 * section holds. The fallback `text` names no one and quotes nothing: it is
 * what a push notification shows.
 */
export function buildNoteReply(author: string, text: string): SlackMessage {
  const body = text.trim();
  const chunks = body === '' ? ['_(empty note)_'] : escapeSplit(body, BLOCK_KIT_LIMITS.sectionText, NOTE_SECTIONS);
  const blocks: MessageBlock[] = [
    { type: 'context', block_id: 'ho_note_author', elements: [mrkdwn(`:memo: Note from ${actorText(author)}`)] },
    ...chunks.map((chunk, i): MessageBlock => ({ type: 'section', block_id: `ho_note_text_${i}`, text: mrkdwn(chunk) })),
  ];
  return { text: 'New note on this handoff', blocks };
}
