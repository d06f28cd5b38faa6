import { describe, expect, it } from 'vitest';
import type { MessageBlock } from './blocks.js';
import type { CardConnect } from './card-input.js';
import { connectLine } from './connect-line.js';
import { buildHandoffCard } from './handoff-card.js';
import { MIN, T0, sampleInput } from '../../../test/support/fixtures.js';
import { messageProblems } from '../../../test/support/cards/check-message.js';

const waiting = (over: Partial<CardConnect> = {}): CardConnect => ({ state: 'waiting', waitingSince: T0, waitingUntil: T0 + 5 * MIN, user: null, ...over });
const date = (ms: number) => `<!date^${ms / 1000}^`;

function actionIds(blocks: MessageBlock[]): string[] {
  return blocks.flatMap((b) => (b.type === 'actions' ? b.elements.map((e) => e.action_id) : []));
}

describe('the claim-to-connect line of the card', () => {
  it('says at a glance that the caller is on the line, since when and until when, in Slack date formatting', () => {
    const line = connectLine({ connect: waiting(), status: 'open', now: T0 + MIN });
    expect(line).toContain('*The caller is on the line, waiting to be connected*');
    expect(line).toContain(`since ${date(T0)}`);
    expect(line).toContain(`until ${date(T0 + 5 * MIN)}`);
  });

  it('shows a wait whose time ran out (a card drawn after a restart) as over, with a call back', () => {
    const line = connectLine({ connect: waiting(), status: 'open', now: T0 + 6 * MIN });
    expect(line).toContain('was not connected');
    expect(line).toContain('call them back');
    expect(line).not.toContain('Claim to have the call');
  });

  it.each([
    [{ state: 'timed_out' } as const, 'open', 'could not wait to be connected*', true],
    [{ state: 'closed' } as const, 'open', 'stopped waiting on the line', true],
    [{ state: 'no_phone', user: 'U0CAROL01' } as const, 'claimed', '<@U0CAROL01> claimed with no phone under `people`', true],
    [{ state: 'connected', user: 'U0ALICE01' } as const, 'claimed', 'transferred to <@U0ALICE01>', false],
  ])('%j on a %s handoff', (over, status, expected, callBack) => {
    const line = connectLine({ connect: waiting({ waitingUntil: null, ...over }), status: status as 'open' | 'claimed', now: T0 + MIN });
    expect(line).toContain(expected);
    // Only a call that was not transferred needs a call back.
    expect(line?.includes('call them back'), 'asks for a call back').toBe(callBack);
  });

  it('has nothing to say when no caller ever waited, and drops the call-back prompt once resolved', () => {
    expect(connectLine({ connect: null, status: 'open', now: T0 })).toBeNull();
    expect(connectLine({ connect: waiting({ state: 'timed_out' }), status: 'resolved', now: T0 })).not.toContain('call them back');
  });

  it('goes right under the header and the state line (with its mention), in a card Slack accepts', () => {
    const card = buildHandoffCard(sampleInput({ connect: waiting(), now: T0 + MIN }));
    expect(card.blocks.map((b) => b.block_id).slice(0, 3)).toEqual(['ho_card_header', 'ho_card_state', 'ho_card_connect']);
    expect(messageProblems(card, { mention: 'S0ONCALL' })).toEqual([]);
  });
});

describe('the Call back button', () => {
  it('sits beside Claim (and Release) when Twilio is configured, never on a resolved card', () => {
    expect(actionIds(buildHandoffCard(sampleInput({ callBack: true })).blocks).slice(0, 2)).toEqual(['handoff_claim', 'handoff_call_back']);
    expect(actionIds(buildHandoffCard(sampleInput({ callBack: true, status: 'claimed', claimedBy: 'U0ALICE01', claimedAt: T0 })).blocks).slice(0, 2)).toEqual([
      'handoff_release',
      'handoff_call_back',
    ]);
    expect(actionIds(buildHandoffCard(sampleInput({ callBack: false })).blocks)).not.toContain('handoff_call_back');
    expect(actionIds(buildHandoffCard(sampleInput({ callBack: true, status: 'resolved', resolvedAt: T0 })).blocks)).toEqual(['handoff_reopen', 'handoff_details']);
  });
});
