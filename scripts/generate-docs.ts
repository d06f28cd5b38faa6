// `npm run docs`: JSON Schemas and an OpenAPI 3.1 document generated from the
// zod schemas in shared/schemas and the error table in shared/errors.ts, so the
// docs cannot drift from the code. `--check` exits 1 when docs/generated differs or a citation of
// the contract (docs/contract/) dangles (scripts/contract-citations.ts), or .env.example and the
// README's settings table name different variables (scripts/env-example.ts).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { citationProblems, trackedTextFiles } from './contract-citations.js';
import { envExampleProblems } from './env-example.js';
import { ERROR_STATUS, type ErrorCode } from '../shared/errors.js';
import {
  errorBodySchema,
  handoffAcceptedSchema,
  handoffEventSchema,
  handoffRequestSchema,
  handoffViewSchema,
  pairRequestSchema,
  pairResponseSchema,
  resolveRequestSchema,
} from '../shared/schemas/index.js';

export const GENERATED_DIR = join(import.meta.dirname, '..', 'docs', 'generated');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** What the request table of docs/contract/http-api.md#request-body says of each field; zod carries the types and limits. */
const REQUEST_FIELD_DOCS: Record<string, string> = {
  workflow_id: 'Must name a configured workflow.',
  caller_id: 'E.164 phone number or an opaque caller id; no control characters.',
  call_status: 'State of the call when the agent hands off.',
  structured_fields: "Validated against the workflow's `fields`; keys it does not define are rejected; `null` for an optional field means absent.",
  webhook_url: 'Absolute http/https URL for status callbacks. One the SSRF guard refuses turns callbacks off for this handoff; it never rejects the handoff.',
  handoff_reason: "One of the workflow's `reasons`; default `unspecified`.",
  severity: "Default: the reason's severity; a sensitive reason is raised to at least `high`.",
  notify: "Default: the reason's `notify`. The Slack card is always posted; `sms` and `desktop` add channels.",
  caller_message: 'What the agent proposes to say; used as given only for a non-sensitive reason.',
  idempotency_key: 'Default: the `webhook-id` header. Scoped to the workflow, kept at least 7 days.',
  signature_status: 'Ignored: the server records its own (`verified`, `unsigned`).',
};

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  return z.toJSONSchema(schema, { target: 'draft-2020-12', io }) as JsonObject;
}

function withoutDialect(schema: JsonObject): JsonObject {
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}

function handoffRequestJsonSchema(): JsonObject {
  const schema = jsonSchema(handoffRequestSchema, 'input');
  const props = schema.properties as Record<string, JsonObject>;
  for (const [name, description] of Object.entries(REQUEST_FIELD_DOCS)) {
    if (props[name]) props[name] = { description, ...props[name] };
  }
  if (props.webhook_url) props.webhook_url.format = 'uri';
  return { title: 'HandoffRequest', description: 'Body of POST /v1/handoffs (docs/contract/http-api.md#request-body). Unknown top-level fields are rejected.', ...schema };
}

const ref = (name: string): JsonObject => ({ $ref: `#/components/schemas/${name}` });

