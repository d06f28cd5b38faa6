import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { createBot, type Bot } from '../bot/app.js';
import { createLogger } from '../bot/observability/logger.js';
import type { BotSettings } from '../bot/settings.js';
import { startSlackEmulator } from '../sandbox/slack-emulator/index.js';
import { decodeWebhookSecret } from '../shared/standard-webhooks.js';
import { startPostgres, type PostgresServer } from '../test/support/postgres.js';
import { TEST_CHANNELS, testConfig } from '../test/support/test-config.js';
import { summarizeProfile, type CpuProfile } from './profile-summary.js';

/**
 * Intake throughput: the real bot against a bare Node HTTP server that only parses JSON and
 * answers 202, both driven by the same load generator in a worker thread (so the generator does
 * not share the server's event loop). Target: bot >= 0.35 x bare, 0 non-202 answers, p99 < 25 ms.
 * The same bot on PostgreSQL (HANDOFF_DATABASE_URL; a real server started here, fsync on) is measured
 * in the same interleaved rounds and printed beside it, as its own ratio of the bare server.
 */

export interface IntakeBenchOptions {
  connections?: number;
  durationMs?: number;
  warmupMs?: number;
  /** Length of the separate, profiled bot run (profiling slows the measured one otherwise). */
  profileMs?: number;
  /** Run the outbox/escalation/retention workers while measuring (default true, as in production). */
  workers?: boolean;
  /** Measured time is split into this many interleaved rounds per server. */
  rounds?: number;
  /** Offered load (req/s) of the fixed-rate latency run: p99 is judged below saturation. */
  latencyRate?: number;
  latencyMs?: number;
  /** Also measure the bot on PostgreSQL (default true). */
  postgres?: boolean;
}

export interface LoadResult {
  requests: number;
  elapsedMs: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  statuses: Record<string, number>;
  non202: number;
}

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const RATIO_TARGET = 0.35;
const P99_TARGET_MS = 25;
const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

// A valid clinic handoff; __N__ makes every body (and its signature) unique.
const BODY_TEMPLATE = JSON.stringify({
  workflow_id: 'clinic-after-hours',
  caller_id: '+15555550123',
  call_status: 'in_progress',
  structured_fields: { patient_name: 'Bench Caller __N__', callback_number: '+15555550177', preferred_clinic: 'downtown' },
  webhook_url: 'http://127.0.0.1:9/callbacks',
  handoff_reason: 'appointment_change',
  caller_message: 'Someone from the front desk will call you back.',
});

/**
 * The load generator, as plain JavaScript so a worker thread can run it without a TypeScript
 * loader. N closed-loop clients over N keep-alive sockets; each request is freshly signed
 * (Standard Webhooks) with a unique webhook-id. Only requests started after the warm-up count.
 */
