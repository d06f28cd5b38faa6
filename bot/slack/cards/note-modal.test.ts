import { describe, expect, it } from 'vitest';
import { buildNoteModal, buildNoteReply } from './note-modal.js';
import { messageProblems, modalProblems } from '../../../test/support/cards/check-message.js';

describe('buildNoteModal', () => {
  const view = buildNoteModal('ho_01HZXAMPLE');

  it('is a modal the submission handler can route and tie back to the handoff', () => {
    expect(view).toMatchObject({
      type: 'modal',
      callback_id: 'handoff_note_modal',
      private_metadata: 'ho_01HZXAMPLE',
      submit: { type: 'plain_text', text: 'Add note' },
    });
    expect(modalProblems(view)).toEqual([]);
  });

  it('has one multiline input, block "note", action "note_text", up to 3,000 characters', () => {
    expect(view.blocks).toEqual([
      expect.objectContaining({
        type: 'input',
        block_id: 'note',
        element: expect.objectContaining({ type: 'plain_text_input', action_id: 'note_text', multiline: true, max_length: 3000 }),
      }),
    ]);
  });
});

describe('buildNoteReply', () => {
  it('credits the author and keeps the note’s line breaks, escaped', () => {
    const reply = buildNoteReply('U0AUTHOR01', 'Called back.\nSee <!channel> & @here');
    expect(reply.blocks).toEqual([
      { type: 'context', block_id: 'ho_note_author', elements: [{ type: 'mrkdwn', text: ':memo: Note from <@U0AUTHOR01>', verbatim: true }] },
      { type: 'section', block_id: 'ho_note_text_0', text: { type: 'mrkdwn', text: 'Called back.\nSee &lt;!channel&gt; &amp; @\u200Dhere', verbatim: true } },
    ]);
    expect(reply.text).toBe('New note on this handoff');
    expect(messageProblems(reply, { users: ['U0AUTHOR01'] })).toEqual([]);
  });

  it('spreads a note that escaping made longer than a section over several sections, losing nothing', () => {
    const reply = buildNoteReply('U0AUTHOR01', '<'.repeat(3000));
    const texts = reply.blocks.flatMap((b) => (b.type === 'section' ? [b.text?.text ?? ''] : []));
    expect(texts).toHaveLength(4); // 12,000 escaped characters, 3,000 a section
    expect(texts.join('')).toBe('&lt;'.repeat(3000));
    expect(messageProblems(reply, { users: ['U0AUTHOR01'] })).toEqual([]);
  });

  it('shows an empty note as such', () => {
    const reply = buildNoteReply('U0AUTHOR01', '  \n ');
    expect(reply.blocks[1]).toMatchObject({ text: { text: '_(empty note)_' } });
  });
});
