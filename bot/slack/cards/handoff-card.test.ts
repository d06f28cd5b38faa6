import type { types } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import type { ActionsBlock, ContextBlock, HeaderBlock, MessageBlock, SectionBlock, SlackMessage } from './blocks.js';
import { FIELD_LIMITS, buildHandoffCard, handoffCardMetadata } from './handoff-card.js';
import { allText, messageProblems } from './test-support/check-message.js';
import { MIN, T0, sampleInput } from './test-support/fixtures.js';

const openUrgent = sampleInput;

function block<T extends MessageBlock['type']>(msg: SlackMessage, id: string, type: T): Extract<MessageBlock, { type: T }> {
  const b = msg.blocks.find((x) => x.block_id === id);
  if (b === undefined || b.type !== type) throw new Error(`no ${type} block ${id} in ${msg.blocks.map((x) => x.block_id).join(',')}`);
  return b as Extract<MessageBlock, { type: T }>;
}

const actionIds = (msg: SlackMessage): string[] =>
  msg.blocks.flatMap((b) => (b.type === 'actions' ? b.elements.map((e) => e.action_id) : []));
const contextText = (msg: SlackMessage): string =>
  block(msg, 'ho_card_context', 'context').elements.map((e) => e.text).join('\n');

describe('buildHandoffCard: an open urgent handoff', () => {
  const card = buildHandoffCard(openUrgent());

  it('meets every Block Kit limit', () => {
    expect(messageProblems(card, { mention: 'S0ONCALL' })).toEqual([]);
  });

  it('uses the notification text from the spec, with no caller id or field value', () => {
    expect(card.text).toBe('Urgent handoff: emergency_or_sensitive_request (Clinic after-hours line)');
  });

  it('mentions the escalation group in a section at the top', () => {
    const first = card.blocks[0] as SectionBlock;
    expect(first.block_id).toBe('ho_card_mention');
    expect(first.text?.text).toContain('<!subteam^S0ONCALL>');
  });

  it('puts severity and reason in a plain_text header', () => {
    const header: HeaderBlock = block(card, 'ho_card_header', 'header');
    expect(header.text).toMatchObject({ type: 'plain_text', text: '🚨 URGENT · emergency_or_sensitive_request' });
  });

  it('shows workflow, caller, call status, age and state as fields', () => {
    const fields = block(card, 'ho_card_summary', 'section').fields?.map((f) => f.text);
    expect(fields).toEqual([
      '*Workflow*\nClinic after-hours line',
      '*Caller*\n+15555550100',
      '*Call status*\nIn progress',
      '*Age*\n3m',
      '*State*\nOpen, unclaimed',
    ]);
  });

  it('shows the non-sensitive structured fields', () => {
    expect(block(card, 'ho_card_fields_0', 'section').text?.text).toBe('*Patient name:* Ada Lovelace');
  });

  it('offers Claim (primary), Escalate (danger), Resolve, Add note and Details, each carrying the handoff id', () => {
    const actions: ActionsBlock = block(card, 'ho_card_actions', 'actions');
    expect(actions.elements.map((e) => [e.action_id, e.style, e.value])).toEqual([
      ['handoff_claim', 'primary', 'ho_01HZXAMPLE'],
      ['handoff_escalate', 'danger', 'ho_01HZXAMPLE'],
      ['handoff_resolve', undefined, 'ho_01HZXAMPLE'],
      ['handoff_note', undefined, 'ho_01HZXAMPLE'],
      ['handoff_details', undefined, 'ho_01HZXAMPLE'],
    ]);
    expect(actions.elements.map((e) => e.text.text)).toEqual(['Claim', 'Escalate', 'Resolve', 'Add note', 'Details']);
    expect(card.blocks.at(-1)).toBe(actions);
  });

  it('says when it was received, with a Slack date token', () => {
    expect(contextText(card)).toContain(`Received at <!date^${T0 / 1000}^`);
  });

  it('is structurally a list of @slack/types KnownBlock', () => {
    const typed: types.KnownBlock[] = card.blocks;
    expect(typed).toHaveLength(card.blocks.length);
  });
});

