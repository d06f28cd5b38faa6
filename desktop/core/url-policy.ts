/** Pure URL checks used by main: what may leave the app, and which IPC senders are ours. */

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

/** An IPC sender is trusted only when its frame shows our own renderer file (no query tricks on another path). */
export function isTrustedSenderUrl(senderUrl: string | null | undefined, rendererUrl: string): boolean {
  if (!senderUrl) return false;
  try {
    const a = new URL(senderUrl);
    const b = new URL(rendererUrl);
    return a.protocol === 'file:' && a.protocol === b.protocol && a.host === b.host && a.pathname === b.pathname;
  } catch {
    return false;
  }
}
