import { describe, expect, it } from 'vitest';
import type { SectionBlock } from './blocks.js';
import { buildCallBackReminder, buildClaimReminder } from './reminders.js';
import { messageProblems } from '../../../test/support/cards/check-message.js';

const T = Date.UTC(2026, 0, 5, 9, 30);

describe('reminders', () => {
  it('a claim reminder mentions the claimer only and says since when, live', () => {
    const msg = buildClaimReminder({ claimant: 'U0ALICE01', claimedAt: T });
    const text = (msg.blocks[0] as SectionBlock).text?.text ?? '';
    expect(text).toMatch(/^<@U0ALICE01> :alarm_clock: \*Reminder:\* you claimed this handoff <!date\^\d+\^\{ago\}\|at 2026-01-05 09:30 UTC> and it is not resolved yet\./);
    expect(text).toContain('Release it');
    expect(messageProblems(msg, { users: ['U0ALICE01'] })).toEqual([]);
  });

  it('a call-back reminder pages the given mention and asks for a claim and a call', () => {
    const msg = buildCallBackReminder({ mention: 'S0ONCALL01', hungUpAt: T });
    const text = (msg.blocks[0] as SectionBlock).text?.text ?? '';
    expect(text.startsWith('<!subteam^S0ONCALL01> :telephone_receiver: *Call back:* the caller hung up <!date^')).toBe(true);
    expect(text).toContain('Claim it and call them back.');
    expect(messageProblems(msg, { mention: 'S0ONCALL01' })).toEqual([]);
    expect((buildCallBackReminder({ mention: null, hungUpAt: null }).blocks[0] as SectionBlock).text?.text).toMatch(/^:telephone_receiver: \*Call back:\* the caller hung up while waiting/);
  });
});
