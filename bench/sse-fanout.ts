/**
 * SSE fan-out: one bot, paired desktop clients on `GET /v1/events`, urgent webhooks sent one after
 * another. For each webhook: time from its 202 (and from the request) to the moment the LAST client
 * has its event. Baseline in the same run: the same webhooks with 1 connected client, in
 * interleaved rounds (1, 200, 1, 200) so background load hits both alike. Target: 200-client p99 <
 * 250 ms. The clients run in a worker thread: their parsing does not share the bot's event loop,
 * and the main thread's heap is the bot's alone (RSS is the whole process, clients included).
 */
import { Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { startHarness, type Harness } from '../test/support/harness.js';
import { postHandoff, sampleHandoff } from '../test/support/webhooks.js';
import { formatMemory, mb, memoryNow } from './status.js';

const CLIENTS = 200;
const ROUNDS = 2;
const WEBHOOKS_PER_ROUND = 60;
const WARMUP_WEBHOOKS = 10;
const GAP_MS = 10;
const TARGET_P99_MS = 250;

/** Epoch milliseconds with sub-millisecond resolution, comparable across threads. */
const now = (): number => performance.timeOrigin + performance.now();

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * The SSE clients, as plain JavaScript so a worker thread runs them without a TypeScript loader.
 * `open n` connects n raw streams (answering once all have their 200); each `handoff` frame counts
 * towards its id, and when every open stream has an id the worker posts `{ last: id, at }`.
 */
const CLIENT_WORKER = `
const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const { url, token } = workerData;
const now = () => performance.timeOrigin + performance.now();
let streams = [];
let seen = new Map();
function openOne() {
  return new Promise((resolve, reject) => {
    const req = http.request(url + '/v1/events', { agent: false, headers: { authorization: 'Bearer ' + token, accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error('stream answered ' + res.statusCode));
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk) => {
        buffer += chunk;
        let cut;
        while ((cut = buffer.indexOf('\\n\\n')) !== -1) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const data = block.split('\\n').find((l) => l.startsWith('data: '));
          if (!data) continue;
          const id = JSON.parse(data.slice(6)).handoff_id;
          const n = (seen.get(id) || 0) + 1;
          seen.set(id, n);
          if (n === streams.length) parentPort.postMessage({ last: id, at: now() });
        }
      });
      res.on('error', () => undefined);
      resolve(req);
    });
    req.on('error', reject);
    req.end();
  });
}
parentPort.on('message', async (m) => {
  try {
    if (m.open) {
      seen = new Map();
      const opened = [];
      for (let i = 0; i < m.open; i++) opened.push(await openOne());
      streams = opened;
      parentPort.postMessage({ opened: streams.length });
    } else if (m.close) {
      for (const req of streams) req.destroy();
      streams = [];
      parentPort.postMessage({ closed: true });
    }
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.message) });
  }
});
`;

interface ClientPool {
  /** Connects n clients and waits until the bot's hub counts them; resolves when all are streaming. */
  open(n: number): Promise<void>;
  /** Disconnects every client and waits until the hub has let go of them. */
  closeAll(): Promise<void>;
  /** When each handoff id reached every open client. */
  readonly lastAt: Map<string, number>;
  terminate(): Promise<void>;
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function startClientPool(h: Harness, token: string): ClientPool {
  const worker = new Worker(CLIENT_WORKER, { eval: true, workerData: { url: h.bot.url, token } });
  const lastAt = new Map<string, number>();
  let waiting: { resolve: () => void; reject: (e: Error) => void } | null = null;
  worker.on('message', (m: { last?: string; at?: number; opened?: number; closed?: boolean; error?: string }) => {
    if (m.last !== undefined) lastAt.set(m.last, m.at!);
    else if (m.error !== undefined) waiting?.reject(new Error(m.error));
    else waiting?.resolve();
  });
  worker.on('error', (err) => waiting?.reject(err));
  const ask = (message: object) =>
    new Promise<void>((resolve, reject) => {
      waiting = { resolve, reject };
      worker.postMessage(message);
    });
  const hub = h.bot.desktop.hub;
  return {
    lastAt,
    async open(n) {
      await ask({ open: n });
      await until(() => hub.clientCount === n, `${n} SSE clients`);
    },
    async closeAll() {
      await ask({ close: true });
      await until(() => hub.clientCount === 0, 'SSE clients to disconnect');
    },
    terminate: () => worker.terminate().then(() => undefined),
  };
}

interface Sample {
  from202: number;
  fromRequest: number;
}

/** Sends `count` urgent webhooks GAP_MS apart; each sample is when the last open client had it. */
async function sendWebhooks(h: Harness, pool: ClientPool, count: number): Promise<{ samples: Sample[]; lost: number }> {
  const sent: { id: string; requestAt: number; acceptedAt: number }[] = [];
  for (let i = 0; i < count; i++) {
    const requestAt = now();
    const res = await postHandoff(h.bot.url, sampleHandoff());
    const acceptedAt = now();
    if (res.status !== 202) throw new Error(`webhook answered ${res.status}`);
    sent.push({ id: res.json.handoff_id as string, requestAt, acceptedAt });
    await new Promise((r) => setTimeout(r, GAP_MS));
  }
  await until(() => sent.every((s) => pool.lastAt.has(s.id)), 'delivery', 5_000).catch(() => undefined);
  const delivered = sent.filter((s) => pool.lastAt.has(s.id));
  return {
    // An event can reach the clients before the 202 reaches the sender (both leave right after the commit).
    samples: delivered.map((s) => ({ from202: Math.max(0, pool.lastAt.get(s.id)! - s.acceptedAt), fromRequest: pool.lastAt.get(s.id)! - s.requestAt })),
    lost: count - delivered.length,
  };
}

export async function benchSseFanout(): Promise<string> {
  const h = await startHarness({});
  const { code } = await h.bot.pairing.issueCode('U0ALICE01');
  const token = (await h.bot.pairing.exchange(code, 'bench'))!.token;
  const pool = startClientPool(h, token);
  // The harness keeps every log line in memory; dropping them keeps the heap figures about clients.
  const memory = () => {
    h.logs.lines.length = 0;
    return memoryNow();
  };
  try {
    await pool.open(1);
    await sendWebhooks(h, pool, WARMUP_WEBHOOKS);
    await pool.closeAll();

    const results = new Map<number, { samples: Sample[]; lost: number }>([[1, { samples: [], lost: 0 }], [CLIENTS, { samples: [], lost: 0 }]]);
    let mem0 = memory();
    let memAll = mem0;
    for (let round = 0; round < ROUNDS; round++) {
      for (const n of [1, CLIENTS]) {
        if (round === 0 && n === CLIENTS) mem0 = memory();
        await pool.open(n);
        if (round === 0 && n === CLIENTS) memAll = memory();
        const r = await sendWebhooks(h, pool, WEBHOOKS_PER_ROUND);
        const acc = results.get(n)!;
        acc.samples.push(...r.samples);
        acc.lost += r.lost;
        await pool.closeAll();
      }
    }

    const stats = (n: number) => {
      const { samples, lost } = results.get(n)!;
      const from202 = samples.map((s) => s.from202).sort((a, b) => a - b);
      const fromRequest = samples.map((s) => s.fromRequest).sort((a, b) => a - b);
      return { lost, p50: percentile(from202, 50), p99: percentile(from202, 99), max: from202.at(-1) ?? NaN, reqP50: percentile(fromRequest, 50), reqP99: percentile(fromRequest, 99) };
    };
    const one = stats(1);
    const all = stats(CLIENTS);
    const total = ROUNDS * WEBHOOKS_PER_ROUND;
    const f = (n: number): string => n.toFixed(1).padStart(6);
    const row = (label: string, s: ReturnType<typeof stats>) =>
      `${label.padEnd(12)} ${f(s.reqP50)} ${f(s.reqP99)}    ${f(s.p50)} ${f(s.p99)} ${f(s.max)}    ${total - s.lost}/${total}`;
    const pass = all.lost === 0 && all.p99 < TARGET_P99_MS;
    return [
      `${total} urgent webhooks per setup, ${GAP_MS} ms apart, ${ROUNDS} interleaved rounds per setup; ms until the LAST client has the event:`,
      `${''.padEnd(12)} ${'request -> last'.padEnd(13)}    ${'202 -> last client'.padEnd(20)}    delivered`,
      `${''.padEnd(12)} ${'p50'.padStart(6)} ${'p99'.padStart(6)}    ${'p50'.padStart(6)} ${'p99'.padStart(6)} ${'max'.padStart(6)}`,
      row('1 client', one),
      row(`${CLIENTS} clients`, all),
      `ratio ${CLIENTS} / 1 client, request -> last: p50 ${(all.reqP50 / one.reqP50).toFixed(1)}x, p99 ${(all.reqP99 / one.reqP99).toFixed(1)}x ` +
        `(202 -> last is ~0 with one client, as the event often lands before the 202, so it makes no ratio)`,
      `target ${CLIENTS}-client p99 (202 -> last) < ${TARGET_P99_MS} ms: ${pass ? 'PASS' : 'FAIL'} (${all.p99.toFixed(1)} ms)`,
      `memory, RSS / heap used after a forced GC: 0 clients ${formatMemory(mem0)}; ${CLIENTS} connected ${formatMemory(memAll)}; ` +
        `per client RSS ${kb((memAll.rss - mem0.rss) / CLIENTS)} (both ends: clients run in this process), bot heap ${kb((memAll.heapUsed - mem0.heapUsed) / CLIENTS)}`,
    ].join('\n');
  } finally {
    await pool.terminate();
    await h.close();
  }
}

const kb = (bytes: number): string => (Math.abs(bytes) >= 1024 * 1024 ? mb(bytes) : `${(bytes / 1024).toFixed(1)} KB`);
