// The definitions `npm run tool-definition` prints, checked at run time by what the platforms' SDKs
// offer (docs/contract/voice-platforms.md#tool-definitions, docs/contract/reaching-the-caller.md#what-the-tool-definitions-carry): ElevenLabs' own serializer with unknown keys refused, and the
// settings that make claim-to-connect reachable from what is pasted. The type-level half is
// tool-definition.test-d.ts.
import { ToolRequestModelToolConfig } from '@elevenlabs/elevenlabs-js/serialization/index.js';
import { describe, expect, it } from 'vitest';
import { CONNECT_TIMEOUT_MARGIN_MS, PLATFORM_HOLD_MAX_MS } from '../../bot/config/config-schema.js';
import { FIELD_TYPES } from '../../bot/config/field-spec.js';
import { buildConfig } from '../../bot/config/load-config.js';
import { toolDefinition, TOOL_PLATFORMS } from '../../bot/providers/tool-definition.js';
import { TEST_CONFIG_DOC } from '../support/test-config.js';

const everyField = FIELD_TYPES.map((type, i) => ({
  name: `field_${type}`,
  type,
  required: i % 2 === 0,
  ...(type === 'enum' ? { values: ['one', 'two'] } : {}),
  ...(i % 3 === 0 ? { label: `Label ${type}` } : {}),
  ...(i % 3 === 1 ? { description: `About ${type}` } : {}),
}));
const base = TEST_CONFIG_DOC.workflows[0]!;
/** Every workflow shape: every field type with an explicit (and the longest) connect, no fields with the default one, and the test config's. */
const config = buildConfig({
  ...TEST_CONFIG_DOC,
  workflows: [
    ...TEST_CONFIG_DOC.workflows,
    { ...base, id: 'every-field', fields: everyField, connect: { wait: '295s', fallback_message: 'Later.' } },
    { id: 'bare', name: 'Bare', owner_channel: 'C0BARE0001', escalation_channel: 'C0BARE0002' },
  ],
});
const workflows = [...config.workflows.values()];
const cases = workflows.flatMap((w) => [null, 'https://handoff.example.com/'].map((url) => [w.id, url] as const));

function properties(def: unknown, path: string[]): Record<string, Record<string, unknown>> {
  return path.reduce<Record<string, unknown>>((node, key) => node[key] as Record<string, unknown>, def as Record<string, unknown>) as Record<string, Record<string, unknown>>;
}

describe('tool definitions as the platforms take them', () => {
  it.each(cases)('ElevenLabs\' serializer takes the %s definition (public URL %s) with unknown keys refused, each dynamic variable alone', (id, url) => {
    const def = toolDefinition('elevenlabs', config.workflows.get(id)!, url);
    const parsed = ToolRequestModelToolConfig.parse(def, { unrecognizedObjectKeys: 'fail', allowUnrecognizedEnumValues: false, allowUnrecognizedUnionMembers: false });
    expect(parsed.ok ? [] : parsed.errors.map((e) => `${e.path.join('.')}: ${e.message}`)).toEqual([]);
    const props = properties(def, ['api_schema', 'request_body_schema', 'properties']);
    expect(props.caller_id).toEqual({ type: 'string', dynamic_variable: 'system__caller_id' });
    expect(props.conversation_id).toEqual({ type: 'string', dynamic_variable: 'system__conversation_id' });
    for (const p of Object.values(props)) expect('description' in p && 'dynamic_variable' in p).toBe(false);
  });

  it('ElevenLabs\' serializer, so configured, does refuse a keyword it does not take (the check can fail)', () => {
    const def = toolDefinition('elevenlabs', config.workflows.get('every-field')!, null);
    const props = properties(def, ['api_schema', 'request_body_schema', 'properties']);
    props.field_text!.maxLength = 4000;
    expect(ToolRequestModelToolConfig.parse(def, { unrecognizedObjectKeys: 'fail' }).ok).toBe(false);
  });

  it.each(workflows.map((w) => w.id))('Vapi (%s): only JsonSchema keywords and formats Vapi takes; server.timeoutSeconds covers the wait plus 5 s', (id) => {
    const workflow = config.workflows.get(id)!;
    const def = toolDefinition('vapi', workflow, null);
    for (const p of Object.values(def.function.parameters.properties)) {
      expect(Object.keys(p).every((k) => ['type', 'description', 'enum', 'format', 'pattern'].includes(k))).toBe(true);
      if (p.format) expect(['date-time', 'time', 'date', 'duration', 'email', 'hostname', 'ipv4', 'ipv6', 'uuid']).toContain(p.format);
    }
    expect(def.server.timeoutSeconds * 1000).toBeGreaterThanOrEqual(workflow.connect.wait + CONNECT_TIMEOUT_MARGIN_MS);
    expect(def.server.timeoutSeconds * 1000).toBeLessThanOrEqual(PLATFORM_HOLD_MAX_MS.Vapi);
  });

  it.each(workflows.map((w) => w.id))('Retell (%s): offers wait_for_person, maps transfer_number into a dynamic variable, timeout_ms covers the wait plus 5 s', (id) => {
    const workflow = config.workflows.get(id)!;
    const def = toolDefinition('retell', workflow, null);
    expect(def.parameters.properties.wait_for_person).toMatchObject({ type: 'boolean' });
    expect(def.parameters.required).not.toContain('wait_for_person');
    expect(def.response_variables).toEqual({ transfer_number: '$.transfer_number' });
    expect(def.timeout_ms).toBeGreaterThanOrEqual(workflow.connect.wait + CONNECT_TIMEOUT_MARGIN_MS);
    expect(def.timeout_ms).toBeLessThanOrEqual(PLATFORM_HOLD_MAX_MS.Retell);
  });

  it('every platform\'s definition carries every field of the workflow, whatever its type', () => {
    const workflow = config.workflows.get('every-field')!;
    for (const platform of TOOL_PLATFORMS) {
      const def = toolDefinition(platform, workflow, null);
      const path = { vapi: ['function', 'parameters', 'properties'], retell: ['parameters', 'properties'], elevenlabs: ['api_schema', 'request_body_schema', 'properties'] }[platform];
      expect(Object.keys(properties(def, path))).toEqual(expect.arrayContaining(everyField.map((f) => f.name)));
    }
  });
});
