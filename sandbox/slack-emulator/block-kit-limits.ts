// Pure Block Kit validator: the limits Slack documents in its Block Kit
// reference (docs.slack.dev/reference/block-kit), enforced the way Slack's API
// answers them: one message per problem, each ending in a JSON pointer, e.g.
// "must be less than 151 characters [json-pointer:/blocks/0/text/text]".
// The emulator rejects what Slack would reject so that card builders that pass
// here do not fail in production.

import { BLOCK_KIT_LIMITS } from '../../shared/block-kit-limits.js';

export { BLOCK_KIT_LIMITS };

export type Surface = 'message' | 'modal';
type TextKind = 'plain_text' | 'any';

const SELECTS = [
  'static_select',
  'external_select',
  'users_select',
  'conversations_select',
  'channels_select',
];
const MULTI_SELECTS = SELECTS.map((s) => `multi_${s}`);
const PICKERS = ['datepicker', 'timepicker', 'datetimepicker'];

// Which interactive elements each container accepts (Block Kit reference, "Compatible blocks").
const ACCESSORY_ELEMENTS = new Set([
  'button', 'checkboxes', 'image', 'overflow', 'radio_buttons', 'workflow_button',
  'datepicker', 'timepicker', ...SELECTS, ...MULTI_SELECTS,
]);
const ACTIONS_ELEMENTS = new Set([
  'button', 'checkboxes', 'overflow', 'radio_buttons', 'workflow_button', 'rich_text_input',
  ...PICKERS, ...SELECTS, ...MULTI_SELECTS,
]);
const INPUT_ELEMENTS = new Set([
  'plain_text_input', 'email_text_input', 'url_text_input', 'number_input', 'rich_text_input',
  'checkboxes', 'radio_buttons', 'file_input', ...PICKERS, ...SELECTS, ...MULTI_SELECTS,
]);

const BLOCK_TYPES = new Set([
  'section', 'header', 'divider', 'actions', 'context', 'image', 'input',
  'rich_text', 'markdown', 'file', 'video',
]);

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Slack counts characters, not UTF-16 code units. */
function charCount(s: string): number {
  return [...s].length;
}

class Checker {
  readonly errors: string[] = [];
  private readonly blockIds = new Set<string>();

  constructor(readonly surface: Surface) {}

  fail(message: string, pointer: string): void {
    this.errors.push(`${message} [json-pointer:${pointer}]`);
  }

  maxLen(value: unknown, max: number, pointer: string, required = false): void {
    if (value === undefined) {
      if (required) this.fail('missing required field', pointer);
      return;
    }
    if (typeof value !== 'string') {
      this.fail('expected string', pointer);
      return;
    }
    if (required && value.length === 0) this.fail('must be more than 0 characters', pointer);
    if (charCount(value) > max) this.fail(`must be less than ${max + 1} characters`, pointer);
  }

  maxItems(value: unknown, max: number, pointer: string, required = false): unknown[] {
    if (value === undefined) {
      if (required) this.fail('missing required field', pointer);
      return [];
    }
    if (!Array.isArray(value)) {
      this.fail('expected array', pointer);
      return [];
    }
    if (required && value.length === 0) this.fail('must provide at least 1 item', pointer);
    if (value.length > max) this.fail(`no more than ${max} items allowed`, pointer);
    return value;
  }

  text(value: unknown, kind: TextKind, max: number, pointer: string, required = true): void {
    if (value === undefined) {
      if (required) this.fail('missing required field', pointer);
      return;
    }
    if (!isObj(value)) {
      this.fail('expected text object', pointer);
      return;
    }
    const type = value.type;
    if (type !== 'plain_text' && type !== 'mrkdwn') {
      this.fail(`unsupported type: ${String(type)}`, `${pointer}/type`);
      return;
    }
    if (kind === 'plain_text' && type !== 'plain_text') {
      this.fail('must be a plain_text text object', `${pointer}/type`);
    }
    if (type === 'plain_text' && value.verbatim !== undefined) {
      this.fail('verbatim is only allowed on mrkdwn text', `${pointer}/verbatim`);
    }
    if (type === 'mrkdwn' && value.emoji !== undefined) {
      this.fail('emoji is only allowed on plain_text text', `${pointer}/emoji`);
    }
    this.maxLen(value.text, max, `${pointer}/text`, true);
  }

