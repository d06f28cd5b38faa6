import { describe, expect, it } from 'vitest';
import { actorText, callStatusText, formatAge } from './format.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('formatAge', () => {
  it.each([
    [0, '0m'],
    [59 * S, '0m'],
    [-5 * M, '0m'],
    [Number.NaN, '0m'],
    [M, '1m'],
    [3 * M + 59 * S, '3m'],
    [59 * M, '59m'],
    [H, '1h'],
    [H + 5 * M, '1h 5m'],
    [23 * H + 59 * M, '23h 59m'],
    [D, '1d'],
    [2 * D + 30 * M, '2d'],
    [2 * D + 4 * H, '2d 4h'],
    [400 * D, '400d'],
  ])('formatAge(%d) = %j', (ms, expected) => {
    expect(formatAge(ms)).toBe(expected);
  });
});

describe('actorText and callStatusText', () => {
  it.each([
    ['U0ABCDEF12', '<@U0ABCDEF12>'],
    ['auto', 'auto-escalation'],
    [null, 'someone'],
    ['<!channel>', '&lt;!channel&gt;'],
    ['S0GROUP99', 'S0GROUP99'], // an actor is a person: a group id must not ping the group
  ])('actorText(%j) = %j', (actor, expected) => {
    expect(actorText(actor)).toBe(expected);
  });

  it('labels known call statuses and escapes unknown ones', () => {
    expect(callStatusText('in_progress')).toBe('In progress');
    expect(callStatusText('<!here>')).toBe('&lt;!here&gt;');
  });
});
