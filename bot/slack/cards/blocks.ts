/**
 * The small subset of Block Kit the cards use, typed narrowly so builders and tests can read what
 * they produce. Each type extends its `@slack/types` counterpart, so the compiler rejects a shape
 * Slack's Web API types would not take, and the builders' output goes to the Web API uncast.
 */
import type * as slack from '@slack/types';

export interface PlainText extends slack.PlainTextElement {
  type: 'plain_text';
  text: string;
  emoji?: boolean;
}

export interface MrkdwnText extends slack.MrkdwnElement {
  type: 'mrkdwn';
  text: string;
  verbatim?: boolean;
}

export type TextObject = PlainText | MrkdwnText;

export interface HeaderBlock extends slack.HeaderBlock {
  type: 'header';
  block_id: string;
  text: PlainText;
}

export interface SectionBlock extends slack.SectionBlock {
  type: 'section';
  block_id: string;
  text?: MrkdwnText;
  fields?: MrkdwnText[];
  accessory?: StaticSelectElement;
}

export interface SelectOption extends slack.PlainTextOption {
  text: PlainText;
  value: string;
}

export interface StaticSelectElement extends slack.StaticSelect {
  type: 'static_select';
  action_id: string;
  placeholder?: PlainText;
  options: SelectOption[];
  initial_option?: SelectOption;
}

export interface ContextBlock extends slack.ContextBlock {
  type: 'context';
  block_id: string;
  elements: MrkdwnText[];
}

export interface DividerBlock extends slack.DividerBlock {
  type: 'divider';
  block_id: string;
}

export interface ConfirmDialog extends slack.ConfirmationDialog {
  title: PlainText;
  text: PlainText;
  confirm: PlainText;
  deny: PlainText;
  style?: 'primary' | 'danger';
}

export interface ButtonElement extends slack.Button {
  type: 'button';
  action_id: string;
  text: PlainText;
  value: string;
  style?: 'primary' | 'danger';
  confirm?: ConfirmDialog;
}

export interface ActionsBlock extends slack.ActionsBlock {
  type: 'actions';
  block_id: string;
  elements: ButtonElement[];
}

export interface PlainTextInputElement extends slack.PlainTextInput {
  type: 'plain_text_input';
  action_id: string;
  multiline?: boolean;
  max_length?: number;
  placeholder?: PlainText;
}

export interface InputBlock extends slack.InputBlock {
  type: 'input';
  block_id: string;
  label: PlainText;
  element: PlainTextInputElement;
}

/** A section with one button beside its text (a storm digest's row). */
export interface ButtonSectionBlock extends slack.SectionBlock {
  type: 'section';
  block_id: string;
  text?: MrkdwnText;
  fields?: MrkdwnText[];
  accessory?: ButtonElement;
}

export type MessageBlock = HeaderBlock | SectionBlock | ContextBlock | DividerBlock | ActionsBlock;
export type Block = MessageBlock | InputBlock;

/** A chat.postMessage / chat.update / respond() body: `text` is the notification fallback. */
export interface SlackMessage {
  text: string;
  blocks: MessageBlock[];
}

export interface ModalView extends slack.ModalView {
  type: 'modal';
  callback_id: string;
  private_metadata: string;
  title: PlainText;
  /** Absent for a read-only view: Slack then shows only the close button. */
  submit?: PlainText;
  close: PlainText;
  blocks: (InputBlock | ContextBlock | SectionBlock | DividerBlock)[];
}

export function plain(text: string): PlainText {
  return { type: 'plain_text', text, emoji: true };
}

/** `verbatim: true`: Slack must not auto-link bare URLs, channel names or @names in our text. */
export function mrkdwn(text: string): MrkdwnText {
  return { type: 'mrkdwn', text, verbatim: true };
}
