// @ts-check
/* global document -- the page runs in a browser */
// Block Kit JSON -> DOM, as Slack draws it (the subset our messages and modals
// use). Every piece of text goes in through textContent; hrefs are allow-listed.
import { parseMrkdwn, parsePlain } from './mrkdwn.js';

/**
 * @typedef {import('./mrkdwn.js').Token} Token
 * @typedef {{
 *   userName(id: string): string,
 *   groupName(id: string): string,
 *   channelName(id: string): string,
 *   onButton?(element: any, blockId: string, button: HTMLButtonElement): void,
 *   onSelect?(element: any, blockId: string, value: string, select: HTMLSelectElement): void,
 *   openPermalink?(url: string): boolean,
 * }} RenderContext
 */

/**
 * Every Block Kit block, element and text type this page draws. test/sandbox/block-kit-coverage
 * fails when the bot's builders use a type missing here; anything else is shown by name
 * (`.kit-unknown`), never dropped silently.
 */
export const DRAWN_KIT_TYPES = Object.freeze([
  'header', 'section', 'context', 'divider', 'actions', 'input',
  'button', 'static_select', 'plain_text_input',
  'mrkdwn', 'plain_text',
]);

/**
 * @param {string} tag
 * @param {string} [className]
 * @param {string} [text]
 * @returns {HTMLElement}
 */
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** "3 minutes ago", as Slack renders `{ago}`. @param {number} ts */
export function agoText(ts) {
  const s = Math.max(0, Math.round(Date.now() / 1000 - ts));
  if (s < 60) return 'just now';
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} minute${m === 1 ? '' : 's'} ago`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} hour${h === 1 ? '' : 's'} ago`;
  const d = Math.floor(h / 24);
  return `${d} day${d === 1 ? '' : 's'} ago`;
}

