/**
 * Claim-to-connect (docs/contract/reaching-the-caller.md#claim-to-connect-on-vapi): 100 live callers' Vapi transfer requests held at once; then,
 * one by one, a signed Slack Claim click through Bolt for each; measured from the click to the moment
 * the held request has its answer (the claimer's phone). Also timed: the same click with nobody
 * waiting, as the baseline of a bare Claim in the same run. Target: p99 < 250 ms.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { providerPath, signVapi, vapiTransferRequest } from '../sandbox/fakes/voice-platforms.js';
import { startProviderHarness, VOICE_SECRETS } from '../test/support/providers.js';
import { testConfig } from '../test/support/test-config.js';
import { until } from '../test/support/until.js';

const CALLERS = 100;
const TARGET_P99_MS = 250;
const ALICE = { id: 'U0ALICE01', phone: '+15555550101' };

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

export async function benchConnect(): Promise<string> {
  const config = testConfig((doc) => ({
    ...doc,
    people: { [ALICE.id]: ALICE.phone },
    workflows: doc.workflows.map((w) => ({ ...w, connect: { wait: '120s' } })),
  }));
  // No outbox: cards are not what is measured, and Slack's 1 message/s per channel would take 100 s.
  const h = await startProviderHarness({ config, startWorkers: false });
  try {
    const channel = 'C0CLINIC01';
    const posted = await h.bot.slack.client.chat.postMessage({ channel, text: 'bench: the message the Claim clicks come from' });
    const ts = posted.ts as string;
    const click = (handoffId: string) => h.slack.sendBlockAction({ user: ALICE.id, channel, messageTs: ts, actionId: 'handoff_claim', value: handoffId });

    const held = Array.from({ length: CALLERS }, () => {
      const callId = `bench-${randomUUID()}`;
      const req = signVapi(JSON.stringify(vapiTransferRequest(callId, '+14155550987')), VOICE_SECRETS.vapiSecret);
      const answer = fetch(`${h.bot.url}${providerPath('vapi', 'clinic-after-hours')}`, { method: 'POST', headers: req.headers, body: req.body }).then(
        async (res) => ({ at: performance.now(), json: (await res.json()) as { destination?: { number?: string } } }),
      );
      return { callId, answer };
    });
    await until(() => h.bot.connect.waiting === CALLERS, 60_000, `${CALLERS} held requests`);

    const latencies: number[] = [];
    for (const { callId, answer } of held) {
      const handoffId = (await h.bot.store.providerCalls.find('clinic-after-hours', 'vapi', callId))!;
      const start = performance.now();
      await click(handoffId);
      const { at, json } = await answer;
      if (json.destination?.number !== ALICE.phone) throw new Error('a held request was not answered with the claimer\'s phone');
      latencies.push(at - start);
    }

    // Baseline: the same click on handoffs nobody waits for, until Slack has its 200.
    const baseline: number[] = [];
    for (let i = 0; i < 30; i++) {
      const callId = `bench-base-${randomUUID()}`;
      const req = signVapi(JSON.stringify({ message: { type: 'tool-calls', call: { id: callId, customer: { number: '+14155550987' } }, toolCallList: [{ id: 't1', function: { name: 'request_handoff', arguments: { patient_name: 'Bench' } } }] } }), VOICE_SECRETS.vapiSecret);
      await fetch(`${h.bot.url}${providerPath('vapi', 'clinic-after-hours')}`, { method: 'POST', headers: req.headers, body: req.body });
      const handoffId = (await h.bot.store.providerCalls.find('clinic-after-hours', 'vapi', callId))!;
      const start = performance.now();
      await click(handoffId);
      baseline.push(performance.now() - start);
    }

    latencies.sort((a, b) => a - b);
    baseline.sort((a, b) => a - b);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    return [
      `claim click -> transfer answer, ${CALLERS} waiting callers: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms (target p99 < ${TARGET_P99_MS} ms: ${p99 < TARGET_P99_MS ? 'met' : 'MISSED'})`,
      `baseline, claim click with nobody waiting (Slack's 200): p50 ${percentile(baseline, 50).toFixed(1)} ms, p99 ${percentile(baseline, 99).toFixed(1)} ms`,
    ].join('\n');
  } finally {
    await h.close();
  }
}
