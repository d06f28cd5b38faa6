/**
 * `/handoff status` on a large database: 100,000 handoffs (about 98% resolved), then 200 signed
 * slash commands end-to-end (emulator -> Bolt -> SQLite -> ack) for the queue summary and 200 for
 * one handoff's timeline, plus the store queries alone. Target: p99 < 200 ms end-to-end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createBot } from '../bot/app.js';
import { buildConfig } from '../bot/config/load-config.js';
import { newHandoffId } from '../bot/domain/ids.js';
import { createLogger } from '../bot/observability/logger.js';
import { openDatabase, type Db } from '../bot/store/db.js';
import { StatusQueries } from '../bot/store/status-queries.js';
import { startSlackEmulator } from '../sandbox/slack-emulator/index.js';
import { TEST_CONFIG_DOC } from '../test/support/test-config.js';

const HANDOFFS = 100_000;
const COMMANDS = 200;
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

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

function summary(label: string, samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  const p99 = percentile(s, 0.99);
  return `${label.padEnd(34)} median ${percentile(s, 0.5).toFixed(2).padStart(7)} ms   p99 ${p99.toFixed(2).padStart(7)} ms`;
}

/** A deterministic PRNG so every run seeds the same mix. */
function mulberry32(seedValue: number): () => number {
  let a = seedValue;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function benchStatus(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'handoff-bench-status-'));
  const dbFile = join(dir, 'handoff.db');
  const lines: string[] = [];
  const slack = await startSlackEmulator({ botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET });
  let bot: Awaited<ReturnType<typeof createBot>> | undefined;
  try {
    const now = Date.now();
    const seedStart = performance.now();
    const db = openDatabase(dbFile);
    const mix = seed(db, now, mulberry32(42));
    db.close();
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

    const queries = new StatusQueries(bot.store.db);
    const queryMs: number[] = [];
    for (let i = 0; i < COMMANDS; i++) {
      const t0 = performance.now();
      queries.counts();
      queries.unresolved(10);
      queryMs.push(performance.now() - t0);
    }

    const run = async (text: (i: number) => string): Promise<number[]> => {
      for (let i = 0; i < 5; i++) await slack.sendSlashCommand({ user: 'U0ALICE01', channel: 'C0CLINIC01', text: text(i) }); // warm-up
      const out: number[] = [];
      for (let i = 0; i < COMMANDS; i++) {
        const t0 = performance.now();
        const answer = await slack.sendSlashCommand({ user: 'U0ALICE01', channel: 'C0CLINIC01', text: text(i) });
        out.push(performance.now() - t0);
        if (answer.status !== 200 || answer.timedOut || !answer.body.includes('ephemeral')) throw new Error(`unexpected answer: HTTP ${answer.status}`);
      }
      return out;
    };
    const statusMs = await run(() => 'status');
    const oneMs = await run((i) => `status ${mix.sampleIds[i % mix.sampleIds.length]!}`);

    lines.push(summary('store query (counts + list of 10)', queryMs));
    lines.push(summary('/handoff status, end-to-end', statusMs));
    lines.push(summary('/handoff status ho_…, end-to-end', oneMs));
    const worst = Math.max(percentile([...statusMs].sort((a, b) => a - b), 0.99), percentile([...oneMs].sort((a, b) => a - b), 0.99));
    lines.push(`target p99 < ${TARGET_P99_MS} ms: ${worst < TARGET_P99_MS ? 'met' : 'MISSED'} (worst p99 ${worst.toFixed(1)} ms, ${(worst / TARGET_P99_MS).toFixed(2)} of budget)`);
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
