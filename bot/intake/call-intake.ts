import { createHash } from 'node:crypto';
import type { Workflow } from '../config/load-config.js';
import { intakeIssues, readCallRequest, type CallRequest } from '../domain/call-request.js';
import { decideIntake } from '../domain/decide-intake.js';
import { newHandoffId } from '../domain/ids.js';
import { mergeCall } from '../domain/merge-call.js';
import type { Logger } from '../observability/logger.js';
import type { AskResult, HandoffAsk, Platform } from '../providers/types.js';
import type { HandoffRecord, NewOutboxItem } from '../store/records.js';
import { isStoreError, type Store } from '../store/store.js';
import { routingAt } from '../domain/routing.js';
import { acceptedHandoff } from './accept-handoff.js';
import { canonicalJson } from './canonical-json.js';

export interface CallIntakeDeps {
  store: Store;
  smsConfigured: boolean;
  clock: () => number;
  logger: Logger;
}

export interface CallRef {
  platform: Platform;
  workflow: Workflow;
}

export interface AskOutcome {
  result: AskResult;
  /** An identical request from the same call was already answered: nothing was stored. */
  replayed: boolean;
  created: boolean;
}

/** Voice-platform handoffs never call back over HTTP: the platform hears back in its own answer (docs/contract/voice-platforms.md#mapping). */
const NO_WEBHOOK = 'voice_platform';

/** A later request from a call that could not be merged: its handoff is gone, or other changes kept winning. */
export class CallMergeError extends Error {
  override readonly name = 'CallMergeError';

  constructor(readonly code: 'handoff_missing' | 'merge_contended') {
    super(`call merge failed: ${code}`);
  }
}

/**
 * The one path every voice platform's request takes after mapping (docs/contract/voice-platforms.md): one handoff per
 * platform call, created through the same writes and group commit as `/v1/handoffs`; an identical
 * retry answers the stored result; a different later request from the call is merged into it and
 * edits its card. Requests of one call are handled one at a time, in arrival order.
 */