  blockId(block: Obj, pointer: string): void {
    const id = block.block_id;
    if (id === undefined) return;
    this.maxLen(id, BLOCK_KIT_LIMITS.blockId, `${pointer}/block_id`, true);
    if (typeof id !== 'string') return;
    if (this.blockIds.has(id)) this.fail(`duplicate block_id: ${id}`, `${pointer}/block_id`);
    this.blockIds.add(id);
  }

  blocks(blocks: unknown, pointer: string): void {
    const max = this.surface === 'message' ? BLOCK_KIT_LIMITS.messageBlocks : BLOCK_KIT_LIMITS.modalBlocks;
    const list = this.maxItems(blocks, max, pointer);
    list.forEach((block, i) => this.block(block, `${pointer}/${i}`));
  }

  block(block: unknown, p: string): void {
    if (!isObj(block)) {
      this.fail('expected block object', p);
      return;
    }
    const type = block.type;
    if (typeof type !== 'string' || !BLOCK_TYPES.has(type)) {
      this.fail(`unsupported type: ${String(type)}`, `${p}/type`);
      return;
    }
    this.blockId(block, p);
    switch (type) {
      case 'header':
        this.text(block.text, 'plain_text', BLOCK_KIT_LIMITS.headerText, `${p}/text`);
        break;
      case 'section':
        this.section(block, p);
        break;
      case 'actions': {
        const els = this.maxItems(block.elements, BLOCK_KIT_LIMITS.actionsElements, `${p}/elements`, true);
        els.forEach((el, i) => this.element(el, ACTIONS_ELEMENTS, `${p}/elements/${i}`));
        break;
      }
      case 'context': {
        const els = this.maxItems(block.elements, BLOCK_KIT_LIMITS.contextElements, `${p}/elements`, true);
        els.forEach((el, i) => this.contextElement(el, `${p}/elements/${i}`));
        break;
      }
      case 'image':
        this.image(block, p, true);
        break;
      case 'input':
        this.input(block, p);
        break;
      case 'markdown':
        if (this.surface !== 'message') this.fail('markdown blocks are only allowed in messages', `${p}/type`);
        this.maxLen(block.text, BLOCK_KIT_LIMITS.markdownBlockText, `${p}/text`, true);
        break;
      case 'rich_text':
        this.maxItems(block.elements, Number.MAX_SAFE_INTEGER, `${p}/elements`, true);
        break;
      default:
        // divider, file, video: no text limits the emulator needs to enforce.
        break;
    }
  }

  section(block: Obj, p: string): void {
    if (block.text === undefined && block.fields === undefined) {
      this.fail('must provide either text or fields', p);
    }
    this.text(block.text, 'any', BLOCK_KIT_LIMITS.sectionText, `${p}/text`, false);
    const fields = this.maxItems(block.fields, BLOCK_KIT_LIMITS.sectionFields, `${p}/fields`);
    fields.forEach((f, i) => this.text(f, 'any', BLOCK_KIT_LIMITS.sectionFieldText, `${p}/fields/${i}`));
    if (block.accessory !== undefined) this.element(block.accessory, ACCESSORY_ELEMENTS, `${p}/accessory`);
  }

  input(block: Obj, p: string): void {
    this.text(block.label, 'plain_text', BLOCK_KIT_LIMITS.inputLabel, `${p}/label`);
    this.text(block.hint, 'plain_text', BLOCK_KIT_LIMITS.inputHint, `${p}/hint`, false);
    if (block.element === undefined) this.fail('missing required field', `${p}/element`);
    else this.element(block.element, INPUT_ELEMENTS, `${p}/element`);
  }

