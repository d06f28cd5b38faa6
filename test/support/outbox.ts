import type { Harness } from './harness.js';
import type { SlackEmulator, StoredMessage } from '../../sandbox/slack-emulator/index.js';

/** The handoff card messages of a channel, keyed by the handoff id in their metadata. */
export function cardsByHandoff(slack: SlackEmulator, channels: readonly string[]): Map<string, StoredMessage[]> {
  const out = new Map<string, StoredMessage[]>();
  for (const channel of channels) {
    for (const m of slack.messages(channel)) {
      if (m.metadata?.event_type !== 'handoff_card') continue;
      const id = String(m.metadata.event_payload.handoff_id);
      out.set(id, [...(out.get(id) ?? []), m]);
    }
  }
  return out;
}

/** Reads `handoff_outbox_depth` from the bot's /metrics endpoint. */
export async function outboxDepth(baseUrl: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const m = /^handoff_outbox_depth (\d+)$/m.exec(text);
  if (!m) throw new Error('handoff_outbox_depth missing from /metrics');
  return Number(m[1]);
}

/** Makes every pending outbox row due now (skips a backoff the test is not about) and wakes the worker. */
export function makePendingDue(h: Pick<Harness, 'bot' | 'db'>, now = 0): void {
  h.db.prepare("UPDATE outbox SET next_attempt_at = ? WHERE status = 'pending'").run(now);
  h.bot.outbox.wake();
}

export function pendingRows(h: Pick<Harness, 'db'>): number {
  return (h.db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending'").get() as { n: number }).n;
}
