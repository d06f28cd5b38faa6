import { SEVERITIES } from '../../shared/schemas/enums.js';
import { CONNECT_TIMEOUT_MARGIN_MS } from '../config/config-schema.js';
import type { Workflow } from '../config/load-config.js';
import type { FieldSpec } from '../config/field-spec.js';
import { TEXT_FIELD_MAX } from '../config/field-spec.js';
import type { Platform } from './types.js';

/** Platforms whose agents call a tool; Twilio's agent ends its session with HandoffData instead. */
export const TOOL_PLATFORMS = ['vapi', 'retell', 'elevenlabs'] as const satisfies readonly Platform[];
export type ToolPlatform = (typeof TOOL_PLATFORMS)[number];

export const TOOL_NAME = 'request_handoff';
export const PUBLIC_URL_PLACEHOLDER = 'https://YOUR-HANDOFF-HOST';
/** Retell's dynamic variable that carries the claimer's phone to its transfer tool (`{{transfer_number}}`). */
export const TRANSFER_NUMBER_VARIABLE = 'transfer_number';

/**
 * One parameter as JSON Schema, with every keyword we know about it. Each platform gets only the
 * keywords it takes (the test-d files hold each projection to the platform SDK's request type): the
 * bot validates every value anyway, so a keyword left out never lets a bad value through, it only
 * makes the handoff incomplete instead of the model being told up front.
 */
export interface PropertySchema {
  type: 'string' | 'number' | 'boolean';
  description: string;
  enum?: string[];
  maxLength?: number;
  format?: 'date' | 'date-time' | 'email' | 'uri';
  pattern?: string;
}

export interface ParametersSchema<P> {
  type: 'object';
  properties: Record<string, P>;
  required: string[];
}

/** Vapi's `JsonSchema` has no `maxLength`, and its `format` is one of a list that has no `uri`. */
export interface VapiProperty {
  type: PropertySchema['type'];
  description: string;
  enum?: string[];
  format?: 'date' | 'date-time' | 'email';
  pattern?: string;
}

/** ElevenLabs' `LiteralJsonSchemaProperty`: the model fills it from the description, or a dynamic variable does (never both). */
export type ElevenLabsProperty = { type: PropertySchema['type']; description: string; enum?: string[] } | { type: 'string'; dynamic_variable: string };

export interface VapiToolDefinition {
  type: 'function';
  function: { name: string; description: string; parameters: ParametersSchema<VapiProperty> };
  server: { url: string; timeoutSeconds: number };
}

export interface RetellToolDefinition {
  type: 'custom';
  name: string;
  description: string;
  url: string;
  speak_during_execution: boolean;
  speak_after_execution: boolean;
  timeout_ms: number;
  response_variables: Record<string, string>;
  parameters: ParametersSchema<PropertySchema>;
}

export interface ElevenLabsToolDefinition {
  type: 'webhook';
  name: string;
  description: string;
  api_schema: {
    url: string;
    method: 'POST';
    request_headers: Record<string, string>;
    request_body_schema: ParametersSchema<ElevenLabsProperty>;
  };
}

export interface ToolDefinitions {
  vapi: VapiToolDefinition;
  retell: RetellToolDefinition;
  elevenlabs: ElevenLabsToolDefinition;
}

function fieldSchema(f: FieldSpec): PropertySchema {
  const description = [f.label, f.description].filter(Boolean).join(': ') || f.name.replace(/_/g, ' ');
  switch (f.type) {
    case 'text':
      return { type: 'string', description, maxLength: TEXT_FIELD_MAX };
    case 'number':
      return { type: 'number', description };
    case 'boolean':
      return { type: 'boolean', description };
    case 'date':
      return { type: 'string', description: `${description} (YYYY-MM-DD)`, format: 'date' };
    case 'datetime':
      return { type: 'string', description: `${description} (ISO 8601 with offset)`, format: 'date-time' };
    case 'phone':
      return { type: 'string', description: `${description} (E.164, e.g. +15555550100)`, pattern: '^\\+[1-9]\\d{6,14}$' };
    case 'email':
      return { type: 'string', description: `${description} (an email address)`, format: 'email' };
    case 'url':
      return { type: 'string', description: `${description} (a full https:// URL)`, format: 'uri' };
    case 'enum':
      return { type: 'string', description, enum: [...(f.values ?? [])] };
  }
}

