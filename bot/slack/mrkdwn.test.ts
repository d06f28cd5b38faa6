import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeMrkdwn, escapeSplit, escapeTruncate, link, mention, singleLine, slackAgo, slackDate, truncate, utcLabel } from './mrkdwn.js';

const ZWJ = '\u200D';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('escapeMrkdwn', () => {
  it.each([
    ['a & b', 'a &amp; b'],
    ['<!channel> now', '&lt;!channel&gt; now'],
    ['<!here>', '&lt;!here&gt;'],
    ['<!everyone>', '&lt;!everyone&gt;'],
    ['<@U0ABCDEF>', '&lt;@U0ABCDEF&gt;'],
    ['<#C0ABCDEF>', '&lt;#C0ABCDEF&gt;'],
    ['<!subteam^S0ONCALL>', '&lt;!subteam^S0ONCALL&gt;'],
    ['<https://evil.example|Claim>', '&lt;https://evil.example|Claim&gt;'],
    ['&lt;!channel&gt;', '&amp;lt;!channel&amp;gt;'],
    ['hi @channel', `hi @${ZWJ}channel`],
    ['@HERE and @Everyone', `@${ZWJ}HERE and @${ZWJ}Everyone`],
    ['mail jane_doe@example.com *now*', 'mail jane_doe@example.com *now*'],
    ['`code` ~x~', '`code` ~x~'],
    ['abc\u202Edef\u2066', 'abcdef'],
    ['x\uD800y', 'x\uFFFDy'],
    ['😀 ok', '😀 ok'],
  ])('escapes %j as %j', (input, expected) => {
    expect(escapeMrkdwn(input)).toBe(expected);
  });

  it('leaves no raw "<", ">", lone "&", bare broadcast or lone surrogate in any input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.constantFrom('', '<!here>', '@channel', '&', '\uDC00'), (s, extra) => {
        const out = escapeMrkdwn(s + extra + s);
        expect(out).not.toMatch(/[<>]/);
        expect(out).not.toMatch(/&(?!amp;|lt;|gt;)/);
        expect(out).not.toMatch(/@(channel|here|everyone)/i);
        expect(out).not.toMatch(LONE_SURROGATE);
      }),
    );
  });
});

describe('truncate', () => {
  it.each([
    ['short', 10, 'short'],
    ['exactly10!', 10, 'exactly10!'],
    ['eleven chars', 10, 'eleven ch…'],
    ['abc', 1, '…'],
    ['abc', 0, ''],
    ['😀😀😀', 4, '😀…'],
    ['a😀b', 2, 'a…'],
  ])('truncate(%j, %i) = %j', (text, max, expected) => {
    expect(truncate(text, max)).toBe(expected);
  });

  it('never exceeds max, never splits a surrogate pair, and keeps a prefix of the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.integer({ min: 1, max: 200 }), (s, max) => {
        const out = truncate(s, max);
        expect(out.length).toBeLessThanOrEqual(max);
        expect(out).not.toMatch(LONE_SURROGATE);
        if (s.length <= max) expect(out).toBe(s);
        else {
          expect(out.endsWith('…')).toBe(true);
          expect(s.startsWith(out.slice(0, -1))).toBe(true);
        }
      }),
    );
  });
});

describe('escapeTruncate', () => {
  it('never cuts inside an entity', () => {
    expect(escapeTruncate('a&b', 4)).toBe('a…');
    expect(escapeTruncate('<<<<', 9)).toBe('&lt;&lt;…');
    expect(escapeTruncate('@channel!', 2)).toBe('…');
  });

  it('measures the limit on the escaped text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }).map((s) => s.replace(/x/g, '&')), fc.integer({ min: 1, max: 120 }), (s, max) => {
        const out = escapeTruncate(s, max);
        expect(out.length).toBeLessThanOrEqual(max);
        expect(out).not.toMatch(/&(?!amp;|lt;|gt;)/);
        expect(out).not.toMatch(LONE_SURROGATE);
        const full = escapeMrkdwn(s);
        expect(full.startsWith(out.endsWith('…') && out !== full ? out.slice(0, -1) : out)).toBe(true);
      }),
    );
  });
});

describe('escapeSplit', () => {
  it('splits escaped text into chunks within the limit that join back to the whole', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }).map((s) => s.replace(/[a-f]/g, '&')), fc.integer({ min: 8, max: 50 }), (s, max) => {
        const chunks = escapeSplit(s, max, 1000);
        for (const c of chunks) {
          expect(c.length).toBeLessThanOrEqual(max);
          expect(c).not.toMatch(LONE_SURROGATE);
          expect(c).not.toMatch(/&(?!amp;|lt;|gt;)/);
        }
        expect(chunks.join('')).toBe(escapeMrkdwn(s));
      }),
    );
  });

  it('cuts with an ellipsis past maxChunks', () => {
    const chunks = escapeSplit('<'.repeat(100), 10, 2);
    expect(chunks).toEqual(['&lt;&lt;', '&lt;&lt;…']);
  });
});

describe('mention', () => {
  it.each([
    ['U0ABCDEF12', '<@U0ABCDEF12>'],
    ['W0ABCDEF12', '<@W0ABCDEF12>'],
    ['S0ONCALL', '<!subteam^S0ONCALL>'],
    ['u0abcdef', 'u0abcdef'],
    ['<!channel>', '&lt;!channel&gt;'],
    ['S0ONCALL>|x', 'S0ONCALL&gt;|x'],
    ['@here', `@${ZWJ}here`],
    ['C0CHANNEL', 'C0CHANNEL'],
    ['U', 'U'],
  ])('mention(%j) = %j', (id, expected) => {
    expect(mention(id)).toBe(expected);
  });
});

describe('singleLine', () => {
  it('collapses line breaks and control characters into single spaces', () => {
    expect(singleLine(' a\r\n\nb\u2028c\u0000\td ')).toBe('a b c d');
  });
});

describe('slackDate and link', () => {
  it('renders a Slack date token with a UTC fallback', () => {
    const ms = Date.UTC(2024, 0, 2, 3, 4, 59);
    expect(slackDate(ms)).toBe(`<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|2024-01-02 03:04 UTC>`);
    expect(utcLabel(Number.NaN)).toBe('unknown time');
  });

  it('renders an age Slack keeps current ({ago})', () => {
    const ms = Date.UTC(2024, 0, 2, 3, 4, 59);
    expect(slackAgo(ms)).toBe(`<!date^${Math.floor(ms / 1000)}^{ago}|at 2024-01-02 03:04 UTC>`);
  });

  it.each([
    ['https://acme.slack.com/archives/C1/p123?a=1&b=2', 'Card <x>', '<https://acme.slack.com/archives/C1/p123?a=1&amp;b=2|Card &lt;x&gt;>'],
    // The sandbox's local Slack hands out http permalinks.
    ['http://127.0.0.1:4000/archives/C1/p123', 'Card', '<http://127.0.0.1:4000/archives/C1/p123|Card>'],
    ['ftp://acme.slack.com/x', 'Card', null],
    ['https://evil.example/|<!channel>', 'Card', null],
    ['https://evil.example/>x', 'Card', null],
    ['javascript:alert(1)', 'Card', null],
  ])('link(%j, %j) = %j', (url, label, expected) => {
    expect(link(url, label)).toBe(expected);
  });
});
