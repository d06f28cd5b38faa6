import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { postHandoff, sampleHandoff } from '../support/webhooks.js';
import { until } from '../support/until.js';
import { openRawSse, pairedToken, type RawSseClient } from '../support/desktop-api.js';

let h: Harness | null = null;
const open: RawSseClient[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) s.close();
  await h?.close();
  h = null;
});

async function sse(bot: Harness, token: string): Promise<RawSseClient> {
  const s = await openRawSse(bot.bot.url, token);
  open.push(s);
  return s;
}

describe('desktop stream caps', () => {
  it('keeps at most 4 streams per token: a fifth ends the oldest', async () => {
    h = await startHarness({ outbox: { paceMs: 0 } });
    const token = await pairedToken(h, 'U0ALICE01');
    const streams: RawSseClient[] = [];
    for (let i = 0; i < 5; i++) {
      const s = await sse(h, token);
      expect(s.status).toBe(200);
      await until(() => s.comments.includes('connected'));
      streams.push(s);
    }
    await until(() => streams[0]!.ended, 5_000, 'the oldest stream to end');
    expect(streams.slice(1).every((s) => !s.ended)).toBe(true);
    expect(h.bot.desktop.hub.clientCount).toBe(4);
  });

  it('refuses a stream beyond the total cap with 503 and Retry-After, and takes one again once a stream closes', async () => {
    h = await startHarness({ outbox: { paceMs: 0 }, desktopApi: { streams: { maxStreams: 3 } } });
    const bot = h;
    const tokens = await Promise.all(['U0ALICE01', 'U0BOB0001', 'U0CAROL01', 'U0ALICE01'].map((u) => pairedToken(bot, u)));
    const first = await Promise.all(tokens.slice(0, 3).map((t) => sse(bot, t)));
    expect(first.map((s) => s.status)).toEqual([200, 200, 200]);
    const refused = await fetch(`${bot.bot.url}/v1/events`, { headers: { authorization: `Bearer ${tokens[3]}` } });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('30');
    expect(((await refused.json()) as { error: string }).error).toBe('unavailable');
    first[0]!.close();
    await until(() => bot.bot.desktop.hub.clientCount === 2);
    expect((await sse(bot, tokens[3]!)).status).toBe(200);
  });

  it('stops a snapshot at its byte cap, resumes the stream at the head, and then streams live', async () => {
    h = await startHarness({ outbox: { paceMs: 0 }, desktopApi: { streams: { maxSnapshotBytes: 3_000 } } });
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await postHandoff(h.bot.url, sampleHandoff())).json.handoff_id as string);
    const head = await h.bot.store.events.lastSeq();
    const s = await sse(h, await pairedToken(h, 'U0ALICE01'));
    await until(() => s.ids.includes(String(head)), 5_000, 'the snapshot to end at the head');
    expect(s.events.length).toBeGreaterThan(0);
    expect(s.events.length).toBeLessThan(ids.length);
    const live = (await postHandoff(h.bot.url, sampleHandoff())).json.handoff_id as string;
    await s.waitFor((e) => e.handoff_id === live, 5_000);
  });
});
