import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../bot/store/sqlite/db.js';
import type { SlackEmulator } from '../../sandbox/slack-emulator/index.js';
import { BOT_TOKEN, startHarness, startTestSlack, tempDir } from '../support/harness.js';
import { postHandoff, sampleHandoff } from '../support/webhooks.js';
import { until } from '../support/until.js';
import { cardsByHandoff } from '../support/outbox.js';

let slack: SlackEmulator;
let dir: string;
beforeAll(async () => {
  slack = await startTestSlack();
  dir = tempDir('handoff-crash-');
});
afterAll(async () => {
  await slack.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Puts the database back where a crash between "Slack answered" and "ts stored" leaves it. */
function forgetPostedCard(dbFile: string, handoffId: string): void {
  const db = openDatabase(dbFile);
  try {
    db.prepare('UPDATE handoffs SET slack_channel = NULL, slack_ts = NULL, slack_permalink = NULL WHERE id = ?').run(handoffId);
    const changed = db
      .prepare(
        "UPDATE outbox SET status = 'pending', done_at = NULL, attempts = 0, next_attempt_at = 0, first_attempt_at = created_at + 1 WHERE handoff_id = ? AND kind = 'slack.post_card'",
      )
      .run(handoffId).changes;
    expect(changed).toBe(1);
  } finally {
    db.close();
  }
}

async function deleteMessage(channel: string, ts: string): Promise<void> {
  const res = await fetch(`${slack.apiUrl}chat.delete`, {
    method: 'POST',
    headers: { authorization: `Bearer ${BOT_TOKEN}`, 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ channel, ts }),
  });
  expect(((await res.json()) as { ok: boolean }).ok).toBe(true);
}

describe('a card post interrupted by a crash', () => {
  it('is found by its metadata in conversations.history after a restart and not posted twice; a post that never arrived is posted once', async () => {
    const first = await startHarness({ dir, slack, outbox: { paceMs: 0 } });
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await postHandoff(first.bot.url, sampleHandoff({ structured_fields: { patient_name: `Crash Test ${i}` } }));
      expect(res.status).toBe(202);
      ids.push(res.json.handoff_id as string);
    }
    const [reachedSlack, neverArrived] = ids as [string, string];
    await until(async () => (await Promise.all(ids.map((id) => first.bot.store.handoffs.get(id)))).every((r) => r?.slackTs), 5_000, 'both cards posted');
    const originalTs = (await first.bot.store.handoffs.get(reachedSlack))!.slackTs!;
    const lostTs = (await first.bot.store.handoffs.get(neverArrived))!.slackTs!;
    await first.close();

    const dbFile = join(dir, 'handoff.db');
    forgetPostedCard(dbFile, reachedSlack);
    forgetPostedCard(dbFile, neverArrived);
    // The second one's earlier attempt is marked as started but Slack has no such message.
    await deleteMessage('C0CLINIC01', lostTs);

    const postsBefore = slack.calls.all('chat.postMessage').filter((c) => c.outcome === 'ok').length;
    const historyBefore = slack.calls.count('conversations.history');
    const second = await startHarness({ dir, slack, outbox: { paceMs: 0 } });
    try {
      await until(async () => (await Promise.all(ids.map((id) => second.bot.store.handoffs.get(id)))).every((r) => r?.slackTs), 5_000, 'both cards recovered');
      expect((await second.bot.store.handoffs.get(reachedSlack))!.slackTs).toBe(originalTs);
      expect((await second.bot.store.handoffs.get(neverArrived))!.slackTs).not.toBe(lostTs);
      expect(slack.calls.all('chat.postMessage').filter((c) => c.outcome === 'ok').length - postsBefore).toBe(1);
      expect(slack.calls.count('conversations.history') - historyBefore).toBeGreaterThanOrEqual(2);
      const cards = cardsByHandoff(slack, ['C0CLINIC01']);
      expect(cards.get(reachedSlack)).toHaveLength(1);
      expect(cards.get(neverArrived)).toHaveLength(1);
      await until(async () => (await second.bot.store.outbox.forHandoff(reachedSlack)).find((o) => o.kind === 'slack.post_card')?.status === 'done', 5_000, 'the row done');
    } finally {
      await second.close();
    }
  });
});