describe('buildHandoffCard: states', () => {
  it('a claimed card offers Release instead of Claim and says who claimed it and when', () => {
    const card = buildHandoffCard(openUrgent({ status: 'claimed', claimedBy: 'U0CLAIMER1', claimedAt: T0 + MIN }));
    expect(actionIds(card)).toEqual(['handoff_release', 'handoff_escalate', 'handoff_resolve', 'handoff_note', 'handoff_details']);
    expect(contextText(card)).toContain(`Claimed by <@U0CLAIMER1> at <!date^${(T0 + MIN) / 1000}^`);
    expect(block(card, 'ho_card_summary', 'section').fields?.[4]?.text).toBe('*State*\nClaimed by <@U0CLAIMER1>');
    expect(card.text).toBe('Urgent handoff claimed: emergency_or_sensitive_request (Clinic after-hours line)');
    expect(messageProblems(card, { users: ['U0CLAIMER1'], mention: 'S0ONCALL' })).toEqual([]);
  });

  it('a resolved card has no actions block, says who resolved it and no longer calls anyone', () => {
    const card = buildHandoffCard(
      openUrgent({ status: 'resolved', claimedBy: 'U0CLAIMER1', claimedAt: T0 + MIN, resolvedBy: 'U0RESOLVER', resolvedAt: T0 + 9 * MIN }),
    );
    expect(card.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(contextText(card)).toContain(`Resolved by <@U0RESOLVER> at <!date^${(T0 + 9 * MIN) / 1000}^`);
    expect(card.blocks.some((b) => b.block_id === 'ho_card_mention')).toBe(false);
    expect(card.text).toBe('Urgent handoff resolved: emergency_or_sensitive_request (Clinic after-hours line)');
    expect(messageProblems(card, { users: ['U0CLAIMER1', 'U0RESOLVER'] })).toEqual([]);
  });

  it('a resolved card shows its outcome with a picker of every outcome, the current one selected', () => {
    const card = buildHandoffCard(openUrgent({ status: 'resolved', resolvedBy: 'U0RESOLVER', resolvedAt: T0 + 9 * MIN, outcome: 'not_needed' }));
    const picker = block(card, 'ho_card_outcome', 'section');
    expect(picker.text?.text).toBe('*Outcome:* Not needed');
    expect(contextText(card)).toContain('· Not needed');
    expect(picker.accessory?.action_id).toBe('handoff_outcome');
    expect(picker.accessory?.options.map((o) => o.value)).toEqual(
      ['handled', 'called_back', 'no_answer', 'not_needed', 'wrong_workflow', 'duplicate'].map((o) => `${o}:${openUrgent().handoffId}`),
    );
    expect(picker.accessory?.initial_option?.value).toBe(`not_needed:${openUrgent().handoffId}`);
    expect(messageProblems(card, { users: ['U0RESOLVER'] })).toEqual([]);
    // Open and claimed cards have no picker: the outcome is recorded by Resolve.
    expect(buildHandoffCard(openUrgent()).blocks.some((b) => b.block_id === 'ho_card_outcome')).toBe(false);
  });

  it('an escalated normal card mentions the group and says who escalated to which level', () => {
    const card = buildHandoffCard(
      openUrgent({ severity: 'high', escalationLevel: 2, lastEscalatedBy: 'U0ESCALATR', lastEscalatedAt: T0 + 2 * MIN }),
    );
    expect(block(card, 'ho_card_mention', 'section').text?.text).toContain('<!subteam^S0ONCALL> :rotating_light: escalated to level 2');
    expect(contextText(card)).toContain('Escalated (level 2) by <@U0ESCALATR> at');
    expect(block(card, 'ho_card_summary', 'section').fields?.[4]?.text).toBe('*State*\nOpen, unclaimed\nEscalated, level 2');
    expect(card.text).toBe('High handoff escalated to level 2: emergency_or_sensitive_request (Clinic after-hours line)');
  });

  it('an escalation by the timer reads as auto-escalation', () => {
    const card = buildHandoffCard(openUrgent({ escalationLevel: 1, lastEscalatedBy: 'auto', lastEscalatedAt: T0 + 5 * MIN }));
    expect(contextText(card)).toContain('Escalated (level 1) by auto-escalation at');
  });

  it('a normal, unescalated card mentions no one', () => {
    const card = buildHandoffCard(openUrgent({ severity: 'normal' }));
    expect(card.blocks[0]?.block_id).toBe('ho_card_header');
    expect(allText(card)).not.toContain('subteam');
  });

  it('an urgent card with a user as escalation_mention mentions that user', () => {
    const card = buildHandoffCard(openUrgent({ escalationMention: 'U0ONCALL99' }));
    expect(block(card, 'ho_card_mention', 'section').text?.text).toMatch(/^<@U0ONCALL99> /);
  });

  it('an escalation_mention that is not a Slack id is shown as text and notifies no one', () => {
    const card = buildHandoffCard(openUrgent({ escalationMention: '<!channel>' }));
    expect(block(card, 'ho_card_mention', 'section').text?.text).toMatch(/^&lt;!channel&gt; /);
    expect(messageProblems(card)).toEqual([]);
  });

  it('says when status callbacks are off and how many notes the thread holds', () => {
    const card = buildHandoffCard(openUrgent({ callbacksOff: true, notesCount: 3 }));
    expect(contextText(card)).toContain('Status callbacks are off');
    expect(contextText(card)).toContain('3 notes in thread');
    expect(contextText(buildHandoffCard(openUrgent({ notesCount: 1 })))).toContain('1 note in thread');
    expect(contextText(buildHandoffCard(openUrgent()))).not.toMatch(/callbacks|note/);
  });

  it('shows an erased caller after retention', () => {
    const card = buildHandoffCard(openUrgent({ callerId: null, fields: [] }));
    expect(block(card, 'ho_card_summary', 'section').fields?.[1]?.text).toBe('*Caller*\n_erased_');
    expect(card.blocks.some((b) => b.block_id.startsWith('ho_card_fields'))).toBe(false);
  });

  it('uses the reason label when config gives one', () => {
    const card = buildHandoffCard(openUrgent({ reasonLabel: 'Emergency or sensitive request' }));
    expect(block(card, 'ho_card_header', 'header').text.text).toBe('🚨 URGENT · Emergency or sensitive request');
    expect(card.text).toBe('Urgent handoff: Emergency or sensitive request (Clinic after-hours line)');
  });
});

describe('buildHandoffCard: hostile and oversized input', () => {
  it('escapes mentions and links in caller id and fields, and keeps values on one line', () => {
    const card = buildHandoffCard(
      openUrgent({
        severity: 'normal',
        callerId: '<!channel>',
        fields: [{ label: 'Notes <@U0EVIL>', value: 'call @here\n*Claimed by:* <@U0BOSS> <https://evil.example|Claim>' }],
      }),
    );
    expect(messageProblems(card)).toEqual([]);
    expect(block(card, 'ho_card_fields_0', 'section').text?.text).toBe(
      `*Notes &lt;@U0EVIL&gt;:* call @\u200Dhere *Claimed by:* &lt;@U0BOSS&gt; &lt;https://evil.example|Claim&gt;`,
    );
  });

  it('truncates a 4,000-character value and packs 40 fields, ending in "+N more" with the actions kept', () => {
    const fields = Array.from({ length: 40 }, (_, i) => ({ label: `Field ${i}`, value: `${i}:`.padEnd(4000, '&') }));
    const card = buildHandoffCard(openUrgent({ fields }));
    expect(messageProblems(card, { mention: 'S0ONCALL' })).toEqual([]);
    const sections = card.blocks.filter((b): b is SectionBlock => b.block_id.startsWith('ho_card_fields_') && b.type === 'section');
    expect(sections).toHaveLength(FIELD_LIMITS.sections);
    const lines = sections.flatMap((s) => s.text?.text.split('\n') ?? []);
    for (const line of lines) expect(line).toMatch(/^\*Field \d+:\* \d+:(&amp;)+…$/);
    const more: ContextBlock = block(card, 'ho_card_fields_more', 'context');
    expect(more.elements[0]?.text).toBe(`+${40 - lines.length} more fields not shown on the card`);
    expect(card.blocks.at(-1)?.type).toBe('actions');
  });

  it('shows every field when they fit, with no "+N more" line', () => {
    const fields = Array.from({ length: 40 }, (_, i) => ({ label: `F${i}`, value: 'short' }));
    const card = buildHandoffCard(openUrgent({ fields }));
    const text = card.blocks.filter((b) => b.block_id.startsWith('ho_card_fields_')).map((b) => (b as SectionBlock).text?.text).join('\n');
    expect(text.split('\n')).toHaveLength(40);
    expect(card.blocks.some((b) => b.block_id === 'ho_card_fields_more')).toBe(false);
  });

  it('cuts a long reason so the header stays within 150 characters', () => {
    const card = buildHandoffCard(openUrgent({ reason: '😀'.repeat(200) }));
    const header = block(card, 'ho_card_header', 'header').text.text;
    expect(header.length).toBeLessThanOrEqual(150);
    expect(header.endsWith('😀…')).toBe(true);
  });
});

describe('handoffCardMetadata', () => {
  it('tags the message so crash recovery can find the card', () => {
    expect(handoffCardMetadata('ho_1')).toEqual({ event_type: 'handoff_card', event_payload: { handoff_id: 'ho_1' } });
  });
});
