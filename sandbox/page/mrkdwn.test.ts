import { describe, expect, it } from 'vitest';
import { parseMrkdwn, parsePlain, type Token } from './public/mrkdwn.js';

describe('the page reads Slack mrkdwn as Slack does', () => {
  const cases: [string, string, Token[]][] = [
    ['bold label then text', '*Patient:* Dana', [{ t: 'bold', c: [{ t: 'text', v: 'Patient:' }] }, { t: 'text', v: ' Dana' }]],
    ['inline code', 'id `ho_1`', [{ t: 'text', v: 'id ' }, { t: 'code', v: 'ho_1' }]],
    ['user mention', 'by <@U0BOB0001>', [{ t: 'text', v: 'by ' }, { t: 'user', id: 'U0BOB0001', label: null }]],
    ['user group mention', '<!subteam^S0ONCALL01>', [{ t: 'group', id: 'S0ONCALL01', label: null }]],
    ['labelled link', '<https://x.example/a?b=1&amp;c=2|Open>', [{ t: 'link', url: 'https://x.example/a?b=1&c=2', label: 'Open' }]],
    ['date with fallback', '<!date^1700000000^{date_short_pretty} {time}|2023-11-14>', [{ t: 'date', ts: 1700000000, format: '{date_short_pretty} {time}', fallback: '2023-11-14' }]],
    ['escaped html stays text', '&lt;b&gt;x&lt;/b&gt; &amp; y', [{ t: 'text', v: '<b>x</b> & y' }]],
    ['an escaped mention stays text', '&lt;@U0ALICE01&gt;', [{ t: 'text', v: '<@U0ALICE01>' }]],
    ['underscores inside a word are not italics', 'jane_doe_x@example.com', [{ t: 'text', v: 'jane_doe_x@example.com' }]],
    ['italic and strike', '_soon_ ~old~', [{ t: 'italic', c: [{ t: 'text', v: 'soon' }] }, { t: 'text', v: ' ' }, { t: 'strike', c: [{ t: 'text', v: 'old' }] }]],
    ['known emoji', ':rotating_light: now', [{ t: 'emoji', name: 'rotating_light', char: '🚨' }, { t: 'text', v: ' now' }]],
    ['unknown emoji stays as text', ':nope_x:', [{ t: 'text', v: ':nope_x:' }]],
    ['line breaks', 'a\nb', [{ t: 'text', v: 'a' }, { t: 'br' }, { t: 'text', v: 'b' }]],
    ['javascript: URL is not a link', '<javascript:alert(1)|x>', [{ t: 'text', v: '<javascript:alert(1)|x>' }]],
    ['mention inside bold', '*<@U1AB>*', [{ t: 'bold', c: [{ t: 'user', id: 'U1AB', label: null }] }]],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    expect(parseMrkdwn(input)).toEqual(expected);
  });

  it('plain_text gets entities decoded and emoji, but no styling', () => {
    expect(parsePlain(':rotating_light: *URGENT* &amp; co')).toEqual([
      { t: 'emoji', name: 'rotating_light', char: '🚨' },
      { t: 'text', v: ' *URGENT* & co' },
    ]);
  });
});