  image(obj: Obj, p: string, isBlock: boolean): void {
    this.maxLen(obj.image_url, BLOCK_KIT_LIMITS.imageUrl, `${p}/image_url`, obj.slack_file === undefined);
    this.maxLen(obj.alt_text, BLOCK_KIT_LIMITS.imageAltText, `${p}/alt_text`, true);
    if (isBlock) this.text(obj.title, 'plain_text', BLOCK_KIT_LIMITS.imageTitle, `${p}/title`, false);
  }

  contextElement(el: unknown, p: string): void {
    if (isObj(el) && el.type === 'image') {
      this.image(el, p, false);
      return;
    }
    // Context text has no documented per-element cap beyond the text object's 3000.
    this.text(el, 'any', BLOCK_KIT_LIMITS.sectionText, p);
  }

  element(el: unknown, allowed: Set<string>, p: string): void {
    if (!isObj(el)) {
      this.fail('expected element object', p);
      return;
    }
    const type = el.type;
    if (typeof type !== 'string' || !allowed.has(type)) {
      this.fail(`unsupported type: ${String(type)}`, `${p}/type`);
      return;
    }
    if (type !== 'image') this.maxLen(el.action_id, BLOCK_KIT_LIMITS.actionId, `${p}/action_id`);
    if (el.confirm !== undefined) this.confirm(el.confirm, `${p}/confirm`);
    switch (type) {
      case 'button':
        this.text(el.text, 'plain_text', BLOCK_KIT_LIMITS.buttonText, `${p}/text`);
        this.maxLen(el.value, BLOCK_KIT_LIMITS.buttonValue, `${p}/value`);
        this.maxLen(el.url, BLOCK_KIT_LIMITS.buttonUrl, `${p}/url`);
        this.maxLen(el.accessibility_label, BLOCK_KIT_LIMITS.buttonAccessibilityLabel, `${p}/accessibility_label`);
        if (el.style !== undefined && el.style !== 'primary' && el.style !== 'danger') {
          this.fail(`unsupported style: ${String(el.style)}`, `${p}/style`);
        }
        break;
      case 'image':
        this.image(el, p, false);
        break;
      case 'plain_text_input':
        this.text(el.placeholder, 'plain_text', BLOCK_KIT_LIMITS.placeholder, `${p}/placeholder`, false);
        this.maxLen(el.initial_value, BLOCK_KIT_LIMITS.plainTextInputLength, `${p}/initial_value`);
        for (const key of ['min_length', 'max_length'] as const) {
          const n = el[key];
          if (n !== undefined && (typeof n !== 'number' || n < 0 || n > BLOCK_KIT_LIMITS.plainTextInputLength)) {
            this.fail(`must be between 0 and ${BLOCK_KIT_LIMITS.plainTextInputLength}`, `${p}/${key}`);
          }
        }
        break;
      case 'overflow':
        this.options(el.options, BLOCK_KIT_LIMITS.overflowOptions, `${p}/options`, true);
        break;
      case 'checkboxes':
        this.options(el.options, BLOCK_KIT_LIMITS.checkboxOptions, `${p}/options`, true);
        break;
      case 'radio_buttons':
        this.options(el.options, BLOCK_KIT_LIMITS.radioOptions, `${p}/options`, true);
        break;
      case 'static_select':
      case 'multi_static_select':
        this.text(el.placeholder, 'plain_text', BLOCK_KIT_LIMITS.placeholder, `${p}/placeholder`, false);
        if (el.option_groups === undefined) this.options(el.options, BLOCK_KIT_LIMITS.selectOptions, `${p}/options`, true);
        break;
      default:
        if (SELECTS.includes(type) || MULTI_SELECTS.includes(type) || PICKERS.includes(type)) {
          this.text(el.placeholder, 'plain_text', BLOCK_KIT_LIMITS.placeholder, `${p}/placeholder`, false);
        }
        break;
    }
  }

