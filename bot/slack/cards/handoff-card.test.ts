import { describe, expect, it } from 'vitest';
import type { ActionsBlock, ContextBlock, HeaderBlock, MessageBlock, SectionBlock, SlackMessage } from './blocks.js';
import { FIELD_LIMITS, buildHandoffCard, handoffCardMetadata } from './handoff-card.js';
import { allText, messageProblems } from '../../../test/support/cards/check-message.js';
import type { CardInput } from './card-input.js';
import { MIN, T0, sampleInput } from '../../../test/support/fixtures.js';

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

  it('says first that nobody has it, mentioning the escalation group', () => {
    const first = card.blocks[1] as SectionBlock;
    expect(first.block_id).toBe('ho_card_state');
    expect(first.text?.text).toContain('<!subteam^S0ONCALL>');
  });

  it('puts severity and reason in a plain_text header', () => {
    const header: HeaderBlock = block(card, 'ho_card_header', 'header');
    expect(header.text).toMatchObject({ type: 'plain_text', text: 'URGENT 🚨 · emergency_or_sensitive_request' });
  });

  it('shows workflow, caller, call status and a live age (Slack {ago}) as fields', () => {
    const fields = block(card, 'ho_card_summary', 'section').fields?.map((f) => f.text);
    expect(fields).toEqual([
      '*Workflow*\nClinic after-hours line',
      '*Caller*\n+15555550100',
      '*Call status*\nIn progress',
      `*Received*\n<!date^${T0 / 1000}^{ago}|at 2025-05-06 22:00 UTC>`,
    ]);
  });

  it('says which voice platform the call came from, and nothing when it came to /v1/handoffs', () => {
    const fields = (input: CardInput) => buildHandoffCard(input).blocks.find((b) => b.block_id === 'ho_card_summary') as SectionBlock;
    expect(fields({ ...openUrgent(), platform: 'vapi' }).fields?.map((f) => f.text)).toContain('*Via*\nVapi');
    expect(fields({ ...openUrgent(), platform: 'elevenlabs' }).fields?.map((f) => f.text)).toContain('*Via*\nElevenLabs');
    expect(JSON.stringify(fields({ ...openUrgent(), platform: null }))).not.toContain('Via');
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
});