const LOAD_WORKER = `
const http = require('node:http');
const crypto = require('node:crypto');
const { parentPort, workerData } = require('node:worker_threads');
const { url, keyB64, connections, warmupMs, durationMs, template, runId, rate } = workerData;
const key = Buffer.from(keyB64, 'base64');
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
const target = new URL('/v1/handoffs', url);
let seq = 0;
function once() {
  const n = seq++;
  const body = template.replace('__N__', String(n));
  const id = 'msg_bench_' + runId + '_' + n;
  const ts = String(Math.floor(Date.now() / 1000));
  const sig = 'v1,' + crypto.createHmac('sha256', key).update(id + '.' + ts + '.' + body).digest('base64');
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const req = http.request(target, { method: 'POST', agent, headers: {
      'content-type': 'application/json', 'content-length': Buffer.byteLength(body),
      'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': sig } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, started, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
    });
    req.on('error', () => resolve({ status: 0, started, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
    req.end(body);
  });
}
(async () => {
  const t0 = process.hrtime.bigint();
  const measureFrom = t0 + BigInt(warmupMs) * 1000000n;
  const stopAt = measureFrom + BigInt(durationMs) * 1000000n;
  const latencies = [];
  const statuses = {};
  let lastEnd = measureFrom;
  function record(r, startedAt) {
    if (startedAt < measureFrom) return;
    latencies.push(r.ms);
    statuses[r.status] = (statuses[r.status] || 0) + 1;
    const end = process.hrtime.bigint();
    if (end > lastEnd) lastEnd = end;
  }
  async function client() {
    while (process.hrtime.bigint() < stopAt) {
      const r = await once();
      record(r, r.started);
    }
  }
  if (!rate) {
    await Promise.all(Array.from({ length: connections }, client));
  } else {
    // Open loop: requests start on a fixed schedule whether or not earlier ones finished, and
    // latency counts from the scheduled time (no coordinated omission).
    const pending = [];
    const intervalNs = BigInt(Math.round(1e9 / rate));
    let next = t0;
    while (next < stopAt) {
      const now = process.hrtime.bigint();
      while (next <= now && next < stopAt) {
        const scheduled = next;
        pending.push(once().then((r) => record({ status: r.status, ms: Number(process.hrtime.bigint() - scheduled) / 1e6 }, scheduled)));
        next += intervalNs;
      }
      await new Promise((r) => setTimeout(r, 1));
    }
    await Promise.all(pending);
  }
  agent.destroy();
  const elapsedMs = Number(lastEnd - measureFrom) / 1e6;
  const buf = Float64Array.from(latencies);
  parentPort.postMessage({ latencies: buf, elapsedMs, statuses }, [buf.buffer]);
})().catch((err) => { throw err; });
`;

let runCounter = 0;

interface RawRun {
  latencies: Float64Array;
  elapsedMs: number;
  statuses: Record<string, number>;
}

