import type { EventType, Severity } from '../../shared/schemas/enums.js';
import { DEFAULT_OUTCOME, type Outcome } from '../../shared/schemas/outcome.js';
import type { HandoffConfig } from '../config/load-config.js';
import type { LadderLevel } from '../config/ladder-levels.js';
import { levelAt, nextLevelDueAt, timerMayEscalate } from '../domain/ladder.js';
import { mayAct } from '../domain/may-act.js';
import { priorityOf, raiseSeverity } from '../domain/severity.js';
import { SLACK_UPDATE_PACE_KEY } from '../outbox/pace-keys.js';
import { dialDecisionFor } from '../domain/dial-policy.js';
import type { HandoffRecord, NewOutboxItem } from '../store/records.js';
import type { Changed, FollowUps, Store } from '../store/store.js';
import { type ActionName, type ActionResult, type Actor } from './action-types.js';
import { workflowAt } from '../domain/routing.js';

export interface ActionRequest {
  handoffId: string;
  action: ActionName;
  actor: Actor;
  /** Add note: the text (personal data: stored in `notes`, never in the event log). */
  noteText?: string;
  /** Auto-escalation: the due time the timer saw; a changed due time means the timer is stale. */
  expectedDueAt?: number;
  /** Resolve and outcome: how it ended (default `handled`). */
  outcome?: Outcome;
  /** Resolve and outcome: an optional note, kept like an Add note (personal data, thread, retention). */
  outcomeNote?: string;
}

export interface ActionDeps {
  store: Store;
  config: HandoffConfig;
  clock: () => number;
  /** Twilio is configured: escalation levels send SMS to their `sms_to`. */
  smsConfigured?: boolean;
  /** A per-person rate limit on Call backs across handoffs: `take` before the write, `refund` when no call was queued; absent = no limit. */
  callBackLimit?: { take(userId: string): boolean; refund(userId: string): void };
  /** After a change committed (metrics). */
  onCommitted?: (result: ActionResult & { ok: true }, request: ActionRequest) => void;
}

/** How long after a Call back was queued another click of the same handoff rings nobody (besides while it is queued). */
export const CALL_BACK_QUIET_MS = 2 * 60_000;

/** Who is being rung for a Call back of this handoff still queued, or queued within the quiet window; null when none. */
async function callBackUnderWay(store: Store, handoffId: string, now: number): Promise<string | null> {
  const row = (await store.outbox.forHandoff(handoffId)).find((o) => o.kind === 'voice.call_back' && (o.status === 'pending' || o.createdAt > now - CALL_BACK_QUIET_MS));
  return row ? String(row.payload.user_id ?? '') : null;
}

const EVENT_OF: Record<ActionName, EventType> = {
  claim: 'handoff.claimed',
  release: 'handoff.released',
  escalate: 'handoff.escalated',
  resolve: 'handoff.resolved',
  reopen: 'handoff.reopened',
  note: 'handoff.note_added',
  outcome: 'handoff.outcome_recorded',
  call_back: 'handoff.call_back_started',
};

/**
 * The rule for acting on someone else's claim (README "Who may act"): a claim says who is on it, it
 * is not a lock. Anyone allowed on the workflow may Escalate, Resolve or add a note to a handoff
 * another person claimed (Escalate and Resolve ask for confirmation first); only the claimant can
 * Release it. Whenever someone else escalates or resolves it, the claimant is told in the card's thread.
 */
export function tellsClaimant(action: ActionName, claimant: string, actor: string | null): boolean {
  return (action === 'escalate' || action === 'resolve') && claimant !== actor;
}

function actorId(actor: Actor): string {
  return actor.kind === 'user' ? actor.userId : 'auto';
}

/** The status callback each action sends (a note sends none). */
const CALLBACK_OF: Partial<Record<ActionName, EventType>> = {
  claim: 'handoff.claimed',
  release: 'handoff.released',
  escalate: 'handoff.escalated',
  resolve: 'handoff.resolved',
  reopen: 'handoff.reopened',
  outcome: 'handoff.outcome_recorded',
  call_back: 'handoff.call_back_started',
};

