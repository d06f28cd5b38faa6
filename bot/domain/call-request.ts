import { NOTIFY_CHANNELS, SEVERITIES, type NotifyChannel, type Severity } from '../../shared/schemas/enums.js';
import type { Workflow } from '../config/load-config.js';
import { zodIssues } from '../config/format-issues.js';
import type { IntakeIssue } from './handoff-record.js';

/** Parameters that docs/contract/voice-platforms.md#mapping and docs/contract/reaching-the-caller.md name: never structured fields. */
export const RESERVED_PARAMS = ['handoff_reason', 'severity', 'notify', 'caller_message', 'structured_fields', 'caller_id', 'conversation_id', 'wait_for_person'] as const;
const RESERVED = new Set<string>(RESERVED_PARAMS);

/** A card lists at most this many problems; a runaway tool call cannot grow the row without bound. */
export const MAX_ISSUES = 20;
const PATH_MAX = 100;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;

/** A live caller's request for a person, read leniently: what was usable, and what was missing or invalid. */
export interface CallRequest {
  callerId: string | null;
  reason?: string;
  severity?: Severity;
  notify?: NotifyChannel[];
  callerMessage?: string;
  /** Only values that passed the workflow's field rules. */
  fields: Record<string, unknown>;
  /** Problems tied to a parameter the request stated (its path's first segment names it). */
  valueIssues: IntakeIssue[];
  /** The parameter names this request stated, so a later request's statement replaces an earlier problem. */
  stated: string[];
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function absent(v: unknown): boolean {
  return v === undefined || v === null || v === '';
}

function issue(path: string, message: string): IntakeIssue {
  return { path: path.slice(0, PATH_MAX), message };
}

/** The field part of a request: `structured_fields` if it is an object, else every parameter not reserved. */
function rawFields(params: Record<string, unknown>): Record<string, unknown> {
  if (isPlainObject(params.structured_fields)) return params.structured_fields;
  return Object.fromEntries(Object.entries(params).filter(([k]) => !RESERVED.has(k)));
}

/**
 * Checks each given field against the workflow's rules; keeps the valid ones and names the rest.
 * Required fields are not checked here (see missingRequired): a later request may still bring them.
 */
function checkFields(given: Record<string, unknown>, workflow: Workflow): { fields: Record<string, unknown>; issues: IntakeIssue[] } {
  const present = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== null && v !== undefined));
  const parsed = workflow.fieldsSchema.safeParse(present);
  if (parsed.success) return { fields: present, issues: [] };
  const bad = new Set<string>();
  const issues: IntakeIssue[] = [];
  for (const i of zodIssues(parsed.error)) {
    const name = i.path.split(/[.[]/)[0]!;
    if (!Object.hasOwn(present, name)) continue; // a required field that is absent
    bad.add(name);
    issues.push(issue(i.path, i.message));
  }
  return { fields: Object.fromEntries(Object.entries(present).filter(([k]) => !bad.has(k))), issues };
}

/** Required fields the handoff still lacks. */
export function missingRequired(fields: Record<string, unknown>, workflow: Workflow): IntakeIssue[] {
  return workflow.fields.filter((f) => f.required && absent(fields[f.name])).map((f) => issue(f.name, 'required, missing'));
}

/**
 * Reads a platform's parameters by name (docs/contract/voice-platforms.md#mapping) without refusing anything: a value that
 * breaks a rule is left out and named, so the handoff is still accepted and its card says what was wrong.
 * Issue messages name rules, never the values given.
 */
export function readCallRequest(ask: { callerId: string | null; params: Record<string, unknown>; issues: readonly IntakeIssue[] }, workflow: Workflow): CallRequest {
  const p = ask.params;
  const issues: IntakeIssue[] = [...ask.issues];
  const out: CallRequest = { callerId: null, fields: {}, valueIssues: issues, stated: [] };

  const callerId = ask.callerId;
  if (callerId !== null && callerId.length <= 64 && !CONTROL_CHARS.test(callerId)) out.callerId = callerId;
  else issues.push(issue('caller_id', callerId === null ? 'missing: the platform sent no caller number' : 'not a caller id (1-64 characters, no control characters)'));

  if (!absent(p.handoff_reason)) {
    if (typeof p.handoff_reason === 'string' && workflow.reasonSpecs.has(p.handoff_reason)) out.reason = p.handoff_reason;
    else issues.push(issue('handoff_reason', `not one of the workflow's reasons (${[...workflow.reasonSpecs.keys()].join(', ')})`));
  }
  if (!absent(p.severity)) {
    if (typeof p.severity === 'string' && (SEVERITIES as readonly string[]).includes(p.severity)) out.severity = p.severity as Severity;
    else issues.push(issue('severity', `must be one of ${SEVERITIES.join(', ')}`));
  }
  if (!absent(p.notify)) {
    const list = Array.isArray(p.notify) ? p.notify : typeof p.notify === 'string' ? [p.notify] : null;
    const valid = (list ?? []).filter((c): c is NotifyChannel => typeof c === 'string' && (NOTIFY_CHANNELS as readonly string[]).includes(c));
    if (list === null || valid.length !== list.length) issues.push(issue('notify', `entries must be ${NOTIFY_CHANNELS.join(', ')}`));
    if (valid.length > 0) out.notify = [...new Set(valid)];
  }
  if (!absent(p.caller_message)) {
    if (typeof p.caller_message === 'string' && p.caller_message.length <= 500) out.callerMessage = p.caller_message;
    else issues.push(issue('caller_message', 'must be text of at most 500 characters'));
  }
  if (p.structured_fields !== undefined && p.structured_fields !== null && !isPlainObject(p.structured_fields)) {
    issues.push(issue('structured_fields', 'must be an object'));
  }

  const given = rawFields(p);
  const checked = checkFields(given, workflow);
  out.fields = checked.fields;
  issues.push(...checked.issues);
  out.stated = [...new Set([...Object.keys(given), ...Object.keys(p).filter((k) => RESERVED.has(k)), 'caller_id'])];
  out.valueIssues = issues.slice(0, MAX_ISSUES);
  return out;
}

/** Every problem of a request at intake: its own, plus required fields it lacks. Null when there is none. */
export function intakeIssues(valueIssues: readonly IntakeIssue[], fields: Record<string, unknown>, workflow: Workflow): IntakeIssue[] | null {
  // A required field given with an invalid value is named once, with the rule it broke.
  const named = new Set(valueIssues.map((i) => i.path.split(/[.[]/)[0]!));
  const missing = missingRequired(fields, workflow).filter((i) => !named.has(i.path));
  const all = [...valueIssues, ...missing].slice(0, MAX_ISSUES);
  return all.length > 0 ? all : null;
}