/** @param {number} ts @param {string} format */
function formatDate(ts, format) {
  if (format.includes('{ago}')) return format.replace('{ago}', agoText(ts));
  const d = new Date(ts * 1000);
  const time = d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  if (!/\{date/.test(format)) return time;
  return `${d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })} ${time}`;
}

/**
 * @param {Token[]} tokens
 * @param {RenderContext} ctx
 * @param {HTMLElement} into
 */
export function renderTokens(tokens, ctx, into) {
  for (const tok of tokens) {
    switch (tok.t) {
      case 'text':
        into.append(document.createTextNode(tok.v));
        break;
      case 'br':
        into.append(document.createElement('br'));
        break;
      case 'bold':
      case 'italic':
      case 'strike': {
        const node = el(tok.t === 'bold' ? 'strong' : tok.t === 'italic' ? 'em' : 's');
        renderTokens(tok.c, ctx, node);
        into.append(node);
        break;
      }
      case 'code':
        into.append(el('code', '', tok.v));
        break;
      case 'pre':
        into.append(el('pre', '', tok.v));
        break;
      case 'user':
        into.append(el('span', 'mention', `@${tok.label ?? ctx.userName(tok.id)}`));
        break;
      case 'group':
        into.append(el('span', 'mention group', `@${tok.label ?? ctx.groupName(tok.id)}`));
        break;
      case 'special':
        into.append(el('span', 'mention special', tok.v));
        break;
      case 'channel':
        into.append(el('span', 'channel-ref', `#${tok.label ?? ctx.channelName(tok.id)}`));
        break;
      case 'date': {
        const node = el('time', 'date', formatDate(tok.ts, tok.format));
        node.title = tok.fallback;
        // `{ago}` stays current, as in Slack: the page refreshes these every half minute.
        if (tok.format.includes('{ago}')) {
          node.dataset.ago = String(tok.ts);
          node.dataset.format = tok.format;
        }
        into.append(node);
        break;
      }
      case 'link': {
        const a = /** @type {HTMLAnchorElement} */ (el('a', 'link', tok.label));
        a.href = tok.url;
        a.rel = 'noopener noreferrer';
        a.target = '_blank';
        const open = ctx.openPermalink;
        if (open) {
          a.addEventListener('click', (e) => {
            if (open(tok.url)) e.preventDefault();
          });
        }
        into.append(a);
        break;
      }
      case 'emoji': {
        const node = el('span', 'emoji', tok.char);
        node.title = `:${tok.name}:`;
        into.append(node);
        break;
      }
    }
  }
}

/**
 * @param {any} textObject a Block Kit text object
 * @param {RenderContext} ctx
 * @param {string} [className]
 */
export function renderText(textObject, ctx, className = 'text') {
  const node = el('div', className);
  if (!textObject || typeof textObject.text !== 'string') return node;
  const tokens = textObject.type === 'mrkdwn' ? parseMrkdwn(textObject.text) : parsePlain(textObject.text);
  renderTokens(tokens, ctx, node);
  return node;
}

/**
 * @param {any} element
 * @param {string} blockId
 * @param {RenderContext} ctx
 */
function renderButton(element, blockId, ctx) {
  const button = /** @type {HTMLButtonElement} */ (el('button', `btn${element.style ? ` btn-${element.style}` : ''}`));
  button.type = 'button';
  renderTokens(parsePlain(String(element.text?.text ?? '')), ctx, button);
  button.dataset.actionId = String(element.action_id ?? '');
  // Slack reads a button's accessibility_label to screen readers instead of its text.
  if (typeof element.accessibility_label === 'string') button.setAttribute('aria-label', element.accessibility_label);
  const handler = ctx.onButton;
  if (handler) button.addEventListener('click', () => handler(element, blockId, button));
  else button.disabled = true;
  return button;
}

/**
 * A static select as Slack draws it: the chosen option shown, the others a click away. Choosing one
 * sends a block action with `selected_option`, as Slack does; its placeholder names it.
 * @param {any} element
 * @param {string} blockId
 * @param {RenderContext} ctx
 */
function renderSelect(element, blockId, ctx) {
  const select = /** @type {HTMLSelectElement} */ (el('select', 'kit-select'));
  select.dataset.actionId = String(element.action_id ?? '');
  select.setAttribute('aria-label', String(element.placeholder?.text ?? 'Select an option'));
  const initial = element.initial_option?.value;
  if (initial === undefined) {
    const none = /** @type {HTMLOptionElement} */ (el('option', '', String(element.placeholder?.text ?? 'Select an option')));
    none.value = '';
    none.disabled = true;
    none.selected = true;
    select.append(none);
  }
  for (const o of Array.isArray(element.options) ? element.options : []) {
    const option = /** @type {HTMLOptionElement} */ (el('option', '', String(o.text?.text ?? '')));
    option.value = String(o.value ?? '');
    if (o.value === initial) option.selected = true;
    select.append(option);
  }
  const handler = ctx.onSelect;
  if (handler) select.addEventListener('change', () => handler(element, blockId, select.value, select));
  else select.disabled = true;
  return select;
}

/**
 * An interactive element of a section (accessory) or actions block.
 * @param {any} element
 * @param {string} blockId
 * @param {RenderContext} ctx
 * @returns {HTMLElement}
 */
function renderElement(element, blockId, ctx) {
  if (element?.type === 'button') return renderButton(element, blockId, ctx);
  if (element?.type === 'static_select') return renderSelect(element, blockId, ctx);
  return unknown(element?.type, 'element');
}

/** @param {unknown} type @param {string} kind */
function unknown(type, kind) {
  const node = el('div', 'kit-unknown', `[${String(type)} ${kind}]`);
  node.dataset.kitType = String(type);
  return node;
}

/**
 * @param {any[]} blocks
 * @param {RenderContext} ctx
 * @returns {HTMLElement}
 */
export function renderBlocks(blocks, ctx) {
  const root = el('div', 'blocks');
  for (const block of Array.isArray(blocks) ? blocks : []) {
    const blockId = String(block.block_id ?? '');
    switch (block.type) {
      case 'header':
        root.append(renderText(block.text, ctx, 'block-header'));
        break;
      case 'section': {
        const section = el('div', 'block-section');
        if (block.text) section.append(renderText(block.text, ctx));
        if (Array.isArray(block.fields)) {
          const grid = el('div', 'fields');
          for (const f of block.fields) grid.append(renderText(f, ctx, 'field'));
          section.append(grid);
        }
        if (block.accessory) section.append(renderElement(block.accessory, blockId, ctx));
        root.append(section);
        break;
      }
      case 'context': {
        const context = el('div', 'block-context');
        for (const e of Array.isArray(block.elements) ? block.elements : []) {
          if (e.type === 'mrkdwn' || e.type === 'plain_text') context.append(renderText(e, ctx, 'context-item'));
          else context.append(unknown(e.type, 'element'));
        }
        root.append(context);
        break;
      }
      case 'divider':
        root.append(el('hr', 'block-divider'));
        break;
      case 'actions': {
        const actions = el('div', 'block-actions');
        for (const e of Array.isArray(block.elements) ? block.elements : []) {
          actions.append(renderElement(e, blockId, ctx));
        }
        root.append(actions);
        break;
      }
      default:
        // Block types our messages never send are shown by name, not silently dropped.
        root.append(unknown(block.type, 'block'));
    }
  }
  return root;
}
