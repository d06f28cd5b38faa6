import type { WebClient } from '@slack/web-api';
import type { ActionResult } from '../../actions/action-types.js';
import type { ActionRequest } from '../../actions/perform-action.js';
import type { HandoffConfig } from '../../config/load-config.js';
import type { PairingService } from '../../pairing/pairing.js';
import type { Logger } from '../../observability/logger.js';
import type { Store } from '../../store/store.js';
import type { SlackMessage } from '../cards/blocks.js';

/** What every step may use; the same for buttons, modals and subcommands. */
export interface SlackRouteDeps {
  store: Store;
  config: HandoffConfig;
  clock: () => number;
  logger: Logger;
  pairing: PairingService;
  perform: (req: ActionRequest) => Promise<ActionResult>;
  /** Twilio is configured, so Call back can place calls. */
  callBack?: boolean;
  /** HANDOFF_PUBLIC_URL: where a `link_only` workflow's Details links point (docs/contract/regulated-workflows.md). */
  publicUrl?: string | null;
}

/** A block action (button or select) after the ack. */
export interface ActionInput {
  actionId: string;
  /** The button's `value`, or the selected option's value; for our cards, a handoff id. */
  value: string;
  userId: string;
  triggerId: string;
  /** The raw element Slack sent, for steps that need more than the value. */
  element: Record<string, unknown>;
  client: WebClient;
  /** An ephemeral reply to the clicking user, through the interaction's response_url. */
  reply(text: string): Promise<void>;
}

/** A view_submission: whatever the step returns is the ack body (errors keep the modal open). */
export interface ViewInput {
  callbackId: string;
  userId: string;
  privateMetadata: string;
  values: Record<string, Record<string, { value?: string | null; selected_option?: { value: string } | null }>>;
}
export type ViewAck = { response_action: 'errors'; errors: Record<string, string> } | undefined;

/** `/handoff <subcommand> <args…>`: answered in the ack (Slack's 3 s), ephemerally. */
export interface CommandInput {
  subcommand: string;
  /** The words after the subcommand, as typed. */
  args: string[];
  userId: string;
  now: number;
}

export type ActionStep = (deps: SlackRouteDeps, input: ActionInput) => Promise<void>;
export type ViewStep = (deps: SlackRouteDeps, input: ViewInput) => Promise<ViewAck>;
export type CommandStep = (deps: SlackRouteDeps, input: CommandInput) => SlackMessage | Promise<SlackMessage>;

/** One line of `/handoff help`: `/handoff <example>`: text. */
export interface CommandUsage {
  example: string;
  text: string;
}

export interface CommandRoute {
  step: CommandStep;
  /** What `/handoff help` lists for it; empty keeps a subcommand out of help. */
  usage: CommandUsage[];
}

export interface SlackRouteTable {
  actions: Readonly<Record<string, ActionStep>>;
  views: Readonly<Record<string, ViewStep>>;
  commands: Readonly<Record<string, CommandRoute>>;
}
