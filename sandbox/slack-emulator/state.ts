// The emulated workspace: channels, users, messages (with thread replies),
// ephemerals, modals, and the short-lived trigger ids / response_urls Slack
// hands out. Every change is announced on the change feed (`onChange`), which
// the sandbox page and tests subscribe to.
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import type {
  ChangeEvent,
  EmulatorChannel,
  EmulatorTeam,
  EmulatorUser,
  JsonObject,
  MessageMetadata,
  StoredEphemeral,
  StoredMessage,
  StoredView,
} from './types.js';

export interface BotIdentity {
  userId: string;
  botId: string;
  appId: string;
  name: string;
}

export interface StateOptions {
  clock: () => number;
  team: EmulatorTeam;
  bot: BotIdentity;
  channels: EmulatorChannel[];
  users: EmulatorUser[];
  /** Slack: trigger ids expire 3 s after the interaction. */
  triggerTtlMs: number;
  /** Slack: a response_url works for 30 minutes, at most 5 times. */
  responseUrlTtlMs: number;
  responseUrlMaxUses: number;
}

export interface ResponseUrlTarget {
  channel: string;
  user: string;
  /** The message the interaction came from; `replace_original` edits it. */
  messageTs?: string;
}

interface ResponseUrlEntry extends ResponseUrlTarget {
  expiresAt: number;
  uses: number;
}

export type TriggerCheck = { ok: true; user: string } | { ok: false; error: 'invalid_trigger_id' | 'expired_trigger_id' };
export type ResponseUrlCheck = { ok: true; target: ResponseUrlTarget } | { ok: false; error: 'expired_url' | 'used_url' | 'unknown_url' };

export interface NewMessage {
  channel: string;
  text: string;
  blocks: JsonObject[];
  metadata?: MessageMetadata;
  thread_ts?: string;
}

export interface StateSnapshot {
  team: EmulatorTeam;
  bot: BotIdentity;
  channels: EmulatorChannel[];
  users: EmulatorUser[];
  messages: Record<string, StoredMessage[]>;
  ephemerals: StoredEphemeral[];
  views: StoredView[];
}

function formatTs(micros: number): string {
  const sec = Math.floor(micros / 1_000_000);
  const frac = micros % 1_000_000;
  return `${sec}.${String(frac).padStart(6, '0')}`;
}

export function tsToMicros(ts: string): number {
  const [sec = '0', frac = '0'] = ts.split('.');
  return Number(sec) * 1_000_000 + Number(frac.padEnd(6, '0').slice(0, 6));
}

export class EmulatorState {
  readonly team: EmulatorTeam;
  readonly bot: BotIdentity;
  private readonly clock: () => number;
  private readonly channels = new Map<string, EmulatorChannel>();
  private readonly users = new Map<string, EmulatorUser>();
  private readonly channelsConfigured: boolean;
  private readonly messagesByChannel = new Map<string, StoredMessage[]>();
  private readonly ephemeralList: StoredEphemeral[] = [];
  private readonly viewsById = new Map<string, StoredView>();
  private readonly homeViews = new Map<string, StoredView>();
  private readonly triggers = new Map<string, { user: string; expiresAt: number }>();
  private readonly responseUrls = new Map<string, ResponseUrlEntry>();
  private readonly emitter = new EventEmitter();
  private lastTsMicros = 0;
  private viewCounter = 0;

  constructor(private readonly opts: StateOptions) {
    this.clock = opts.clock;
    this.team = opts.team;
    this.bot = opts.bot;
    for (const c of opts.channels) this.channels.set(c.id, { ...c });
    for (const u of opts.users) this.users.set(u.id, { ...u });
    this.channelsConfigured = opts.channels.length > 0;
    this.emitter.setMaxListeners(0);
  }

  // ---- change feed

  onChange(cb: (event: ChangeEvent) => void): () => void {
    this.emitter.on('change', cb);
    return () => this.emitter.off('change', cb);
  }

  private emit(event: ChangeEvent): void {
    this.emitter.emit('change', event);
  }

  // ---- directory

