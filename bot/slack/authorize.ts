import type { Authorize, AuthorizeResult } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';

/**
 * Bolt's authorize for our one workspace: auth.test once, then cached. Bolt's own single-token mode,
 * with its start-up check off (the bot must start while Slack is down), calls auth.test again for
 * every button click, so a storm of clicks would spend Slack's rate limit on it. A failed look-up is
 * not cached: the next click tries again.
 */
export function cachedAuthorize(client: WebClient, botToken: string): Authorize<boolean> {
  let cached: Promise<AuthorizeResult> | null = null;
  return async () => {
    cached ??= client.auth.test().then((r) => ({
      botToken,
      ...(r.bot_id ? { botId: r.bot_id } : {}),
      ...(r.user_id ? { botUserId: r.user_id } : {}),
      ...(r.team_id ? { teamId: r.team_id } : {}),
      ...(r.enterprise_id ? { enterpriseId: r.enterprise_id } : {}),
    }));
    try {
      return await cached;
    } catch (err) {
      cached = null;
      throw err;
    }
  };
}
