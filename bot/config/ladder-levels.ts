import type { Severity } from '../../shared/schemas/enums.js';
import type { EscalationLevelSpec, WorkflowSpec } from './config-schema.js';

/** One rung of a workflow's escalation ladder (docs/contract/storms-ladder-hours.md#escalation-ladder), as the bot uses it. */
export interface LadderLevel {
  /** 1-based: escalation level 1 is the first rung. */
  level: number;
  /** How long after the previous level paged (level 1: after arrival) this one pages by itself, per severity; a severity left out waits for an Escalate click. */
  waitMs: Partial<Record<Severity, number>>;
  /** Where its card goes; null = the handoff card's own channel (the page goes in the card's thread). */
  channel: string | null;
  mention: string | null;
  smsTo: readonly string[];
}

type LadderSource = Pick<WorkflowSpec, 'levels' | 'escalate_after' | 'escalation_channel' | 'escalation_mention'>;

/**
 * The workflow's ladder. The older keys (`escalate_after`, `escalation_channel`, `escalation_mention`)
 * are a one-level ladder: one wait per severity, one channel, one mention, no SMS of its own.
 */
export function ladderOf(spec: LadderSource): LadderLevel[] {
  const levels: EscalationLevelSpec[] = spec.levels ?? [
    {
      ...(spec.escalate_after ? { wait: spec.escalate_after } : {}),
      ...(spec.escalation_channel ? { channel: spec.escalation_channel } : {}),
      ...(spec.escalation_mention ? { mention: spec.escalation_mention } : {}),
      sms_to: [],
    },
  ];
  return levels.map((l, i) => ({ level: i + 1, waitMs: l.wait ?? {}, channel: l.channel ?? null, mention: l.mention ?? null, smsTo: l.sms_to }));
}
