/**
 * `/handoff status` on a large database: 100,000 handoffs (about 98% resolved), then signed slash
 * commands end-to-end (emulator -> Bolt -> SQLite -> ack) for the queue summary and for one
 * handoff's timeline, against `/handoff help` (same path, no database work) measured in the same
 * run, plus the store queries alone and the process's memory. Target: p99 < 200 ms end-to-end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createBot } from '../bot/app.js';
import { buildConfig } from '../bot/config/load-config.js';
import { newHandoffId } from '../bot/domain/ids.js';
import { createLogger } from '../bot/observability/logger.js';
import { openDatabase, type Db } from '../bot/store/sqlite/db.js';
import { startSlackEmulator } from '../sandbox/slack-emulator/index.js';
import { TEST_CONFIG_DOC } from '../test/support/test-config.js';

const HANDOFFS = 100_000;
const COMMANDS = 300;
const WARMUP = 10;
const TARGET_P99_MS = 200;
const BOT_TOKEN = 'xoxb-bench-token';
const SIGNING_SECRET = 'bench-signing-secret-0123456789';
const DAY = 86_400_000;

interface Mix {
  resolved: number;
  open: number;
  claimed: number;
  escalated: number;
}

/** Bulk insert in one transaction, straight SQL: a handoff row and its events, like real traffic left them. */
function seed(db: Db, now: number, random: () => number): Mix & { sampleIds: string[] } {
  const insertHandoff = db.prepare(`
    INSERT INTO handoffs (id, workflow_id, reason, severity, status, escalation_level, call_status, caller_id, structured_fields,
      caller_message, webhook_url, callbacks_enabled, notify, owner_notified, signature_status, received_at,
      claimed_by, claimed_at, resolved_by, resolved_at, last_escalated_by, last_escalated_at, slack_channel, slack_ts, slack_permalink, erased_at)
    VALUES (@id, @workflow_id, @reason, @severity, @status, @level, 'completed', @caller, @fields, @message, NULL, 1, @notify, @notify,
      'verified', @received, @claimed_by, @claimed_at, @resolved_by, @resolved_at, @esc_by, @esc_at, @channel, @ts, @link, @erased)`);
  const insertEvent = db.prepare('INSERT INTO events (handoff_id, type, actor, at, data) VALUES (?, ?, ?, ?, ?)');
  const mix: Mix = { resolved: 0, open: 0, claimed: 0, escalated: 0 };
  const sampleIds: string[] = [];
  const reasons = [
    { workflow: 'clinic-after-hours', reason: 'emergency_or_sensitive_request', severity: 'urgent', channel: 'C0CLINIC01', notify: '["slack","sms","desktop"]' },
    { workflow: 'clinic-after-hours', reason: 'appointment_change', severity: 'low', channel: 'C0CLINIC01', notify: '["slack"]' },
    { workflow: 'billing', reason: 'billing_question', severity: 'normal', channel: 'C0BILLING1', notify: '["slack"]' },
  ] as const;
  const users = ['U0ALICE01', 'U0BOB0001', 'U0CAROL01', 'U0DAVID01'];

  db.transaction(() => {
    for (let i = 0; i < HANDOFFS; i++) {
      // Spread over 90 days, oldest first, as ids are time-sortable.
      const received = now - 90 * DAY + Math.floor((i / HANDOFFS) * 90 * DAY);
      const r = reasons[i % reasons.length]!;
      const roll = random();
      const status = roll < 0.98 ? 'resolved' : roll < 0.99 ? 'open' : 'claimed';
      const escalated = status !== 'resolved' ? random() < 0.3 : random() < 0.05;
      const user = users[i % users.length]!;
      const id = newHandoffId(received);
      const erased = status === 'resolved' && received < now - 31 * DAY;
      const ts = `${Math.floor(received / 1000)}.${String(i).padStart(6, '0')}`;
      insertHandoff.run({
        id,
        workflow_id: r.workflow,
        reason: r.reason,
        severity: escalated && r.severity !== 'urgent' ? 'high' : r.severity,
        status,
        level: escalated ? 1 : 0,
        caller: erased ? null : '+15555550123',
        fields: erased ? null : '{"patient_name":"Bench Patient"}',
        message: erased ? null : 'I have passed this on.',
        notify: r.notify,
        received,
        claimed_by: status === 'open' ? null : user,
        claimed_at: status === 'open' ? null : received + 60_000,
        resolved_by: status === 'resolved' ? user : null,
        resolved_at: status === 'resolved' ? received + 600_000 : null,
        esc_by: escalated ? 'auto' : null,
        esc_at: escalated ? received + 300_000 : null,
        channel: r.channel,
        ts,
        link: `https://handoff-sandbox.slack.com/archives/${r.channel}/p${ts.replace('.', '')}`,
        erased: erased ? received + 31 * DAY : null,
      });
      insertEvent.run(id, 'handoff.received', null, received, `{"workflow_id":"${r.workflow}","reason":"${r.reason}"}`);
      if (status !== 'open') insertEvent.run(id, 'handoff.claimed', user, received + 60_000, '{"status":"claimed"}');
      if (escalated) insertEvent.run(id, 'handoff.escalated', null, received + 300_000, '{"trigger":"auto"}');
      if (status === 'resolved') insertEvent.run(id, 'handoff.resolved', user, received + 600_000, '{"status":"resolved"}');
      mix[status]++;
      if (escalated && status !== 'resolved') mix.escalated++;
      if (i % 500 === 0) sampleIds.push(id);
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('ANALYZE');
  return { ...mix, sampleIds };
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

/** A deterministic PRNG so every run seeds the same mix. */
export function mulberry32(seedValue: number): () => number {
  let a = seedValue;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface MemorySample {
  rss: number;
  heapUsed: number;
}

let forceGc: (() => void) | null | undefined;

/**
 * process.memoryUsage() after a full GC when one can be forced (V8's `--expose-gc`, switched on at
 * run time), so heapUsed counts live objects rather than whatever garbage the last run left.
 */
export function memoryNow(): MemorySample {
  if (forceGc === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      forceGc = runInNewContext('gc') as () => void;
    } catch {
      forceGc = null;
    }
  }
  forceGc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
}

export const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
export const formatMemory = (m: MemorySample): string => `${(m.rss / 1024 / 1024).toFixed(1)} / ${mb(m.heapUsed)}`;

export async function benchStatus(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'handoff-bench-status-'));
  const dbFile = join(dir, 'handoff.db');
  const lines: string[] = [];
  const slack = await startSlackEmulator({ botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET });
  let bot: Awaited<ReturnType<typeof createBot>> | undefined;
  try {
    const memStart = memoryNow();
    const now = Date.now();
    const seedStart = performance.now();
    const db = openDatabase(dbFile);
    const mix = seed(db, now, mulberry32(42));
    db.close();
    const memSeeded = memoryNow();
    lines.push(
      `seeded ${HANDOFFS.toLocaleString('en-US')} handoffs in ${((performance.now() - seedStart) / 1000).toFixed(1)} s: ` +
        `${mix.resolved} resolved, ${mix.open} open, ${mix.claimed} claimed, ${mix.escalated} unresolved escalated`,
    );

    bot = await createBot({
      settings: {
        port: 0,
        host: '127.0.0.1',
        dbFile,
        webhookKeys: [],
        allowUnsigned: true,
        callbackSecret: null,
        slack: { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, apiUrl: slack.apiUrl },
        twilio: null,
        logLevel: 'silent',
      },
      config: buildConfig(TEST_CONFIG_DOC),
      logger: createLogger('silent'),
      startWorkers: false,
    });
    slack.setBotEventsUrl(`${bot.url}/slack/events`);
    const memBotUp = memoryNow();

    const queries = bot.store.status;
    const queryMs: number[] = [];
    for (let i = 0; i < COMMANDS; i++) {
      const t0 = performance.now();
      await queries.counts();
      await queries.unresolved(10);
      queryMs.push(performance.now() - t0);
    }

    // `help` takes the identical path (signed POST, Bolt, ack, emulator) with no database work: the
    // baseline. The three commands alternate so background load on the machine hits all alike.
    const kinds = [
      { label: '/handoff help (baseline: no DB)', text: () => 'help' },
      { label: '/handoff status', text: () => 'status' },
      { label: '/handoff status ho_… (timeline)', text: (i: number) => `status ${mix.sampleIds[i % mix.sampleIds.length]!}` },
    ] as const;
    const send = async (text: string): Promise<number> => {
      const t0 = performance.now();
      const answer = await slack.sendSlashCommand({ user: 'U0ALICE01', channel: 'C0CLINIC01', text });
      const ms = performance.now() - t0;
      if (answer.status !== 200 || answer.timedOut || !answer.body.includes('ephemeral')) throw new Error(`unexpected answer: HTTP ${answer.status}`);
      return ms;
    };
    for (let i = 0; i < WARMUP; i++) for (const k of kinds) await send(k.text(i));
    const samples: number[][] = kinds.map(() => []);
    for (let i = 0; i < COMMANDS; i++) for (const [j, k] of kinds.entries()) samples[j]!.push(await send(k.text(i)));
    const memAfter = memoryNow();

    const sorted = (s: number[]) => [...s].sort((a, b) => a - b);
    const [help, status, one] = samples.map(sorted) as [number[], number[], number[]];
    const row = (label: string, s: number[], vsBaseline: boolean) =>
      `${label.padEnd(34)} ${percentile(s, 0.5).toFixed(2).padStart(7)} ${percentile(s, 0.99).toFixed(2).padStart(7)}` +
      (vsBaseline ? `   ${(percentile(s, 0.5) / percentile(help, 0.5)).toFixed(1)}x / ${(percentile(s, 0.99) / percentile(help, 0.99)).toFixed(1)}x` : '');
    lines.push(
      `${COMMANDS} of each command end-to-end (emulator -> Bolt -> ack), interleaved, after ${WARMUP} warm-up rounds:`,
      `${''.padEnd(34)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)}   vs baseline p50 / p99`,
      row(kinds[0].label, help, false),
      row(kinds[1].label, status, true),
      row(kinds[2].label, one, true),
      row('store query alone (counts + 10)', sorted(queryMs), false),
    );
    const worst = Math.max(percentile(status, 0.99), percentile(one, 0.99));
    lines.push(`target p99 < ${TARGET_P99_MS} ms: ${worst < TARGET_P99_MS ? 'met' : 'MISSED'} (worst p99 ${worst.toFixed(1)} ms, ${(worst / TARGET_P99_MS).toFixed(2)} of budget)`);
    lines.push(
      `memory, RSS / heap used after a forced GC: start ${formatMemory(memStart)}; seeded ${formatMemory(memSeeded)}; ` +
        `bot up on it ${formatMemory(memBotUp)}; after the run ${formatMemory(memAfter)}`,
    );
    return lines.join('\n');
  } finally {
    await bot?.close();
    await slack.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  benchStatus().then(
    (out) => console.log(out),
    (err: unknown) => {
      console.error(`status bench failed: ${(err as Error).message}`);
      process.exitCode = 1;
    },
  );
}
