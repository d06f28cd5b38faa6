import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SseHub } from '../../bot/desktop-api/sse-hub.js';
import type { HandoffEvent } from '../../shared/schemas/handoff-view.js';
import { createLogger } from '../../bot/observability/logger.js';
import { SqliteStore } from '../../bot/store/sqlite/sqlite-store.js';
import { LogCapture, openTestDb, tempDir } from '../support/harness.js';
import { appendEventRow, insertHandoffRow } from '../support/raw-rows.js';
import { testConfig } from '../support/test-config.js';
import { newHandoffFixture } from '../support/fixtures.js';
import { until } from '../support/until.js';

/**
 * A hub over a real SQLite store, served by a bare HTTP server: no bot, so the heartbeat can be fast.
 * `?cursor=N` in the URL opens the stream as a `Last-Event-ID: N` would.
 */
async function startHub(heartbeatMs: number, maxBufferedBytes?: number, maxReplay?: number) {
  const dir = tempDir('handoff-hub-');
  const store = await SqliteStore.open({ file: join(dir, 'h.db') });
  const db = openTestDb(join(dir, 'h.db'));
  const logs = new LogCapture();
  const hub = new SseHub({ store, config: testConfig(), logger: createLogger('debug', logs), heartbeatMs, maxBufferedBytes, maxReplay });
  const server: Server = createServer((req, res) => {
    const cursor = new URL(req.url ?? '/', 'http://x').searchParams.get('cursor');
    void hub.open(res, cursor === null ? null : Number(cursor), 'U0ALICE01');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    hub,
    db,
    url,
    logs,
    async close() {
      hub.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      db.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let cleanup: (() => Promise<void>) | null = null;
afterEach(async () => {
  await cleanup?.();
  cleanup = null;
});

async function readText(url: string, ac: AbortController, into: { text: string }): Promise<void> {
  const res = await fetch(url, { signal: ac.signal });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        into.text += decoder.decode(value, { stream: true });
      }
    } catch {
      // aborted
    }
  })();
}

describe('SseHub', () => {
  it('sends a `: ping` comment to every client each heartbeat interval', async () => {
    const t = await startHub(30);
    cleanup = t.close;
    const a = { text: '' };
    const b = { text: '' };
    const acA = new AbortController();
    const acB = new AbortController();
    await readText(t.url, acA, a);
    await readText(t.url, acB, b);
    await until(() => (a.text.match(/: ping\n\n/g) ?? []).length >= 2 && (b.text.match(/: ping\n\n/g) ?? []).length >= 2, 2000);
    expect(a.text.startsWith(': connected\n\n')).toBe(true);
    acA.abort();
    acB.abort();
  });

  it('drops a client when it disconnects, and ends every stream on close', async () => {
    const t = await startHub(20);
    cleanup = t.close;
    const acA = new AbortController();
    const b = { text: '' };
    await readText(t.url, acA, { text: '' });
    await readText(t.url, new AbortController(), b);
    await until(() => t.hub.clientCount === 2);
    acA.abort();
    await until(() => t.hub.clientCount === 1);
    t.hub.close();
    expect(t.hub.clientCount).toBe(0);
  });

  it('picks up an event appended without an announcement at the next heartbeat', async () => {
    const t = await startHub(30);
    cleanup = t.close;
    const a = { text: '' };
    await readText(t.url, new AbortController(), a);
    await until(() => t.hub.clientCount === 1);
    const now = Date.now();
    insertHandoffRow(t.db, newHandoffFixture({ id: 'ho_silent1', receivedAt: now }));
    const seq = appendEventRow(t.db, 'ho_silent1', 'handoff.received', null, now);
    await until(() => a.text.includes(`id: ${seq}\nevent: handoff\n`), 2000);
  });

  it('sends a cursor more than maxReplay events behind the current state instead of every event since, resolutions included', async () => {
    const t = await startHub(60_000, undefined, 5);
    cleanup = t.close;
    const now = Date.now();
    const received = (id: string): number => {
      insertHandoffRow(t.db, newHandoffFixture({ id, receivedAt: now }));
      return appendEventRow(t.db, id, 'handoff.received', null, now);
    };
    const resolve = (id: string): number => {
      t.db.prepare("UPDATE handoffs SET status = 'resolved', resolved_by = 'U0BOB0001', resolved_at = ? WHERE id = ?").run(now, id);
      return appendEventRow(t.db, id, 'handoff.resolved', 'U0BOB0001', now);
    };
    // What the client saw before it went away: A and B open, C received and resolved.
    received('ho_a');
    received('ho_b');
    received('ho_c');
    const cursor = resolve('ho_c');
    // While it was away (7 events): A was noted on four times, D arrived, B was resolved, E came and went.
    for (let i = 0; i < 4; i++) appendEventRow(t.db, 'ho_a', 'handoff.note_added', 'U0BOB0001', now);
    received('ho_d');
    resolve('ho_b');
    received('ho_e');
    const head = resolve('ho_e');
    expect(head - cursor).toBeGreaterThan(5);

    const far = { text: '' };
    await readText(`${t.url}?cursor=${cursor}`, new AbortController(), far);
    await until(() => far.text.includes(`id: ${head}\n`), 2000, 'the catch-up');
    const frames = sseFrames(far.text);
    // One frame per handoff the client must update, each with its current view; the last carries the head.
    expect(frames.map((f) => `${f.event.handoff_id}:${f.event.handoff.status}`).sort()).toEqual(['ho_a:open', 'ho_b:resolved', 'ho_d:open']);
    expect(frames.at(-1)!.id).toBe(String(head));

    // A cursor within maxReplay still gets every event after it, in order.
    const near = { text: '' };
    await readText(`${t.url}?cursor=${head - 3}`, new AbortController(), near);
    await until(() => near.text.includes(`id: ${head}\n`), 2000, 'the replay');
    expect(sseFrames(near.text).map((f) => [f.id, f.event.type])).toEqual([
      [String(head - 2), 'handoff.resolved'],
      [String(head - 1), 'handoff.received'],
      [String(head), 'handoff.resolved'],
    ]);
  });
});

function sseFrames(text: string): { id: string; event: HandoffEvent }[] {
  return text
    .split('\n\n')
    .filter((block) => block.includes('event: handoff'))
    .map((block) => {
      const lines = block.split('\n');
      const id = lines.find((l) => l.startsWith('id: '))!.slice(4);
      const data = lines.find((l) => l.startsWith('data: '))!.slice(6);
      return { id, event: JSON.parse(data) as HandoffEvent };
    });
}