  options(value: unknown, max: number, p: string, required: boolean): void {
    const list = this.maxItems(value, max, p, required);
    list.forEach((opt, i) => {
      const op = `${p}/${i}`;
      if (!isObj(opt)) {
        this.fail('expected option object', op);
        return;
      }
      this.text(opt.text, 'any', BLOCK_KIT_LIMITS.optionText, `${op}/text`);
      this.maxLen(opt.value, BLOCK_KIT_LIMITS.optionValue, `${op}/value`);
      this.text(opt.description, 'any', BLOCK_KIT_LIMITS.optionDescription, `${op}/description`, false);
    });
  }

  confirm(value: unknown, p: string): void {
    if (!isObj(value)) {
      this.fail('expected confirmation dialog object', p);
      return;
    }
    this.text(value.title, 'plain_text', BLOCK_KIT_LIMITS.confirmTitle, `${p}/title`, false);
    this.text(value.text, 'any', BLOCK_KIT_LIMITS.confirmText, `${p}/text`, false);
    this.text(value.confirm, 'plain_text', BLOCK_KIT_LIMITS.confirmButton, `${p}/confirm`, false);
    this.text(value.deny, 'plain_text', BLOCK_KIT_LIMITS.confirmButton, `${p}/deny`, false);
  }
}

/** Problems with a `blocks` array for the given surface; empty when Slack would accept it. */
export function validateBlocks(blocks: unknown, surface: Surface = 'message', pointer = '/blocks'): string[] {
  const checker = new Checker(surface);
  checker.blocks(blocks, pointer);
  return checker.errors;
}

/** Problems with a Home tab view (views.publish): no title or buttons of its own, up to 100 blocks. */
export function validateHomeView(view: unknown): string[] {
  const checker = new Checker('modal');
  if (!isObj(view)) {
    checker.fail('expected view object', '/view');
    return checker.errors;
  }
  if (view.type !== 'home') checker.fail(`unsupported type: ${String(view.type)}`, '/view/type');
  checker.maxLen(view.callback_id, BLOCK_KIT_LIMITS.callbackId, '/view/callback_id');
  checker.maxLen(view.private_metadata, BLOCK_KIT_LIMITS.privateMetadata, '/view/private_metadata');
  if (view.blocks === undefined) checker.fail('missing required field', '/view/blocks');
  else checker.blocks(view.blocks, '/view/blocks');
  return checker.errors;
}

/** Problems with a modal view object (views.open / views.update / response_action update). */
export function validateView(view: unknown): string[] {
  const checker = new Checker('modal');
  if (!isObj(view)) {
    checker.fail('expected view object', '/view');
    return checker.errors;
  }
  if (view.type !== 'modal') checker.fail(`unsupported type: ${String(view.type)}`, '/view/type');
  checker.text(view.title, 'plain_text', BLOCK_KIT_LIMITS.modalTitle, '/view/title');
  checker.text(view.submit, 'plain_text', BLOCK_KIT_LIMITS.modalSubmit, '/view/submit', false);
  checker.text(view.close, 'plain_text', BLOCK_KIT_LIMITS.modalClose, '/view/close', false);
  checker.maxLen(view.callback_id, BLOCK_KIT_LIMITS.callbackId, '/view/callback_id');
  checker.maxLen(view.private_metadata, BLOCK_KIT_LIMITS.privateMetadata, '/view/private_metadata');
  checker.maxLen(view.external_id, BLOCK_KIT_LIMITS.externalId, '/view/external_id');
  if (view.blocks === undefined) checker.fail('missing required field', '/view/blocks');
  else checker.blocks(view.blocks, '/view/blocks');
  const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isObj(b) && b.type === 'input');
  if (hasInput && view.submit === undefined) {
    checker.fail('submit is required when a view has input blocks', '/view/submit');
  }
  return checker.errors;
}
