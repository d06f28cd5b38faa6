/** Test-only fast-check arbitraries: hostile, long and unicode-heavy handoff state. */
import fc from 'fast-check';
import { CALL_STATUSES, HANDOFF_STATUSES, SEVERITIES } from '../../../shared/schemas/enums.js';
import type { CardField, CardInput } from '../../../bot/slack/cards/card-input.js';

/** Pieces that try to notify, link, break escaping, fake structure or break encoding. */
export const HOSTILE_PIECES = [
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<!here|here>',
  '@channel',
  '@HERE',
  '@Everyone',
  '<@U0ATTACKER>',
  '<@W0ATTACKER|boss>',
  '<#C0SECRET>',
  '<!subteam^S0EVIL>',
  '<!date^1700000000^{time}|x>',
  '<https://evil.example/?a=1&b=2|Claim here>',
  '<mailto:x@y.z>',
  '&',
  '&amp;',
  '&lt;',
  '&gt',
  '<',
  '>',
  '|',
  '*Claimed by:* ',
  '_',
  '~',
  '`',
  '```',
  '\n',
  '\r\n',
  '\u2028',
  '\u0000',
  '\u202E',
  '\u2066',
  '\uD800',
  '\uDC00',
  '😀',
  '👩‍👩‍👧',
  'é',
  'e\u0301',
  ':rotating_light:',
  ' ',
] as const;

/** A short hostile string made of the pieces above and random characters. */
export const hostile = (maxPieces = 12): fc.Arbitrary<string> =>
  fc
    .array(fc.oneof(fc.constantFrom(...HOSTILE_PIECES), fc.string({ unit: 'binary', maxLength: 8 })), { maxLength: maxPieces })
    .map((parts) => parts.join(''));

/** Up to `max` characters: hostile, random unicode, or one piece repeated (worst case for escaping). */
export const longText = (max: number): fc.Arbitrary<string> =>
  fc.oneof(
    hostile(),
    fc.string({ unit: 'binary', maxLength: max }),
    fc
      .tuple(fc.constantFrom('&', '<', '😀', 'a', '<!channel>', '\n'), fc.integer({ min: 1, max }))
      .map(([piece, n]) => piece.repeat(Math.ceil(n / piece.length)).slice(0, max)),
  );

export const userId = fc.stringMatching(/^U[A-Z0-9]{8,10}$/);
export const groupId = fc.stringMatching(/^S[A-Z0-9]{8,10}$/);
export const handoffId = fc.stringMatching(/^ho_[a-z0-9]{10,26}$/);

/** Who acted: a real user id, the timer, something malformed, or nobody. */
export const actor = fc.oneof(userId, fc.constant('auto'), hostile(4), fc.constant(null));

const time = fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 });

export const cardField: fc.Arbitrary<CardField> = fc.record({ label: longText(200), value: longText(4000) });

export const cardInput: fc.Arbitrary<CardInput> = fc
  .record({
    handoffId,
    workflowName: longText(300),
    workflowId: hostile(4),
    reason: longText(300),
    reasonLabel: fc.option(longText(300), { nil: undefined }),
    severity: fc.constantFrom(...SEVERITIES),
    status: fc.constantFrom(...HANDOFF_STATUSES),
    escalationLevel: fc.integer({ min: 0, max: 6 }),
    callStatus: fc.oneof(fc.constantFrom(...CALL_STATUSES), hostile(4)),
    caller: fc.option(fc.oneof(fc.stringMatching(/^\+[1-9][0-9]{7,14}$/), longText(500)), { nil: null }),
    fields: fc.array(cardField, { maxLength: 40 }),
    receivedAt: time,
    age: fc.integer({ min: 0, max: 40 * 86_400_000 }),
    claimedBy: actor,
    claimedAt: fc.option(time, { nil: null }),
    resolvedBy: actor,
    resolvedAt: fc.option(time, { nil: null }),
    lastEscalatedBy: actor,
    lastEscalatedAt: fc.option(time, { nil: null }),
    lastReleasedBy: actor,
    lastReleasedAt: fc.option(time, { nil: null }),
    reopenedBy: actor,
    reopenedAt: fc.option(time, { nil: null }),
    escalationMention: fc.oneof(groupId, userId, hostile(4), fc.constant(null)),
    callbacksOff: fc.boolean(),
    notesCount: fc.integer({ min: 0, max: 500 }),
  })
  .map(({ age, ...rest }) => ({ ...rest, now: rest.receivedAt + age }));

/** Ids in `input` that may legitimately be rendered as mentions. */
export function actorIds(
  input: Pick<CardInput, 'claimedBy' | 'resolvedBy' | 'lastEscalatedBy'> & Partial<Pick<CardInput, 'lastReleasedBy' | 'reopenedBy'>>,
  ...more: (string | null)[]
): string[] {
  return [input.claimedBy, input.resolvedBy, input.lastEscalatedBy, input.lastReleasedBy ?? null, input.reopenedBy ?? null, ...more].filter(
    (id): id is string => id !== null && /^[UW][A-Z0-9]{2,31}$/.test(id),
  );
}