  /** A channel id for an id or `#name`/`name`; unknown channels exist only when none were configured. */
  resolveChannel(idOrName: string): string | undefined {
    if (this.channels.has(idOrName)) return idOrName;
    const name = idOrName.replace(/^#/, '');
    for (const c of this.channels.values()) if (c.name === name) return c.id;
    if (this.channelsConfigured) return undefined;
    this.channels.set(idOrName, { id: idOrName, name: name });
    return idOrName;
  }

  channel(id: string): EmulatorChannel | undefined {
    return this.channels.get(id);
  }

  listChannels(): EmulatorChannel[] {
    return [...this.channels.values()].map((c) => ({ ...c }));
  }

  user(id: string): EmulatorUser | undefined {
    return this.users.get(id);
  }

  listUsers(): EmulatorUser[] {
    return [...this.users.values()].map((u) => ({ ...u }));
  }

  // ---- time

  /** A unique, strictly increasing Slack timestamp ("1700000000.000100") from the clock. */
  nextTs(): string {
    const micros = Math.max(Math.floor(this.clock() * 1000), this.lastTsMicros + 1);
    this.lastTsMicros = micros;
    return formatTs(micros);
  }

  now(): number {
    return this.clock();
  }

  // ---- messages

  private channelMessages(channel: string): StoredMessage[] {
    let list = this.messagesByChannel.get(channel);
    if (!list) {
      list = [];
      this.messagesByChannel.set(channel, list);
    }
    return list;
  }

  postMessage(input: NewMessage): StoredMessage {
    const message: StoredMessage = {
      type: 'message',
      channel: input.channel,
      ts: this.nextTs(),
      text: input.text,
      blocks: input.blocks,
      user: this.bot.userId,
      bot_id: this.bot.botId,
      app_id: this.bot.appId,
      team: this.team.id,
    };
    if (input.metadata) message.metadata = input.metadata;
    if (input.thread_ts) {
      message.thread_ts = input.thread_ts;
      const parent = this.getMessage(input.channel, input.thread_ts);
      if (parent) {
        parent.thread_ts = parent.ts;
        parent.reply_count = (parent.reply_count ?? 0) + 1;
        parent.latest_reply = message.ts;
      }
    }
    this.channelMessages(input.channel).push(message);
    this.emit({ type: 'message_posted', channel: input.channel, ts: message.ts, message: structuredClone(message) });
    return structuredClone(message);
  }

  getMessage(channel: string, ts: string): StoredMessage | undefined {
    return this.messagesByChannel.get(channel)?.find((m) => m.ts === ts);
  }

  updateMessage(
    channel: string,
    ts: string,
    change: { text?: string; blocks?: JsonObject[]; metadata?: MessageMetadata },
  ): StoredMessage | undefined {
    const message = this.getMessage(channel, ts);
    if (!message) return undefined;
    if (change.text !== undefined) message.text = change.text;
    if (change.blocks !== undefined) message.blocks = change.blocks;
    if (change.metadata !== undefined) message.metadata = change.metadata;
    message.edited = { user: this.bot.userId, ts: this.nextTs() };
    this.emit({ type: 'message_updated', channel, ts, message: structuredClone(message) });
    return structuredClone(message);
  }

  deleteMessage(channel: string, ts: string): boolean {
    const list = this.messagesByChannel.get(channel);
    const i = list?.findIndex((m) => m.ts === ts) ?? -1;
    if (!list || i < 0) return false;
    list.splice(i, 1);
    this.emit({ type: 'message_deleted', channel, ts });
    return true;
  }

  /** Every message of a channel, thread replies included, oldest first. */
  messages(channel: string): StoredMessage[] {
    return structuredClone(this.messagesByChannel.get(channel) ?? []);
  }

  /** What conversations.history sees: top-level messages only, oldest first. */
  topLevel(channel: string): StoredMessage[] {
    return this.messages(channel).filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts);
  }

  /** A thread: the parent then its replies, oldest first. */
  thread(channel: string, ts: string): StoredMessage[] {
    return this.messages(channel).filter((m) => m.ts === ts || m.thread_ts === ts);
  }

  // ---- ephemerals

  postEphemeral(input: Omit<StoredEphemeral, 'ts'>): StoredEphemeral {
    const ephemeral: StoredEphemeral = { ...input, ts: this.nextTs() };
    this.ephemeralList.push(ephemeral);
    this.emit({ type: 'ephemeral', channel: ephemeral.channel, ts: ephemeral.ts, user: ephemeral.user, ephemeral: structuredClone(ephemeral) });
    return structuredClone(ephemeral);
  }

  ephemerals(user?: string): StoredEphemeral[] {
    return structuredClone(this.ephemeralList.filter((e) => user === undefined || e.user === user));
  }

  // ---- triggers and response urls

  issueTrigger(user: string): string {
    const now = this.clock();
    const id = `${Math.floor(now / 1000)}.${Math.floor(now % 1000)}.${randomBytes(16).toString('hex')}`;
    this.triggers.set(id, { user, expiresAt: now + this.opts.triggerTtlMs });
    return id;
  }

