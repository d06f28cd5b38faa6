import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalJsonText, canonicalNumber } from './canonical-json.js';

describe('canonical JSON from raw text', () => {
  it('is what the parsed-value form gives for any JSON a double holds exactly (stored hashes stay valid)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const raw = JSON.stringify(v, null, 1);
        expect(canonicalJsonText(raw)).toBe(canonicalJson(JSON.parse(raw)));
      }),
    );
  });

  it('keeps numbers apart that a double cannot: beyond 2^53, overflow, extra precision', () => {
    expect(canonicalNumber('9007199254740993')).not.toBe(canonicalNumber('9007199254740992'));
    expect(canonicalNumber('1e400')).not.toBe('null');
    expect(canonicalNumber('1e400')).not.toBe(canonicalNumber('1e401'));
    expect(canonicalNumber('0.10000000000000001')).not.toBe(canonicalNumber('0.1'));
    expect(canonicalNumber('1.0')).toBe(canonicalNumber('1'));
    expect(canonicalNumber('1e2')).toBe(canonicalNumber('100'));
  });

  it('ignores key order, white space and the dropped top-level keys', () => {
    expect(canonicalJsonText('{ "b": 1, "a": [1, {"y": 2, "x": 1}], "signature_status": "x" }', ['signature_status'])).toBe(
      canonicalJsonText('{"a":[1,{"x":1,"y":2}],"b":1}'),
    );
  });
});
