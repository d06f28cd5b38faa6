import { SEVERITIES, type Severity } from '../../shared/schemas/enums.js';

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

export function atLeast(s: Severity, floor: Severity): Severity {
  return severityRank(s) >= severityRank(floor) ? s : floor;
}

/** One step up, capped at `urgent` (Escalate). */
export function raiseSeverity(s: Severity): Severity {
  return SEVERITIES[Math.min(severityRank(s) + 1, SEVERITIES.length - 1)] as Severity;
}

/** The outbox priority of a handoff's rows (lower goes first): urgent before normal in every queue. */
export function priorityOf(severity: Severity): number {
  return SEVERITIES.length - 1 - SEVERITIES.indexOf(severity);
}