function errorResponse(codes: readonly ErrorCode[], extra = ''): JsonObject {
  return {
    description: `${codes.map((c) => `\`${c}\``).join(', ')}${extra}`,
    content: {
      'application/json': {
        schema: { allOf: [ref('Error'), { type: 'object', properties: { error: { type: 'string', enum: [...codes] } } }] },
      },
    },
  };
}

/** Responses for these codes, one per status, each listing its codes (status from the one table). */
function errorResponses(codes: readonly ErrorCode[]): Record<string, JsonObject> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const status = ERROR_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries([...byStatus.entries()].sort(([a], [b]) => a - b).map(([status, list]) => [String(status), errorResponse(list)]));
}

/** Codes that exist in the table, in the order given (the table is the source of truth). */
function known(...codes: string[]): ErrorCode[] {
  return codes.filter((c): c is ErrorCode => c in ERROR_STATUS);
}

const INTAKE_CODES = known(
  'payload_too_large',
  'unsupported_media_type',
  'invalid_signature',
  'invalid_json',
  'unknown_workflow',
  'validation_failed',
  'unknown_reason',
  'idempotency_key_reused',
  'idempotency_in_progress',
  'unavailable',
  'method_not_allowed',
);

const BEARER = [{ desktopToken: [] }];
const HANDOFF_ID_PARAM: JsonObject = { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^ho_' } };

function desktopAction(action: 'claim' | 'escalate' | 'resolve'): JsonObject {
  return {
    post: {
      operationId: `${action}Handoff`,
      tags: ['desktop'],
      summary: `${action[0]!.toUpperCase()}${action.slice(1)} a handoff as the paired user (same code path as the Slack button)`,
      security: BEARER,
      parameters: [HANDOFF_ID_PARAM],
      ...(action === 'resolve'
        ? { requestBody: { required: false, description: 'How it ended; no body means `{"outcome": "handled"}`.', content: { 'application/json': { schema: ref('ResolveRequest') } } } }
        : {}),
      responses: {
        '200': { description: 'The handoff after the action.', content: { 'application/json': { schema: ref('HandoffView') } } },
        ...errorResponses(
          action === 'resolve'
            ? known('invalid_json', 'validation_failed', 'unauthorized', 'forbidden', 'not_found', 'conflict', 'method_not_allowed', 'unavailable')
            : known('unauthorized', 'forbidden', 'not_found', 'conflict', 'method_not_allowed', 'unavailable'),
        ),
      },
    },
  };
}

export function buildOpenApi(): JsonObject {
  const codeTable = Object.entries(ERROR_STATUS)
    .map(([code, status]) => `| \`${code}\` | ${status} |`)
    .join('\n');
  return {
    openapi: '3.1.0',
    info: {
      title: 'handoff',
      version: '0.1.0',
      description:
        'Human handoff for AI phone agents: signed webhooks in, a person on every call out. Generated by `npm run docs` from shared/schemas and shared/errors.ts; do not edit by hand.\n\n' +
        'Every error answer is `{"error": "<code>", "message": "…", "issues"?: […]}` with one of these codes:\n\n| code | HTTP status |\n|---|---|\n' +
        codeTable,
      license: { name: 'MIT', identifier: 'MIT' },
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: 'http://127.0.0.1:3000', description: 'default `PORT`/`HOST`' }],
    tags: [
      { name: 'intake', description: 'Handoffs from the Call App' },
      { name: 'operations', description: 'Health, readiness and metrics' },
      { name: 'desktop', description: 'The desktop tray app (bearer token from pairing)' },
    ],
    paths: {
      '/v1/handoffs': {
        post: {
          operationId: 'createHandoff',
          tags: ['intake'],
          summary: 'Receive a handoff',
          description:
            'Signed per Standard Webhooks: HMAC-SHA256 over `{webhook-id}.{webhook-timestamp}.{raw body}` with the base64-decoded part of a `whsec_` secret. ' +
            'Timestamps more than 300 s from now are rejected. The 202 is sent after the handoff is durably committed. ' +
            'A retry with the same idempotency key and the same body gets the first response again with `idempotent-replayed: true`. ' +
            'Errors are checked in this order: 413, 415, 401, 400, then a known key replays, then 422 unknown_workflow / validation_failed / unknown_reason, 409, 503.',
          parameters: [
            { name: 'webhook-id', in: 'header', required: true, description: 'Unique message id; the default idempotency key.', schema: { type: 'string', minLength: 1 } },
            { name: 'webhook-timestamp', in: 'header', required: true, description: 'Unix seconds; within 300 s of the server clock.', schema: { type: 'string', pattern: '^[0-9]+$' } },
            {
              name: 'webhook-signature',
              in: 'header',
              required: true,
              description: 'Space-separated `v1,<base64 HMAC-SHA256>` entries; any one valid signature with any configured secret verifies.',
              schema: { type: 'string', pattern: '^v1,' },
            },
          ],
          requestBody: { required: true, content: { 'application/json': { schema: ref('HandoffRequest') } } },
          responses: {
            '202': {
              description: 'Accepted and durably stored. `caller_message` is what the agent should say next.',
              headers: { 'idempotent-replayed': { description: '`true` when this is the stored answer of an earlier request with the same key and body.', schema: { type: 'string', enum: ['true'] } } },
              content: { 'application/json': { schema: ref('HandoffAccepted') } },
            },
            ...errorResponses(INTAKE_CODES),
          },
        },
      },
      '/healthz': {
        get: {
          operationId: 'healthz',
          tags: ['operations'],
          summary: 'Liveness: the process runs',
          responses: { '200': { description: 'Running.', content: { 'application/json': { schema: ref('Health') } } } },
        },
      },
      '/readyz': {
        get: {
          operationId: 'readyz',
          tags: ['operations'],
          summary: 'Readiness: the database answers',
          responses: {
            '200': { description: 'The database answers.', content: { 'application/json': { schema: { type: 'object' } } } },
            '503': { description: 'The database does not answer.', content: { 'application/json': { schema: { type: 'object' } } } },
          },
        },
      },
      '/metrics': {
        get: {
          operationId: 'metrics',
          tags: ['operations'],
          summary: 'Prometheus metrics',
          description: 'Handoffs received by result, intake latency histogram, outbox depth and age, Slack API errors, escalations.',
          responses: { '200': { description: 'Prometheus text exposition format.', content: { 'text/plain': { schema: { type: 'string' } } } } },
        },
      },
      '/v1/desktop/pair': {
        post: {
          operationId: 'pairDesktop',
          tags: ['desktop'],
          summary: 'Exchange a one-time code from `/handoff desktop` for a token bound to that Slack user',
          requestBody: { required: true, content: { 'application/json': { schema: ref('PairRequest') } } },
          responses: {
            '200': { description: 'Paired. Store the token securely; it is shown once.', content: { 'application/json': { schema: ref('PairResponse') } } },
            ...errorResponses(known('invalid_request', 'invalid_pairing_code', 'unauthorized', 'rate_limited', 'method_not_allowed')),
          },
        },
      },
      '/v1/events': {
        get: {
          operationId: 'events',
          tags: ['desktop'],
          summary: 'Server-Sent Events: one `HandoffEvent` per event, `id:` = seq',
          security: BEARER,
          parameters: [
            { name: 'Last-Event-ID', in: 'header', required: false, description: 'Resume after this event id.', schema: { type: 'string', pattern: '^[0-9]+$' } },
            { name: 'last_event_id', in: 'query', required: false, description: 'Same as the header, for clients that cannot set it.', schema: { type: 'string', pattern: '^[0-9]+$' } },
          ],
          responses: {
            '200': {
              description: 'An event stream; each `data:` is a HandoffEvent.',
              content: { 'text/event-stream': { schema: { type: 'string' }, 'x-event-schema': ref('HandoffEvent') } },
            },
            ...errorResponses(known('invalid_request', 'unauthorized')),
          },
        },
      },
      '/v1/handoffs/{id}': {
        get: {
          operationId: 'getHandoff',
          tags: ['desktop'],
          summary: 'One handoff as the paired user sees it',
          security: BEARER,
          parameters: [HANDOFF_ID_PARAM],
          responses: {
            '200': { description: 'The handoff.', content: { 'application/json': { schema: ref('HandoffView') } } },
            ...errorResponses(known('unauthorized', 'not_found')),
          },
        },
      },
      '/v1/handoffs/{id}/claim': desktopAction('claim'),
      '/v1/handoffs/{id}/escalate': desktopAction('escalate'),
      '/v1/handoffs/{id}/resolve': desktopAction('resolve'),
    },
    components: {
      securitySchemes: { desktopToken: { type: 'http', scheme: 'bearer', description: 'Token from POST /v1/desktop/pair.' } },
      schemas: {
        HandoffRequest: withoutDialect(handoffRequestJsonSchema()),
        HandoffAccepted: withoutDialect(jsonSchema(handoffAcceptedSchema, 'output')),
        Error: withoutDialect(errorJsonSchema()),
        ErrorCode: { type: 'string', enum: Object.keys(ERROR_STATUS) },
        HandoffView: withoutDialect(jsonSchema(handoffViewSchema, 'output')),
        HandoffEvent: withoutDialect(jsonSchema(handoffEventSchema, 'output')),
        PairRequest: withoutDialect(jsonSchema(pairRequestSchema, 'input')),
        PairResponse: withoutDialect(jsonSchema(pairResponseSchema, 'output')),
        ResolveRequest: withoutDialect(jsonSchema(resolveRequestSchema, 'input')),
        Health: { type: 'object', properties: { status: { type: 'string', const: 'ok' } }, required: ['status'] },
      },
    },
  };
}

