/**
 * SSE fan-out: one bot, 200 paired desktop clients on `GET /v1/events`, N urgent webhooks sent one
 * after another. For each webhook: time from its 202 (and from the request) to the moment the LAST
 * client has its event. Target p99 < 250 ms. Clients run in this process too, so their parsing
 * competes with the bot for the event loop: the numbers are an upper bound.
 */
import { request, type IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import { startHarness } from '../test/support/harness.js';
import { postHandoff, sampleHandoff } from '../test/support/webhooks.js';

const CLIENTS = 200;
const WEBHOOKS = 100;
const GAP_MS = 10;
const TARGET_P99_MS = 250;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Opens one raw SSE client; calls onHandoff(id) for each `handoff` frame. */
function openClient(url: string, token: string, onHandoff: (handoffId: string) => void): Promise<() => void> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/v1/events`, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } }, (res: IncomingMessage) => {
      if (res.statusCode !== 200) return reject(new Error(`stream answered ${res.statusCode}`));
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (data) onHandoff((JSON.parse(data.slice(6)) as { handoff_id: string }).handoff_id);
        }
      });
      res.on('error', () => undefined);
      resolve(() => req.destroy());
    });
    req.on('error', reject);
    req.end();
  });
}

export async function benchSseFanout(): Promise<string> {
  const h = await startHarness({});
  const closers: (() => void)[] = [];
  try {
    const { code } = h.bot.pairing.issueCode('U0ALICE01');
    const token = h.bot.pairing.exchange(code, 'bench')!.token;

    // handoff id -> clients that have it, and when the last one got it.
    const seen = new Map<string, number>();
    const lastAt = new Map<string, number>();
    const onHandoff = (id: string): void => {
      const n = (seen.get(id) ?? 0) + 1;
      seen.set(id, n);
      if (n === CLIENTS) lastAt.set(id, performance.now());
    };
    for (let i = 0; i < CLIENTS; i++) closers.push(await openClient(h.bot.url, token, onHandoff));
    const connectDeadline = Date.now() + 10_000;
    while (h.bot.desktop.hub.clientCount < CLIENTS && Date.now() < connectDeadline) await new Promise((r) => setTimeout(r, 10));

    const sent: { id: string; requestAt: number; acceptedAt: number }[] = [];
    for (let i = 0; i < WEBHOOKS; i++) {
      const requestAt = performance.now();
      const res = await postHandoff(h.bot.url, sampleHandoff());
      const acceptedAt = performance.now();
      if (res.status !== 202) throw new Error(`webhook answered ${res.status}`);
      sent.push({ id: res.json.handoff_id as string, requestAt, acceptedAt });
      await new Promise((r) => setTimeout(r, GAP_MS));
    }
    const deliveryDeadline = Date.now() + 10_000;
    while (sent.some((s) => !lastAt.has(s.id)) && Date.now() < deliveryDeadline) await new Promise((r) => setTimeout(r, 10));

    const delivered = sent.filter((s) => lastAt.has(s.id));
    // An event can reach the clients before the 202 reaches the sender (both leave right after the commit).
    const from202 = delivered.map((s) => Math.max(0, lastAt.get(s.id)! - s.acceptedAt)).sort((a, b) => a - b);
    const fromRequest = delivered.map((s) => lastAt.get(s.id)! - s.requestAt).sort((a, b) => a - b);
    const p99 = percentile(from202, 99);
    const f = (n: number): string => `${n.toFixed(1)} ms`;
    return [
      `clients connected: ${h.bot.desktop.hub.clientCount}/${CLIENTS}; urgent webhooks: ${WEBHOOKS}, ${GAP_MS} ms apart`,
      `delivered to all ${CLIENTS} clients: ${delivered.length}/${WEBHOOKS}`,
      `202 -> last client:     p50 ${f(percentile(from202, 50))}  p99 ${f(p99)}  max ${f(from202.at(-1) ?? NaN)}`,
      `request -> last client: p50 ${f(percentile(fromRequest, 50))}  p99 ${f(percentile(fromRequest, 99))}`,
      `target p99 < ${TARGET_P99_MS} ms: ${delivered.length === WEBHOOKS && p99 < TARGET_P99_MS ? 'PASS' : 'FAIL'}`,
    ].join('\n');
  } finally {
    for (const close of closers) close();
    await h.close();
  }
}
