import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackEmulator } from '../../sandbox/slack-emulator/index.js';
import { runBotProcessToExit, startBotProcess, type BotProcess } from '../support/bot-process.js';
import { startTestSlack, tempDir } from '../support/harness.js';
import { TEST_CHANNELS, TEST_CONFIG_DOC } from '../support/test-config.js';
import { pendingRowsInFile } from '../support/raw-rows.js';
import { until } from '../support/until.js';
import { postHandoff, sampleHandoff, TEST_SECRET } from '../support/webhooks.js';

let slack: SlackEmulator;
const dirs: string[] = [];
const running: BotProcess[] = [];

beforeAll(async () => {
  slack = await startTestSlack();
});
afterAll(async () => {
  for (const p of running) await p.kill();
  await slack.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function newDir(): string {
  const d = tempDir('handoff-durability-');
  dirs.push(d);
  return d;
}

async function start(dir: string): Promise<BotProcess> {
  const p = await startBotProcess({ dir, slackApiUrl: slack.apiUrl });
  running.push(p);
  return p;
}

/** Reads the killed bot's database file directly: what is there survived the crash. */
function storedHandoffs(dbFile: string): { id: string; workflow_id: string; status: string }[] {
  const db = new Database(dbFile);
  try {
    return db.prepare('SELECT id, workflow_id, status FROM handoffs ORDER BY id').all() as { id: string; workflow_id: string; status: string }[];
  } finally {
    db.close();
  }
}

function cardsFor(handoffId: string): number {
  return TEST_CHANNELS.flatMap((c) => slack.messages(c.id)).filter(
    (m) => m.metadata?.event_type === 'handoff_card' && (m.metadata.event_payload as { handoff_id?: string }).handoff_id === handoffId,
  ).length;
}

const bodies = () => [
  sampleHandoff(),
  sampleHandoff({ handoff_reason: 'appointment_change' }),
  sampleHandoff({ workflow_id: 'billing', handoff_reason: 'billing_question', structured_fields: { account_number: 'A-1' } }),
  sampleHandoff({ workflow_id: 'billing', handoff_reason: 'billing_question', structured_fields: { account_number: 'A-2' } }),
];

describe('a handoff answered 202 survives SIGKILL', () => {
  it('is in the database file after the kill, and its card is posted by the restarted process', async () => {
    const dir = newDir();
    // Slack hangs, so no card can be posted before the kill: the restarted process must do it.
    slack.faults.hang('chat.postMessage');
    const first = await start(dir);
    const answers = await Promise.all(bodies().map((b, i) => postHandoff(first.url, b, { id: `msg_durable_${i}` })));
    const exit = await first.kill('SIGKILL');
    expect(exit.signal).toBe('SIGKILL');
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202]);
    const ids = answers.map((a) => a.json.handoff_id as string);

    expect(storedHandoffs(first.dbFile).map((r) => r.id).sort()).toEqual([...ids].sort());
    for (const id of ids) expect(cardsFor(id)).toBe(0);

    slack.faults.clear();
    const second = await start(dir);
    await until(() => ids.every((id) => cardsFor(id) === 1), 15_000, 'one card per handoff');
    // The card lands in the workflow's owner channel.
    expect(slack.messages('C0BILLING1').filter((m) => m.metadata?.event_type === 'handoff_card')).toHaveLength(2);
    // Replaying the first request against the new process finds the stored answer.
    const replay = await postHandoff(second.url, bodies()[0], { id: 'msg_durable_0' });
    expect(replay.status).toBe(202);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.json).toEqual(answers[0]!.json);
    await second.kill('SIGTERM');
  });

  it('posts each card exactly once when the kill lands right after the 202, while cards are in flight', async () => {
    const dir = newDir();
    const first = await start(dir);
    const answers = await Promise.all(bodies().map((b) => postHandoff(first.url, b)));
    await first.kill('SIGKILL');
    const ids = answers.map((a) => a.json.handoff_id as string);
    expect(answers.every((a) => a.status === 202)).toBe(true);
    expect(storedHandoffs(first.dbFile)).toHaveLength(4);

    const second = await start(dir);
    await until(() => ids.every((id) => cardsFor(id) >= 1), 15_000, 'a card per handoff');
    // Every card post has finished (a duplicate, had the crash look-up failed, would be in by now).
    await until(() => pendingRowsInFile(second.dbFile, ['slack.post_card']) === 0, 15_000, 'every card post finished');
    for (const id of ids) expect(cardsFor(id)).toBe(1);
    await second.kill('SIGTERM');
  });
});

describe('npm start with bad settings', () => {
  it('prints one line per problem naming the YAML path or variable, and exits 1 before listening', async () => {
    const dir = newDir();
    const broken = structuredClone(TEST_CONFIG_DOC) as { workflows: Record<string, unknown>[] };
    delete broken.workflows[0]!.owner_channel;
    broken.workflows[1]!.escalate_after = { urgent: 'soon' };
    const result = await runBotProcessToExit({
      dir,
      slackApiUrl: slack.apiUrl,
      config: broken,
      env: { SLACK_BOT_TOKEN: undefined, HANDOFF_WEBHOOK_SECRETS: `${TEST_SECRET} whsec_bm9wZQ==` },
    });
    expect(result.code).toBe(1);
    expect(result.stdout).not.toContain('handoff bot listening');
    const lines = result.stderr.trim().split('\n');
    const expected = [/env HANDOFF_WEBHOOK_SECRETS: .*entry 2/, /env SLACK_BOT_TOKEN: /, /handoff\.config\.yaml: workflows\[0\]\.owner_channel: /, /handoff\.config\.yaml: workflows\[1\]\.escalate_after\.urgent: /];
    for (const re of expected) expect(lines.filter((l) => re.test(l)), `${re}`).toHaveLength(1);
    expect(lines).toHaveLength(expected.length);
    // Problems name what is wrong, never the values of secrets.
    expect(result.stderr).not.toContain('bm9wZQ');
    expect(result.stderr).not.toContain(TEST_SECRET.slice(6));
  });

  it('names an unreadable or malformed YAML file and exits 1', async () => {
    const dir = newDir();
    const result = await runBotProcessToExit({ dir, slackApiUrl: slack.apiUrl, configText: 'workflows:\n  - id: [unclosed\n' });
    expect(result.code).toBe(1);
    expect(result.stdout).not.toContain('handoff bot listening');
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/handoff\.config\.yaml.*(line \d+|YAML)/);
  });
});
