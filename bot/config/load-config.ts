import { readFileSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { compileFields } from './compile-fields.js';
import { configSchema, IMPLICIT_REASON, type ReasonSpec, type WorkflowSpec } from './config-schema.js';
import type { FieldSpec } from './field-spec.js';
import { ladderOf, type LadderLevel } from './ladder-levels.js';
import { zodIssues, type PathIssue } from './format-issues.js';

export interface Workflow extends WorkflowSpec {
  /** Validates `structured_fields` against this workflow's `fields`. */
  fieldsSchema: z.ZodType<Record<string, unknown>>;
  /** The configured reasons plus the implicit `unspecified` one. */
  reasonSpecs: ReadonlyMap<string, ReasonSpec>;
  fieldsByName: ReadonlyMap<string, FieldSpec>;
  /** The escalation ladder (`levels`, or the older keys as one level). */
  ladder: readonly LadderLevel[];
}

export interface HandoffConfig {
  workflows: ReadonlyMap<string, Workflow>;
  /** Slack user id -> the E.164 phone that person takes calls on (docs/contract/reaching-the-caller.md#configuration). */
  people: ReadonlyMap<string, string>;
  retentionDays: number;
  /** The weekly digest's channel (`stats_channel`); absent = no digest. */
  statsChannel?: string;
  /** `max_waiting_callers`: held transfer requests at most (absent = half the connection cap; http/connection-guard.ts). */
  maxWaitingCallers?: number;
  /** `dial_country_codes`: the country calling codes the bot may dial; absent = those of TWILIO_FROM and `people` (domain/dial-policy.ts). */
  dialCountryCodes?: readonly string[];
  /** `retired_workflows_visible_to`: who may see and act on handoffs of workflows no longer configured (absent = nobody). */
  retiredWorkflowsVisibleTo?: readonly string[];
}

export class ConfigError extends Error {
  readonly code = 'invalid_config';
  constructor(
    readonly file: string,
    readonly issues: PathIssue[],
  ) {
    super(issues.map((i) => `${file}: ${i.path || '(root)'}: ${i.message}`).join('\n'));
  }
}

const IMPLICIT_REASON_SPEC: ReasonSpec = { severity: 'normal', sensitive: false, notify: ['slack'] };

function toWorkflow(spec: WorkflowSpec): Workflow {
  const reasonSpecs = new Map<string, ReasonSpec>(Object.entries(spec.reasons));
  if (!reasonSpecs.has(IMPLICIT_REASON)) reasonSpecs.set(IMPLICIT_REASON, IMPLICIT_REASON_SPEC);
  return {
    ...spec,
    fieldsSchema: compileFields(spec.fields),
    reasonSpecs,
    fieldsByName: new Map(spec.fields.map((f) => [f.name, f])),
    ladder: ladderOf(spec),
  };
}

/** Validates a parsed config document; throws ConfigError naming each YAML path at fault. */
export function buildConfig(document: unknown, file = 'handoff.config.yaml'): HandoffConfig {
  const parsed = configSchema.safeParse(document);
  if (!parsed.success) throw new ConfigError(file, zodIssues(parsed.error));
  return {
    workflows: new Map(parsed.data.workflows.map((wf) => [wf.id, toWorkflow(wf)])),
    people: new Map(Object.entries(parsed.data.people)),
    retentionDays: parsed.data.retention_days,
    ...(parsed.data.stats_channel ? { statsChannel: parsed.data.stats_channel } : {}),
    retiredWorkflowsVisibleTo: parsed.data.retired_workflows_visible_to,
    ...(parsed.data.dial_country_codes ? { dialCountryCodes: parsed.data.dial_country_codes } : {}),
    ...(parsed.data.max_waiting_callers ? { maxWaitingCallers: parsed.data.max_waiting_callers } : {}),
  };
}

export function parseConfigText(text: string, file = 'handoff.config.yaml'): HandoffConfig {
  let document: unknown;
  try {
    document = parseYaml(text, { prettyErrors: true });
  } catch (err) {
    const where = err instanceof YAMLParseError && err.linePos ? `line ${err.linePos[0].line}` : '(root)';
    throw new ConfigError(file, [{ path: where, message: `not valid YAML: ${(err as Error).message.split('\n')[0]}` }]);
  }
  return buildConfig(document, file);
}

export function loadConfigFile(file: string): HandoffConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, [{ path: '(file)', message: `cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})` }]);
  }
  return parseConfigText(text, file);
}
