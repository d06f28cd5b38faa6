/** Pure URL checks used by main: what may leave the app. */

const SLACK_HOST = /^(?:[a-z0-9-]+\.)*slack\.com$/;

/** Only https links to slack.com (or a workspace subdomain) go to `shell.openExternal`. */
export function isSlackPermalink(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return u.protocol === 'https:' && !u.username && !u.password && (u.port === '' || u.port === '443') && SLACK_HOST.test(u.hostname);
}