describe('buildHandoffCard: states', () => {
  const header = (card: SlackMessage) => block(card, 'ho_card_header', 'header').text.text;
  const firstLine = (card: SlackMessage) => block(card, 'ho_card_state', 'section').text?.text ?? '';
  const ago = (ms: number) => `<!date^${ms / 1000}^{ago}|at `;

  it.each([
    ['open', {}, 'URGENT 🚨 · emergency_or_sensitive_request', `<!subteam^S0ONCALL> :rotating_light: Nobody has claimed this yet; it came in ${ago(T0)}`],
    [
      'claimed',
      { status: 'claimed', claimedBy: 'U0CLAIMER1', claimedAt: T0 + MIN },
      'Urgent · 🙋 CLAIMED · emergency_or_sensitive_request',
      `:raising_hand: Claimed by <@U0CLAIMER1> ${ago(T0 + MIN)}`,
    ],
    [
      'escalated',
      { severity: 'high', escalationLevel: 2, lastEscalatedBy: 'U0ESCALATR', lastEscalatedAt: T0 + 2 * MIN },
      'High · ⏫ ESCALATED (LEVEL 2) · emergency_or_sensitive_request',
      `<!subteam^S0ONCALL> :arrow_double_up: Escalated to level 2 by <@U0ESCALATR> ${ago(T0 + 2 * MIN)}`,
    ],
    [
      'resolved',
      { status: 'resolved', claimedBy: 'U0CLAIMER1', claimedAt: T0 + MIN, resolvedBy: 'U0RESOLVER', resolvedAt: T0 + 9 * MIN },
      'Urgent · ✅ RESOLVED · emergency_or_sensitive_request',
      `:white_check_mark: Resolved by <@U0RESOLVER> ${ago(T0 + 9 * MIN)}`,
    ],
    [
      'caller hung up',
      { callStatus: 'completed', callerHungUp: true },
      'Urgent · 📞 CALLER HUNG UP · emergency_or_sensitive_request',
      '<!subteam^S0ONCALL> :telephone_receiver: *Caller hung up: call back.* The call ended before anyone claimed this handoff.',
    ],
  ] as const)('a %s card says so in its header and first line', (_state, over, expectedHeader, expectedLine) => {
    const card = buildHandoffCard(openUrgent(over as Partial<CardInput>));
    expect(card.blocks[0]?.block_id).toBe('ho_card_header');
    expect(card.blocks[1]?.block_id).toBe('ho_card_state');
    expect(header(card)).toBe(expectedHeader);
    expect(firstLine(card).startsWith(expectedLine)).toBe(true);
    expect(messageProblems(card, { users: ['U0CLAIMER1', 'U0RESOLVER', 'U0ESCALATR'], mention: 'S0ONCALL' })).toEqual([]);
  });

  it('a claimed card offers Release instead of Claim and says who claimed it and when', () => {
    const card = buildHandoffCard(openUrgent({ status: 'claimed', claimedBy: 'U0CLAIMER1', claimedAt: T0 + MIN }));
    expect(actionIds(card)).toEqual(['handoff_release', 'handoff_escalate', 'handoff_resolve', 'handoff_note', 'handoff_details']);
    expect(contextText(card)).toContain(`Claimed by <@U0CLAIMER1> at <!date^${(T0 + MIN) / 1000}^`);
    expect(allText(card)).not.toContain('subteam');
    expect(card.text).toBe('Urgent handoff claimed: emergency_or_sensitive_request (Clinic after-hours line)');
  });

  it('a resolved card is quiet: no URGENT, no call status, no mention; only Reopen and Details', () => {
    const card = buildHandoffCard(
      openUrgent({ status: 'resolved', claimedBy: 'U0CLAIMER1', claimedAt: T0 + MIN, resolvedBy: 'U0RESOLVER', resolvedAt: T0 + 9 * MIN }),
    );
    expect(actionIds(card)).toEqual(['handoff_reopen', 'handoff_details']);
    expect(contextText(card)).toContain(`Resolved by <@U0RESOLVER> at <!date^${(T0 + 9 * MIN) / 1000}^`);
    const text = allText(card);
    expect(text).not.toMatch(/URGENT|subteam|Call status|In progress/);
    expect(card.text).toBe('Urgent handoff resolved: emergency_or_sensitive_request (Clinic after-hours line)');
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

  it('Escalate and Resolve ask for confirmation; Claim, Release and Reopen do not', () => {
    const confirmOf = (card: SlackMessage) =>
      Object.fromEntries(card.blocks.flatMap((b) => (b.type === 'actions' ? b.elements.map((e) => [e.action_id, e.confirm?.confirm.text ?? null]) : [])));
    expect(confirmOf(buildHandoffCard(openUrgent()))).toMatchObject({ handoff_claim: null, handoff_escalate: 'Escalate', handoff_resolve: 'Resolve' });
    expect(confirmOf(buildHandoffCard(openUrgent({ status: 'claimed', claimedBy: 'U0CLAIMER1', claimedAt: T0 })))).toMatchObject({ handoff_release: null });
    expect(confirmOf(buildHandoffCard(openUrgent({ status: 'resolved', resolvedBy: 'U0CLAIMER1', resolvedAt: T0 })))).toMatchObject({ handoff_reopen: null });
  });

  it('keeps a trace of a release and a reopen', () => {
    const card = buildHandoffCard(openUrgent({ lastReleasedBy: 'U0CLAIMER1', lastReleasedAt: T0 + MIN, reopenedBy: 'U0RESOLVER', reopenedAt: T0 + 2 * MIN }));
    expect(contextText(card)).toContain('Released by <@U0CLAIMER1> at');
    expect(contextText(card)).toContain('Reopened by <@U0RESOLVER> at');
  });

  it('an escalation by the timer says it was automatic; an urgent handoff, already Urgent, is not said to have become so', () => {
    const card = buildHandoffCard(openUrgent({ escalationLevel: 1, lastEscalatedBy: 'auto', lastEscalatedAt: T0 + 5 * MIN }));
    expect(firstLine(card)).toContain('Escalated automatically to level 1');
    expect(firstLine(card)).toMatch(/: nobody claimed it in time\.$/);
    expect(firstLine(card)).not.toMatch(/now Urgent|severity/i);
  });

  it('an escalation that raised the severity says from what to what, automatic or by a person', () => {
    const auto = buildHandoffCard(openUrgent({ escalationLevel: 1, lastEscalatedBy: 'auto', lastEscalatedAt: T0 + 5 * MIN, severityBeforeEscalation: 'high' }));
    expect(firstLine(auto)).toContain('nobody claimed it in time. Severity raised from High to Urgent.');
    const manual = buildHandoffCard(openUrgent({ escalationLevel: 1, lastEscalatedBy: 'U0BOB0001', lastEscalatedAt: T0 + 5 * MIN, severityBeforeEscalation: 'high' }));
    expect(firstLine(manual)).toMatch(/Escalated to level 1 by <@U0BOB0001> <!date\^\d+\^\{ago\}\|[^>]+>\. Severity raised from High to Urgent\./);
  });

  it('an escalation by the timer reads as auto-escalation', () => {
    const card = buildHandoffCard(openUrgent({ escalationLevel: 1, lastEscalatedBy: 'auto', lastEscalatedAt: T0 + 5 * MIN }));
    expect(contextText(card)).toContain('Escalated (level 1) by auto-escalation at');
  });

  it('a normal, unescalated card mentions no one', () => {
    const card = buildHandoffCard(openUrgent({ severity: 'normal' }));
    expect(card.blocks[1]?.block_id).toBe('ho_card_state');
    expect(allText(card)).not.toContain('subteam');
  });

  it('an urgent card with a user as escalation_mention mentions that user', () => {
    const card = buildHandoffCard(openUrgent({ escalationMention: 'U0ONCALL99' }));
    expect(block(card, 'ho_card_state', 'section').text?.text).toMatch(/^<@U0ONCALL99> /);
  });

  it('an escalation_mention that is not a Slack id is shown as text and notifies no one', () => {
    const card = buildHandoffCard(openUrgent({ escalationMention: '<!channel>' }));
    expect(block(card, 'ho_card_state', 'section').text?.text).toMatch(/^&lt;!channel&gt; /);
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
    const card = buildHandoffCard(openUrgent({ caller: null, fields: [] }));
    expect(block(card, 'ho_card_summary', 'section').fields?.[1]?.text).toBe('*Caller*\n_erased_');
    expect(card.blocks.some((b) => b.block_id.startsWith('ho_card_fields'))).toBe(false);
  });

  it('uses the reason label when config gives one', () => {
    const card = buildHandoffCard(openUrgent({ reasonLabel: 'Emergency or sensitive request' }));
    expect(block(card, 'ho_card_header', 'header').text.text).toBe('URGENT 🚨 · Emergency or sensitive request');
    expect(card.text).toBe('Urgent handoff: Emergency or sensitive request (Clinic after-hours line)');
  });
});

describe('buildHandoffCard: read aloud', () => {
  it.each([
    ['open', {}],
    ['claimed', { status: 'claimed' as const, claimedBy: 'U0BOB0001' }],
    ['escalated', { escalationLevel: 1 }],
    ['resolved', { status: 'resolved' as const, resolvedBy: 'U0BOB0001' }],
    ['hung up', { callerHungUp: true }],
  ])('the %s card\'s header says the severity word before any emoji', (_state, over) => {
    const header = block(buildHandoffCard(sampleInput(over)), 'ho_card_header', 'header').text.text;
    expect(header).toMatch(/^(URGENT|Urgent)\b/);
  });
});

describe('buildHandoffCard: hostile and oversized input', () => {
  it('escapes mentions and links in caller id and fields, and keeps values on one line', () => {
    const card = buildHandoffCard(
      openUrgent({
        severity: 'normal',
        caller: '<!channel>',
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
