import { SEVERITIES, type Severity } from '../../shared/schemas/enums.js';
import { severityRank } from '../domain/severity.js';
import type { HandoffAsk } from './types.js';

const isSeverity = (v: unknown): v is Severity => typeof v === 'string' && (SEVERITIES as readonly string[]).includes(v);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The tool calls of one platform request as one ask, so the request is one merge (one event, one card
 * edit) however many calls it carries: later calls' parameters win, except that the severity is the
 * highest asked for, `notify` is every channel asked for, and `structured_fields` objects are merged.
 * Pure; a request of one call is returned as it is.
 */
export function combineAsks(asks: readonly HandoffAsk[]): HandoffAsk {
  if (asks.length === 1) return asks[0]!;
  const params: Record<string, unknown> = {};
  let severity: Severity | null = null;
  const notify = new Set<unknown>();
  let fields: Record<string, unknown> | null = null;
  for (const ask of asks) {
    for (const [key, value] of Object.entries(ask.params)) {
      if (key === 'severity' && isSeverity(value)) severity = severity === null || severityRank(value) > severityRank(severity) ? value : severity;
      else if (key === 'notify' && Array.isArray(value)) for (const n of value) notify.add(n);
      else if (key === 'structured_fields' && isRecord(value)) fields = { ...(fields ?? {}), ...value };
      else params[key] = value;
    }
  }
  if (severity !== null) params['severity'] = severity;
  if (notify.size > 0) params['notify'] = [...notify];
  if (fields !== null) params['structured_fields'] = fields;
  const first = asks[0]!;
  return {
    callId: first.callId,
    callerId: asks.find((a) => a.callerId !== null)?.callerId ?? null,
    params,
    issues: asks.flatMap((a) => a.issues),
  };
}
