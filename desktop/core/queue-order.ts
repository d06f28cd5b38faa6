/**
 * The order of the desktop list, the same as `/handoff status` lists the queue (the status
 * queries' ORDER BY in bot/store): most severe first, within a severity the unclaimed before the
 * claimed, then the one waiting longest; resolved ones (kept a while for their outcome) last.
 */
import type { HandoffView } from '../../shared/schemas/handoff-view.js';

export const SEVERITY_RANK: Record<HandoffView['severity'], number> = { urgent: 0, high: 1, normal: 2, low: 3 };
const STATUS_RANK: Record<HandoffView['status'], number> = { open: 0, claimed: 1, resolved: 2 };

export function queueOrder(a: HandoffView, b: HandoffView): number {
  const resolved = Number(a.status === 'resolved') - Number(b.status === 'resolved');
  return (
    resolved ||
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    STATUS_RANK[a.status] - STATUS_RANK[b.status] ||
    Date.parse(a.received_at) - Date.parse(b.received_at)
  );
}
