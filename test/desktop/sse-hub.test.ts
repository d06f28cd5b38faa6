import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SseHub } from '../../bot/desktop-api/sse-hub.js';
import { createLogger } from '../../bot/observability/logger.js';
import { openDatabase } from '../../bot/store/db.js';
import { Store } from '../../bot/store/store.js';
import { LogCapture, tempDir } from '../support/harness.js';
import { testConfig } from '../support/test-config.js';
import { newHandoffFixture } from '../support/fixtures.js';
import { until } from '../support/until.js';

/** A hub over a real SQLite store, served by a bare HTTP server: no bot, so the heartbeat can be fast. */
async function startHub(heartbeatMs: number, maxBufferedBytes?: number) {
  const dir = tempDir('handoff-hub-');
  const store = new Store(openDatabase(join(dir, 'h.db')));
  const logs = new LogCapture();
  const hub = new SseHub({ store, config: testConfig(), logger: createLogger('debug', logs), heartbeatMs, maxBufferedBytes });
  const server: Server = createServer((req, res) => hub.open(res, null, 'U0ALICE01'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    hub,
    store,
    url,
    logs,
    async close() {
      hub.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      store.db.close();
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
    t.store.handoffs.insert(newHandoffFixture({ id: 'ho_silent1', receivedAt: now }));
    const seq = t.store.events.append('ho_silent1', 'handoff.received', null, now);
    await until(() => a.text.includes(`id: ${seq}\nevent: handoff\n`), 2000);
  });
});
