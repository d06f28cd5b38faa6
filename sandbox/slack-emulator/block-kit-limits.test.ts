import { describe, expect, it } from 'vitest';
import { BLOCK_KIT_LIMITS, validateBlocks, validateView } from './block-kit-limits.js';

const x = (n: number): string => 'x'.repeat(n);
const plain = (text: string) => ({ type: 'plain_text', text });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const button = (over: Record<string, unknown> = {}) => ({ type: 'button', text: plain('Claim'), action_id: 'handoff_claim', value: 'ho_1', ...over });

const card = [
  { type: 'header', text: plain(':rotating_light: Urgent · billing') },
  { type: 'section', text: mrkdwn('*Caller* +1 555'), fields: [mrkdwn('*Workflow*\nclinic'), mrkdwn('*Status*\nopen')] },
  { type: 'context', elements: [mrkdwn('received 2 min ago'), { type: 'image', image_url: 'https://x.test/i.png', alt_text: 'i' }] },
  { type: 'actions', block_id: 'actions', elements: [button(), button({ action_id: 'handoff_escalate', style: 'danger' })] },
  { type: 'divider' },
];

describe('validateBlocks', () => {
  it('accepts a typical handoff card', () => {
    expect(validateBlocks(card)).toEqual([]);
  });

  it('accepts every limit exactly at its maximum', () => {
    const blocks = [
      { type: 'header', text: plain(x(150)) },
      { type: 'section', block_id: x(255), text: mrkdwn(x(3000)), fields: Array.from({ length: 10 }, () => mrkdwn(x(2000))) },
      { type: 'actions', elements: Array.from({ length: 25 }, (_, i) => button({ action_id: `${i}`.padEnd(255, 'a'), text: plain(x(75)), value: x(2000), url: `https://${x(2990)}` })) },
      { type: 'context', elements: Array.from({ length: 10 }, () => plain('c')) },
      ...Array.from({ length: 46 }, () => ({ type: 'divider' })),
    ];
    expect(blocks).toHaveLength(50);
    expect(validateBlocks(blocks)).toEqual([]);
  });

  const cases: Array<[string, unknown[], string]> = [
    ['51 blocks', Array.from({ length: 51 }, () => ({ type: 'divider' })), 'no more than 50 items allowed [json-pointer:/blocks]'],
    ['header text of 151 characters', [{ type: 'header', text: plain(x(151)) }], 'must be less than 151 characters [json-pointer:/blocks/0/text/text]'],
    ['header text in mrkdwn', [{ type: 'header', text: mrkdwn('*h*') }], 'must be a plain_text text object [json-pointer:/blocks/0/text/type]'],
    ['section text of 3001 characters', [{ type: 'section', text: mrkdwn(x(3001)) }], 'must be less than 3001 characters [json-pointer:/blocks/0/text/text]'],
    ['11 section fields', [{ type: 'section', fields: Array.from({ length: 11 }, () => mrkdwn('f')) }], 'no more than 10 items allowed [json-pointer:/blocks/0/fields]'],
    ['a section field of 2001 characters', [{ type: 'section', fields: [mrkdwn(x(2001))] }], 'must be less than 2001 characters [json-pointer:/blocks/0/fields/0/text]'],
    ['a section without text or fields', [{ type: 'section' }], 'must provide either text or fields [json-pointer:/blocks/0]'],
    ['button text of 76 characters', [{ type: 'actions', elements: [button({ text: plain(x(76)) })] }], 'must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]'],
    ['button text in mrkdwn', [{ type: 'actions', elements: [button({ text: mrkdwn('b') })] }], 'must be a plain_text text object [json-pointer:/blocks/0/elements/0/text/type]'],
    ['button value of 2001 characters', [{ type: 'actions', elements: [button({ value: x(2001) })] }], 'must be less than 2001 characters [json-pointer:/blocks/0/elements/0/value]'],
    ['button url of 3001 characters', [{ type: 'actions', elements: [button({ url: x(3001) })] }], 'must be less than 3001 characters [json-pointer:/blocks/0/elements/0/url]'],
    ['action_id of 256 characters', [{ type: 'actions', elements: [button({ action_id: x(256) })] }], 'must be less than 256 characters [json-pointer:/blocks/0/elements/0/action_id]'],
    ['block_id of 256 characters', [{ type: 'divider', block_id: x(256) }], 'must be less than 256 characters [json-pointer:/blocks/0/block_id]'],
    ['a repeated block_id', [{ type: 'divider', block_id: 'a' }, { type: 'divider', block_id: 'a' }], 'duplicate block_id: a [json-pointer:/blocks/1/block_id]'],
    ['26 elements in an actions block', [{ type: 'actions', elements: Array.from({ length: 26 }, (_, i) => button({ action_id: `a${i}` })) }], 'no more than 25 items allowed [json-pointer:/blocks/0/elements]'],
    ['11 context elements', [{ type: 'context', elements: Array.from({ length: 11 }, () => plain('c')) }], 'no more than 10 items allowed [json-pointer:/blocks/0/elements]'],
    ['a text object of unknown type', [{ type: 'section', text: { type: 'markdown', text: 'hi' } }], 'unsupported type: markdown [json-pointer:/blocks/0/text/type]'],
    ['an unknown block type', [{ type: 'carousel_of_doom' }], 'unsupported type: carousel_of_doom [json-pointer:/blocks/0/type]'],
    ['an element not allowed in actions', [{ type: 'actions', elements: [{ type: 'plain_text_input', action_id: 'n' }] }], 'unsupported type: plain_text_input [json-pointer:/blocks/0/elements/0/type]'],
    ['empty text', [{ type: 'section', text: mrkdwn('') }], 'must be more than 0 characters [json-pointer:/blocks/0/text/text]'],
    ['a button style Slack does not have', [{ type: 'actions', elements: [button({ style: 'green' })] }], 'unsupported style: green [json-pointer:/blocks/0/elements/0/style]'],
  ];

  it.each(cases)('rejects %s', (_name, blocks, message) => {
    expect(validateBlocks(blocks)).toContain(message);
  });

  it('counts characters, not UTF-16 units, so 150 emoji fit a header', () => {
    expect(validateBlocks([{ type: 'header', text: plain('🚨'.repeat(150)) }])).toEqual([]);
    expect(validateBlocks([{ type: 'header', text: plain('🚨'.repeat(151)) }])).toHaveLength(1);
  });

  it('rejects blocks that are not an array', () => {
    expect(validateBlocks({ type: 'divider' })).toEqual(['expected array [json-pointer:/blocks]']);
  });

  it('allows 100 blocks in a modal but only 50 in a message', () => {
    const blocks = Array.from({ length: 100 }, () => ({ type: 'divider' }));
    expect(validateBlocks(blocks, 'modal')).toEqual([]);
    expect(validateBlocks(blocks, 'message')).toHaveLength(1);
    expect(BLOCK_KIT_LIMITS.modalBlocks).toBe(100);
  });
});

