import type { EventType } from '../../shared/schemas/enums.js';
import { DEFAULT_OUTCOME, type Outcome } from '../../shared/schemas/outcome.js';
import type { HandoffConfig } from '../config/load-config.js';
import { mayAct } from '../domain/may-act.js';
import { priorityOf, raiseSeverity } from '../domain/severity.js';
import { SLACK_UPDATE_PACE_KEY } from '../slack/storm-policy.js';
import { isDialable } from '../voice/call-back-twiml.js';
import type { HandoffRecord, NewOutboxItem } from '../store/records.js';
import type { Store } from '../store/store.js';
import { AUTO_ESCALATION_MAX_LEVEL, type ActionName, type ActionResult, type Actor } from './action-types.js';

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
  onCommitted?: (result: ActionResult & { ok: true }, request: ActionRequest) => void;
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

/** Outbox rows that follow a state change: the card edit, escalation card, thread note, claimant's notice, callback. */
export function followUps(
  action: ActionName,
  h: HandoffRecord,
  escalationChannel: string,
  extra: { noteId?: number; actor: string | null; now: number; ownerChannel: string; claimant?: string | null },
): NewOutboxItem[] {
  const items: NewOutboxItem[] = [];
  const priority = priorityOf(h.severity);
  const ownerPace = `slack:${h.slackChannel ?? extra.ownerChannel}`;
  if (extra.noteId !== undefined) items.push({ kind: 'slack.post_note', payload: { note_id: extra.noteId }, paceKey: ownerPace, priority });
  if (action === 'escalate') {
    items.push({ kind: 'slack.post_escalation', payload: { level: h.escalationLevel }, paceKey: `slack:${escalationChannel}`, priority });
  }
  items.push({ kind: 'slack.update_card', paceKey: SLACK_UPDATE_PACE_KEY, priority });
  if (action === 'call_back') items.push({ kind: 'voice.call_back', payload: { user_id: extra.actor } });
  if (extra.claimant && tellsClaimant(action, extra.claimant, extra.actor)) {
    items.push({ kind: 'slack.tell_claimant', payload: { claimant: extra.claimant, actor: extra.actor, action, level: h.escalationLevel }, paceKey: ownerPace });
  }
  const callbackType = CALLBACK_OF[action] ?? null;
  if (callbackType && h.callbacksEnabled && h.webhookUrl) {
    // The outcome tells the agent platform whether the handoff was needed (SPEC section 11); never the note.
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

function insertNote(store: Store, handoffId: string, author: string, text: string, now: number): number {
  return store.notes.add(handoffId, author, text, now);
}

/**
 * The one code path for Claim, Release, Escalate, Resolve and Add note, whoever asks (Slack button,
 * desktop app, escalation timer). Each is a conditional UPDATE, so concurrent clicks have exactly one
 * winner; the state change, its event and its outbox rows commit in one transaction.
 */
export function performAction(deps: ActionDeps, req: ActionRequest): ActionResult {
  const { store, config } = deps;
  const result = store.transaction((): ActionResult => {
    const current = store.handoffs.get(req.handoffId);
    if (!current) return { ok: false, refusal: 'not_found', handoff: null };
    const workflow = config.workflows.get(current.workflowId);
    if (req.actor.kind === 'user' && !mayAct(workflow, req.actor.userId)) {
      return { ok: false, refusal: 'not_allowed', handoff: current };
    }
    const now = deps.clock();
    const who = actorId(req.actor);
    let updated: HandoffRecord | null = null;
    let noteId: number | undefined;
    /** Call back on an open handoff claims it first: the claim is its own event, callback and wake-up. */
    let claimedFirst = false;
    switch (req.action) {
      case 'claim':
        updated = store.handoffs.update(
          req.handoffId,
          `status = 'claimed', claimed_by = @who, claimed_at = @now, escalate_due_at = NULL,
           first_claimed_at = COALESCE(first_claimed_at, @now), first_claim_call_status = COALESCE(first_claim_call_status, call_status)`,
          "status = 'open'",
          { who, now },
        );
        break;
      case 'release': {
        const after = workflow?.escalate_after[current.severity];
        updated = store.handoffs.update(
          req.handoffId,
          "status = 'open', claimed_by = NULL, claimed_at = NULL, escalate_due_at = @due, last_released_by = @who, last_released_at = @now",
          "status = 'claimed' AND claimed_by = @who",
          { who, now, due: after === undefined ? null : now + after },
        );
        break;
      }
      case 'reopen': {
        // Back in the queue as if new: unclaimed, its escalation timer running again.
        const after = workflow?.escalate_after[current.severity];
        updated = store.handoffs.update(
          req.handoffId,
          "status = 'open', claimed_by = NULL, claimed_at = NULL, resolved_by = NULL, resolved_at = NULL, outcome = NULL, reopened_by = @who, reopened_at = @now, escalate_due_at = @due",
          "status = 'resolved'",
          { who, now, due: after === undefined ? null : now + after },
        );
        break;
      }
      case 'escalate': {
        if (req.actor.kind === 'timer' && current.escalationLevel >= AUTO_ESCALATION_MAX_LEVEL) {
          store.handoffs.update(req.handoffId, 'escalate_due_at = NULL', 'escalate_due_at = @due', { due: req.expectedDueAt ?? -1 });
          return { ok: false, refusal: 'max_level', handoff: current };
        }
        const severity = raiseSeverity(current.severity);
        const after = workflow?.escalate_after[severity];
        const timerGuard = req.actor.kind === 'timer' ? " AND status = 'open' AND escalate_due_at = @expected" : '';
        updated = store.handoffs.update(
          req.handoffId,
          `escalation_level = escalation_level + 1, severity = @severity, last_escalated_by = @who, last_escalated_at = @now,
           escalate_due_at = CASE WHEN status = 'open' THEN @due ELSE NULL END`,
          `status != 'resolved'${timerGuard}`,
          { who, now, severity, due: after === undefined ? null : now + after, expected: req.expectedDueAt ?? null },
        );
        break;
      }
      case 'resolve':
        updated = store.handoffs.update(
          req.handoffId,
          "status = 'resolved', resolved_by = @who, resolved_at = @now, escalate_due_at = NULL, outcome = @outcome",
          "status != 'resolved'",
          { who, now, outcome: req.outcome ?? DEFAULT_OUTCOME },
        );
        break;
      case 'outcome':
        if (current.status !== 'resolved') return { ok: false, refusal: 'not_resolved', handoff: current };
        updated = store.handoffs.update(req.handoffId, 'outcome = @outcome', "status = 'resolved'", { outcome: req.outcome ?? DEFAULT_OUTCOME });
        break;
      case 'call_back': {
        if (req.actor.kind !== 'user' || !config.people.has(req.actor.userId)) return { ok: false, refusal: 'no_phone', handoff: current };
        if (!isDialable(current.callerId)) return { ok: false, refusal: 'not_dialable', handoff: current };
        // Claims an open handoff for the clicker, keeps the claim they hold; someone else's claim refuses.
        claimedFirst = current.status === 'open';
        updated = store.handoffs.update(
          req.handoffId,
          `status = 'claimed', claimed_by = @who, claimed_at = CASE WHEN status = 'open' THEN @now ELSE claimed_at END, escalate_due_at = NULL,
           first_claimed_at = COALESCE(first_claimed_at, @now), first_claim_call_status = COALESCE(first_claim_call_status, call_status)`,
          "status = 'open' OR (status = 'claimed' AND claimed_by = @who)",
          { who, now },
        );
        break;
      }
      case 'note': {
        if (!req.noteText || req.noteText.trim() === '') return { ok: false, refusal: 'not_found', handoff: current };
        noteId = insertNote(store, req.handoffId, who, req.noteText, now);
        updated = store.handoffs.touch(req.handoffId);
        break;
      }
    }
    // A resolve or outcome note is a note like any other: in the thread, erased by retention, never in the event.
    const outcomeNote = req.outcomeNote?.trim();
    if (updated && (req.action === 'resolve' || req.action === 'outcome') && outcomeNote) noteId = insertNote(store, req.handoffId, who, outcomeNote, now);
    if (!updated) {
      const fresh = store.handoffs.get(req.handoffId) ?? current;
      if (req.actor.kind === 'timer') return { ok: false, refusal: 'stale_timer', handoff: fresh };
      if (req.action === 'reopen') return { ok: false, refusal: 'not_resolved', handoff: fresh };
      if (fresh.status === 'resolved') return { ok: false, refusal: 'already_resolved', handoff: fresh };
      if (req.action === 'claim' || req.action === 'call_back') return { ok: false, refusal: 'already_claimed', handoff: fresh };
      if (req.action === 'release') return { ok: false, refusal: fresh.status === 'claimed' ? 'not_claimer' : 'not_claimed', handoff: fresh };
      return { ok: false, refusal: 'already_resolved', handoff: fresh };
    }
    const actor = req.actor.kind === 'user' ? req.actor.userId : null;
    const data = { status: updated.status, severity: updated.severity, escalation_level: updated.escalationLevel };
    const extra = { noteId, actor, now, ownerChannel: workflow?.owner_channel ?? '' };
    if (claimedFirst) {
      store.events.append(updated.id, 'handoff.claimed', actor, now, { ...data, trigger: 'call_back' });
      store.outbox.enqueue(updated.id, followUps('claim', updated, workflow?.escalation_channel ?? '', extra).filter((i) => i.kind !== 'slack.update_card'), now);
    }
    const eventSeq = store.events.append(updated.id, EVENT_OF[req.action], actor, now, {
      ...data,
      trigger: req.actor.kind === 'timer' ? 'auto' : 'manual',
      ...(req.action === 'resolve' || req.action === 'outcome' ? { outcome: updated.outcome } : {}),
      ...(noteId !== undefined ? { note_id: noteId } : {}),
    });
    store.outbox.enqueue(updated.id, followUps(req.action, updated, workflow?.escalation_channel ?? '', { ...extra, claimant: current.claimedBy }), now);
    return { ok: true, handoff: updated, eventSeq };
  });
  if (result.ok) deps.onCommitted?.(result, req);
  return result;
}
