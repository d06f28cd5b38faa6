// Acting as Slack toward the bot: build an interaction, sign it with the
// signing secret and POST it to the bot's /slack/events, then report the
// bot's answer. Trigger ids and response_urls issued here are live in the
// emulator (views.open accepts the trigger; the response_url posts messages).
import { EmulatorError } from './errors.js';
import {
  buildBlockActionPayload,
  buildSlashCommandForm,
  buildViewSubmissionPayload,
  findAction,
  findOption,
  type SlackContext,
  type ViewValues,
} from './payloads.js';
import { signedHeaders } from './signing.js';
import type { EmulatorState } from './state.js';
import type { EmulatorChannel, EmulatorUser, JsonObject } from './types.js';

export interface InteractionDeps {
  state: EmulatorState;
  slack: SlackContext;
  signingSecret: string;
  botEventsUrl: () => string | undefined;
  responseUrl: (id: string) => string;
  fetch: typeof fetch;
  /** Bolt checks the timestamp against its wall clock, so this is not the emulator's message clock. */
  signingClock: () => number;
  /** Slack gives up on an answer after 3 s. */
  ackTimeoutMs: number;
  /** The slash commands the app registered (its manifest); others are refused like Slack does. */
  commands: readonly string[];
}

export interface BotAnswer {
  status: number;
  body: string;
  /** The body parsed as JSON when it is JSON. */
  json?: unknown;
  /** True when the bot did not answer within the ack timeout (Slack shows an error then). */
  timedOut: boolean;
}

export interface SendOverrides {
  /** Send this signature instead of the right one (tests of signature checks). */
  signature?: string;
  /** Sign with this timestamp (seconds) instead of now (tests of replay checks). */
  timestampSec?: number;
}

export interface BlockActionOptions extends SendOverrides {
  user: string;
  channel: string;
  messageTs: string;
  actionId: string;
  /** Defaults to the value of the button in the message. */
  value?: string;
  /** Defaults to the block holding the button. */
  blockId?: string;
  /** For a select or overflow menu: the value of the option the user picks (it must be one of its options). */
  selectedOption?: string;
}

export interface ViewSubmissionOptions extends SendOverrides {
  viewId: string;
  /** Defaults to the user the view was opened for. */
  user?: string;
  values?: ViewValues;
}

export interface SlashCommandOptions extends SendOverrides {
  user: string;
  channel: string;
  text?: string;
  command?: string;
}

export interface ViewSubmissionAnswer extends BotAnswer {
  /** What Slack did with the modal: closed it, kept it open with errors, updated or pushed a view. */
  outcome: 'closed' | 'errors' | 'updated' | 'pushed' | 'cleared' | 'no_answer';
}

export class Interactions {
  private eventCounter = 0;

  constructor(private readonly deps: InteractionDeps) {}

  private user(id: string): EmulatorUser {
    const user = this.deps.state.user(id);
    if (!user) throw new EmulatorError('unknown_user', `no user ${id} in the emulator`);
    return user;
  }

  private channel(id: string): EmulatorChannel {
    const resolved = this.deps.state.resolveChannel(id);
    const channel = resolved === undefined ? undefined : this.deps.state.channel(resolved);
    if (!channel) throw new EmulatorError('unknown_channel', `no channel ${id} in the emulator`);
    return channel;
  }

  private actionTs(): string {
    const ms = this.deps.state.now();
    return `${Math.floor(ms / 1000)}.${String((ms % 1000) * 1000).padStart(6, '0')}`;
  }

