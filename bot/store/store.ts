import type { EventType, Severity } from '../../shared/schemas/enums.js';
import type { Outcome } from '../../shared/schemas/outcome.js';
import type { WorkflowScope } from '../domain/may-act.js';
import type { CommitNotifier } from './notifier.js';
import type { ConnectState, DigestRecord, DueDigest, EventRecord, HandoffRecord, IntakeIssue, NewOutboxItem, OutboxRecord, StatsPeriod } from './records.js';
import type { CallUpdate } from '../domain/merge-call.js';

export type { CallUpdate };

export { isStoreError, StoreError, type StoreErrorCode } from './store-error.js';

/**
 * The bot's only way to its database. Everything outside `bot/store/` uses these interfaces; the
 * SQLite implementation (`sqlite/`) and the PostgreSQL one (`postgres/`) satisfy them. Every
 * method is async so a networked database fits; every state change is one named method that commits
 * the change, its event row and its outbox rows together, then publishes on `commits`. Every method
 * rejects with a StoreError (`duplicate`, `unavailable`, `failed`), whichever engine is underneath.
 */
export interface Store {
  readonly handoffs: HandoffsRepository;
  readonly events: EventsRepository;
  readonly outbox: OutboxRepository;
  readonly idempotency: IdempotencyRepository;
  readonly notes: NotesRepository;
  readonly slackMessages: SlackMessagesRepository;
  readonly reminders: RemindersRepository;
  readonly desktopAuth: DesktopAuthRepository;
  readonly status: StatusQueriesRepository;
  readonly retention: RetentionRepository;
  readonly providerCalls: ProviderCallsRepository;
  readonly callBacks: CallBacksRepository;
  readonly stats: StatsRepository;
  readonly connect: ConnectRepository;
  readonly stormDigests: StormDigestsRepository;
  readonly weeklyDigests: WeeklyDigestsRepository;
  readonly detailsLinks: DetailsLinksRepository;
  /** Published after every commit (and, on a shared database, after other processes' commits). */
  readonly commits: CommitNotifier;
  /** Commits an accepted handoff (row, event, outbox rows, idempotency record) durably, as one unit. */
  accept(unit: AcceptedHandoff): Promise<void>;
  /** Rejects when the database does not answer (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type NewHandoff = Omit<
  HandoffRecord,
  | 'status'
  | 'escalationLevel'
  | 'claimedBy'
  | 'claimedAt'
  | 'resolvedBy'
  | 'resolvedAt'
  | 'lastEscalatedBy'
  | 'lastEscalatedAt'
  | 'lastReleasedBy'
  | 'lastReleasedAt'
  | 'reopenedBy'
  | 'reopenedAt'
  | 'version'
  | 'slackChannel'
  | 'slackTs'
  | 'slackPermalink'
  | 'slackCardVersion'
  | 'remindDueAt'
  | 'severityBeforeEscalation'
  | 'erasedAt'
  | 'outcome'
  | 'firstClaimedAt'
  | 'intakeIssues'
  | 'callSummary'
  | 'callerHungUpAt'
  | 'connect'
>;

export interface NewEvent {
  type: EventType;
  actor: string | null;
  at: number;
  data?: Record<string, unknown>;
}

export interface AcceptedHandoff {
  handoff: NewHandoff;
  event: NewEvent;
  outbox: readonly NewOutboxItem[];
  idempotency: { key: string; bodyHash: string; response: string } | null;
  /** A voice platform's request that did not fit the workflow's fields (names and rules, no values). */
  intakeIssues?: IntakeIssue[] | null;
  /** The platform call this handoff belongs to (one per call and workflow). */
  providerCall?: { platform: string; callId: string } | null;
}

/**
 * What follows a state change, decided from the changed record: its event, its outbox rows and, for a
 * merged platform request, the answer an identical retry replays.
 */
export type FollowUps = (
  updated: HandoffRecord,
  extra: { noteId?: number; claimedFirst?: boolean },
) => {
  /** Events appended before `event` (Call back's own claim). */
  before?: readonly NewEvent[];
  event: NewEvent;
  outbox: readonly NewOutboxItem[];
  idempotency?: { workflowId: string; key: string; bodyHash: string; response: string };
};

