import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { postHandoff, sampleHandoff } from '../support/webhooks.js';
import { rowCounts } from '../support/row-counts.js';

let h: Harness;
beforeAll(async () => {
  // Workers off: this file is about what intake stores, not about delivery.
  h = await startHarness({ startWorkers: false });
});
afterAll(async () => {
  await h.close();
});

const uniqueKey = () => `msg_${randomUUID()}`;
const billing = (overrides: Record<string, unknown> = {}) =>
  sampleHandoff({ workflow_id: 'billing', handoff_reason: 'billing_question', structured_fields: { account_number: 'A-1001' }, ...overrides });

async function rowsFor(handoffId: string) {
  return {
    events: (await h.bot.store.events.forHandoff(handoffId)).map((e) => e.type),
    outbox: (await h.bot.store.outbox.forHandoff(handoffId)).map((o) => o.kind),
  };
}

describe('idempotency under concurrency', () => {
  it('turns 50 concurrent identical requests into one handoff, one event, one set of outbox rows', async () => {
    const before = rowCounts(h.db);
    const id = uniqueKey();
    const body = sampleHandoff();
    // Each request is signed afresh (own timestamp signature) but carries the same webhook-id.
    const answers = await Promise.all(Array.from({ length: 50 }, () => postHandoff(h.bot.url, body, { id })));
    const accepted = answers.filter((a) => a.status === 202);
    const inProgress = answers.filter((a) => a.status === 409);
    expect(accepted.length + inProgress.length).toBe(50);
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    for (const a of inProgress) {
      expect(a.json.error).toBe('idempotency_in_progress');
      expect(a.headers.get('retry-after')).toBe('1');
    }
    const firsts = accepted.filter((a) => a.headers.get('idempotent-replayed') === null);
    expect(firsts).toHaveLength(1);
    const first = firsts[0]!;
    for (const a of accepted) expect(a.json).toEqual(first.json);
    // Every other 202 is a replay of the first, marked as one.
    const replays = accepted.filter((a) => a !== first);
    expect(replays.map((a) => a.headers.get('idempotent-replayed'))).toEqual(replays.map(() => 'true'));

    const after = rowCounts(h.db);
    expect(after.handoffs - before.handoffs).toBe(1);
    expect(after.idempotency_keys - before.idempotency_keys).toBe(1);
    const handoffId = first.json.handoff_id as string;
    const rows = await rowsFor(handoffId);
    expect(rows.events).toEqual(['handoff.received']);
    expect(after.events - before.events).toBe(1);
    expect(after.outbox - before.outbox).toBe(rows.outbox.length);
    expect(rows.outbox.filter((k) => k === 'slack.post_card')).toHaveLength(1);

    // Later retries (fresh signatures, same key) get the stored 202 again and store nothing.
    for (let i = 0; i < 3; i++) {
      const retry = await postHandoff(h.bot.url, body, { id });
      expect(retry.status).toBe(202);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.json).toEqual(first.json);
    }
    expect(rowCounts(h.db)).toEqual(after);
  });
});

describe('what counts as the same body', () => {
  it('ignores key order, white space and signature_status', async () => {
    const id = uniqueKey();
    const first = await postHandoff(h.bot.url, sampleHandoff(), { id });
    expect(first.status).toBe(202);
    const counts = rowCounts(h.db);

    const reordered = Object.fromEntries(Object.entries(sampleHandoff()).reverse());
    const fieldsReordered = { ...reordered, structured_fields: { callback_number: '+15555550177', symptoms: 'chest pain since noon', patient_name: 'Dana Whitfield' } };
    const variants: { rawBody: string }[] = [
      { rawBody: JSON.stringify(fieldsReordered) },
      { rawBody: JSON.stringify(sampleHandoff(), null, 4) },
      { rawBody: `\n\t ${JSON.stringify(sampleHandoff(), null, '\t \r\n')} \r\n` },
      { rawBody: JSON.stringify(sampleHandoff({ signature_status: 'verified' })) },
      { rawBody: JSON.stringify(sampleHandoff({ signature_status: { anything: ['at', 'all'] } })) },
    ];
    for (const v of variants) {
      const res = await postHandoff(h.bot.url, null, { id, rawBody: v.rawBody });
      expect(res.status, v.rawBody).toBe(202);
      expect(res.headers.get('idempotent-replayed')).toBe('true');
      expect(res.json).toEqual(first.json);
    }
    expect(rowCounts(h.db)).toEqual(counts);
  });

  it('answers 422 idempotency_key_reused for the same key with another body, and stores nothing', async () => {
    const id = uniqueKey();
    const first = await postHandoff(h.bot.url, sampleHandoff(), { id });
    expect(first.status).toBe(202);
    const counts = rowCounts(h.db);
    for (const other of [
      sampleHandoff({ call_status: 'on_hold' }),
      sampleHandoff({ structured_fields: { patient_name: 'Dana Whitfield' } }),
      sampleHandoff({ caller_message: 'extra' }),
    ]) {
      const res = await postHandoff(h.bot.url, other, { id });
      expect(res.status).toBe(422);
      expect(res.json.error).toBe('idempotency_key_reused');
      expect(res.headers.get('idempotent-replayed')).toBeNull();
    }
    expect(rowCounts(h.db)).toEqual(counts);
    // The original is still replayable.
    const replay = await postHandoff(h.bot.url, sampleHandoff(), { id });
    expect(replay.json).toEqual(first.json);
  });
});