export function createCallIntake(deps: CallIntakeDeps) {
  const { store } = deps;
  const locks = new Map<string, Promise<unknown>>();

  function serialized<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = locks.get(key) ?? Promise.resolve();
    const run = before.then(work, work);
    const tail = run.catch(() => undefined);
    locks.set(key, tail);
    void tail.then(() => {
      if (locks.get(key) === tail) locks.delete(key);
    });
    return run;
  }

  function replayKey(ref: CallRef, ask: HandoffAsk): string {
    const digest = createHash('sha256')
      .update(canonicalJson({ platform: ref.platform, call: ask.callId, caller: ask.callerId, params: ask.params, issues: ask.issues }))
      .digest('base64url');
    return `${ref.platform}:${digest}`;
  }

  function resultOf(h: Pick<HandoffRecord, 'id' | 'status' | 'severity' | 'callerMessage'>, callerMessage: string): AskResult {
    return { handoff_id: h.id, status: h.status, severity: h.severity, caller_message: callerMessage };
  }

  async function create(ref: CallRef, ask: HandoffAsk, req: CallRequest, key: string): Promise<AskOutcome> {
    const { workflow } = ref;
    const receivedAt = deps.clock();
    const decision = decideIntake(
      { handoff_reason: req.reason, severity: req.severity, notify: req.notify, caller_message: req.callerMessage },
      workflow,
      receivedAt,
      { smsConfigured: deps.smsConfigured },
    )!; // readCallRequest only keeps reasons the workflow has
    const id = newHandoffId(receivedAt);
    const issues = intakeIssues(req.valueIssues, req.fields, workflow);
    const result: AskResult = { handoff_id: id, status: 'open', severity: decision.severity, caller_message: decision.callerMessage };
    const { unit } = acceptedHandoff({
      id,
      request: { call_status: 'in_progress', caller_id: req.callerId, webhook_url: null },
      fields: req.fields,
      workflow,
      decision,
      receivedAt,
      signatureStatus: 'verified',
      callbacksOffReason: NO_WEBHOOK,
      sourcePlatform: ref.platform,
      idempotency: null,
    });
    await store.accept({
      ...unit,
      intakeIssues: issues,
      providerCall: ask.callId === null ? null : { platform: ref.platform, callId: ask.callId },
      idempotency: { key, bodyHash: key, response: JSON.stringify(result) },
    });
    deps.logger.info(
      { handoff_id: id, workflow: workflow.id, platform: ref.platform, reason: decision.reason, severity: decision.severity, incomplete: issues !== null },
      'handoff accepted',
    );
    return { result, replayed: false, created: true };
  }

  async function merge(ref: CallRef, handoffId: string, req: CallRequest, key: string): Promise<AskOutcome> {
    const { workflow } = ref;
    for (let attempt = 0; attempt < 5; attempt++) {
      const now = deps.clock();
      const current = await store.handoffs.get(handoffId);
      if (!current) throw new CallMergeError('handoff_missing');
      const merged = mergeCall(current, req, workflow, now, { smsConfigured: deps.smsConfigured });
      if (merged.unchanged || current.erasedAt !== null) {
        return { result: resultOf(current, current.callerMessage ?? merged.update.callerMessage), replayed: false, created: false };
      }
      const outbox: NewOutboxItem[] = [{ kind: 'slack.update_card' }];
      if (merged.added.includes('sms')) for (const to of routingAt(workflow, now).workflow.sms_to) outbox.push({ kind: 'sms.send', payload: { to }, paceKey: 'sms' });
      const changed = await store.handoffs.applyCallUpdate(handoffId, current.version, merged.update, (h) => ({
        event: { type: 'handoff.updated', actor: null, at: now, data: { reason: h.reason, severity: h.severity, incomplete: h.intakeIssues !== null, platform: ref.platform } },
        outbox,
        idempotency: { workflowId: workflow.id, key, bodyHash: key, response: JSON.stringify(resultOf(h, merged.update.callerMessage)) },
      }));
      if (!changed) continue; // changed meanwhile (a Claim): merge into what it is now
      const updated = changed.handoff;
      deps.logger.info(
        { handoff_id: updated.id, workflow: workflow.id, platform: ref.platform, reason: updated.reason, severity: updated.severity, incomplete: updated.intakeIssues !== null },
        'handoff updated by a later request from the call',
      );
      return { result: resultOf(updated, merged.update.callerMessage), replayed: false, created: false };
    }
    throw new CallMergeError('merge_contended');
  }

  async function handleAsk(ref: CallRef, ask: HandoffAsk): Promise<AskOutcome> {
    const key = replayKey(ref, ask);
    const stored = await store.idempotency.get(ref.workflow.id, key);
    if (stored) return { result: JSON.parse(stored.response) as AskResult, replayed: true, created: false };
    const req = readCallRequest(ask, ref.workflow);
    let existing = ask.callId === null ? null : await store.providerCalls.find(ref.workflow.id, ref.platform, ask.callId);
    if (existing === null) {
      try {
        return await create(ref, ask, req, key);
      } catch (err) {
        // Another process created this call's handoff first: merge into it instead.
        existing = ask.callId !== null && isStoreError(err, 'duplicate') ? await store.providerCalls.find(ref.workflow.id, ref.platform, ask.callId) : null;
        if (existing === null) throw err;
      }
    }
    return merge(ref, existing, req, key);
  }

  const lockKey = (ref: CallRef, callId: string | null, fallback: string) =>
    callId === null ? `key\u0000${fallback}` : `${ref.workflow.id}\u0000${ref.platform}\u0000${callId}`;

  return {
    /** A request for a person: creates the call's handoff, replays an identical retry, or merges a later request. */
    ask(ref: CallRef, ask: HandoffAsk): Promise<AskOutcome> {
      return serialized(lockKey(ref, ask.callId, replayKey(ref, ask)), () => handleAsk(ref, ask));
    },

    /**
     * The call's handoff, created (incomplete, with what is known) if the call has none yet: for requests
     * that need a handoff without asking for one, such as a transfer request (docs/contract/reaching-the-caller.md#claim-to-connect-on-vapi).
     */
    async findOrCreate(ref: CallRef, call: { callId: string; callerId: string | null }): Promise<HandoffRecord> {
      const outcome = await serialized(lockKey(ref, call.callId, ''), async () => {
        const existing = await store.providerCalls.find(ref.workflow.id, ref.platform, call.callId);
        if (existing !== null) return existing;
        return (await handleAsk(ref, { callId: call.callId, callerId: call.callerId, params: {}, issues: [] })).result.handoff_id;
      });
      return (await store.handoffs.get(outcome))!;
    },

    /** The platform reports the call over: attach that to its handoff (nothing is stored for a call without one). */
    callEnded(ref: CallRef, callId: string, summary: string | null): Promise<HandoffRecord | null> {
      return serialized(lockKey(ref, callId, ''), async () => {
        const handoffId = await store.providerCalls.find(ref.workflow.id, ref.platform, callId);
        if (handoffId === null) return null;
        const now = deps.clock();
        const changed = await store.handoffs.markCallEnded(handoffId, { summary, now }, (h) => ({
          event: { type: 'handoff.call_ended', actor: null, at: now, data: { caller_hung_up: h.callerHungUpAt !== null, platform: ref.platform } },
          outbox: [{ kind: 'slack.update_card' }],
        }));
        const updated = changed?.handoff ?? null;
        if (updated) {
          deps.logger.info({ handoff_id: updated.id, workflow: ref.workflow.id, platform: ref.platform, caller_hung_up: updated.callerHungUpAt !== null }, 'call ended');
        }
        return updated ?? (await store.handoffs.get(handoffId));
      });
    },
  };
}

export type CallIntake = ReturnType<typeof createCallIntake>;