/** A committed state change: the record after it and the seq of its event. */
export interface Changed {
  handoff: HandoffRecord;
  eventSeq: number;
}

/**
 * The state changes of a handoff. Each is a conditional UPDATE (null when its condition no longer
 * holds: another click won), committed with the event and outbox rows `followUps` derives from it.
 */
export interface HandoffsRepository {
  get(id: string): Promise<HandoffRecord | null>;
  /** open -> claimed by `who`; its claimer is reminded at `remindDueAt` (`remind_after`) unless it is resolved or released by then. */
  claim(id: string, change: { who: string; now: number; remindDueAt?: number | null }, followUps: FollowUps): Promise<Changed | null>;
  /** claimed by `who` -> open, with a new due time (no more reminders); only while the record is still at `version`. */
  release(id: string, change: { who: string; now: number; dueAt: number | null; version: number }, followUps: FollowUps): Promise<Changed | null>;
  /** resolved -> open as if new (unclaimed, no outcome, its timer due at `dueAt`); only while still at `version`. */
  reopen(id: string, change: { who: string; now: number; dueAt: number | null; version: number }, followUps: FollowUps): Promise<Changed | null>;
  /**
   * One level up, at `severity` (the severity before the first escalation is kept); only while the record is still at `version`, and for the timer
   * (`expectedDueAt` set) only while it is open and still due at the time the timer saw.
   */
  escalate(
    id: string,
    change: { who: string; now: number; severity: Severity; dueAt: number | null; version: number; expectedDueAt: number | null },
    followUps: FollowUps,
  ): Promise<Changed | null>;
  /**
   * Call back: claims an open handoff for `who` (followUps hears `claimedFirst`) or keeps the claim
   * `who` holds; someone else's claim or a resolved handoff changes nothing.
   */
  /** Claims (if open) for a Call back, unless one of this handoff's is queued or was queued after `quietSince` (idempotent per handoff). */
  callBack(id: string, change: { who: string; now: number; remindDueAt?: number | null; quietSince: number }, followUps: FollowUps): Promise<Changed | null>;
  /** Stops the timer of a handoff at the top level (no event): only if still due at `expectedDueAt`. */
  clearDue(id: string, expectedDueAt: number): Promise<void>;
  /** -> resolved with an outcome (no more reminders); a resolve note is stored like an Add note. */
  resolve(id: string, change: { who: string; now: number; outcome: Outcome; note: string | null }, followUps: FollowUps): Promise<Changed | null>;
  /** Amends the outcome of a resolved handoff (with an optional note). */
  recordOutcome(id: string, change: { who: string; now: number; outcome: Outcome; note: string | null }, followUps: FollowUps): Promise<Changed | null>;
  /** Stores a note (personal data) and bumps the handoff's version. */
  addNote(id: string, note: { author: string; text: string; now: number }, followUps: FollowUps): Promise<Changed | null>;
  /**
   * A later request from the same platform call, merged by the caller: applied only while the record is
   * still at `expectedVersion`, so a concurrent change is never overwritten.
   */
  applyCallUpdate(id: string, expectedVersion: number, update: CallUpdate, followUps: FollowUps): Promise<Changed | null>;
  /** The platform says the call is over (call status, summary, hung up before a claim); null when nothing changed. */
  markCallEnded(id: string, change: { summary: string | null; now: number }, followUps: FollowUps): Promise<Changed | null>;
  /** Where the owner card went, and which version of the handoff it shows. */
  setSlackCard(id: string, channel: string, ts: string, version: number): Promise<void>;
  /** A card edit showed `version` (never moves backwards: edits can finish out of order). */
  recordCardVersion(id: string, version: number): Promise<void>;
  setSlackPermalink(id: string, permalink: string): Promise<void>;
  /** The SSRF guard refused the callback URL at send time: no more callbacks for this handoff. */
  disableCallbacks(id: string, reason: string): Promise<void>;
  /** Open handoffs whose escalation is due at `now`, soonest first. */
  dueForEscalation(now: number, limit: number): Promise<{ id: string; escalateDueAt: number }[]>;
  nextEscalationDueAt(): Promise<number | null>;
}

