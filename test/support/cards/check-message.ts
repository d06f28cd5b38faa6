/**
 * Test-only: a small, independent reading of Slack's Block Kit limits and of
 * our injection rules, used by the card tests. It returns problems as strings
 * so a failing property shows all of them at once.
 */
import { BLOCK_KIT_LIMITS as L } from '../../../shared/block-kit-limits.js';
import type { ContextBlock, ModalView, SectionBlock, SlackMessage, TextObject } from '../../../bot/slack/cards/blocks.js';

/** Our own rule, far below Slack's 40,000: the top-level text is a notification's fallback line. */
const FALLBACK_TEXT_MAX = 4000;

export interface AllowedMarkup {
  /** User ids that may appear as `<@U…>`. */
  users?: readonly string[];
  /** The S… group that may appear as `<!subteam^S…>` (or a U… user as `<@U…>`). */
  mention?: string | null;
  /** URLs that may appear as `<url|label>`. */
  urls?: readonly string[];
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const TOKEN = /^<(@([UW][A-Z0-9]+)|!subteam\^(S[A-Z0-9]+)|!date\^-?\d+\^[^|<>]*\|[^<>]*|(https:\/\/[^|<>\s]+)\|[^<>]*)>/;

/** Problems with markup in one string: only our own tokens may use `<`, `>`, `&` unescaped. */
export function markupProblems(where: string, text: string, allowed: AllowedMarkup): string[] {
  const problems: string[] = [];
  const users = new Set(allowed.users ?? []);
  if (allowed.mention && /^[UW]/.test(allowed.mention)) users.add(allowed.mention);
  let rest = text;
  let i = rest.indexOf('<');
  while (i !== -1) {
    const m = TOKEN.exec(rest.slice(i));
    if (m === null) {
      problems.push(`${where}: unescaped "<" at ${JSON.stringify(rest.slice(i, i + 30))}`);
      rest = rest.slice(i + 1);
    } else {
      const [, , user, group, url] = m;
      if (user !== undefined && !users.has(user)) problems.push(`${where}: unexpected user mention <@${user}>`);
      if (group !== undefined && group !== allowed.mention) problems.push(`${where}: unexpected group mention ${group}`);
      if (url !== undefined && !(allowed.urls ?? []).includes(url.replace(/&amp;/g, '&'))) {
        problems.push(`${where}: unexpected link ${url}`);
      }
      rest = rest.slice(0, i) + rest.slice(i + m[0].length);
    }
    i = rest.indexOf('<');
  }
  if (rest.includes('>')) problems.push(`${where}: unescaped ">"`);
  if (/&(?!amp;|lt;|gt;)/.test(rest)) problems.push(`${where}: unescaped "&"`);
  if (/@(channel|here|everyone)/i.test(rest)) problems.push(`${where}: bare broadcast mention`);
  if (LONE_SURROGATE.test(text)) problems.push(`${where}: lone surrogate`);
  if (/[\u202A-\u202E\u2066-\u2069]/.test(text)) problems.push(`${where}: bidi control`);
  return problems;
}

function textProblems(where: string, t: TextObject, max: number, allowed: AllowedMarkup): string[] {
  const problems = markupProblems(where, t.text, allowed);
  if (t.text.length > max) problems.push(`${where}: ${t.text.length} > ${max} characters`);
  if (t.text.length === 0) problems.push(`${where}: empty text`);
  return problems;
}

function idProblems(where: string, id: string, seen: Set<string>): string[] {
  const problems: string[] = [];
  if (id.length === 0 || id.length > L.blockId) problems.push(`${where}: block_id length ${id.length}`);
  if (seen.has(id)) problems.push(`${where}: duplicate block_id ${id}`);
  seen.add(id);
  return problems;
}

/** Every limit a message body must meet, and the injection rules for its text. */
export function messageProblems(msg: SlackMessage, allowed: AllowedMarkup = {}): string[] {
  const problems: string[] = [];
  if (msg.text.length === 0 || msg.text.length > FALLBACK_TEXT_MAX) problems.push(`text: length ${msg.text.length}`);
  problems.push(...markupProblems('text', msg.text, {}));
  if (msg.blocks.length > L.messageBlocks) problems.push(`${msg.blocks.length} blocks > ${L.messageBlocks}`);
  const seen = new Set<string>();
  msg.blocks.forEach((b, n) => {
    const where = `block ${n} (${b.block_id})`;
    problems.push(...idProblems(where, b.block_id, seen));
    switch (b.type) {
      case 'header':
        if (b.text.type !== 'plain_text') problems.push(`${where}: header must be plain_text`);
        problems.push(...textProblems(where, b.text, L.headerText, allowed));
        break;
      case 'section':
      case 'context':
        problems.push(...textBlockProblems(where, b, allowed));
        break;
      case 'actions':
        if (b.elements.length === 0 || b.elements.length > 25) problems.push(`${where}: ${b.elements.length} elements`);
        b.elements.forEach((e, k) => {
          problems.push(...textProblems(`${where} button ${k}`, e.text, 75, {}));
          if (e.action_id.length === 0 || e.action_id.length > L.actionId) problems.push(`${where}: action_id length`);
          if (e.value.length > L.buttonValue) problems.push(`${where}: value length ${e.value.length}`);
        });
        break;
      case 'divider':
        break;
    }
  });
  const actionIds = msg.blocks.flatMap((b) => (b.type === 'actions' ? b.elements.map((e) => e.action_id) : []));
  if (new Set(actionIds).size !== actionIds.length) problems.push('duplicate action_id');
  return problems;
}

/** Section and context limits, shared by messages and modals. */
function textBlockProblems(where: string, b: SectionBlock | ContextBlock, allowed: AllowedMarkup): string[] {
  const problems: string[] = [];
  if (b.type === 'section') {
    if (b.text === undefined && (b.fields === undefined || b.fields.length === 0)) problems.push(`${where}: empty section`);
    if (b.text !== undefined) problems.push(...textProblems(where, b.text, L.sectionText, allowed));
    if (b.fields !== undefined) {
      if (b.fields.length > 10) problems.push(`${where}: ${b.fields.length} fields > 10`);
      b.fields.forEach((f, k) => problems.push(...textProblems(`${where} field ${k}`, f, L.sectionFieldText, allowed)));
    }
  } else {
    if (b.elements.length === 0 || b.elements.length > 10) problems.push(`${where}: ${b.elements.length} elements`);
    b.elements.forEach((e, k) => problems.push(...textProblems(`${where} element ${k}`, e, L.textObject, allowed)));
  }
  return problems;
}

/** Every limit a modal must meet, and the injection rules for the text of its sections and contexts. */
export function modalProblems(view: ModalView, allowed: AllowedMarkup = {}): string[] {
  const problems: string[] = [];
  for (const [name, t] of [['title', view.title], ['submit', view.submit], ['close', view.close]] as const) {
    if (t === undefined) continue;
    if (t.type !== 'plain_text' || t.text.length === 0 || t.text.length > 24) problems.push(`${name}: bad text`);
  }
  if (view.private_metadata.length > L.privateMetadata) problems.push('private_metadata too long');
  if (view.callback_id.length === 0 || view.callback_id.length > L.callbackId) problems.push('callback_id length');
  if (view.blocks.length > L.modalBlocks) problems.push(`${view.blocks.length} blocks > ${L.modalBlocks}`);
  if (view.submit === undefined && view.blocks.some((b) => b.type === 'input')) problems.push('input blocks without submit');
  const seen = new Set<string>();
  view.blocks.forEach((b, n) => {
    const where = `block ${n} (${b.block_id})`;
    problems.push(...idProblems(where, b.block_id, seen));
    switch (b.type) {
      case 'input':
        if (b.label.text.length > L.inputLabel) problems.push('input label too long');
        if ((b.element.max_length ?? 0) > L.plainTextInputLength) problems.push(`max_length > ${L.plainTextInputLength}`);
        break;
      case 'section':
      case 'context':
        problems.push(...textBlockProblems(where, b, allowed));
        break;
      case 'divider':
        break;
    }
  });
  return problems;
}

/** All text a modal shows (sections and contexts), for "contains" checks. */
export function allModalText(view: ModalView): string {
  return view.blocks
    .flatMap((b) => {
      switch (b.type) {
        case 'section':
          return [b.text?.text ?? '', ...(b.fields ?? []).map((f) => f.text)];
        case 'context':
          return b.elements.map((e) => e.text);
        default:
          return [];
      }
    })
    .join('\n');
}

/** All text a message shows, for "does not contain" checks. */
export function allText(msg: SlackMessage): string {
  return msg.blocks
    .flatMap((b) => {
      switch (b.type) {
        case 'header':
          return [b.text.text];
        case 'section':
          return [b.text?.text ?? '', ...(b.fields ?? []).map((f) => f.text)];
        case 'context':
          return b.elements.map((e) => e.text);
        case 'actions':
          return b.elements.map((e) => e.text.text);
        default:
          return [];
      }
    })
    .join('\n');
}
