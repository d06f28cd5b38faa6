import type * as slack from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { HandoffConfig } from '../config/load-config.js';
import type { Metrics } from '../observability/metrics.js';
import { backoffMs, OUTBOX_BACKOFF } from '../../shared/backoff.js';
import { pauseFamilyOf } from '../outbox/worker.js';
import type { DeliveryHandlers, DeliveryOutcome } from '../outbox/outcome.js';
import type { HandoffRecord, OutboxRecord } from '../store/records.js';
import type { CardInput } from './cards/card-input.js';
import type { Store } from '../store/store.js';
import { toCardInput } from './card-model.js';
import { chatView } from './chat-view.js';
import { buildEscalationCard, buildEscalationPage } from './cards/escalation-card.js';
import { buildCallBackReminder, buildClaimReminder } from './cards/reminders.js';
import { levelAt, mentionFor, placePage } from '../domain/ladder.js';
import { SEVERITIES, type Severity } from '../../shared/schemas/enums.js';
import { buildHandoffCard, handoffCardMetadata } from './cards/handoff-card.js';
import { buildClaimantNotice } from './cards/claimant-notice.js';
import { buildNoteReply } from './cards/note-modal.js';
import { DIGEST_MAX_ROWS, digestMetadata } from './cards/digest.js';
import { renderDigest } from './digest-model.js';
import { classifySlackError } from './slack-errors.js';
import { shouldPostDigest } from './storm-policy.js';

export interface SlackDeliveryDeps {
  store: Store;
  config: HandoffConfig;
  client: WebClient;
  clock: () => number;
  metrics: Metrics;
  random?: () => number;
  /** Twilio is configured: cards offer Call back (docs/contract/reaching-the-caller.md#call-back). */
  callBack?: boolean;
  /** Storm-safe delivery: the channel pace the outbox keeps, and how long a card may be left waiting before a digest lists it. */
  storm?: { paceMs: number; digestAfterMs: number };
  /** A card or digest went out: the digests that list it may need an edit. */
  onPosted?: () => void;
}

function severityOrNull(value: unknown): Severity | null {
  return (SEVERITIES as readonly unknown[]).includes(value) ? (value as Severity) : null;
}

/** One message per channel: a later level paged in an earlier card's thread, so that card shows the highest. */
function escalationCards(rows: readonly { level: number; channel: string; ts: string }[]): { level: number; channel: string; ts: string }[] {
  const byTs = new Map<string, { level: number; channel: string; ts: string }>();
  for (const m of rows) if ((byTs.get(m.ts)?.level ?? 0) < m.level) byTs.set(m.ts, m);
  return [...byTs.values()];
}

type Metadata = slack.MessageMetadata & { event_payload: Record<string, string | number> };

/** A message as conversations.history / conversations.replies return it: only its metadata is read. */
type FoundMessage = { metadata?: { event_type?: string; event_payload?: Record<string, unknown> } };

function matches(message: FoundMessage, wanted: Metadata): boolean {
  if (message.metadata?.event_type !== wanted.event_type) return false;
  const payload = message.metadata.event_payload ?? {};
  return Object.entries(wanted.event_payload).every(([k, v]) => String(payload[k]) === String(v));
}

/**
 * Delivers the Slack rows of the outbox. chat.postMessage has no idempotency key, so a post that
 * may have happened before a crash (the row has a first attempt) is first looked up by its message
 * metadata; the attempt is recorded durably before each call.
 */
