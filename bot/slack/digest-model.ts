import { createHash } from 'node:crypto';
import type { HandoffConfig } from '../config/load-config.js';
import type { DigestRecord } from '../store/records.js';
import type { HandoffRecord } from '../store/records.js';
import { buildDigest, digestSettled, type DigestMessage, type DigestRow } from './cards/digest.js';
import { chatView, type ChatHandoff } from './chat-view.js';

function toDigestRow(h: ChatHandoff, config: HandoffConfig): DigestRow {
  const workflow = config.workflows.get(h.workflowId);
  const label = workflow?.reasonSpecs.get(h.reason)?.label;
  return {
    handoffId: h.id,
    severity: h.severity,
    reason: h.reason,
    ...(label ? { reasonLabel: label } : {}),
    workflowName: workflow?.name ?? h.workflowId,
    // A digest row names the caller only where the card would (docs/contract/regulated-workflows.md).
    caller: h.personal?.caller ?? null,
    status: h.status,
    claimedBy: h.claimedBy,
    carded: h.slackTs !== null,
    permalink: h.slackPermalink,
  };
}

export interface RenderedDigest {
  message: DigestMessage;
  /** Identifies what the message shows: an edit is due only when it differs from the posted one. */
  hash: string;
  /** Every row has its card: once shown, the digest never changes again. */
  settled: boolean;
}

/** What a digest shows for the current state of the handoffs it lists. */
export function renderDigest(digest: Pick<DigestRecord, 'id'>, entries: readonly HandoffRecord[], config: HandoffConfig): RenderedDigest {
  const rows = entries.map((h) => toDigestRow(chatView(h, config), config));
  const message = buildDigest({ digestId: digest.id, rows });
  const hash = createHash('sha256').update(JSON.stringify(message)).digest('base64url');
  return { message, hash, settled: digestSettled(rows) };
}
