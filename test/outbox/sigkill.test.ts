import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackEmulator } from '../../sandbox/slack-emulator/index.js';
import { startBotProcess, type BotProcess } from '../support/bot-process.js';
import { startTestSlack, tempDir } from '../support/harness.js';
import { TEST_CONFIG_DOC } from '../support/test-config.js';
import { postHandoff, sampleHandoff } from '../support/webhooks.js';
import { until } from '../support/until.js';
import { cardsByHandoff, outboxDepth } from '../support/outbox.js';

// Ten lines with their own channels so Slack's 1 message/s per channel lets 50 cards out in ~5 s.
const LINES = Array.from({ length: 10 }, (_, i) => ({ id: `line-${i}`, channel: `C0LINE${String(i).padStart(4, '0')}` }));
const CHANNELS = LINES.map((l) => l.channel);

function configDoc(): unknown {
  const base = structuredClone(TEST_CONFIG_DOC.workflows[0]!);
  return {
    ...TEST_CONFIG_DOC,
    workflows: LINES.map((l) => ({ ...structuredClone(base), id: l.id, name: `Line ${l.id}`, owner_channel: l.channel })),
  };
}

let slack: SlackEmulator;
let dir: string;
let bot: BotProcess | undefined;
beforeAll(async () => {
  slack = await startTestSlack([...LINES.map((l) => ({ id: l.channel, name: l.id })), { id: 'C0ONCALL01', name: 'oncall' }]);
  dir = tempDir('handoff-sigkill-');
});
afterAll(async () => {
  await bot?.kill('SIGKILL');
  await slack.close();
  rmSync(dir, { recursive: true, force: true });
});

async function accept(url: string, n: number, tag: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const line = LINES[i % LINES.length]!;
    const res = await postHandoff(url, sampleHandoff({ workflow_id: line.id, handoff_reason: 'appointment_change', structured_fields: { patient_name: `${tag} ${i}` } }));
    expect(res.status).toBe(202);
    ids.push(res.json.handoff_id as string);
  }
  return ids;
}

describe('SIGKILL with cards waiting in the outbox', () => {
  it('posts each of 50 pending cards exactly once after a restart on the same database', async () => {
    const start = () => startBotProcess({ dir, config: configDoc(), slackApiUrl: slack.apiUrl });
    bot = await start();
    // Some cards go out normally first: they must not be posted again after the restart.
    const early = await accept(bot.url, 5, 'Early');
    await until(() => cardsByHandoff(slack, CHANNELS).size === 5, 10_000, 'early cards');

    slack.faults.hang('chat.postMessage');
    const pending = await accept(bot.url, 50, 'Pending');
    await until(() => slack.calls.all('chat.postMessage').some((c) => c.outcome === 'hung'), 10_000, 'a hanging post');
    expect(await outboxDepth(bot.url)).toBe(50);
    await bot.kill('SIGKILL');
    expect(bot.child.signalCode).toBe('SIGKILL');

    slack.faults.clear();
    bot = await start();
    await until(async () => (await outboxDepth(bot!.url)) === 0, 30_000, 'outbox drained after restart');

    const cards = cardsByHandoff(slack, CHANNELS);
    for (const id of [...early, ...pending]) expect(cards.get(id)?.length, `cards for ${id}`).toBe(1);
    expect(cards.size).toBe(55);
    expect(slack.calls.all('chat.postMessage').filter((c) => c.outcome === 'ok')).toHaveLength(55);
    // Two `npm start`s and 55 handoffs: the waits above bound each step; the default 30 s for the
    // whole test was not enough on a loaded 2-core machine.
  }, 120_000);
});