/** Drives `url` from a worker thread and resolves with every measured latency. */
export function runLoad(url: string, opts: { connections: number; durationMs: number; warmupMs: number; rate?: number }): Promise<RawRun> {
  const worker = new Worker(LOAD_WORKER, {
    eval: true,
    workerData: {
      url,
      keyB64: decodeWebhookSecret(SECRET).toString('base64'),
      connections: opts.connections,
      warmupMs: opts.warmupMs,
      durationMs: opts.durationMs,
      template: BODY_TEMPLATE,
      runId: `${process.pid}_${runCounter++}_${Date.now()}`,
      rate: opts.rate ?? 0,
    },
  });
  return new Promise((resolvePromise, reject) => {
    worker.once('message', (m: RawRun) => {
      resolvePromise(m);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

/** Merges the rounds of one server into throughput and latency percentiles. */
export function summarizeRuns(runs: readonly RawRun[]): LoadResult {
  const all = new Float64Array(runs.reduce((n, r) => n + r.latencies.length, 0));
  let offset = 0;
  const statuses: Record<string, number> = {};
  for (const r of runs) {
    all.set(r.latencies, offset);
    offset += r.latencies.length;
    for (const [k, v] of Object.entries(r.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
  }
  all.sort();
  const pick = (q: number) => (all.length ? all[Math.min(all.length - 1, Math.floor(q * all.length))]! : NaN);
  const elapsedMs = runs.reduce((n, r) => n + r.elapsedMs, 0);
  return {
    requests: all.length,
    elapsedMs,
    rps: all.length / (elapsedMs / 1000),
    p50: pick(0.5),
    p99: pick(0.99),
    max: all.length ? all[all.length - 1]! : NaN,
    statuses,
    non202: all.length - (statuses['202'] ?? 0),
  };
}

/** The baseline: parse the JSON body, answer 202. Nothing else. */
async function startBareServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let status = 202;
      let body: string;
      try {
        const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { workflow_id?: string };
        body = JSON.stringify({ handoff_id: `ho_${Date.now()}`, status: 'open', workflow: parsed.workflow_id });
      } catch {
        status = 400;
        body = '{"error":"invalid_json"}';
      }
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

interface BenchBot {
  bot: Bot;
  close(): Promise<void>;
}

/**
 * The real bot: temp SQLite file (WAL, synchronous=FULL as in production) or, given a URL, PostgreSQL;
 * Slack emulator, info logs to /dev/null.
 */
async function startBenchBot(workers: boolean, databaseUrl: string | null = null): Promise<BenchBot> {
  const dir = mkdtempSync(join(tmpdir(), 'handoff-bench-'));
  const slack = await startSlackEmulator({ botToken: 'xoxb-bench', signingSecret: 'bench-signing-secret', channels: TEST_CHANNELS });
  const settings: BotSettings = {
    port: 0,
    host: '127.0.0.1',
    dbFile: join(dir, 'handoff.db'),
    databaseUrl,
    webhookKeys: [decodeWebhookSecret(SECRET)],
    allowUnsigned: false,
    callbackSecret: 'whsec_Y2FsbGJhY2stc2VjcmV0LWZvci10ZXN0cy0xMjM=',
    slack: { botToken: 'xoxb-bench', signingSecret: 'bench-signing-secret', apiUrl: slack.apiUrl },
    twilio: null,
    logLevel: 'info',
  };
  // Logs are still serialised (as in production) but not printed over the report.
  const logger = createLogger('info', pino.destination({ dest: '/dev/null', sync: true }));
  const bot = await createBot({ settings, config: testConfig(), logger, startWorkers: workers });
  return {
    bot,
    async close() {
      await bot.close();
      await slack.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function averageBatch(bot: Bot): Promise<string> {
  const { values } = await bot.metrics.commitBatchSize.get();
  const sum = values.find((v) => v.metricName?.endsWith('_sum'))?.value ?? 0;
  const count = values.find((v) => v.metricName?.endsWith('_count'))?.value ?? 0;
  return count > 0 ? `${(sum / count).toFixed(1)} handoffs/commit over ${count} commits` : 'no commits';
}

/** Runs `work` while sampling how late the event loop is (a synchronous fsync shows up here). */
async function withLoopDelay<T>(work: () => Promise<T>): Promise<{ result: T; p50: number; p99: number; max: number }> {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  try {
    const result = await work();
    return { result, p50: h.percentile(50) / 1e6, p99: h.percentile(99) / 1e6, max: h.max / 1e6 };
  } finally {
    h.disable();
  }
}

async function profileWhile<T>(work: () => Promise<T>): Promise<{ result: T; profile: CpuProfile }> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 500 });
    await session.post('Profiler.start');
    const result = await work();
    const { profile } = await session.post('Profiler.stop');
    return { result, profile };
  } finally {
    session.disconnect();
  }
}

const fmt = (r: LoadResult) =>
  `${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  max ${r.max.toFixed(1)} ms  (${r.requests} requests, non-202: ${r.non202}${
    r.non202 ? ` ${JSON.stringify(r.statuses)}` : ''
  })`;

/** Hints for when the ratio misses its target, read off the profile's biggest self-time rows. */
export function suggestions(profileLines: readonly string[], loopDelayP99Ms: number): string[] {
  const pct = (re: RegExp) => {
    const line = profileLines.find((l) => re.test(l));
    const m = line ? /([\d.]+)%/.exec(line) : null;
    return m ? Number(m[1]) : 0;
  };
  const out: string[] = [];
  const sqlite = pct(/%\s+run$/) + pct(/%\s+all$/) + pct(/%\s+get$/);
  if (sqlite > 25) {
    out.push(
      `- ${sqlite.toFixed(0)}% of the event loop's busy time is in better-sqlite3 on the main connection (idempotency look-ups, outbox and Slack bookkeeping; intake commits run on the writer thread); event-loop p99 delay ${loopDelayP99Ms.toFixed(1)} ms. ` +
        'Levers: answer replays from an in-memory cache of recent keys; fewer rows per handoff (e.g. the idempotency key as a UNIQUE column of handoffs).',
    );
  }
  if (pct(/%\s+due\s/) + pct(/%\s+all$/) > 10) {
    out.push(
      '- the outbox worker\'s look-ups show up: it already reads one head row per pace key and skips scans while a backlog waits on pacing; ' +
        'next would be a longer minimum gap between looks under load.',
    );
  }
  if (pct(/pkg:zod/) > 5) out.push('- zod validation is hot: validate the envelope and the fields in one pass.');
  if (pct(/pkg:pino/) > 5) out.push('- pino serialisation shows up: keep the accepted-handoff log line small.');
  if (out.length === 0) out.push('- no single hot spot above threshold; see the profile tables.');
  return out;
}

interface Target {
  name: string;
  url: string;
  runs: RawRun[];
  loopDelayP99: number[];
}

export async function benchIntake(options: IntakeBenchOptions = {}): Promise<string> {
  const opts = {
    connections: options.connections ?? 64,
    durationMs: options.durationMs ?? 5_000,
    warmupMs: options.warmupMs ?? 500,
    profileMs: options.profileMs ?? 3_000,
    workers: options.workers ?? true,
    rounds: options.rounds ?? 2,
    latencyRate: options.latencyRate ?? 500,
    latencyMs: options.latencyMs ?? 2_000,
    postgres: options.postgres ?? true,
  };
  const bare = await startBareServer();
  const bot = await startBenchBot(opts.workers);
  let pgServer: PostgresServer | null = null;
  let pgBot: BenchBot | null = null;
  if (opts.postgres) {
    pgServer = await startPostgres({ durable: true });
    pgBot = await startBenchBot(opts.workers, await pgServer.createDatabase('handoff_bench'));
  }
  const targets: Target[] = [
    { name: 'bare', url: bare.url, runs: [], loopDelayP99: [] },
    { name: 'bot', url: bot.bot.url, runs: [], loopDelayP99: [] },
    ...(pgBot ? [{ name: 'bot-pg', url: pgBot.bot.url, runs: [], loopDelayP99: [] }] : []),
  ];
  const lines: string[] = [];
  try {
    // Interleaved rounds (bare, bot, bare, bot): background load on the machine hits both alike.
    for (let round = 0; round < opts.rounds; round++) {
      for (const t of targets) {
        const measured = await withLoopDelay(() =>
          runLoad(t.url, { connections: opts.connections, warmupMs: opts.warmupMs, durationMs: Math.round(opts.durationMs / opts.rounds) }),
        );
        t.runs.push(measured.result);
        t.loopDelayP99.push(measured.p99);
      }
    }
    const [bareT, botT] = targets as [Target, Target];
    const bareResult = summarizeRuns(bareT.runs);
    const botResult = summarizeRuns(botT.runs);
    const ratio = botResult.rps / bareResult.rps;
    const loopP99 = Math.max(...botT.loopDelayP99);
    // Latency below saturation: a closed loop of 64 clients always queues (Little's law), so the
    // p99 target is judged at a fixed offered rate instead.
    const fixedRate = { connections: opts.connections, warmupMs: 300, durationMs: opts.latencyMs, rate: opts.latencyRate };
    const bareFixed = summarizeRuns([await runLoad(bare.url, fixedRate)]);
    const botFixed = summarizeRuns([await runLoad(bot.bot.url, fixedRate)]);
    lines.push(
      `load: ${opts.connections} keep-alive connections from a worker thread; ${opts.rounds} interleaved rounds of ${opts.warmupMs} ms warm-up + ${Math.round(opts.durationMs / opts.rounds)} ms measured per server; every request a freshly signed, unique, valid handoff`,
      `bare node http (parse JSON, 202): ${fmt(bareResult)}`,
      `handoff bot (verify, validate, group commit on the writer thread, synchronous=FULL; outbox/escalation/retention workers ${opts.workers ? 'running' : 'stopped'}): ${fmt(botResult)}`,
      `ratio bot/bare: ${ratio.toFixed(2)} (target >= ${RATIO_TARGET}) ${ratio >= RATIO_TARGET ? 'OK' : 'BELOW TARGET'}`,
      `saturated bot event-loop delay p99 ${loopP99.toFixed(1)} ms (main-connection statements block it; commits and their fsyncs run on the writer thread)`,
      `fixed ${opts.latencyRate} req/s for ${opts.latencyMs} ms: bare ${fmt(bareFixed)}`,
      `fixed ${opts.latencyRate} req/s for ${opts.latencyMs} ms: bot  ${fmt(botFixed)}`,
      `bot p99 at ${opts.latencyRate} req/s: ${botFixed.p99.toFixed(2)} ms (target < ${P99_TARGET_MS} ms) ${botFixed.p99 < P99_TARGET_MS ? 'OK' : 'ABOVE TARGET'}`,
      `non-202 answers: bare ${bareResult.non202 + bareFixed.non202}, bot ${botResult.non202 + botFixed.non202} ${botResult.non202 + botFixed.non202 + bareResult.non202 + bareFixed.non202 === 0 ? 'OK' : 'FAIL'}`,
      `group commit: ${await averageBatch(bot.bot)}`,
    );
    const profiled = await profileWhile(() => runLoad(bot.bot.url, { connections: opts.connections, warmupMs: 0, durationMs: opts.profileMs }));
    const profileLines = summarizeProfile(profiled.profile, { top: 12, root: ROOT });
    lines.push(`bot CPU profile (separate ${opts.profileMs} ms run, in-process V8 sampler: ${fmt(summarizeRuns([profiled.result]))}):`, ...profileLines.map((l) => `  ${l}`));
    if (ratio < RATIO_TARGET || botFixed.p99 >= P99_TARGET_MS) lines.push('suggestions:', ...suggestions(profileLines, loopP99));
    let pgNon202 = 0;
    const pgT = targets[2];
    if (pgT && pgBot) {
      const pgResult = summarizeRuns(pgT.runs);
      const pgFixed = summarizeRuns([await runLoad(pgBot.bot.url, fixedRate)]);
      const pgRatio = pgResult.rps / bareResult.rps;
      pgNon202 = pgResult.non202 + pgFixed.non202;
      lines.push(
        `PostgreSQL (the same bot with HANDOFF_DATABASE_URL, a local PostgreSQL with fsync on, measured in the same interleaved rounds):`,
        `  handoff bot on PostgreSQL: ${fmt(pgResult)}`,
        `  ratio bot-on-PostgreSQL/bare: ${pgRatio.toFixed(2)} (SQLite: ${ratio.toFixed(2)}; target >= ${RATIO_TARGET}) ${pgRatio >= RATIO_TARGET ? 'OK' : 'BELOW TARGET'}`,
        `  fixed ${opts.latencyRate} req/s for ${opts.latencyMs} ms: ${fmt(pgFixed)}`,
        `  p99 at ${opts.latencyRate} req/s on PostgreSQL: ${pgFixed.p99.toFixed(2)} ms (SQLite ${botFixed.p99.toFixed(2)} ms; target < ${P99_TARGET_MS} ms) ${pgFixed.p99 < P99_TARGET_MS ? 'OK' : 'ABOVE TARGET'}`,
        `  non-202 answers on PostgreSQL: ${pgNon202} ${pgNon202 === 0 ? 'OK' : 'FAIL'}`,
      );
    }
    if (botResult.non202 + bareResult.non202 + botFixed.non202 + bareFixed.non202 + pgNon202 > 0) throw new Error(`intake bench saw non-202 answers\n${lines.join('\n')}`);
    return lines.join('\n');
  } finally {
    await bare.close();
    await bot.close();
    await pgBot?.close();
    await pgServer?.stop();
  }
}

// `tsx bench/intake.ts [--workers-stopped] [--sqlite-only]` runs this bench alone.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  benchIntake({ workers: !process.argv.includes('--workers-stopped'), postgres: !process.argv.includes('--sqlite-only') }).then(
    (report) => console.log(report),
    (err: unknown) => {
      console.error((err as Error).message);
      process.exitCode = 1;
    },
  );
}
