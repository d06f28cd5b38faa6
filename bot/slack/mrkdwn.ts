/**
 * Text helpers for everything we put into Slack messages. Pure functions.
 *
 * Threat model: caller-supplied text (caller ids, structured field values,
 * notes) and config-supplied text must never notify anyone, create a link, or
 * look like part of the card's own structure.
 *
 * - `&`, `<` and `>` are Slack's only control characters; escaping them turns
 *   `<!channel>`, `<@U…>`, `<#C…>`, `<!subteam^…>`, `<!date^…>` and
 *   `<http…|…>` into literal text.
 * - Bare `@channel` / `@here` / `@everyone` only notify when a message is sent
 *   with `link_names`, but a later change to how we post must not reopen
 *   that: a zero-width joiner goes after the `@`.
 * - Bidi override and isolate controls are removed: they can make text render
 *   reversed and so fake words the card did not write.
 * - Lone UTF-16 surrogates become U+FFFD so the JSON we send is valid UTF-8.
 * - `*`, `_`, `~` and `` ` `` are deliberately left alone. In Slack they can
 *   only style the caller's own text: they cannot create a mention, a link, a
 *   block or a button. Slack mrkdwn has no escape character, so neutralising
 *   them means inserting invisible characters, and that corrupts values
 *   people copy out of the card (`jane_doe@example.com`, ids, URLs). What could
 *   fake structure is a line break inside a value ("…\n*Claimed by:* Ann"):
 *   single-line contexts pass values through {@link singleLine} first, and
 *   every label on a card is ours, in bold, at the start of its line.
 */

const ZWJ = '\u200D';
const ELLIPSIS = '…';

const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const BROADCAST = /@(channel|here|everyone)/gi;

/** Escapes caller-supplied text for mrkdwn and plain_text alike (Slack decodes the entities in both). */
export function escapeMrkdwn(text: string): string {
  return text
    .replace(LONE_SURROGATE, '\uFFFD')
    .replace(BIDI_CONTROLS, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(BROADCAST, `@${ZWJ}$1`);
}

/**
 * Collapses line breaks (and other C0/C1 controls) into single spaces, for
 * text shown on one line next to a label we wrote.
 */
export function singleLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001F\u007F-\u009F\u2028\u2029]+/g, ' ').trim();
}

// One atom of escaped text: an entity we produced, a surrogate pair, or one code unit.
const ESCAPED_ATOM = /&(?:amp|lt|gt);|@\u200D|[\uD800-\uDBFF][\uDC00-\uDFFF]|[\s\S]/g;
const CODE_POINT = /[\uD800-\uDBFF][\uDC00-\uDFFF]|[\s\S]/g;

/**
 * Shortens `text` so that its length is at most `max`, ending with an ellipsis
 * when something was cut. Cuts only between code points, never inside a
 * surrogate pair. The budget is measured in UTF-16 code units (`.length`),
 * which is never less than the code point count, so the result fits whichever
 * of the two a limit is counted in.
 */
export function truncate(text: string, max: number): string {
  return truncateAtoms(text, max, CODE_POINT);
}

/**
 * `escapeMrkdwn` then `truncate`, with the limit applied to the escaped text
 * (what Slack counts) and never cutting inside an entity such as `&amp;`.
 */
export function escapeTruncate(text: string, max: number): string {
  return truncateAtoms(escapeMrkdwn(text), max, ESCAPED_ATOM);
}

/**
 * Escapes `text` and splits it into at most `maxChunks` pieces of at most
 * `max` code units each, never inside an entity or a surrogate pair; text
 * beyond that is cut with an ellipsis. For long text spread over sections.
 */
export function escapeSplit(text: string, max: number, maxChunks: number): string[] {
  const escaped = truncateAtoms(escapeMrkdwn(text), max * maxChunks, ESCAPED_ATOM);
  const chunks: string[] = [];
  let current = '';
  for (const match of escaped.matchAll(ESCAPED_ATOM)) {
    if (current.length + match[0].length > max) {
      chunks.push(current);
      current = '';
    }
    current += match[0];
  }
  if (current !== '') chunks.push(current);
  return chunks;
}

function truncateAtoms(text: string, max: number, atom: RegExp): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  const budget = max - ELLIPSIS.length;
  let out = '';
  for (const match of text.matchAll(atom)) {
    if (out.length + match[0].length > budget) break;
    out += match[0];
  }
  return out + ELLIPSIS;
}

const USER_ID = /^[UW][A-Z0-9]{2,31}$/;
const USER_GROUP_ID = /^S[A-Z0-9]{2,31}$/;

export function isUserId(id: string): boolean {
  return USER_ID.test(id);
}

/**
 * `<@U…>` for a user (W… on Enterprise Grid), `<!subteam^S…>` for a user
 * group; anything else is shown as escaped plain text and notifies no one.
 */
export function mention(id: string): string {
  if (USER_ID.test(id)) return `<@${id}>`;
  if (USER_GROUP_ID.test(id)) return `<!subteam^${id}>`;
  return escapeTruncate(singleLine(id), 80);
}

/**
 * A time Slack renders in each reader's own time zone, with a UTC fallback
 * for clients that cannot (and for notification text).
 */
export function slackDate(ms: number): string {
  if (!Number.isFinite(ms)) return 'unknown time';
  const fallback = utcLabel(ms);
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${fallback}>`;
}

/**
 * "3 minutes ago", rendered live by every Slack client (`{ago}`), so a card that is not edited
 * never shows a frozen age. The fallback is the UTC time.
 */
export function slackAgo(ms: number): string {
  if (!Number.isFinite(ms)) return 'at an unknown time';
  return `<!date^${Math.floor(ms / 1000)}^{ago}|at ${utcLabel(ms)}>`;
}

export function utcLabel(ms: number): string {
  if (!Number.isFinite(ms)) return 'unknown time';
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

// http too: a permalink is Slack's own answer (chat.getPermalink), and a local Slack (the sandbox) serves http.
const SAFE_URL = /^https?:\/\/[^\s<>|"]+$/;

/**
 * A link to a Slack permalink. A URL that is not http(s), or that contains
 * characters that would break out of `<url|label>`, yields `null` so the
 * caller can show a fallback instead.
 */
export function link(url: string, label: string): string | null {
  if (url.length > 2000 || !SAFE_URL.test(url)) return null;
  return `<${url.replace(/&/g, '&amp;')}|${escapeTruncate(singleLine(label), 200)}>`;
}