  async sendBlockAction(opts: BlockActionOptions): Promise<BotAnswer> {
    const user = this.user(opts.user);
    const channel = this.channel(opts.channel);
    const message = this.deps.state.getMessage(channel.id, opts.messageTs);
    if (!message) throw new EmulatorError('message_not_found', `no message ${opts.messageTs} in ${channel.id}`);
    const where = opts.blockId === undefined ? {} : { blockId: opts.blockId };
    const found = findAction(message.blocks, opts.actionId, { ...where, ...(opts.value === undefined ? {} : { value: opts.value }) }) ?? findAction(message.blocks, opts.actionId, where);
    if (!found && opts.value === undefined) {
      throw new EmulatorError('action_not_found', `no element ${opts.actionId} in message ${opts.messageTs}`);
    }
    const value = opts.value ?? (typeof found?.element.value === 'string' ? found.element.value : undefined);
    let selectedOption: JsonObject | undefined;
    if (opts.selectedOption !== undefined) {
      selectedOption = found ? findOption(found.element, opts.selectedOption) : undefined;
      if (!selectedOption) throw new EmulatorError('option_not_found', `no option ${opts.selectedOption} in ${opts.actionId}`);
    }
    const responseId = this.deps.state.issueResponseUrl({ channel: channel.id, user: user.id, messageTs: message.ts });
    const payload = buildBlockActionPayload(this.deps.slack, {
      user,
      channel,
      message,
      actionId: opts.actionId,
      blockId: opts.blockId ?? found?.blockId ?? '',
      ...(value !== undefined ? { value } : {}),
      ...(found ? { element: found.element } : {}),
      ...(selectedOption ? { selectedOption: structuredClone(selectedOption) } : {}),
      actionTs: this.actionTs(),
      triggerId: this.deps.state.issueTrigger(user.id),
      responseUrl: this.deps.responseUrl(responseId),
    });
    return this.post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), opts);
  }

  async sendViewSubmission(opts: ViewSubmissionOptions): Promise<ViewSubmissionAnswer> {
    const view = this.deps.state.getView(opts.viewId);
    if (!view) throw new EmulatorError('view_not_found', `no view ${opts.viewId}`);
    if (view.state !== 'open') throw new EmulatorError('view_not_open', `view ${opts.viewId} is closed`);
    const user = this.user(opts.user ?? view.user);
    const payload = buildViewSubmissionPayload(this.deps.slack, {
      user,
      view,
      values: opts.values ?? {},
      triggerId: this.deps.state.issueTrigger(user.id),
    });
    const answer = await this.post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), opts);
    return { ...answer, outcome: this.applyViewAnswer(view.id, user.id, answer) };
  }

  async sendSlashCommand(opts: SlashCommandOptions): Promise<BotAnswer> {
    const command = opts.command ?? '/handoff';
    // Slack refuses a command no installed app registered, at once, without calling anyone.
    if (!this.deps.commands.includes(command)) {
      throw new EmulatorError('invalid_command', `${command.slice(0, 40)} is not a valid command. In Slack, all messages that start with the "/" character are interpreted as commands.`);
    }
    const user = this.user(opts.user);
    const channel = this.channel(opts.channel);
    const responseId = this.deps.state.issueResponseUrl({ channel: channel.id, user: user.id });
    const form = buildSlashCommandForm(this.deps.slack, {
      user,
      channel,
      command,
      text: opts.text ?? '',
      triggerId: this.deps.state.issueTrigger(user.id),
      responseUrl: this.deps.responseUrl(responseId),
    });
    return this.post(new URLSearchParams(form).toString(), opts);
  }

  /** An Events API `event_callback` (JSON), as Slack delivers events the app subscribed to. */
  async sendEvent(event: JsonObject, overrides: SendOverrides = {}): Promise<BotAnswer> {
    this.eventCounter += 1;
    const body = {
      token: this.deps.slack.verificationToken,
      team_id: this.deps.slack.team.id,
      api_app_id: this.deps.slack.appId,
      event,
      type: 'event_callback',
      event_id: `Ev${String(this.eventCounter).padStart(10, '0')}`,
      event_time: Math.floor(this.deps.state.now() / 1000),
    };
    return this.post(JSON.stringify(body), overrides, 'application/json');
  }

  /** The user opens the app's Home tab: Slack sends `app_home_opened`. */
  openAppHome(userId: string): Promise<BotAnswer> {
    const user = this.user(userId);
    return this.sendEvent({ type: 'app_home_opened', user: user.id, channel: `D${user.id.slice(1)}`, tab: 'home', event_ts: this.actionTs() });
  }

  /** POST a raw form body to the bot, signed (or mis-signed) as Slack does. */
  async post(rawBody: string, overrides: SendOverrides = {}, contentType = 'application/x-www-form-urlencoded'): Promise<BotAnswer> {
    const url = this.deps.botEventsUrl();
    if (!url) throw new EmulatorError('no_bot_events_url', 'call setBotEventsUrl() first');
    const ts = overrides.timestampSec ?? Math.floor(this.deps.signingClock() / 1000);
    const headers: Record<string, string> = {
      'content-type': contentType,
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      ...signedHeaders(this.deps.signingSecret, ts, rawBody),
    };
    if (overrides.signature !== undefined) headers['x-slack-signature'] = overrides.signature;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.deps.ackTimeoutMs);
    try {
      const res = await this.deps.fetch(url, { method: 'POST', headers, body: rawBody, signal: abort.signal });
      const body = await res.text();
      const answer: BotAnswer = { status: res.status, body, timedOut: false };
      try {
        if (body.length > 0) answer.json = JSON.parse(body);
      } catch {
        // Not JSON: the caller reads `body`.
      }
      return answer;
    } catch (err) {
      if (abort.signal.aborted) return { status: 0, body: '', timedOut: true };
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The user closed a modal (its X or Cancel): Slack forgets it; it does not come back on reload. */
  closeView(viewId: string, userId: string): void {
    const view = this.deps.state.getView(viewId);
    if (!view) throw new EmulatorError('view_not_found', `no view ${viewId}`);
    if (view.user !== userId) throw new EmulatorError('view_not_found', `no view ${viewId} for ${userId}`);
    this.deps.state.closeView(viewId);
  }

  /** Slack's handling of a view_submission ack (response_action). */
  private applyViewAnswer(viewId: string, userId: string, answer: BotAnswer): ViewSubmissionAnswer['outcome'] {
    if (answer.timedOut || answer.status !== 200) return 'no_answer';
    const body = (typeof answer.json === 'object' && answer.json !== null ? answer.json : {}) as JsonObject;
    const view = body.view as JsonObject | undefined;
    switch (body.response_action) {
      case 'errors':
        return 'errors';
      case 'update':
        if (view) this.deps.state.updateView(viewId, view);
        return 'updated';
      case 'push':
        if (view) this.deps.state.openView(userId, view);
        return 'pushed';
      case 'clear':
        for (const v of this.deps.state.views({ user: userId, state: 'open' })) this.deps.state.closeView(v.id);
        return 'cleared';
      default:
        this.deps.state.closeView(viewId);
        return 'closed';
    }
  }
}