function errorJsonSchema(): JsonObject {
  return { title: 'Error', description: 'Every error answer of the HTTP API; `error` is a stable code (see ErrorCode).', ...jsonSchema(errorBodySchema, 'output') };
}

/** Every generated file: path relative to docs/generated -> content. */
export function buildDocs(): Record<string, string> {
  const text = (v: Json) => `${JSON.stringify(v, null, 2)}\n`;
  return {
    'handoff-request.schema.json': text(handoffRequestJsonSchema()),
    'handoff-accepted.schema.json': text({ title: 'HandoffAccepted', ...jsonSchema(handoffAcceptedSchema, 'output') }),
    'error.schema.json': text(errorJsonSchema()),
    'openapi.json': text(buildOpenApi()),
  };
}

/** The generated files that are missing or differ on disk. */
export function staleFiles(dir: string, docs: Record<string, string>): string[] {
  return Object.entries(docs)
    .filter(([name, content]) => {
      try {
        return readFileSync(join(dir, name), 'utf8') !== content;
      } catch {
        return true;
      }
    })
    .map(([name]) => name);
}

function main(argv: string[]): number {
  const docs = buildDocs();
  if (argv.includes('--check')) {
    const stale = staleFiles(GENERATED_DIR, docs);
    for (const name of stale) console.error(`docs: ${relative(process.cwd(), join(GENERATED_DIR, name))} is out of date; run npm run docs`);
    const dangling = citationProblems(trackedTextFiles(join(import.meta.dirname, '..')));
    for (const problem of dangling) console.error(`docs: ${problem}`);
    const root = join(import.meta.dirname, '..');
    const envDrift = envExampleProblems(readFileSync(join(root, 'README.md'), 'utf8'), readFileSync(join(root, '.env.example'), 'utf8'));
    for (const problem of envDrift) console.error(`docs: ${problem}`);
    return stale.length === 0 && dangling.length === 0 && envDrift.length === 0 ? 0 : 1;
  }
  for (const [name, content] of Object.entries(docs)) {
    const file = join(GENERATED_DIR, name);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    console.log(`docs: wrote ${relative(process.cwd(), file)}`);
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = main(process.argv.slice(2));
