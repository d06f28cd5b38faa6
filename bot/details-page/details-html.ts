import { createHash } from 'node:crypto';
import type { Workflow } from '../config/load-config.js';
import { allFields } from '../domain/visible-fields.js';
import type { HandoffRecord } from '../store/records.js';

/** The page's one style sheet, inline: the CSP allows exactly this text (its hash) and nothing else. */
const STYLE = `
:root { color-scheme: light dark; --fg: #1d1c1d; --muted: #616061; --line: #dddddd; --bg: #ffffff; --warn: #8a5a00; }
@media (prefers-color-scheme: dark) { :root { --fg: #e8e8e8; --muted: #a0a0a0; --line: #3a3a3a; --bg: #1a1d21; --warn: #e0b050; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 16px/1.5 -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
main { max-width: 44rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.25rem; margin: 0.5rem 0 1rem; }
dl { margin: 0; display: grid; grid-template-columns: minmax(7rem, 30%) 1fr; border-top: 1px solid var(--line); }
dt, dd { margin: 0; padding: 0.5rem 0.25rem; border-bottom: 1px solid var(--line); overflow-wrap: anywhere; white-space: pre-wrap; }
dt { color: var(--muted); font-weight: 600; }
@media (max-width: 30rem) { dl { grid-template-columns: 1fr; } dt { border-bottom: 0; padding-bottom: 0; } }
h2 { font-size: 1rem; margin: 1.5rem 0 0.5rem; }
.note { color: var(--muted); font-size: 0.875rem; }
.warn { color: var(--warn); }
`;

/** `default-src 'none'` plus the inline style above, by hash: no script, image, font, frame or form. */
export const DETAILS_PAGE_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><meta name="robots" content="noindex, nofollow">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>${body}</main></body></html>
`;
}

/** The same answer for every link that may not be shown: it does not say whether the handoff exists. */
export const GONE_PAGE = page(
  'Link expired',
  `<h1>This link has expired or was already used</h1>
<p>A Details link works once, for 10 minutes, in the browser that first opened it.</p>
<p class="note">Click <strong>Details</strong> on the card in Slack for a new one.</p>`,
);

/** A store that does not answer: the link is still good, try again. */
export const UNAVAILABLE_PAGE = page('Try again', '<h1>The details could not be read just now</h1><p>Reload this page in a moment.</p>');

function iso(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function row(label: string, value: string | null): string {
  return `<dt>${escapeHtml(label)}</dt><dd>${value === null ? '<em>not given</em>' : escapeHtml(value) || '<em>empty</em>'}</dd>`;
}

const STATUS: Record<HandoffRecord['status'], string> = { open: 'Open', claimed: 'Claimed', resolved: 'Resolved' };
const SEVERITY: Record<HandoffRecord['severity'], string> = { low: 'Low', normal: 'Normal', high: 'High', urgent: 'Urgent' };

export interface DetailsPageInput {
  handoff: HandoffRecord;
  /** Undefined when the workflow left the config. */
  workflow: Workflow | undefined;
  /** Until when this browser may reload the page. */
  expiresAt: number;
}

/**
 * The Details page (docs/contract/regulated-workflows.md): everything the Slack Details modal shows, served by the bot to the
 * person who clicked Details, so a `link_only` workflow's caller data never reaches Slack. Every value
 * is escaped; nothing is loaded from anywhere else.
 */
export function renderDetailsPage({ handoff: h, workflow, expiresAt }: DetailsPageInput): string {
  const reason = workflow?.reasonSpecs.get(h.reason)?.label ?? h.reason;
  const state = `${STATUS[h.status]}${h.escalationLevel > 0 ? `, escalated to level ${h.escalationLevel}` : ''}`;
  const summary = [
    row('Workflow', workflow?.name ?? h.workflowId),
    row('Reason', reason),
    row('Severity', SEVERITY[h.severity]),
    row('State', state),
    row('Call status', h.callStatus.replace(/_/g, ' ')),
  ];
  const parts: string[] = [`<h1>${escapeHtml(`${SEVERITY[h.severity]} · ${reason}`)}</h1>`];
  if (h.erasedAt !== null) {
    parts.push(`<dl>${summary.join('')}</dl>`);
    parts.push(
      `<p class="warn">The personal data of this handoff (caller id, structured fields, caller message, call summary) was erased on ${escapeHtml(iso(h.erasedAt))} under the retention policy.</p>`,
    );
  } else {
    summary.push(row('Caller', h.callerId === null || h.callerId === '' ? 'none given' : h.callerId));
    if (h.callerMessage !== null) summary.push(row('Caller was told', h.callerMessage));
    if (h.callSummary) summary.push(row('Call summary (from the voice platform)', h.callSummary));
    parts.push(`<dl>${summary.join('')}</dl>`);
    const fields = allFields(workflow?.fields ?? [], h.structuredFields ?? {});
    parts.push('<h2>Structured fields</h2>');
    if (fields.length === 0) parts.push('<p class="note">This workflow has no structured fields.</p>');
    else {
      const label = (f: (typeof fields)[number]) => `${f.sensitive ? '🔒 ' : ''}${f.label}${f.unknown ? ' (no longer in the config)' : f.sensitive ? ' (sensitive)' : ''}`;
      parts.push(`<dl>${fields.map((f) => row(label(f), f.value)).join('')}</dl>`);
    }
  }
  if (h.intakeIssues && h.intakeIssues.length > 0) {
    parts.push('<h2>Incomplete request: what was missing or invalid</h2>');
    parts.push(`<ul>${h.intakeIssues.map((i) => `<li>${escapeHtml(`${i.path}: ${i.message}`)}</li>`).join('')}</ul>`);
  }
  parts.push(
    `<p class="note">Handoff <code>${escapeHtml(h.id)}</code> · received ${escapeHtml(iso(h.receivedAt))}. Only you can open this page, in this browser, until ${escapeHtml(iso(expiresAt))}. Do not copy caller details into Slack.</p>`,
  );
  return page('Handoff details', parts.join('\n'));
}