/** Outbox rows that follow a state change: the card edit, escalation page and SMS, thread note, claimant's notice, callback. */
export function followUps(
  action: ActionName,
  h: HandoffRecord,
  ladder: readonly LadderLevel[],
  extra: {
    noteId?: number;
    actor: string | null;
    now: number;
    ownerChannel: string;
    claimant?: string | null;
    /** The severity before this escalation raised it. */
    raisedFrom?: Severity;
    /** Twilio is configured: a level's `sms_to` get an SMS. */
    smsConfigured?: boolean;
  },
): NewOutboxItem[] {
  const items: NewOutboxItem[] = [];
  const priority = priorityOf(h.severity);
  const ownerPace = `slack:${h.slackChannel ?? extra.ownerChannel}`;
  if (extra.noteId !== undefined) items.push({ kind: 'slack.post_note', payload: { note_id: extra.noteId }, paceKey: ownerPace, priority });
  if (action === 'escalate') {
    // Every level pages again: its channel (a card, or a reply where this handoff already is), its mention and numbers,
    // as the routing in force now has them (after hours, the after_hours ladder's).
    const level = levelAt(ladder, h.escalationLevel);
    const raised = extra.raisedFrom !== undefined && extra.raisedFrom !== h.severity ? { raised_from: extra.raisedFrom, severity: h.severity } : {};
    items.push({
      kind: 'slack.post_escalation',
      payload: { level: h.escalationLevel, by: extra.actor ?? 'auto', channel: level?.channel ?? null, mention: level?.mention ?? null, ...raised },
      paceKey: `slack:${level?.channel ?? h.slackChannel ?? extra.ownerChannel}`,
      priority,
    });
    if (extra.smsConfigured) for (const to of level?.smsTo ?? []) items.push({ kind: 'sms.send', payload: { to, level: h.escalationLevel }, paceKey: 'sms', priority });
  }
  items.push({ kind: 'slack.update_card', paceKey: SLACK_UPDATE_PACE_KEY, priority });
  if (action === 'call_back') items.push({ kind: 'voice.call_back', payload: { user_id: extra.actor } });
  if (extra.claimant && tellsClaimant(action, extra.claimant, extra.actor)) {
    items.push({ kind: 'slack.tell_claimant', payload: { claimant: extra.claimant, actor: extra.actor, action, level: h.escalationLevel }, paceKey: ownerPace });
  }
  const callbackType = CALLBACK_OF[action] ?? null;
  if (callbackType && h.callbacksEnabled && h.webhookUrl) {
    // The outcome tells the agent platform whether the handoff was needed (docs/contract/outcomes.md#callbacks-carry-the-outcome); never the note.
    const outcome = (action === 'resolve' || action === 'outcome') && h.outcome !== null ? { outcome: h.outcome } : {};
    // The body is fixed now, at the state change, so every retry sends the same event.
    items.push({
      kind: 'callback.send',
      payload: {
        type: callbackType,
        occurred_at: extra.now,
        data: { handoff_id: h.id, workflow_id: h.workflowId, status: h.status, severity: h.severity, escalation_level: h.escalationLevel, actor: extra.actor, ...outcome },
      },
    });
  }
  return items;
}

/** Why a change that did not match was refused, from the record as it is now. */
function refusalOf(req: ActionRequest, fresh: HandoffRecord): ActionResult {
  if (req.actor.kind === 'timer') return { ok: false, refusal: 'stale_timer', handoff: fresh };
  if (req.action === 'reopen') return { ok: false, refusal: 'not_resolved', handoff: fresh };
  if (fresh.status === 'resolved') return { ok: false, refusal: 'already_resolved', handoff: fresh };
  if (req.action === 'claim' || req.action === 'call_back') return { ok: false, refusal: 'already_claimed', handoff: fresh };
  if (req.action === 'release') return { ok: false, refusal: fresh.status === 'claimed' ? 'not_claimer' : 'not_claimed', handoff: fresh };
  return { ok: false, refusal: 'already_resolved', handoff: fresh };
}