/** The request's parameters as JSON Schema: the workflow's reasons (with their labels), severity, message and fields. */
export function handoffParameters(workflow: Workflow): ParametersSchema<PropertySchema> {
  const reasons = [...workflow.reasonSpecs.entries()];
  const reasonLines = reasons.map(([name, spec]) => `${name}: ${spec.label ?? name.replace(/_/g, ' ')}`);
  const properties: Record<string, PropertySchema> = {
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

function mapProperties<P>(params: ParametersSchema<PropertySchema>, project: (p: PropertySchema) => P): ParametersSchema<P> {
  return { ...params, properties: Object.fromEntries(Object.entries(params.properties).map(([name, p]) => [name, project(p)])) };
}

function vapiProperty({ type, description, enum: values, format, pattern }: PropertySchema): VapiProperty {
  return {
    type,
    description,
    ...(values ? { enum: values } : {}),
    ...(format && format !== 'uri' ? { format } : {}),
    ...(pattern ? { pattern } : {}),
  };
}

function elevenLabsProperty({ type, description, enum: values }: PropertySchema): ElevenLabsProperty {
  return { type, description, ...(values ? { enum: values } : {}) };
}

/** Labels of the reasons, for a person reading the definition. */
export function reasonLabels(workflow: Workflow): Record<string, string> {
  return Object.fromEntries([...workflow.reasonSpecs.entries()].map(([name, spec]) => [name, spec.label ?? name.replace(/_/g, ' ')]));
}

/** What the platform waits for our answer: the connect wait plus time for the answer to travel. */
export function connectTimeoutMs(workflow: Workflow): number {
  return workflow.connect.wait + CONNECT_TIMEOUT_MARGIN_MS;
}

/**
 * What to paste into the platform so its agent can ask for a person (docs/contract/voice-platforms.md#tool-definitions): a Vapi function
 * tool, a Retell custom function, an ElevenLabs webhook tool, each pointing at this workflow's endpoint.
 * Every workflow can hold a waiting caller (docs/contract/reaching-the-caller.md#what-the-tool-definitions-carry): Retell's function offers `wait_for_person`
 * and hands the claimer's number on as `{{transfer_number}}`; both platforms wait long enough for it.
 */
export function toolDefinition<P extends ToolPlatform>(platform: P, workflow: Workflow, publicUrl: string | null): ToolDefinitions[P];
export function toolDefinition(platform: ToolPlatform, workflow: Workflow, publicUrl: string | null): ToolDefinitions[ToolPlatform] {
  const url = `${(publicUrl ?? PUBLIC_URL_PLACEHOLDER).replace(/\/+$/, '')}/v1/providers/${platform}/${workflow.id}`;
  const description =
    `Hand this call to a person on the "${workflow.name}" team. Call it when a person must take over ` +
    '(an emergency, a sensitive or regulated request, an upset or confused caller, a promise you may not make), ' +
    'with what you know so far, then say the returned caller message.';
  const parameters = handoffParameters(workflow);
  switch (platform) {
    case 'vapi':
      return {
        type: 'function',
        function: { name: TOOL_NAME, description, parameters: mapProperties(parameters, vapiProperty) },
        server: { url, timeoutSeconds: Math.ceil(connectTimeoutMs(workflow) / 1000) },
      };
    case 'retell':
      return {
        type: 'custom',
        name: TOOL_NAME,
        description: `${description} If the caller wants to talk to a person now and can stay on the line, set wait_for_person; when the answer has a transfer_number, transfer the call to it.`,
        url,
        speak_during_execution: false,
        speak_after_execution: true,
        timeout_ms: connectTimeoutMs(workflow),
        response_variables: { [TRANSFER_NUMBER_VARIABLE]: `$.${TRANSFER_NUMBER_VARIABLE}` },
        parameters: {
          ...parameters,
          properties: {
            ...parameters.properties,
            wait_for_person: {
              type: 'boolean',
              description: `true to keep the caller on the line until a person takes the call (up to ${Math.round(workflow.connect.wait / 1000)} seconds)`,
            },
          },
        },
      };
    case 'elevenlabs': {
      const body = mapProperties(parameters, elevenLabsProperty);
      return {
        type: 'webhook',
        name: TOOL_NAME,
        description,
        api_schema: {
          url,
          method: 'POST',
          request_headers: { Authorization: 'Bearer <ELEVENLABS_TOOL_TOKEN>' },
          request_body_schema: {
            ...body,
            properties: {
              ...body.properties,
              caller_id: { type: 'string', dynamic_variable: 'system__caller_id' },
              conversation_id: { type: 'string', dynamic_variable: 'system__conversation_id' },
            },
          },
        },
      };
    }
  }
}
