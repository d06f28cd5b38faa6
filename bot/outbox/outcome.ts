import type { OutboxKind, OutboxRecord } from '../store/records.js';

/** What a delivery attempt decided; the worker turns it into an outbox row update. */
export type DeliveryOutcome =
  | { type: 'done' }
  | { type: 'retry'; code: string; afterMs: number; countAttempt?: boolean; pauseKey?: string }
  | { type: 'give_up'; code: string }
  /**
   * Nothing of this row was attempted: look again at `afterMs`. `paceUsed` says whether the row's pace
   * slot was spent on something else (a digest in the same channel) or is still free.
   */
  | { type: 'defer'; afterMs: number; paceUsed: boolean };

export type DeliveryHandler = (item: OutboxRecord) => Promise<DeliveryOutcome>;

export type DeliveryHandlers = Partial<Record<OutboxKind, DeliveryHandler>>;