/** The Twilio calls Call back placed (docs/contract/reaching-the-caller.md#call-back), so a retry can tell its own call from another. */
export interface CallBacksRepository {
  recordPlaced(outboxId: number, handoffId: string, callSid: string, at: number): Promise<void>;
  /** Which of `sids` an outbox row already claimed as its own. */
  known(sids: readonly string[]): Promise<Set<string>>;
}

/** Which handoff belongs to which voice-platform call. */
export interface ProviderCallsRepository {
  find(workflowId: string, platform: string, callId: string): Promise<string | null>;
}

export interface EventsRepository {
  forHandoff(handoffId: string): Promise<EventRecord[]>;
  after(seq: number, limit?: number): Promise<EventRecord[]>;
  lastSeq(): Promise<number>;
  /**
   * The latest event (up to `upToSeq`) of each unresolved desktop-relevant handoff, oldest first: what a
   * desktop without a cursor mirrors, paged by `afterSeq`. Events carry no data here; the caller joins
   * the handoff view.
   */
  latestOfUnresolvedRelevant(upToSeq: number, limit: number, afterSeq?: number): Promise<EventRecord[]>;
  /** The latest event of each desktop-relevant handoff that had an event at or before `cursor` and was resolved in (cursor, upToSeq]. */
  latestOfResolvedSince(cursor: number, upToSeq: number, limit: number): Promise<EventRecord[]>;
}

export interface OutboxRepository {
  /**
   * Rows ready to send: unpaced ones oldest first, plus the oldest sendable row of each given pace key.
   * Rows of paused lanes are skipped; only the head of each handoff's lane is ever due.
   */
  due(now: number, limit: number, paceKeys: Iterable<string>, pausedLanes?: readonly string[]): Promise<OutboxRecord[]>;
  /** Pace keys with pending rows (read once at start; later ones come with commits). */
  pendingPaceKeys(): Promise<string[]>;
  get(id: number): Promise<OutboxRecord | null>;
  /**
   * Takes a due row for this process before delivering it, with its pace key's next send slot (`paceMs`
   * from now) when it has one. False when another process has the row or the slot: several processes on
   * one database deliver each row once and keep each channel's pace together. One process per SQLite
   * file: there it always succeeds.
   */
  claim(id: number, paceKey: string | null, now: number, paceMs: number): Promise<boolean>;
  forHandoff(handoffId: string): Promise<OutboxRecord[]>;
  markDone(id: number, now: number): Promise<void>;
  markFailed(id: number, now: number, errorCode: string): Promise<void>;
  retryLater(id: number, at: number, now: number, errorCode: string, countAttempt?: boolean): Promise<void>;
  /** Not sent yet, and no attempt made (its slot went to something more useful): look again at `at`. */
  deferTo(id: number, at: number): Promise<void>;
  /** Records the first attempt time before a call is made (24 h give-up windows, look-up before re-post). */
  markAttemptStarted(id: number, now: number): Promise<void>;
  stats(): Promise<{ depth: number; oldestCreatedAt: number | null }>;
  nextDueAt(): Promise<number | null>;
}

export interface StoredResponse {
  bodyHash: string;
  handoffId: string;
  response: string;
}

export interface IdempotencyRepository {
  get(workflowId: string, key: string): Promise<StoredResponse | null>;
}

export interface NoteRecord {
  author: string;
  text: string | null;
}

/** A note's reply in the card's thread. */
export interface NoteMessage {
  noteId: number;
  /** Null for a note posted before the bot kept where its reply went (found by its metadata then). */
  channel: string | null;
  ts: string | null;
}

export interface NotesRepository {
  get(id: number): Promise<NoteRecord | null>;
  /** Notes whose text is still kept (retention erases it): what the card counts as in the thread. */
  countFor(handoffId: string): Promise<number>;
  /** Where the note's thread reply went (chat.postMessage's answer). */
  recordPosted(id: number, channel: string, ts: string): Promise<void>;
  /** The erased notes of a handoff whose thread reply may still be in Slack. */
  erasedInSlack(handoffId: string): Promise<NoteMessage[]>;
  /** The reply is gone from Slack (deleted, or it never went out). */
  markDeletedFromSlack(id: number, now: number): Promise<void>;
}

