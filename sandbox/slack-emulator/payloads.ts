// Pure builders of what Slack sends to an app's Request URL: the
// block_actions and view_submission payloads and the slash command form,
// field for field as Slack's interaction reference describes them.
import type { EmulatorChannel, EmulatorTeam, EmulatorUser, JsonObject, StoredMessage, StoredView } from './types.js';

export interface SlackContext {
  team: EmulatorTeam;
  appId: string;
  verificationToken: string;
}

export interface FoundAction {
  blockId: string;
  element: JsonObject;
}

/**
 * The interactive element with this action_id in a message's blocks (actions blocks and section
 * accessories); `where` narrows it to one block or to the element carrying a value (a digest holds
 * one Claim button per handoff, each with the same action_id).
 */
export function findAction(blocks: JsonObject[], actionId: string, where: { blockId?: string; value?: string } = {}): FoundAction | undefined {
  for (const block of blocks) {
    const blockId = typeof block.block_id === 'string' ? block.block_id : '';
    if (where.blockId !== undefined && blockId !== where.blockId) continue;
    const candidates: unknown[] = [];
    if (Array.isArray(block.elements)) candidates.push(...block.elements);
    if (block.accessory !== undefined) candidates.push(block.accessory);
    for (const el of candidates) {
      if (typeof el !== 'object' || el === null || Array.isArray(el)) continue;
      if (where.value !== undefined && (el as JsonObject).value !== where.value) continue;
      if ((el as JsonObject).action_id === actionId) {
        return { blockId, element: el as JsonObject };
      }
    }
  }
  return undefined;
}

/** Every interactive element with this action_id in a message's blocks, in order. */
export function allActions(blocks: JsonObject[], actionId: string): FoundAction[] {
  const out: FoundAction[] = [];
  for (const block of blocks) {
    const blockId = typeof block.block_id === 'string' ? block.block_id : '';
    const candidates: unknown[] = [...(Array.isArray(block.elements) ? block.elements : []), ...(block.accessory !== undefined ? [block.accessory] : [])];
    for (const el of candidates) {
      if (typeof el === 'object' && el !== null && !Array.isArray(el) && (el as JsonObject).action_id === actionId) out.push({ blockId, element: el as JsonObject });
    }
  }
  return out;
}

function userObject(ctx: SlackContext, user: EmulatorUser): JsonObject {
  return { id: user.id, username: user.name, name: user.name, team_id: ctx.team.id };
}

function teamObject(ctx: SlackContext): JsonObject {
  return { id: ctx.team.id, domain: ctx.team.domain };
}

export interface BlockActionInput {
  user: EmulatorUser;
  channel: EmulatorChannel;
  message: StoredMessage;
  actionId: string;
  blockId: string;
  value?: string;
  element?: JsonObject;
  /** A select's or overflow's chosen option (one of the element's options). */
  selectedOption?: JsonObject;
  actionTs: string;
  triggerId: string;
  responseUrl: string;
}

export function buildBlockActionPayload(ctx: SlackContext, input: BlockActionInput): JsonObject {
  const type = typeof input.element?.type === 'string' ? input.element.type : 'button';
  const action: JsonObject = { action_id: input.actionId, block_id: input.blockId, type, action_ts: input.actionTs };
  if (input.element?.text !== undefined) action.text = input.element.text;
  if (input.value !== undefined) action.value = input.value;
  if (input.element?.style !== undefined) action.style = input.element.style;
  const values: JsonObject = {};
  if (input.selectedOption !== undefined) {
    action.selected_option = input.selectedOption;
    if (input.element?.placeholder !== undefined) action.placeholder = input.element.placeholder;
    // Slack reports the message's input state too: the select with its new selection.
    values[input.blockId] = { [input.actionId]: { type, selected_option: input.selectedOption } };
  }
  const message = structuredClone(input.message) as unknown as JsonObject;
  delete message.channel;
  return {
    type: 'block_actions',
    user: userObject(ctx, input.user),
    api_app_id: ctx.appId,
    token: ctx.verificationToken,
    container: { type: 'message', message_ts: input.message.ts, channel_id: input.channel.id, is_ephemeral: false },
    trigger_id: input.triggerId,
    team: teamObject(ctx),
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: input.channel.id, name: input.channel.name },
    message,
    state: { values },
    response_url: input.responseUrl,
    actions: [action],
  };
}

/** The option with this value among a select's `options` (or `option_groups`) or an overflow's. */
export function findOption(element: JsonObject, value: string): JsonObject | undefined {
  const groups = Array.isArray(element.option_groups) ? (element.option_groups as JsonObject[]) : [];
  const options = [element.options, ...groups.map((g) => g.options)].flatMap((list) => (Array.isArray(list) ? (list as JsonObject[]) : []));
  return options.find((o) => o.value === value);
}

/** Field values as tests write them: a string for text inputs, or Slack's own value object. */
export type ViewValues = Record<string, Record<string, string | JsonObject>>;

const TEXT_INPUTS = new Set(['plain_text_input', 'email_text_input', 'url_text_input', 'number_input']);

function elementType(view: JsonObject, blockId: string, actionId: string): string {
  const blocks = Array.isArray(view.blocks) ? (view.blocks as JsonObject[]) : [];
  for (const b of blocks) {
    const el = b.element as JsonObject | undefined;
    if (b.block_id === blockId && el && el.action_id === actionId && typeof el.type === 'string') return el.type;
  }
  return 'plain_text_input';
}

/** Slack's `view.state.values` from test-friendly values. */
export function buildStateValues(view: JsonObject, values: ViewValues): JsonObject {
  const out: JsonObject = {};
  for (const [blockId, actions] of Object.entries(values)) {
    const block: JsonObject = {};
    for (const [actionId, v] of Object.entries(actions)) {
      if (typeof v !== 'string') {
        block[actionId] = v;
        continue;
      }
      const type = elementType(view, blockId, actionId);
      block[actionId] = TEXT_INPUTS.has(type)
        ? { type, value: v }
        : { type, selected_option: { text: { type: 'plain_text', text: v }, value: v } };
    }
    out[blockId] = block;
  }
  return out;
}

export interface ViewSubmissionInput {
  user: EmulatorUser;
  view: StoredView;
  values: ViewValues;
  triggerId: string;
}

export function buildViewSubmissionPayload(ctx: SlackContext, input: ViewSubmissionInput): JsonObject {
  const view: JsonObject = {
    ...structuredClone(input.view.view),
    hash: input.view.hash,
    state: { values: buildStateValues(input.view.view, input.values) },
  };
  return {
    type: 'view_submission',
    team: teamObject(ctx),
    user: userObject(ctx, input.user),
    api_app_id: ctx.appId,
    token: ctx.verificationToken,
    trigger_id: input.triggerId,
    view,
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

export interface SlashCommandInput {
  user: EmulatorUser;
  channel: EmulatorChannel;
  command: string;
  text: string;
  triggerId: string;
  responseUrl: string;
}

export function buildSlashCommandForm(ctx: SlackContext, input: SlashCommandInput): Record<string, string> {
  return {
    token: ctx.verificationToken,
    team_id: ctx.team.id,
    team_domain: ctx.team.domain,
    channel_id: input.channel.id,
    channel_name: input.channel.name,
    user_id: input.user.id,
    user_name: input.user.name,
    command: input.command,
    text: input.text,
    api_app_id: ctx.appId,
    is_enterprise_install: 'false',
    response_url: input.responseUrl,
    trigger_id: input.triggerId,
  };
}
