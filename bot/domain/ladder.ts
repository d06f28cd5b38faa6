import type { Severity } from '../../shared/schemas/enums.js';
import type { LadderLevel } from '../config/ladder-levels.js';

/**
 * Who an escalation to `level` pages. A person may Escalate past the top of the ladder: those
 * escalations page the top level again. Level 0 (not escalated) is nobody's.
 */
export function levelAt(ladder: readonly LadderLevel[], level: number): LadderLevel | null {
  if (level < 1 || ladder.length === 0) return null;
  return ladder[Math.min(level, ladder.length) - 1] ?? null;
}

/**
 * When the level after `level` pages by itself if nobody claims: `from` plus that level's wait at
 * `severity`; null past the top of the ladder (the timer stops there) or when it has no wait for it.
 */
export function nextLevelDueAt(ladder: readonly LadderLevel[], level: number, severity: Severity, from: number): number | null {
  const next = ladder[level];
  const wait = next?.waitMs[severity];
  return wait === undefined ? null : from + wait;
}

/** Whether the timer may escalate a handoff at `level` once more (only up the configured rungs). */
export function timerMayEscalate(ladder: readonly LadderLevel[], level: number): boolean {
  return level < ladder.length;
}

/** The mention a card shows (urgent or escalated): the current level's, or level 1's before any escalation. */
export function mentionFor(ladder: readonly LadderLevel[], level: number): string | null {
  return levelAt(ladder, Math.max(1, level))?.mention ?? null;
}

/**
 * Where an escalation's page goes, so one channel never gets a second card for the same handoff
 * (issue #13 item 9): the card's own channel pages in the card's thread; a channel that already has
 * this handoff's escalation card pages in that card's thread (the card itself is edited to the new
 * level); any other channel gets a new escalation card.
 */
export type PagePlacement =
  | { kind: 'card_thread'; channel: string; ts: string }
  | { kind: 'escalation_thread'; channel: string; ts: string }
  | { kind: 'new_card'; channel: string };

export function placePage(
  levelChannel: string | null,
  card: { channel: string | null; ts: string | null; ownerChannel: string },
  escalationCards: readonly { channel: string; ts: string }[],
): PagePlacement {
  const cardChannel = card.channel ?? card.ownerChannel;
  const channel = levelChannel ?? cardChannel;
  if (channel === cardChannel && card.ts !== null) return { kind: 'card_thread', channel, ts: card.ts };
  const earlier = escalationCards.find((m) => m.channel === channel);
  if (earlier) return { kind: 'escalation_thread', channel, ts: earlier.ts };
  return { kind: 'new_card', channel };
}
