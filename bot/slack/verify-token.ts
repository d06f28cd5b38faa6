import type { WebClient } from '@slack/web-api';
import type { Logger } from '../observability/logger.js';
import { classifySlackError } from './slack-errors.js';

/** A setting that stops `npm start`: `path` names the variable, the message says what is wrong. */
export class StartupError extends Error {
  readonly code = 'invalid_setting';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
  }
}

/**
 * Checks the bot token once at start. A token Slack rejects is a configuration error and stops the
 * start; Slack being unreachable is not: the bot must take handoffs while Slack is down (the outbox
 * delivers the cards later), so that is only a warning.
 */
export async function verifySlackToken(client: WebClient, logger: Logger): Promise<void> {
  try {
    await client.auth.test();
  } catch (err) {
    const c = classifySlackError(err);
    if (c.class === 'auth') throw new StartupError('env SLACK_BOT_TOKEN', `Slack rejected the token (${c.code})`);
    logger.warn({ err_code: c.code }, 'Slack is not reachable at start; cards wait in the outbox');
  }
}
