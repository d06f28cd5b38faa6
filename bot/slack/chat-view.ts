import type { ChatData } from '../config/config-schema.js';
import type { HandoffConfig } from '../config/load-config.js';
import { dialDecisionFor, type DialDecision } from '../domain/dial-policy.js';
import type { HandoffRecord } from '../store/records.js';

/** The caller's data as Slack may hold it (docs/contract/config.md#sensitive-fields): only for a `full` workflow, only until retention erases it. */
export interface ChatPersonal {
  /** The caller id; '' when the call gave none. */
  caller: string;
  /** Every stored structured field, sensitive ones included: the card filters, the Details modal shows all. */
  fields: Readonly<Record<string, unknown>>;
  /** What the agent was told to say to the caller. */
  toldCaller: string | null;
  /** The voice platform's own summary of the call. */
  platformSummary: string | null;
}

/** What a handoff's record holds about the caller: none of it passes except through `personal`. */
type PersonalKey = 'callerId' | 'structuredFields' | 'callerMessage' | 'callSummary' | 'webhookUrl';

declare const chatViewBrand: unique symbol;

/**
 * A handoff as it may leave for Slack: every card, escalation card, digest row, thread reply, modal,
 * ephemeral answer, App Home list and `/handoff` answer is built from this, never from the stored
 * record (a test reads `bot/slack/` and `bot/stats/` for the record's personal keys). The brand means
 * only `chatView` makes one.
 */
export type ChatHandoff = Readonly<Omit<HandoffRecord, PersonalKey>> & {
  readonly [chatViewBrand]: true;
  readonly chatData: ChatData;
  /** Null when the workflow keeps caller data off Slack (`withheld`) or retention erased it (`erasedAt`). */
  readonly personal: ChatPersonal | null;
  /** `link_only`: the caller's data stays on the bot's server; Details opens a link to it. */
  readonly withheld: boolean;
  /**
   * Whether Call back may dial the caller (domain/dial-policy.ts); the number itself is never here, and a
   * withheld caller's country code neither.
   */
  readonly dial: DialDecision;
  /** The SSRF guard refused the handoff's `webhook_url`: no status callbacks for it. */
  readonly callbacksOff: boolean;
};

/**
 * The one place that decides what of a handoff may go to Slack (docs/contract/regulated-workflows.md). `link_only` lets
 * through the workflow, reason, severity, state, who acted and when, and nothing about the caller. A
 * handoff whose workflow left the config is treated as `link_only`: nothing says any more that its
 * caller data may go to Slack.
 */
export function chatView(h: HandoffRecord, config: HandoffConfig): ChatHandoff {
  const { callerId, structuredFields, callerMessage, callSummary, webhookUrl, ...metadata } = h;
  const chatData: ChatData = config.workflows.get(h.workflowId)?.chat_data ?? 'link_only';
  const withheld = chatData === 'link_only';
  const personal: ChatPersonal | null =
    withheld || h.erasedAt !== null
      ? null
      : { caller: callerId ?? '', fields: structuredFields ?? {}, toldCaller: callerMessage, platformSummary: callSummary };
  return {
    ...metadata,
    chatData,
    personal,
    withheld,
    dial: withheldDial(dialDecisionFor(config, h.workflowId, callerId), withheld),
    // A voice platform's handoff has no webhook at all: it hears back in its own answer, nothing was refused.
    callbacksOff: !h.callbacksEnabled && webhookUrl !== null,
  } as ChatHandoff;
}

/** A refused number's country code is part of the number: a withheld caller's is left out. */
function withheldDial(decision: DialDecision, withheld: boolean): DialDecision {
  return withheld && !decision.ok ? { ...decision, countryCode: null } : decision;
}
