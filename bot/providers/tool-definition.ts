import { SEVERITIES } from '../../shared/schemas/enums.js';
import type { Workflow } from '../config/load-config.js';
import type { FieldSpec } from '../config/field-spec.js';
import { TEXT_FIELD_MAX } from '../config/field-spec.js';
import type { Platform } from './types.js';

/** Platforms whose agents call a tool; Twilio's agent ends its session with HandoffData instead. */
export const TOOL_PLATFORMS = ['vapi', 'retell', 'elevenlabs'] as const satisfies readonly Platform[];
export type ToolPlatform = (typeof TOOL_PLATFORMS)[number];

export const TOOL_NAME = 'request_handoff';
export const PUBLIC_URL_PLACEHOLDER = 'https://YOUR-HANDOFF-HOST';

type JsonSchema = Record<string, unknown>;

function fieldSchema(f: FieldSpec): JsonSchema {
  const description = [f.label, f.description].filter(Boolean).join(': ') || f.name.replace(/_/g, ' ');
  const base = { description };
  switch (f.type) {
    case 'text':
      return { type: 'string', maxLength: TEXT_FIELD_MAX, ...base };
    case 'number':
      return { type: 'number', ...base };
    case 'boolean':
      return { type: 'boolean', ...base };
    case 'date':
      return { type: 'string', format: 'date', ...base, description: `${description} (YYYY-MM-DD)` };
    case 'datetime':
      return { type: 'string', format: 'date-time', ...base, description: `${description} (ISO 8601 with offset)` };
    case 'phone':
      return { type: 'string', pattern: '^\\+[1-9]\\d{6,14}$', ...base, description: `${description} (E.164, e.g. +15555550100)` };
    case 'email':
      return { type: 'string', format: 'email', ...base };
    case 'url':
      return { type: 'string', format: 'uri', ...base };
    case 'enum':
      return { type: 'string', enum: [...(f.values ?? [])], ...base };
  }
}

/** The request's parameters as JSON Schema: the workflow's reasons (with their labels), severity, message and fields. */
export function handoffParameters(workflow: Workflow): JsonSchema {
  const reasons = [...workflow.reasonSpecs.entries()];
  const reasonLines = reasons.map(([name, spec]) => `${name}: ${spec.label ?? name.replace(/_/g, ' ')}`);
  const properties: Record<string, JsonSchema> = {
    handoff_reason: {
      type: 'string',
      enum: reasons.map(([name]) => name),
      description: `Why a person must take over. One of: ${reasonLines.join('; ')}`,
    },
    severity: { type: 'string', enum: [...SEVERITIES], description: 'Only if more urgent than the reason implies' },
    caller_message: { type: 'string', maxLength: 500, description: 'What you propose to tell the caller next' },
  };
  for (const f of workflow.fields) properties[f.name] = fieldSchema(f);
  return { type: 'object', properties, required: ['handoff_reason', ...workflow.fields.filter((f) => f.required).map((f) => f.name)] };
}

/** Labels of the reasons, for a person reading the definition. */
export function reasonLabels(workflow: Workflow): Record<string, string> {
  return Object.fromEntries([...workflow.reasonSpecs.entries()].map(([name, spec]) => [name, spec.label ?? name.replace(/_/g, ' ')]));
}

/**
 * What to paste into the platform so its agent can ask for a person (docs/contract/voice-platforms.md#tool-definitions): a Vapi function
 * tool, a Retell custom function, an ElevenLabs webhook tool, each pointing at this workflow's endpoint.
 */
export function toolDefinition(platform: ToolPlatform, workflow: Workflow, publicUrl: string | null): Record<string, unknown> {
  const url = `${(publicUrl ?? PUBLIC_URL_PLACEHOLDER).replace(/\/+$/, '')}/v1/providers/${platform}/${workflow.id}`;
  const description =
    `Hand this call to a person on the "${workflow.name}" team. Call it when a person must take over ` +
    '(an emergency, a sensitive or regulated request, an upset or confused caller, a promise you may not make), ' +
    'with what you know so far, then say the returned caller message.';
  const parameters = handoffParameters(workflow);
  switch (platform) {
    case 'vapi':
      return { type: 'function', function: { name: TOOL_NAME, description, parameters }, server: { url } };
    case 'retell':
      return { type: 'custom', name: TOOL_NAME, description, url, speak_during_execution: false, speak_after_execution: true, parameters };
    case 'elevenlabs': {
      const props = parameters.properties as Record<string, JsonSchema>;
      return {
        type: 'webhook',
        name: TOOL_NAME,
        description,
        api_schema: {
          url,
          method: 'POST',
          request_headers: { Authorization: 'Bearer <ELEVENLABS_TOOL_TOKEN>' },
          request_body_schema: {
            ...parameters,
            properties: {
              ...props,
              caller_id: { type: 'string', dynamic_variable: 'system__caller_id', description: "The caller's number" },
              conversation_id: { type: 'string', dynamic_variable: 'system__conversation_id', description: 'This conversation' },
            },
          },
        },
      };
    }
  }
}