  /** A trigger opens one view, within its lifetime. */
  consumeTrigger(id: string): TriggerCheck {
    const entry = this.triggers.get(id);
    if (!entry) return { ok: false, error: 'invalid_trigger_id' };
    this.triggers.delete(id);
    if (this.clock() >= entry.expiresAt) return { ok: false, error: 'expired_trigger_id' };
    return { ok: true, user: entry.user };
  }

  issueResponseUrl(target: ResponseUrlTarget): string {
    const id = randomBytes(16).toString('hex');
    this.responseUrls.set(id, { ...target, expiresAt: this.clock() + this.opts.responseUrlTtlMs, uses: 0 });
    return id;
  }

  useResponseUrl(id: string): ResponseUrlCheck {
    const entry = this.responseUrls.get(id);
    if (!entry) return { ok: false, error: 'unknown_url' };
    if (this.clock() >= entry.expiresAt) return { ok: false, error: 'expired_url' };
    if (entry.uses >= this.opts.responseUrlMaxUses) return { ok: false, error: 'used_url' };
    entry.uses += 1;
    const target: ResponseUrlTarget = { channel: entry.channel, user: entry.user };
    if (entry.messageTs !== undefined) target.messageTs = entry.messageTs;
    return { ok: true, target };
  }

  // ---- views

  openView(user: string, view: JsonObject): StoredView {
    this.viewCounter += 1;
    const id = `V${String(this.viewCounter).padStart(10, '0')}`;
    const stored: StoredView = { id, user, state: 'open', view: this.decorateView(id, view), hash: this.nextHash() };
    this.viewsById.set(id, stored);
    this.emit({ type: 'view_opened', viewId: id, user, view: structuredClone(stored) });
    return structuredClone(stored);
  }

  updateView(id: string, view: JsonObject): StoredView | undefined {
    const stored = this.viewsById.get(id);
    if (!stored) return undefined;
    stored.view = this.decorateView(id, view);
    stored.hash = this.nextHash();
    this.emit({ type: 'view_updated', viewId: id, user: stored.user, view: structuredClone(stored) });
    return structuredClone(stored);
  }

  closeView(id: string): void {
    const stored = this.viewsById.get(id);
    if (!stored || stored.state === 'closed') return;
    stored.state = 'closed';
    this.emit({ type: 'view_closed', viewId: id, user: stored.user });
  }

  /** views.publish: each user has one Home tab view, replaced on every publish. */
  publishHome(user: string, view: JsonObject): StoredView {
    const existing = this.homeViews.get(user);
    this.viewCounter += existing ? 0 : 1;
    const id = existing?.id ?? `V${String(this.viewCounter).padStart(10, '0')}`;
    const stored: StoredView = { id, user, state: 'open', view: this.decorateView(id, view), hash: this.nextHash() };
    this.homeViews.set(user, stored);
    this.emit({ type: 'home_published', viewId: id, user, view: structuredClone(stored) });
    return structuredClone(stored);
  }

  homeView(user: string): StoredView | undefined {
    const v = this.homeViews.get(user);
    return v ? structuredClone(v) : undefined;
  }

  getView(id: string): StoredView | undefined {
    const v = this.viewsById.get(id);
    return v ? structuredClone(v) : undefined;
  }

  findViewByExternalId(externalId: string): StoredView | undefined {
    for (const v of this.viewsById.values()) if (v.view.external_id === externalId) return structuredClone(v);
    return undefined;
  }

  views(filter: { user?: string; state?: 'open' | 'closed' } = {}): StoredView[] {
    return structuredClone(
      [...this.viewsById.values()].filter(
        (v) => (filter.user === undefined || v.user === filter.user) && (filter.state === undefined || v.state === filter.state),
      ),
    );
  }

  private nextHash(): string {
    return `${Math.floor(this.clock() / 1000)}.${randomBytes(6).toString('hex')}`;
  }

  /** The fields Slack adds to a view it stores. */
  private decorateView(id: string, view: JsonObject): JsonObject {
    return {
      ...structuredClone(view),
      id,
      team_id: this.team.id,
      app_id: this.bot.appId,
      bot_id: this.bot.botId,
      private_metadata: typeof view.private_metadata === 'string' ? view.private_metadata : '',
      callback_id: typeof view.callback_id === 'string' ? view.callback_id : '',
      state: { values: {} },
    };
  }

  // ---- snapshot

  snapshot(): StateSnapshot {
    const messages: Record<string, StoredMessage[]> = {};
    for (const id of this.channels.keys()) messages[id] = this.messages(id);
    return {
      team: { ...this.team },
      bot: { ...this.bot },
      channels: this.listChannels(),
      users: this.listUsers(),
      messages,
      ephemerals: this.ephemerals(),
      views: this.views(),
    };
  }
}
