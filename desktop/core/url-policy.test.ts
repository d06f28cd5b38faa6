import { describe, expect, it } from 'vitest';
import { isSlackPermalink } from './url-policy.js';

describe('isSlackPermalink', () => {
  it.each([
    ['https://example.slack.com/archives/C1/p123', true],
    ['https://slack.com/app_redirect?channel=C1', true],
    ['http://example.slack.com/archives/C1/p123', false],
    ['https://slack.com.evil.test/archives', false],
    ['https://evilslack.com/x', false],
    ['https://user:pw@example.slack.com/x', false],
    ['https://example.slack.com:8443/x', false],
    ['javascript:alert(1)', false],
    ['file:///etc/passwd', false],
    ['not a url', false],
  ])('%s -> %s', (url, ok) => {
    expect(isSlackPermalink(url)).toBe(ok);
  });
});
