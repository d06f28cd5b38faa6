import { afterEach, describe, expect, it } from 'vitest';
import { weekStartUtc } from '../../bot/domain/week.js';
import { newHandoffFixture } from '../support/fixtures.js';
import { insertHandoffRow } from '../support/raw-rows.js';
import { startHarness, startTestSlack, tempDir, type Harness } from '../support/harness.js';
import { testConfig } from '../support/test-config.js';
import type { SlackEmulator } from '../../sandbox/slack-emulator/index.js';

const DAY = 86_400_000;
// Monday 2026-11-30 00:05 UTC.
const MONDAY = Date.UTC(2026, 10, 30, 0, 5);

describe('the weekly digest', () => {
  let h: Harness | undefined;
  let slack: SlackEmulator | undefined;
  afterEach(async () => {
    await h?.close();
    await slack?.close();
    h = slack = undefined;
  });

  it('weeks start on Monday 00:00 UTC', () => {
    expect(weekStartUtc(MONDAY)).toBe(Date.UTC(2026, 10, 30));
    expect(weekStartUtc(Date.UTC(2026, 11, 6, 23, 59))).toBe(Date.UTC(2026, 10, 30));
    expect(weekStartUtc(Date.UTC(2026, 10, 29, 23, 59))).toBe(Date.UTC(2026, 10, 23));
  });

  it('posts last week\'s figures to stats_channel once per week, across restarts, without restricted workflows', async () => {
    let clock = MONDAY;
    const dir = tempDir();
    slack = await startTestSlack();
    const config = testConfig((doc) => ({
      ...doc,
      stats_channel: 'C0ONCALL01',
      workflows: doc.workflows.map((w) => (w.id === 'billing' ? { ...w, allowed_users: ['U0ALICE01'] } : w)),
    }));
    const start = () => startHarness({ config, dir, slack, clock: () => clock, startWorkers: false });
    h = await start();
    insertHandoffRow(h.db, newHandoffFixture({ id: `ho_${'1'.padStart(26, '0')}`, reason: 'appointment_change', receivedAt: MONDAY - 2 * DAY }));
    insertHandoffRow(h.db, newHandoffFixture({ id: `ho_${'2'.padStart(26, '0')}`, workflowId: 'billing', reason: 'billing_question', receivedAt: MONDAY - 2 * DAY }));
    const digests = () => slack!.messages('C0ONCALL01').filter((m) => m.text.startsWith('Weekly digest.'));

    await h.bot.digest.tick();
    await h.bot.digest.tick();
    expect(digests()).toHaveLength(1);
    const text = JSON.stringify(digests()[0]!.blocks);
    expect(text).toContain('Handoff stats · last 7 days');
    expect(text).toContain('*appointment_change* · 1 handoff (new vs the 7 days before)');
    expect(text).not.toContain('Billing line');

    // A restart later the same week finds the week taken.
    await h.close();
    clock = MONDAY + 3 * DAY;
    h = await start();
    await h.bot.digest.tick();
    expect(digests()).toHaveLength(1);

    // Slack down when the next week starts: retried until it goes out, still once.
    clock = MONDAY + 7 * DAY;
    slack.faults.serverError('chat.postMessage', 500, 1);
    await h.bot.digest.tick();
    expect(digests()).toHaveLength(1);
    clock += 10 * 60_000;
    await h.bot.digest.tick();
    await h.bot.digest.tick();
    expect(digests()).toHaveLength(2);
    expect(JSON.stringify(digests()[1]!.blocks)).toContain('No handoffs in the last 7 days');
    expect(h.logs.text).not.toContain('5555550123');
  });
});