export interface SlackMessagesRepository {
  /** The escalation-channel messages of a handoff, by level. */
  escalations(handoffId: string): Promise<{ level: number; channel: string; ts: string }[]>;
  rememberEscalation(handoffId: string, level: number, channel: string, ts: string): Promise<void>;
}

export interface DueClaimReminder {
  id: string;
  workflowId: string;
  /** Where the card is (null before it is posted). */
  slackChannel: string | null;
  remindDueAt: number;
  claimant: string;
}

export interface DueCallBackReminder {
  id: string;
  workflowId: string;
  slackChannel: string | null;
}

/**
 * Reminders (docs/contract/storms-ladder-hours.md#reminders): a claimer whose handoff is still unresolved `remind_after` after the
 * claim, and a caller who hung up waiting before anyone claimed. Each is queued as outbox rows
 * together with the change that marks it queued, so it goes out once, across restarts.
 */
export interface RemindersRepository {
  /** Claimed handoffs whose claimer is due a reminder at `now`, soonest first. */
  dueClaims(now: number, limit: number): Promise<DueClaimReminder[]>;
  /** Open handoffs whose caller hung up waiting and got no call-back reminder yet. */
  dueCallBacks(limit: number): Promise<DueCallBackReminder[]>;
  /**
   * Queues `outbox` and moves the next reminder to `nextDueAt` (null: no more); only while still claimed
   * by `claimant` and due at `expectedDueAt`.
   */
  remindClaimer(id: string, change: { claimant: string; expectedDueAt: number; nextDueAt: number | null; now: number }, outbox: readonly NewOutboxItem[]): Promise<boolean>;
  /** Queues `outbox` as the one call-back reminder of an open handoff whose caller hung up. */
  remindCallBack(id: string, now: number, outbox: readonly NewOutboxItem[]): Promise<boolean>;
  /** When the next reminder falls due (a pending call-back reminder: when the caller hung up). */
  nextDueAt(): Promise<number | null>;
}

/** Desktop pairing codes and bearer tokens; only their hashes are stored. */
export interface DesktopAuthRepository {
  addPairingCode(codeHash: string, userId: string, now: number, expiresAt: number): Promise<void>;
  /** Uses a valid code once and stores the token for its user, in one transaction; null when the code is not valid. */
  exchangeCode(codeHash: string, tokenHash: string, deviceName: string | null, now: number): Promise<{ userId: string } | null>;
  userOfToken(tokenHash: string): Promise<string | null>;
  revokeTokens(userId: string, now: number): Promise<number>;
}

export interface QueueCounts {
  counts: Record<Severity, { open: number; claimed: number; escalated: number }>;
  oldestUnclaimedAt: number | null;
  unresolvedTotal: number;
}

/** Read models for `/handoff status` and `/handoff mine`, over the unresolved handoffs only. */
export interface StatusQueriesRepository {
  /** `scope`: the workflows whose handoffs the asker may see (domain/may-act.ts); the rest are left out of every figure. Default: all. */
  counts(scope?: WorkflowScope): Promise<QueueCounts>;
  unresolved(limit: number, scope?: WorkflowScope): Promise<HandoffRecord[]>;
  /** Filtered before the limit, so handoffs the user may no longer see cannot push visible ones out. */
  mine(userId: string, limit: number, scope?: WorkflowScope): Promise<HandoffRecord[]>;
}

/** Claim-to-connect state of a handoff (docs/contract/reaching-the-caller.md); each change is conditional and commits with its event and card edit. */
export interface ConnectRepository {
  /** The caller waits until `until` (or later, if another request of the call waits longer); only while open. */
  startWaiting(id: string, change: { now: number; until: number }, followUps: FollowUps): Promise<Changed | null>;
  /** Ends the wait (`timed_out` only once its time has passed); null when no wait was on. */
  endWaiting(id: string, change: { state: ConnectState; user: string | null; now: number }, followUps: FollowUps): Promise<Changed | null>;
  /** Waits whose time passed: after a restart nobody holds their request any more. */
  expired(now: number, limit?: number): Promise<string[]>;
}

