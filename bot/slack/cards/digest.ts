import type { HandoffStatus, Severity } from '../../../shared/schemas/enums.js';
import { escapeTruncate, link, singleLine } from '../mrkdwn.js';
import { HANDOFF_ACTION_IDS } from './actions.js';
import { type ContextBlock, type MessageBlock, type ButtonSectionBlock, mrkdwn, plain } from './blocks.js';
import { actorText, reasonText, severityText } from './format.js';
import { plural } from './pack.js';
import { BLOCK_KIT_LIMITS } from '../../../shared/block-kit-limits.js';

/** One header section, the rows, one context footer: Slack's 50 blocks per message. */
export const DIGEST_MAX_ROWS = BLOCK_KIT_LIMITS.messageBlocks - 2;

export interface DigestRow {
  handoffId: string;
  severity: Severity;
  reason: string;
  reasonLabel?: string;
  workflowName: string;
  /** The caller id as the chat view lets it through: null when erased or withheld, '' when none. */
  caller: string | null;
  status: HandoffStatus;
  claimedBy: string | null;
  /** The handoff's own card, once posted. */
  carded: boolean;
  permalink: string | null;
}

export interface DigestInput {
  digestId: number;
  rows: readonly DigestRow[];
}

export function digestMetadata(digestId: number): { event_type: 'handoff_digest'; event_payload: { digest_id: number } } {
  return { event_type: 'handoff_digest', event_payload: { digest_id: digestId } };
}

/** Every row has its own card (or needs none): the digest will not change again. */
export function digestSettled(rows: readonly DigestRow[]): boolean {
  return rows.every((r) => r.carded);
}

function rowText(row: DigestRow): string {
  const head = `${severityText(row.severity, true)} · ${escapeTruncate(reasonText(row), 120)}`;
  const workflow = escapeTruncate(singleLine(row.workflowName), 80);
  const caller = !row.caller ? '' : ` · ${escapeTruncate(singleLine(row.caller), 64)}`;
  const state =
    row.status === 'resolved' ? 'Resolved' : row.status === 'claimed' ? `Claimed by ${actorText(row.claimedBy)}` : row.carded ? 'Open' : 'Open, unclaimed';
  const card = row.carded ? ` · ${(row.permalink && link(row.permalink, 'its card')) ?? 'has its card'}` : '';
  return `${head}\n${workflow}${caller} · \`${row.handoffId}\` · ${state}${card}`;
}

/**
 * The digest of a storm: every handoff that arrived faster than the channel's 1 message/s lets cards
 * go out, one row each with a Claim button (the card's own action id and value, so a click takes the
 * same path). Once a row's card is posted it links to the card instead: the card has every button.
 */
export interface DigestMessage {
  text: string;
  blocks: (MessageBlock | ButtonSectionBlock)[];
}

export function buildDigest(input: DigestInput): DigestMessage {
  const rows = input.rows.slice(0, DIGEST_MAX_ROWS);
  const waiting = rows.filter((r) => !r.carded).length;
  const lead =
    waiting === 0
      ? `Every handoff of this burst (${plural(rows.length, 'handoff')}) now has its own card below.`
      : `:rotating_light: *${plural(rows.length, 'handoff')} arrived at once.* Claim here now; each also gets its own card as Slack's pace allows (${waiting} still to come).`;
  const blocks: DigestMessage['blocks'] = [{ type: 'section', block_id: 'ho_digest_head', text: mrkdwn(lead) }];
  for (const row of rows) {
    const section: ButtonSectionBlock = { type: 'section', block_id: `ho_digest_${row.handoffId}`, text: mrkdwn(rowText(row)) };
    if (!row.carded && row.status === 'open') {
      section.accessory = { type: 'button', action_id: HANDOFF_ACTION_IDS.claim, text: plain('Claim'), style: 'primary', value: row.handoffId };
    }
    blocks.push(section);
  }
  const footer: ContextBlock = { type: 'context', block_id: 'ho_digest_footer', elements: [mrkdwn(`Storm digest #${input.digestId}: edited in place as cards go out.`)] };
  blocks.push(footer);
  const urgent = rows.filter((r) => r.severity === 'urgent' && r.status === 'open').length;
  const text = `${plural(rows.length, 'handoff')} waiting${urgent > 0 ? ` (${urgent} urgent)` : ''}: claim from the digest`;
  return { text, blocks };
}