/** Changes whose new values derive from the record (severity, due time) re-read it this often when it moved meanwhile. */
const MAX_TRIES = 5;

/**
 * The one code path for Claim, Release, Escalate, Resolve and Add note, whoever asks (Slack button,
 * desktop app, escalation timer). Each is a named conditional state change in the store, so
 * concurrent clicks have exactly one winner; the change, its event and its outbox rows commit together.
 */
export async function performAction(deps: ActionDeps, req: ActionRequest): Promise<ActionResult> {
  for (let attempt = 1; ; attempt++) {
    const result = await tryOnce(deps, req);
    if (result !== 'moved') {
      if (result.ok) deps.onCommitted?.(result, req);
      return result;
    }
    if (attempt >= MAX_TRIES) {
      const fresh = await deps.store.handoffs.get(req.handoffId);
      return fresh ? refusalOf(req, fresh) : { ok: false, refusal: 'not_found', handoff: null };
    }
  }
}

/** One try; 'moved' when the record changed between the read and the conditional update and the change may still apply. */
async function tryOnce(deps: ActionDeps, req: ActionRequest): Promise<ActionResult | 'moved'> {
  const { store, config } = deps;
  const current = await store.handoffs.get(req.handoffId);
  if (!current) return { ok: false, refusal: 'not_found', handoff: null };
  // Escalations go where the routing in force now says (after hours, the after_hours block's).
  const workflow = workflowAt(config, current.workflowId, deps.clock());
  if (req.actor.kind === 'user' && !mayAct(config, current.workflowId, req.actor.userId)) {
    return { ok: false, refusal: 'not_allowed', handoff: current };
  }
  const now = deps.clock();
  const who = actorId(req.actor);
  const actor = req.actor.kind === 'user' ? req.actor.userId : null;
  const ladder = workflow?.ladder ?? [];
  const follow: FollowUps = (updated, extra) => {
    const data = { status: updated.status, severity: updated.severity, escalation_level: updated.escalationLevel };
    const raisedFrom = req.action === 'escalate' ? current.severity : undefined;
    const context = { noteId: extra.noteId, actor, now, ownerChannel: workflow?.owner_channel ?? '', claimant: current.claimedBy, raisedFrom, smsConfigured: deps.smsConfigured };
    const outbox = followUps(req.action, updated, ladder, context);
    return {
      // Call back on an open handoff claims it first: the claim is its own event and callback.
      before: extra.claimedFirst ? [{ type: 'handoff.claimed', actor, at: now, data: { ...data, trigger: 'call_back' } }] : [],
      event: {
        type: EVENT_OF[req.action],
        actor,
        at: now,
        data: {
          ...data,
          trigger: req.actor.kind === 'timer' ? 'auto' : 'manual',
          ...(raisedFrom !== undefined ? { severity_from: raisedFrom } : {}),
          ...(req.action === 'resolve' || req.action === 'outcome' ? { outcome: updated.outcome } : {}),
          ...(extra.noteId !== undefined ? { note_id: extra.noteId } : {}),
        },
      },
      outbox: extra.claimedFirst
        ? [...followUps('claim', updated, ladder, context).filter((i) => i.kind !== 'slack.update_card'), ...outbox]
        : outbox,
    };
  };
  // Unclaimed again: the next rung is due its wait from now.
  const nextDue = nextLevelDueAt(ladder, current.escalationLevel, current.severity, now);
  // Claimed: the claimer hears a reminder after `remind_after` unless it is resolved or released first.
  const remindDueAt = workflow?.remind_after === undefined ? null : now + workflow.remind_after;
  let changed: Changed | null = null;
  switch (req.action) {
    case 'claim':
      changed = await store.handoffs.claim(req.handoffId, { who, now, remindDueAt }, follow);
      break;
    case 'release':
      changed = await store.handoffs.release(req.handoffId, { who, now, dueAt: nextDue, version: current.version }, follow);
      break;
    case 'reopen':
      // Back in the queue, its escalation timer running again from the rung it had reached.
      changed = await store.handoffs.reopen(req.handoffId, { who, now, dueAt: nextDue, version: current.version }, follow);
      break;
    case 'escalate': {
      if (req.actor.kind === 'timer' && !timerMayEscalate(ladder, current.escalationLevel)) {
        if (current.escalateDueAt !== req.expectedDueAt) return { ok: false, refusal: 'stale_timer', handoff: current };
        await store.handoffs.clearDue(req.handoffId, req.expectedDueAt ?? -1);
        return { ok: false, refusal: 'max_level', handoff: current };
      }
      const severity = raiseSeverity(current.severity);
      changed = await store.handoffs.escalate(
        req.handoffId,
        {
          who,
          now,
          severity,
          dueAt: nextLevelDueAt(ladder, current.escalationLevel + 1, severity, now),
          version: current.version,
          expectedDueAt: req.actor.kind === 'timer' ? (req.expectedDueAt ?? -1) : null,
        },
        follow,
      );
      break;
    }
    case 'resolve':
      changed = await store.handoffs.resolve(req.handoffId, { who, now, outcome: req.outcome ?? DEFAULT_OUTCOME, note: req.outcomeNote?.trim() || null }, follow);
      break;
    case 'outcome':
      if (current.status !== 'resolved') return { ok: false, refusal: 'not_resolved', handoff: current };
      changed = await store.handoffs.recordOutcome(req.handoffId, { who, now, outcome: req.outcome ?? DEFAULT_OUTCOME, note: req.outcomeNote?.trim() || null }, follow);
      break;
    case 'call_back':
      if (req.actor.kind !== 'user' || !config.people.has(req.actor.userId)) return { ok: false, refusal: 'no_phone', handoff: current };
      if (!dialDecisionFor(config, current.workflowId, current.callerId).ok) return { ok: false, refusal: 'not_dialable', handoff: current };
      {
        // Idempotent per handoff: a second click while a call is queued, or soon after, rings nobody.
        const underWay = await callBackUnderWay(store, current.id, now);
        if (underWay !== null) return { ok: false, refusal: 'call_back_pending', handoff: current, callingUser: underWay };
        // Spent before the write, so clicks side by side cannot all pass a check before any is counted;
        // given back when nothing was queued (a lost race, a failed write), so those cost nothing.
        const userId = req.actor.userId;
        if (deps.callBackLimit && !deps.callBackLimit.take(userId)) return { ok: false, refusal: 'call_back_rate_limited', handoff: current };
        try {
          changed = await store.handoffs.callBack(req.handoffId, { who, now, remindDueAt, quietSince: now - CALL_BACK_QUIET_MS }, follow);
        } finally {
          if (!changed) deps.callBackLimit?.refund(userId);
        }
        // Lost to a simultaneous click of the same handoff: answered like any second click.
        const raced = changed ? null : await callBackUnderWay(store, current.id, now);
        if (raced !== null) return { ok: false, refusal: 'call_back_pending', handoff: current, callingUser: raced };
      }
      break;
    case 'note':
      if (!req.noteText || req.noteText.trim() === '') return { ok: false, refusal: 'not_found', handoff: current };
      changed = await store.handoffs.addNote(req.handoffId, { author: who, text: req.noteText, now }, follow);
      break;
  }
  if (changed) return { ok: true, handoff: changed.handoff, eventSeq: changed.eventSeq };
  const fresh = (await store.handoffs.get(req.handoffId)) ?? current;
  // Release and escalate are guarded by the version they were computed from: another change in
  // between moves it, and the action is decided again from the new record.
  if ((req.action === 'release' || req.action === 'escalate' || req.action === 'reopen') && fresh.version !== current.version && fresh.status !== 'resolved') return 'moved';
  return refusalOf(req, fresh);
}