describe('what is stored under a key', () => {
  it('lets a request that failed validation be corrected and retried with the same key', async () => {
    const id = uniqueKey();
    const before = rowCounts(h.db);
    const bad = await postHandoff(h.bot.url, sampleHandoff({ call_status: 'dancing' }), { id });
    expect(bad.status).toBe(422);
    expect(bad.json.error).toBe('validation_failed');
    const unknownReason = await postHandoff(h.bot.url, sampleHandoff({ handoff_reason: 'nope' }), { id });
    expect(unknownReason.json.error).toBe('unknown_reason');
    expect(rowCounts(h.db)).toEqual(before);

    const fixed = await postHandoff(h.bot.url, sampleHandoff(), { id });
    expect(fixed.status).toBe(202);
    expect(fixed.headers.get('idempotent-replayed')).toBeNull();
    expect(rowCounts(h.db).handoffs).toBe(before.handoffs + 1);
  });

  it('scopes keys to the workflow: one key in two workflows makes two handoffs', async () => {
    const id = uniqueKey();
    const clinic = await postHandoff(h.bot.url, sampleHandoff(), { id });
    const bill = await postHandoff(h.bot.url, billing(), { id });
    expect(clinic.status).toBe(202);
    expect(bill.status).toBe(202);
    expect(bill.headers.get('idempotent-replayed')).toBeNull();
    expect(bill.json.handoff_id).not.toBe(clinic.json.handoff_id);
    // And each replays within its own workflow.
    const again = await postHandoff(h.bot.url, billing(), { id });
    expect(again.json.handoff_id).toBe(bill.json.handoff_id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('uses the body\'s idempotency_key instead of webhook-id when given', async () => {
    const key = `order-${randomUUID()}`;
    const body = sampleHandoff({ idempotency_key: key });
    const first = await postHandoff(h.bot.url, body, { id: uniqueKey() });
    expect(first.status).toBe(202);
    const second = await postHandoff(h.bot.url, body, { id: uniqueKey() }); // new webhook-id, same body key
    expect(second.status).toBe(202);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.json).toEqual(first.json);

    // Same webhook-id but different body keys: two different handoffs.
    const sharedId = uniqueKey();
    const a = await postHandoff(h.bot.url, sampleHandoff({ idempotency_key: `a-${key}` }), { id: sharedId });
    const b = await postHandoff(h.bot.url, sampleHandoff({ idempotency_key: `b-${key}` }), { id: sharedId });
    expect(a.status).toBe(202);
    expect(b.status).toBe(202);
    expect(b.headers.get('idempotent-replayed')).toBeNull();
    expect(b.json.handoff_id).not.toBe(a.json.handoff_id);
  });

  it('shares one namespace between body keys and webhook-ids', async () => {
    const key = uniqueKey();
    const first = await postHandoff(h.bot.url, sampleHandoff(), { id: key });
    expect(first.status).toBe(202);
    // A body key equal to an earlier webhook-id refers to that earlier request; this body differs.
    const clash = await postHandoff(h.bot.url, sampleHandoff({ idempotency_key: key }), { id: uniqueKey() });
    expect(clash.status).toBe(422);
    expect(clash.json.error).toBe('idempotency_key_reused');
  });

  it('replays across a restart of the bot on the same database', async () => {
    const dir = h.dir;
    const own = await startHarness({ startWorkers: false, dir: `${dir}/restart`, slack: h.slack });
    const id = uniqueKey();
    const first = await postHandoff(own.bot.url, billing(), { id });
    expect(first.status).toBe(202);
    await own.bot.close();
    const again = await startHarness({ startWorkers: false, dir: `${dir}/restart`, slack: h.slack });
    try {
      const replay = await postHandoff(again.bot.url, billing(), { id });
      expect(replay.status).toBe(202);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.json).toEqual(first.json);
      expect(rowCounts(again.db).handoffs).toBe(1);
    } finally {
      await again.close();
    }
  });
});