export function createSlackDelivery(deps: SlackDeliveryDeps): DeliveryHandlers {
  const { store, config, client } = deps;
  const notesCount = (handoffId: string): Promise<number> => store.notes.countFor(handoffId);
  /** What every card and escalation card shows: the handoff's chat view (docs/contract/regulated-workflows.md), never the stored record. */
  const cardInputOf = async (h: HandoffRecord): Promise<CardInput> =>
    toCardInput(chatView(h, config), config, deps.clock(), await notesCount(h.id), { callBack: deps.callBack });

  function failure(method: string, err: unknown, item: OutboxRecord): DeliveryOutcome {
    const c = classifySlackError(err);
    deps.metrics.slackApiErrors.inc({ method, class: c.class });
    switch (c.class) {
      case 'rate_limited':
        // Slack limits per method: a 429 on a post holds every post (per channel or per workspace, the
        // answer does not say), one on chat.update holds card edits; neither holds the other.
        return { type: 'retry', code: c.code, afterMs: c.retryAfterMs ?? 1000, countAttempt: false, pauseKey: item.paceKey ? pauseFamilyOf(item.paceKey) : 'slack' };
      case 'auth':
        return { type: 'retry', code: c.code, afterMs: 60_000 };
      case 'permanent':
        return { type: 'give_up', code: c.code };
      default:
        return { type: 'retry', code: c.code, afterMs: backoffMs(item.attempts, OUTBOX_BACKOFF, deps.random) };
    }
  }

  async function findPosted(channel: string, oldestMs: number, wanted: Metadata, threadTs?: string): Promise<string | null> {
    let cursor: string | undefined;
    for (let page = 0; page < 20; page++) {
      const res = threadTs
        ? await client.conversations.replies({ channel, ts: threadTs, include_all_metadata: true, limit: 200, cursor })
        : await client.conversations.history({ channel, oldest: String(Math.floor(oldestMs / 1000) - 60), include_all_metadata: true, limit: 200, cursor });
      const found = (res.messages ?? []).find((m) => matches(m, wanted));
      if (found?.ts) return found.ts;
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!cursor) return null;
    }
    return null;
  }

  type PostArgs = { channel: string; text: string; blocks: (slack.KnownBlock | slack.Block)[]; metadata: Metadata; thread_ts?: string };
  const rowAttempt = (item: OutboxRecord) => ({ attempted: item.firstAttemptAt !== null, mark: () => store.outbox.markAttemptStarted(item.id, deps.clock()) });

  /** Posts once: looks the message up first when an earlier attempt may have reached Slack. */
  async function postOnce(attempt: { attempted: boolean; mark: () => Promise<void> }, args: PostArgs, since: number): Promise<string> {
    if (attempt.attempted) {
      try {
        const ts = await findPosted(args.channel, since, args.metadata, args.thread_ts);
        if (ts) return ts;
      } catch (err) {
        const c = classifySlackError(err);
        deps.metrics.slackApiErrors.inc({ method: args.thread_ts ? 'conversations.replies' : 'conversations.history', class: c.class });
        // Slack down or rate-limited: look again later. The look-up itself refused (the bot is not a
        // member of the channel, a missing scope): post anyway; a rare duplicate beats a lost card.
        if (c.class === 'transient' || c.class === 'rate_limited') throw err;
      }
    }
    await attempt.mark();
    const res = await client.chat.postMessage({
      channel: args.channel,
      text: args.text,
      blocks: args.blocks,
      metadata: args.metadata,
      unfurl_links: false,
      unfurl_media: false,
      ...(args.thread_ts ? { thread_ts: args.thread_ts } : {}),
    });
    return res.ts as string;
  }

  async function rememberPermalink(channel: string, ts: string, save: (permalink: string) => Promise<void>): Promise<void> {
    try {
      const link = await client.chat.getPermalink({ channel, message_ts: ts });
      if (link.permalink) await save(link.permalink);
    } catch (err) {
      deps.metrics.slackApiErrors.inc({ method: 'chat.getPermalink', class: classifySlackError(err).class });
    }
  }

  /**
   * Spends the channel's post slot on a digest when one is due: one left unposted (its rows are
   * promised already), or a new one when the cards still to post would keep the last waiting too
   * long. Returns whether it posted; throws what Slack throws.
   */
  async function postDigestIfDue(channel: string, paceKey: string): Promise<boolean> {
    let digest = (await store.stormDigests.unposted(channel))[0] ?? null;
    if (!digest && deps.storm) {
      const waiting = await store.stormDigests.waitingUndigested(paceKey, DIGEST_MAX_ROWS);
      if (shouldPostDigest(waiting.length, deps.storm.paceMs, deps.storm.digestAfterMs)) digest = await store.stormDigests.create(channel, waiting, deps.clock());
    }
    if (!digest) return false;
    const { id } = digest;
    const rendered = renderDigest(digest, await store.stormDigests.entries(id), config);
    const ts = await postOnce(
      { attempted: digest.attemptedAt !== null, mark: () => store.stormDigests.markAttempted(id, deps.clock()) },
      { channel, ...rendered.message, metadata: digestMetadata(id) },
      digest.createdAt,
    );
    await store.stormDigests.markPosted(id, ts, rendered.hash);
    await rememberPermalink(channel, ts, (permalink) => store.stormDigests.recordPermalink(id, permalink));
    deps.onPosted?.();
    return true;
  }

  /**
   * Edits one escalation card to the handoff's state at `m.level`; a retry outcome, or null when done
   * (a deleted or archived escalation message must not hold the owner card's updates back).
   */
  async function editEscalationCard(h: HandoffRecord, input: CardInput, m: { level: number; channel: string; ts: string }, item: OutboxRecord): Promise<DeliveryOutcome | null> {
    const escalation = buildEscalationCard({
      ...input,
      escalationMention: levelAt(config.workflows.get(h.workflowId)?.ladder ?? [], m.level)?.mention ?? null,
      level: m.level,
      escalatedBy: h.lastEscalatedBy,
      permalink: h.slackPermalink,
      raisedFrom: h.severityBeforeEscalation,
    });
    try {
      await client.chat.update({ channel: m.channel, ts: m.ts, text: escalation.text, blocks: escalation.blocks });
      return null;
    } catch (err) {
      const outcome = failure('chat.update', err, item);
      return outcome.type === 'give_up' ? null : outcome;
    }
  }

  return {
    async 'slack.post_card'(item) {
      const h = await store.handoffs.get(item.handoffId);
      if (!h) return { type: 'give_up', code: 'handoff_missing' };
      if (h.slackTs) return { type: 'done' };
      const workflow = config.workflows.get(h.workflowId);
      if (!workflow) return { type: 'give_up', code: 'workflow_missing' };
      // The channel routing chose at intake (business hours may send it elsewhere than owner_channel).
      const channel = typeof item.payload.channel === 'string' ? item.payload.channel : workflow.owner_channel;
      try {
        if (await postDigestIfDue(channel, item.paceKey ?? `slack:${channel}`)) return { type: 'defer', afterMs: 0, paceUsed: true };
      } catch (err) {
        return failure('chat.postMessage', err, item);
      }
      const card = buildHandoffCard(await cardInputOf(h));
      let ts: string;
      try {
        ts = await postOnce(rowAttempt(item), { channel, ...card, metadata: handoffCardMetadata(h.id) }, h.receivedAt);
      } catch (err) {
        return failure('chat.postMessage', err, item);
      }
      await store.handoffs.setSlackCard(h.id, channel, ts, h.version);
      await rememberPermalink(channel, ts, (permalink) => store.handoffs.setSlackPermalink(h.id, permalink));
      deps.onPosted?.();
      return { type: 'done' };
    },

    async 'slack.update_card'(item) {
      const h = await store.handoffs.get(item.handoffId);
      if (!h || !h.slackTs || !h.slackChannel) return { type: 'done' };
      // Posted (or last edited) after this change: the card already shows it, and chat.update is scarce.
      if (h.slackCardVersion !== null && h.slackCardVersion >= h.version) return { type: 'done' };
      const input = await cardInputOf(h);
      const card = buildHandoffCard(input);
      try {
        await client.chat.update({ channel: h.slackChannel, ts: h.slackTs, text: card.text, blocks: card.blocks });
      } catch (err) {
        return failure('chat.update', err, item);
      }
      // The escalation-channel messages show the same state and buttons, so a claim there is not stale.
      for (const m of escalationCards(await store.slackMessages.escalations(h.id))) {
        const outcome = await editEscalationCard(h, input, m, item);
        if (outcome) return outcome;
      }
      await store.handoffs.recordCardVersion(h.id, h.version);
      // This row is the handoff's one pending edit (a change meanwhile queued none): when the handoff
      // moved while it was drawn, it goes again at the next slot of the pace, with the latest state.
      const now = await store.handoffs.get(h.id);
      if (now && now.version > h.version) return { type: 'retry', code: 'card_moved', afterMs: 0, countAttempt: false };
      return { type: 'done' };
    },

    async 'slack.post_escalation'(item) {
      const h = await store.handoffs.get(item.handoffId);
      if (!h) return { type: 'give_up', code: 'handoff_missing' };
      const workflow = config.workflows.get(h.workflowId);
      if (!workflow) return { type: 'give_up', code: 'workflow_missing' };
      // Resolved before the page went out (Slack was slow or down): nobody needs paging any more.
      if (h.status === 'resolved') return { type: 'done' };
      const p = item.payload;
      const level = Number(p.level ?? h.escalationLevel);
      const rung = levelAt(workflow.ladder, level);
      // Fixed when it escalated (the rung of the routing then in force: after hours, the after_hours ladder's).
      const levelChannel = 'channel' in p ? (typeof p.channel === 'string' && p.channel ? p.channel : null) : (rung?.channel ?? null);
      const page = {
        level,
        mention: 'mention' in p ? (typeof p.mention === 'string' ? p.mention : null) : (rung?.mention ?? null),
        escalatedBy: typeof p.by === 'string' ? p.by : h.lastEscalatedBy,
        raisedFrom: severityOrNull(p.raised_from),
        severity: severityOrNull(p.severity) ?? h.severity,
      };
      const place = placePage(levelChannel, { channel: h.slackChannel, ts: h.slackTs, ownerChannel: workflow.owner_channel }, await store.slackMessages.escalations(h.id));
      const metadata = { event_type: 'handoff_escalation', event_payload: { handoff_id: h.id, level } };
      try {
        if (place.kind === 'new_card') {
          const input = await cardInputOf(h);
          const card = buildEscalationCard({ ...input, ...page, escalationMention: page.mention, permalink: h.slackPermalink });
          const ts = await postOnce(rowAttempt(item), { channel: place.channel, ...card, metadata }, item.createdAt);
          await store.slackMessages.rememberEscalation(h.id, level, place.channel, ts);
        } else {
          // The channel already shows this handoff: page in that message's thread, no second card.
          const reply = buildEscalationPage({ ...page, handoffId: h.id, status: h.status });
          await postOnce(rowAttempt(item), { channel: place.channel, ...reply, thread_ts: place.ts, metadata }, item.createdAt);
          if (place.kind === 'escalation_thread') {
            // That card now stands for this level too; edited here, since a card update may already have run.
            await store.slackMessages.rememberEscalation(h.id, level, place.channel, place.ts);
            const input = await cardInputOf(h);
            const outcome = await editEscalationCard(h, input, { level, channel: place.channel, ts: place.ts }, item);
            if (outcome) return outcome;
          }
        }
        return { type: 'done' };
      } catch (err) {
        return failure('chat.postMessage', err, item);
      }
    },

    async 'slack.remind'(item) {
      const h = await store.handoffs.get(item.handoffId);
      if (!h) return { type: 'done' };
      const p = item.payload;
      let message;
      if (p.reminder === 'claim') {
        // Resolved, released or claimed by someone else since: this reminder has nobody to remind.
        if (h.status !== 'claimed' || typeof p.claimant !== 'string' || h.claimedBy !== p.claimant) return { type: 'done' };
        message = buildClaimReminder({ claimant: p.claimant, claimedAt: h.claimedAt });
      } else {
        if (h.status !== 'open') return { type: 'done' };
        message = buildCallBackReminder({ mention: mentionFor(config.workflows.get(h.workflowId)?.ladder ?? [], h.escalationLevel), hungUpAt: h.callerHungUpAt });
      }
      if (!h.slackTs || !h.slackChannel) return { type: 'give_up', code: 'card_not_posted' };
      try {
        await postOnce(
          rowAttempt(item),
          { channel: h.slackChannel, ...message, thread_ts: h.slackTs, metadata: { event_type: 'handoff_reminder', event_payload: { handoff_id: h.id, outbox_id: item.id } } },
          item.createdAt,
        );
        return { type: 'done' };
      } catch (err) {
        return failure('chat.postMessage', err, item);
      }
    },

    async 'slack.tell_claimant'(item) {
      const h = await store.handoffs.get(item.handoffId);
      if (!h) return { type: 'done' };
      if (!h.slackTs || !h.slackChannel) return { type: 'give_up', code: 'card_not_posted' };
      const p = item.payload;
      const notice = buildClaimantNotice({
        claimant: String(p.claimant),
        actor: typeof p.actor === 'string' ? p.actor : null,
        action: String(p.action),
        level: Number(p.level ?? h.escalationLevel),
      });
      try {
        await postOnce(
          rowAttempt(item),
          { channel: h.slackChannel, ...notice, thread_ts: h.slackTs, metadata: { event_type: 'handoff_claimant_notice', event_payload: { handoff_id: h.id, outbox_id: item.id } } },
          item.createdAt,
        );
        return { type: 'done' };
      } catch (err) {
        return failure('chat.postMessage', err, item);
      }
    },

    async 'slack.post_note'(item) {
      const h = await store.handoffs.get(item.handoffId);
      const noteId = Number(item.payload.note_id);
      const note = await store.notes.get(noteId);
      if (!h || !note || note.text === null) return { type: 'done' };
      if (!h.slackTs || !h.slackChannel) return { type: 'give_up', code: 'card_not_posted' };
      const reply = buildNoteReply(note.author, note.text);
      let ts: string;
      try {
        ts = await postOnce(rowAttempt(item), { channel: h.slackChannel, ...reply, thread_ts: h.slackTs, metadata: noteMetadata(h.id, noteId) }, item.createdAt);
      } catch (err) {
        return failure('chat.postMessage', err, item);
      }
      // Retention deletes the reply with the note; this row and that one share the handoff's lane, so
      // the deletion never runs before this is recorded.
      await store.notes.recordPosted(noteId, h.slackChannel, ts);
      return { type: 'done' };
    },

    /**
     * Retention erased the notes: their thread replies are deleted (a bot token may chat.delete the
     * messages it posted). Each deletion is recorded, so a retry after an outage or a crash goes on
     * with the rest; a reply already gone (deleted in Slack, channel archived) counts as deleted.
     */
    async 'slack.delete_notes'(item) {
      const h = await store.handoffs.get(item.handoffId);
      if (!h) return { type: 'done' };
      for (const m of await store.notes.erasedInSlack(h.id)) {
        let where: { channel: string; ts: string } | null = m.channel && m.ts ? { channel: m.channel, ts: m.ts } : null;
        if (!where && h.slackChannel && h.slackTs) {
          // Posted before the bot kept where replies went: its metadata names it in the card's thread.
          try {
            const ts = await findPosted(h.slackChannel, 0, noteMetadata(h.id, m.noteId), h.slackTs);
            where = ts ? { channel: h.slackChannel, ts } : null;
          } catch (err) {
            const outcome = failure('conversations.replies', err, item);
            if (outcome.type !== 'give_up') return outcome;
          }
        }
        if (where) {
          try {
            await client.chat.delete({ channel: where.channel, ts: where.ts });
          } catch (err) {
            const outcome = failure('chat.delete', err, item);
            if (outcome.type !== 'give_up') return outcome;
          }
        }
        await store.notes.markDeletedFromSlack(m.noteId, deps.clock());
      }
      return { type: 'done' };
    },
  };
}

function noteMetadata(handoffId: string, noteId: number): Metadata {
  return { event_type: 'handoff_note', event_payload: { handoff_id: handoffId, note_id: noteId } };
}