/** The figures of `/handoff stats` (docs/contract/outcomes.md#stats). */
export interface StatsRepository {
  /** Figures per workflow and reason for handoffs received in [from, to), of these workflows only. */
  period(from: number, to: number, workflowIds: readonly string[]): Promise<StatsPeriod>;
}

/** The digest messages of storm-safe delivery and which handoffs each lists. */
export interface StormDigestsRepository {
  /**
   * Handoffs whose card waits in `paceKey`'s queue and that no digest lists yet, in the order their
   * cards will go out (urgent first, then oldest).
   */
  waitingUndigested(paceKey: string, limit: number): Promise<string[]>;
  /** A new digest listing `handoffIds` (in that order), in one transaction; returns it. */
  create(channel: string, handoffIds: readonly string[], now: number): Promise<DigestRecord>;
  get(id: number): Promise<DigestRecord | null>;
  /** Digests of `channel` created but not known to be posted (a crash may have come between). */
  unposted(channel: string): Promise<DigestRecord[]>;
  /** Posted digests whose rows may still change. */
  open(): Promise<DigestRecord[]>;
  markAttempted(id: number, now: number): Promise<void>;
  markPosted(id: number, ts: string, renderedHash: string): Promise<void>;
  recordPermalink(id: number, permalink: string): Promise<void>;
  /** The digest now shows `renderedHash`; `closedAt` when nothing on it can change any more. */
  markRendered(id: number, renderedHash: string, closedAt: number | null): Promise<void>;
  /** The handoffs a digest lists, in its order. */
  entries(digestId: number): Promise<HandoffRecord[]>;
  /** The posted digest that lists a handoff, if any. */
  digestOf(handoffId: string): Promise<DigestRecord | null>;
}

/** The weekly digest's durable schedule: a row per week, claimed once, retried until posted. */
export interface WeeklyDigestsRepository {
  /** True only for the one caller that created the week's row: every later tick, restart or process sees it taken. */
  claimWeek(weekStart: number, channel: string, now: number): Promise<boolean>;
  due(now: number): Promise<DueDigest[]>;
  markPosted(weekStart: number, ts: string): Promise<boolean>;
  retryLater(weekStart: number, at: number, errorCode: string): Promise<void>;
}

export interface ErasureCounts {
  handoffs: number;
  notes: number;
  idempotencyKeys: number;
}

export interface RetentionRepository {
  /**
   * Erases the personal data of handoffs resolved before `resolvedBefore` and drops idempotency
   * records older than `keysBefore`, in one transaction; for each erased handoff, what `followUps`
   * derives from the erased record (its event, card update, note deletions) commits with it, as for
   * every other change.
   */
  erase(resolvedBefore: number, keysBefore: number, now: number, followUps: FollowUps): Promise<ErasureCounts>;
}

/** A Details link to store: only the hash of its token (docs/contract/regulated-workflows.md). */
export interface NewDetailsLink {
  tokenHash: string;
  handoffId: string;
  /** The Slack user who clicked Details: the timeline names them when the link is opened. */
  userId: string;
  now: number;
  expiresAt: number;
}

/** A Details link that may be shown now. */
export interface DetailsLinkUse {
  handoffId: string;
  userId: string;
  expiresAt: number;
  /** This request opened it (and bound it to its browser); false for a reload in that browser. */
  first: boolean;
}

/** docs/contract/regulated-workflows.md: the Details page's single-use links. */
export interface DetailsLinksRepository {
  /** Stores a new link; links expired more than a day ago go with the same commit. */
  issue(link: NewDetailsLink): Promise<void>;
  /**
   * Lets a browser in: the first open binds the link to `browserHash` and records `handoff.details_viewed`
   * (the link's user, no data) in the same transaction; later, only the browser it is bound to, until it
   * expires. Null for anything else (unknown, expired, opened by another browser).
   */
  open(tokenHash: string, browserHash: string, now: number): Promise<DetailsLinkUse | null>;
}
