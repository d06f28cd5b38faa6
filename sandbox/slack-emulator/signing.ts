// Slack's request signing (v0): HMAC-SHA256 of "v0:{timestamp}:{raw body}"
// with the app's signing secret, sent as x-slack-signature / x-slack-request-timestamp.
import { createHmac } from 'node:crypto';

export function slackSignature(signingSecret: string, timestampSec: number, rawBody: string): string {
  const hmac = createHmac('sha256', signingSecret).update(`v0:${timestampSec}:${rawBody}`).digest('hex');
  return `v0=${hmac}`;
}

export function signedHeaders(
  signingSecret: string,
  timestampSec: number,
  rawBody: string,
): { 'x-slack-request-timestamp': string; 'x-slack-signature': string } {
  return {
    'x-slack-request-timestamp': String(timestampSec),
    'x-slack-signature': slackSignature(signingSecret, timestampSec, rawBody),
  };
}