describe('validateView', () => {
  const noteModal = {
    type: 'modal',
    callback_id: 'handoff_note_submit',
    title: plain('Add note'),
    submit: plain('Save'),
    private_metadata: 'ho_1',
    blocks: [{ type: 'input', block_id: 'note', label: plain('Note'), element: { type: 'plain_text_input', action_id: 'text', multiline: true, max_length: 3000 } }],
  };

  it('accepts the note modal', () => {
    expect(validateView(noteModal)).toEqual([]);
  });

  it.each([
    ['a title of 25 characters', { ...noteModal, title: plain(x(25)) }, 'must be less than 25 characters [json-pointer:/view/title/text]'],
    ['input blocks without submit', { ...noteModal, submit: undefined }, 'submit is required when a view has input blocks [json-pointer:/view/submit]'],
    ['private_metadata of 3001 characters', { ...noteModal, private_metadata: x(3001) }, 'must be less than 3001 characters [json-pointer:/view/private_metadata]'],
    ['a type other than modal', { ...noteModal, type: 'home' }, 'unsupported type: home [json-pointer:/view/type]'],
    ['an input without element', { ...noteModal, blocks: [{ type: 'input', label: plain('Note') }] }, 'missing required field [json-pointer:/view/blocks/0/element]'],
  ])('rejects %s', (_name, view, message) => {
    expect(validateView(view)).toContain(message);
  });
});
