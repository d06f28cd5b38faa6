/**
 * What a commit changed, for whoever acts on it: the SSE hub reads new events, the outbox worker
 * looks for rows (and learns new pace keys), the escalation scheduler re-arms.
 */
export interface CommitNotice {
  /** Handoffs whose row changed (or was created). */
  handoffIds: readonly string[];
  /** Rows were appended to the event log. */
  events: boolean;
  /** Outbox rows were written; the pace keys among them. */
  outbox: { paceKeys: readonly string[] } | null;
  /** Escalation due times this commit set (a new handoff): the scheduler re-arms if one is sooner. */
  dueAt: readonly number[];
  /** Due times may have changed or been cleared: the scheduler re-reads the next one. */
  dueChanged: boolean;
}

export type CommitListener = (notice: CommitNotice) => void;

/**
 * The one post-commit signal. Stores publish after each commit; workers subscribe. A listener that
 * throws does not keep the others from hearing the commit.
 */
export class CommitNotifier {
  private readonly listeners = new Set<CommitListener>();

  subscribe(listener: CommitListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(partial: Partial<CommitNotice>): void {
    const notice: CommitNotice = { handoffIds: [], events: false, outbox: null, dueAt: [], dueChanged: false, ...partial };
    for (const listener of this.listeners) {
      try {
        listener(notice);
      } catch {
        // A subscriber's failure is its own; the commit stands and the others still hear it.
      }
    }
  }
}
