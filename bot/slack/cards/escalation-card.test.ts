import { describe, expect, it } from 'vitest';
import type { SectionBlock } from './blocks.js';
import { buildEscalationCard, buildEscalationPage } from './escalation-card.js';
import { messageProblems } from '../../../test/support/cards/check-message.js';
import { MIN, T0, sampleInput } from '../../../test/support/fixtures.js';

const PERMALINK = 'https://acme.slack.com/archives/C0CLINIC/p1746568800000100';

describe('buildEscalationCard', () => {
  const card = buildEscalationCard({
    ...sampleInput({ escalationLevel: 2, lastEscalatedBy: 'U0ESCALATR', lastEscalatedAt: T0 + 2 * MIN }),
    level: 2,
    escalatedBy: 'U0ESCALATR',
    permalink: PERMALINK,
  });

  it('opens with the mention, the level and who escalated', () => {
    const title = card.blocks[0] as SectionBlock;
    expect(title.block_id).toBe('ho_esc_title');
    expect(title.text?.text).toBe('<!subteam^S0ONCALL> :arrow_double_up: *Escalated to level 2* by <@U0ESCALATR>');
  });

  it('links to the original card and carries the same buttons', () => {
    const link = card.blocks.find((b) => b.block_id === 'ho_esc_link');
    expect(link?.type === 'context' && link.elements[0]?.text).toBe(`<${PERMALINK}|Open the original card> · \`ho_01HZXAMPLE\``);
    const actions = card.blocks.at(-1);
    expect(actions?.type === 'actions' && actions.elements.map((e) => [e.action_id, e.value])).toEqual([
      ['handoff_claim', 'ho_01HZXAMPLE'],
      ['handoff_escalate', 'ho_01HZXAMPLE'],
      ['handoff_resolve', 'ho_01HZXAMPLE'],
      ['handoff_note', 'ho_01HZXAMPLE'],
      ['handoff_details', 'ho_01HZXAMPLE'],
    ]);
  });

  it('leaves structured fields to the original card and personal data out of the notification text', () => {
    expect(card.blocks.some((b) => b.block_id.includes('fields'))).toBe(false);
    expect(card.text).toBe('Escalated to level 2: Urgent handoff: emergency_or_sensitive_request (Clinic after-hours line)');
    expect(messageProblems(card, { users: ['U0ESCALATR'], mention: 'S0ONCALL', urls: [PERMALINK] })).toEqual([]);
  });

  it('names the handoff instead of linking when there is no permalink yet, and says when the timer escalated', () => {
    const auto = buildEscalationCard({ ...sampleInput({ escalationLevel: 1 }), level: 1, escalatedBy: 'auto', permalink: null });
    const link = auto.blocks.find((b) => b.block_id === 'ho_esc_link');
    expect(link?.type === 'context' && link.elements[0]?.text).toBe('Original card: handoff `ho_01HZXAMPLE`');
    expect((auto.blocks[0] as SectionBlock).text?.text).toContain('*Escalated to level 1* by auto-escalation');
  });

  it('refuses a permalink that is not a plain https URL', () => {
    const evil = buildEscalationCard({ ...sampleInput(), level: 1, escalatedBy: null, permalink: 'https://x.example/|<!channel>' });
    expect(messageProblems(evil, { mention: 'S0ONCALL' })).toEqual([]);
    const link = evil.blocks.find((b) => b.block_id === 'ho_esc_link');
    expect(link?.type === 'context' && link.elements[0]?.text).toBe('Original card: handoff `ho_01HZXAMPLE`');
  });

  it('a claimed handoff escalated for help offers Release, and a resolved one only Reopen and Details', () => {
    const claimed = buildEscalationCard({ ...sampleInput({ status: 'claimed', claimedBy: 'U0CLAIMER1' }), level: 1, escalatedBy: 'U0CLAIMER1', permalink: null });
    expect(claimed.blocks.at(-1)?.type === 'actions' && claimed.blocks.at(-1)).toMatchObject({ elements: [{ action_id: 'handoff_release' }, {}, {}, {}, { action_id: 'handoff_details' }] });
    const resolved = buildEscalationCard({ ...sampleInput({ status: 'resolved' }), level: 1, escalatedBy: null, permalink: null });
    expect(resolved.blocks.flatMap((b) => (b.type === 'actions' ? b.elements.map((e) => e.action_id) : []))).toEqual(['handoff_reopen', 'handoff_details']);
  });

  it('without an escalation_mention it still announces the level, mentioning no one', () => {
    const quiet = buildEscalationCard({ ...sampleInput({ escalationMention: null }), level: 3, escalatedBy: null, permalink: null });
    expect((quiet.blocks[0] as SectionBlock).text?.text).toBe(':arrow_double_up: *Escalated to level 3*');
  });
});

describe('an escalation that raised the severity says so', () => {
  it('on the escalation card', () => {
    const card = buildEscalationCard({ ...sampleInput({ severity: 'urgent', escalationLevel: 1 }), level: 1, escalatedBy: 'auto', permalink: null, raisedFrom: 'high' });
    expect((card.blocks[0] as SectionBlock).text?.text).toBe('<!subteam^S0ONCALL> :arrow_double_up: *Escalated to level 1* by auto-escalation. Severity raised from High to Urgent.');
  });

  it('not when it was urgent already', () => {
    const card = buildEscalationCard({ ...sampleInput({ severity: 'urgent' }), level: 2, escalatedBy: 'auto', permalink: null, raisedFrom: 'urgent' });
    expect((card.blocks[0] as SectionBlock).text?.text).not.toContain('raised');
  });
});

describe('buildEscalationPage', () => {
  it('pages the level mention in a thread, says the level, who, where it stands and the raised severity', () => {
    const page = buildEscalationPage({ handoffId: 'ho_01HZXAMPLE', level: 2, mention: 'U0BOSS001', escalatedBy: 'auto', severity: 'urgent', raisedFrom: 'high', status: 'open' });
    expect((page.blocks[0] as SectionBlock).text?.text).toBe(
      '<@U0BOSS001> :arrow_double_up: *Escalated to level 2* by auto-escalation. Nobody has claimed it yet. Severity raised from High to Urgent.',
    );
    expect(page.text).toBe('Escalated to level 2: handoff ho_01HZXAMPLE');
    expect(messageProblems(page, { users: ['U0BOSS001'] })).toEqual([]);
  });

  it('a claimed handoff escalated by its claimer asks for help; no mention configured pages nobody by name', () => {
    const page = buildEscalationPage({ handoffId: 'ho_01HZXAMPLE', level: 1, mention: null, escalatedBy: 'U0ALICE01', severity: 'urgent', status: 'claimed' });
    expect((page.blocks[0] as SectionBlock).text?.text).toBe(':arrow_double_up: *Escalated to level 1* by <@U0ALICE01>. The person on it asked for help.');
  });
});
