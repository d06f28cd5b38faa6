import { describe, expect, it } from 'vitest';
import { countryCodeOf, refusedRange } from '../config/numbering-plan.js';
import { defaultDialCodes, dialDecision } from './dial-policy.js';

describe('dial policy', () => {
  it.each([
    ['+15555550100', '1'],
    ['+79161234567', '7'],
    ['+447700900123', '44'],
    ['+4790055555', '47'],
    ['+2693123456', '269'],
    ['+35312345678', '353'],
    ['+882123456789', '882'],
    ['+18765550100', '1876'], // Jamaica shares +1 with the US: its own code to the allow-list
    ['+18095550100', '1809'],
    ['+14415550100', '1441'],
    ['+16475550100', '1'], // Canada stays 1
    ['5555550100', null],
    ['web-visitor-42', null],
    ['+1555"><Play>', null],
  ])('countryCodeOf(%j) is %j', (n, code) => expect(countryCodeOf(n)).toBe(code));

  it.each([
    ['+19005550100', 'premium'],
    ['+12129765555', 'premium'],
    ['+12125559761', null],
    ['+8810000000', 'international_network'],
    ['+882123456789', 'international_network'],
    ['+883123456789', 'international_network'],
    ['+870123456789', 'international_network'],
    ['+979123456789', 'international_network'],
    ['+449012345678', 'premium'],
    ['+448712345678', 'premium'],
    ['+447012345678', 'premium'],
    ['+447700900123', null],
    ['+4782012345', 'premium'],
    ['+4782912345', 'premium'],
    ['+4791234567', null],
    ['+499001234567', 'premium'],
    ['+4930123456', null],
    ['+33891234567', 'premium'],
    ['+61190012345', 'premium'],
    ['+61212345678', null],
  ])('refusedRange(%j) is %j', (n, why) => expect(refusedRange(n)).toBe(why));

  it('allows a number only when it is a phone, outside every refused range and in an allowed country', () => {
    const us = new Set(['1']);
    expect(dialDecision('+14155550987', us)).toEqual({ ok: true, countryCode: '1' });
    expect(dialDecision('+2693123456', us)).toEqual({ ok: false, why: 'country_not_allowed', countryCode: '269' });
    expect(dialDecision('+18765550100', us)).toEqual({ ok: false, why: 'country_not_allowed', countryCode: '1876' });
    expect(dialDecision('+18765550100', new Set(['1', '1876']))).toEqual({ ok: true, countryCode: '1876' });
    expect(dialDecision('+19005550100', us)).toEqual({ ok: false, why: 'premium', countryCode: '1' });
    expect(dialDecision('+882123456789', new Set(['882']))).toEqual({ ok: false, why: 'international_network', countryCode: '882' });
    expect(dialDecision('web-visitor-42', us)).toEqual({ ok: false, why: 'not_a_phone', countryCode: null });
    expect(dialDecision(null, us)).toEqual({ ok: false, why: 'not_a_phone', countryCode: null });
  });

  it('defaults to the codes of TWILIO_FROM and the people', () => {
    expect(defaultDialCodes('+15555550000', ['+15555550101', '+447700900123']).sort()).toEqual(['1', '44']);
    expect(defaultDialCodes(null, [])).toEqual([]);
    expect(defaultDialCodes('+15555550000', ['+18765550101'])).toEqual(['1', '1876']);
  });
});
