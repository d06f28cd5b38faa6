// @ts-check
// Slack mrkdwn -> tokens (pure; no DOM). The page turns tokens into DOM nodes
// with textContent only, so no text from a message is ever parsed as HTML.
// What Slack renders and the cards use: *bold*, _italic_, ~strike~, `code`,
// ```pre```, <@U…>, <#C…|name>, <!subteam^S…>, <!here>, <!date^…|…>,
// <url|label>, :emoji:, line breaks, and the entities &amp; &lt; &gt;.

/**
 * @typedef {{ t: 'text', v: string }
 *   | { t: 'br' }
 *   | { t: 'bold' | 'italic' | 'strike', c: Token[] }
 *   | { t: 'code' | 'pre', v: string }
 *   | { t: 'user', id: string, label: string | null }
 *   | { t: 'channel', id: string, label: string | null }
 *   | { t: 'group', id: string, label: string | null }
 *   | { t: 'special', v: string }
 *   | { t: 'date', ts: number, format: string, fallback: string }
 *   | { t: 'link', url: string, label: string }
 *   | { t: 'emoji', name: string, char: string }} Token
 */

/** The emoji the bot's messages use, and a few common ones; others stay as `:name:`. */
export const EMOJI = {
  rotating_light: '🚨',
  arrow_double_up: '⏫',
  memo: '📝',
  no_entry_sign: '🚫',
  tada: '🎉',
  warning: '⚠️',
  white_check_mark: '✅',
  large_red_circle: '🔴',
  red_circle: '🔴',
  large_orange_circle: '🟠',
  large_yellow_circle: '🟡',
  large_blue_circle: '🔵',
  telephone_receiver: '📞',
  bell: '🔔',
  hourglass: '⌛',
  lock: '🔒',
  raising_hand: '🙋',
  wave: '👋',
};

/** @param {string} s */
export function decodeEntities(s) {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

const PATTERNS = /** @type {const} */ ([
  ['pre', /```([\s\S]+?)```/],
  ['code', /`([^`\n]+)`/],
  ['angle', /<([^<>\n]+)>/],
  ['bold', /(?<![\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])/],
  ['italic', /(?<![\w_])_(?=\S)([^_\n]*?\S)_(?![\w_])/],
  ['strike', /(?<![\w~])~(?=\S)([^~\n]*?\S)~(?![\w~])/],
  ['emoji', /:([a-z0-9_+-]+):/],
  ['br', /\n/],
]);

/**
 * @param {string} inner the text between < and >
 * @returns {Token}
 */
export function parseAngle(inner) {
  const bar = inner.indexOf('|');
  const head = bar < 0 ? inner : inner.slice(0, bar);
  const label = bar < 0 ? null : decodeEntities(inner.slice(bar + 1));
  if (/^@[UW][A-Z0-9]+$/.test(head)) return { t: 'user', id: head.slice(1), label };
  if (/^#C[A-Z0-9]+$/.test(head)) return { t: 'channel', id: head.slice(1), label };
  const group = /^!subteam\^([A-Z0-9]+)$/.exec(head);
  if (group?.[1]) return { t: 'group', id: group[1], label: label === null ? null : label.replace(/^@/, '') };
  if (/^!(here|channel|everyone)$/.test(head)) return { t: 'special', v: `@${head.slice(1)}` };
  const date = /^!date\^(\d+)\^([^^]*)(?:\^.*)?$/.exec(head);
  if (date?.[1]) return { t: 'date', ts: Number(date[1]), format: date[2] ?? '', fallback: label ?? '' };
  const url = decodeEntities(head);
  if (/^(https?:\/\/|mailto:)/i.test(url)) return { t: 'link', url, label: label ?? url };
  return { t: 'text', v: decodeEntities(`<${inner}>`) };
}

/**
 * @param {string} text Slack mrkdwn as sent in a message
 * @returns {Token[]}
 */
export function parseMrkdwn(text) {
  /** @type {Token[]} */
  const out = [];
  let rest = text;
  while (rest.length > 0) {
    /** @type {{ kind: string, m: RegExpExecArray } | null} */
    let first = null;
    for (const [kind, re] of PATTERNS) {
      const m = re.exec(rest);
      if (m && (first === null || m.index < first.m.index)) first = { kind, m };
    }
    if (first === null) {
      pushText(out, rest);
      break;
    }
    const { kind, m } = first;
    if (m.index > 0) pushText(out, rest.slice(0, m.index));
    const inner = m[1] ?? '';
    switch (kind) {
      case 'pre':
        out.push({ t: 'pre', v: decodeEntities(inner.replace(/^\n/, '')) });
        break;
      case 'code':
        out.push({ t: 'code', v: decodeEntities(inner) });
        break;
      case 'angle':
        out.push(parseAngle(inner));
        break;
      case 'bold':
      case 'italic':
      case 'strike':
        out.push({ t: kind, c: parseMrkdwn(inner) });
        break;
      case 'emoji': {
        const char = /** @type {Record<string, string>} */ (EMOJI)[inner];
        if (char) out.push({ t: 'emoji', name: inner, char });
        else pushText(out, m[0]);
        break;
      }
      default:
        out.push({ t: 'br' });
    }
    rest = rest.slice(m.index + m[0].length);
  }
  return out;
}

/**
 * plain_text objects: entities and (with `emoji`) :emoji: only, no styling.
 * @param {string} text
 * @returns {Token[]}
 */
export function parsePlain(text) {
  /** @type {Token[]} */
  const out = [];
  const re = /:([a-z0-9_+-]+):/g;
  let last = 0;
  for (const m of text.matchAll(re)) {
    const char = /** @type {Record<string, string>} */ (EMOJI)[m[1] ?? ''];
    if (!char) continue;
    if ((m.index ?? 0) > last) out.push({ t: 'text', v: decodeEntities(text.slice(last, m.index)) });
    out.push({ t: 'emoji', name: m[1] ?? '', char });
    last = (m.index ?? 0) + m[0].length;
  }
  if (last < text.length) out.push({ t: 'text', v: decodeEntities(text.slice(last)) });
  return out;
}

/**
 * @param {Token[]} out
 * @param {string} raw
 */
function pushText(out, raw) {
  const v = decodeEntities(raw);
  const prev = out[out.length - 1];
  if (prev && prev.t === 'text') prev.v += v;
  else out.push({ t: 'text', v });
}
