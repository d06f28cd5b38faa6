import { describe, expect, it } from 'vitest';
import { SEVERITIES } from '../../../shared/schemas/enums.js';
import { BLOCK_KIT_LIMITS } from '../../../shared/block-kit-limits.js';
import { buildHandoffActions, confirmFor } from './actions.js';

describe('the card buttons\' confirmations', () => {
  it.each([
    ['low', 'It goes up one level and from Low to Normal, and the next level is paged. If someone claimed it, they are told.'],
    ['high', 'It goes up one level and from High to Urgent, and the next level is paged. If someone claimed it, they are told.'],
    ['urgent', 'It goes up one level (it is already Urgent), and the next level is paged. If someone claimed it, they are told.'],
  ] as const)('Escalate on a %s handoff says what it does to it', (severity, text) => {
    const escalate = buildHandoffActions('ho_1', 'open', severity, 'b')!.elements.find((e) => e.action_id === 'handoff_escalate')!;
    expect(escalate.confirm?.text.text).toBe(text);
  });

  it('no confirmation promises a severity step to an urgent handoff', () => {
    const urgent = buildHandoffActions('ho_1', 'claimed', 'urgent', 'b')!;
    for (const e of urgent.elements) expect(e.confirm?.text.text ?? '').not.toMatch(/severity step|to Urgent/);
  });

  it('Resolve asks the same at every severity; the other buttons do not ask', () => {
    for (const s of SEVERITIES) {
      const els = buildHandoffActions('ho_1', 'open', s, 'b')!.elements;
      expect(els.find((e) => e.action_id === 'handoff_resolve')!.confirm).toEqual(confirmFor('resolve', s));
      expect(els.filter((e) => e.confirm).map((e) => e.action_id)).toEqual(['handoff_escalate', 'handoff_resolve']);
    }
  });
});

describe('the card buttons\' accessible names', () => {
  it('name the action, the severity and the handoff, so two urgent cards from one line sound different', () => {
    const a = buildHandoffActions('ho_01jabcdefghjkmnpqrstvw4f2k', 'open', 'urgent', 'b')!.elements;
    const b = buildHandoffActions('ho_01jabcdefghjkmnpqrstvw9x7z', 'open', 'urgent', 'b')!.elements;
    expect(a.find((e) => e.action_id === 'handoff_claim')!.accessibility_label).toBe('Claim Urgent handoff ending 4F2K');
    expect(b.find((e) => e.action_id === 'handoff_claim')!.accessibility_label).toBe('Claim Urgent handoff ending 9X7Z');
    for (const s of SEVERITIES) {
      for (const status of ['open', 'claimed', 'resolved'] as const) {
        for (const e of buildHandoffActions('ho_01jabcdefghjkmnpqrstvw4f2k', status, s, 'b', true)!.elements) {
          expect(e.accessibility_label).toMatch(new RegExp(`^${e.text.text} \\w+ handoff ending 4F2K$`));
          expect(e.accessibility_label!.length).toBeLessThanOrEqual(BLOCK_KIT_LIMITS.buttonAccessibilityLabel);
        }
      }
    }
  });
});
