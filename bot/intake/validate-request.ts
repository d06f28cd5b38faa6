import { handoffRequestSchema, type HandoffRequest } from '../../shared/schemas/handoff-request.js';
import type { ErrorIssue } from '../../shared/schemas/error-body.js';
import type { HandoffConfig, Workflow } from '../config/load-config.js';
import { zodIssues } from '../config/format-issues.js';
import { ApiError } from '../errors/api-error.js';

export interface ValidRequest {
  request: HandoffRequest;
  workflow: Workflow;
  fields: Record<string, unknown>;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Drops optional fields sent as null: `null` means absent (docs/contract/http-api.md#request-body). */
function withoutNulls(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null && v !== undefined));
}

/**
 * Checks a parsed body in the contract's order (docs/contract/http-api.md#order-of-checks): unknown_workflow, then validation_failed with every
 * problem of the envelope and of the workflow's fields at once. Messages never echo input values.
 */
export function validateRequest(body: unknown, config: HandoffConfig): ValidRequest {
  if (!isPlainObject(body)) {
    throw new ApiError('validation_failed', 'The body must be a JSON object.', [{ path: '(root)', message: 'must be a JSON object' }]);
  }
  const workflow = typeof body.workflow_id === 'string' ? config.workflows.get(body.workflow_id) : undefined;
  if (typeof body.workflow_id === 'string' && body.workflow_id.length > 0 && !workflow) {
    throw new ApiError('unknown_workflow', 'workflow_id does not name a configured workflow.', [
      { path: 'workflow_id', message: 'not a configured workflow' },
    ]);
  }
  const issues: ErrorIssue[] = [];
  const envelope = handoffRequestSchema.safeParse(body, { reportInput: true });
  if (!envelope.success) issues.push(...zodIssues(envelope.error, [], { named: true }));
  let fields: Record<string, unknown> = {};
  if (workflow && isPlainObject(body.structured_fields)) {
    const parsed = workflow.fieldsSchema.safeParse(body.structured_fields, { reportInput: true });
    if (parsed.success) fields = withoutNulls(parsed.data);
    else issues.push(...zodIssues(parsed.error, ['structured_fields'], { named: true }));
  }
  if (issues.length > 0 || !envelope.success || !workflow) {
    throw new ApiError('validation_failed', 'The handoff does not match the schema; see issues.', issues);
  }
  return { request: envelope.data, workflow, fields };
}
