import { expect } from 'vitest';
import type { Harness } from './harness.js';
import { until } from './until.js';
import { postHandoff } from './webhooks.js';

/** Sends a signed handoff, expects its 202 and waits until its card is in Slack. */
export async function postAndAwaitCard(h: Harness, body: Record<string, unknown>): Promise<{ id: string; channel: string; ts: string }> {
  const res = await postHandoff(h.bot.url, body);
  expect(res.status).toBe(202);
  const id = res.json.handoff_id as string;
  const row = await until(async () => {
    const r = await h.bot.store.handoffs.get(id);
    return r?.slackTs ? r : null;
  }, 5_000, 'the card');
  return { id, channel: row.slackChannel!, ts: row.slackTs! };
}
