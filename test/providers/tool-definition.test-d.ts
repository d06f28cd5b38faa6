// What `npm run tool-definition` prints, held to each platform SDK's own request type (docs/contract/voice-platforms.md#tool-definitions):
// when a platform's SDK changes its types, our build breaks, not our users' setup. Every field type
// and workflow shape is covered by the declared types: each definition is built into them.
import type * as ElevenLabsWire from '@elevenlabs/elevenlabs-js/serialization/index.js';
import type { Vapi } from '@vapi-ai/server-sdk';
import type { LlmCreateParams } from 'retell-sdk/resources/llm';
import { describe, expectTypeOf, it } from 'vitest';
import type { Workflow } from '../../bot/config/load-config.js';
import { toolDefinition, type ElevenLabsToolDefinition, type RetellToolDefinition, type VapiToolDefinition } from '../../bot/providers/tool-definition.js';
import type { ExcessPaths } from '../support/excess.js';

declare const workflow: Workflow;

describe('the excess check itself', () => {
  it('names a property the target does not declare, at any depth, and passes a subset', () => {
    expectTypeOf<ExcessPaths<{ a: number; b: { c: string; d: string }[] }, { a: number; b?: { c: string }[] }>>().toEqualTypeOf<'$.b[].d'>();
    expectTypeOf<ExcessPaths<{ a: number }, { a: number; b?: string }>>().toEqualTypeOf<never>();
    expectTypeOf<ExcessPaths<{ t: 'x'; y: 1 }, { t: 'x'; y: 1 } | { t: 'z' }>>().toEqualTypeOf<never>();
    expectTypeOf<ExcessPaths<{ p: Record<string, { k: 1; maxLength: number }> }, { p: Record<string, { k: 1 }> }>>().toEqualTypeOf<`$.p.${string}.maxLength`>();
  });
});

describe('tool definitions against the platform SDKs', () => {
  it('the Vapi function tool is a CreateToolsRequest (@vapi-ai/server-sdk) with no excess property', () => {
    expectTypeOf(toolDefinition('vapi', workflow, null)).toEqualTypeOf<VapiToolDefinition>();
    expectTypeOf<VapiToolDefinition>().toExtend<Vapi.CreateToolsRequest>();
    expectTypeOf<ExcessPaths<VapiToolDefinition, Vapi.CreateToolsRequest.Function>>().toEqualTypeOf<never>();
  });

  it('the Retell custom function is an LlmCreateParams.CustomTool (retell-sdk) with no excess property', () => {
    expectTypeOf(toolDefinition('retell', workflow, null)).toEqualTypeOf<RetellToolDefinition>();
    expectTypeOf<RetellToolDefinition>().toExtend<LlmCreateParams.CustomTool>();
    expectTypeOf<ExcessPaths<RetellToolDefinition, LlmCreateParams.CustomTool>>().toEqualTypeOf<never>();
  });

  it('the ElevenLabs webhook tool is a ToolRequestModelToolConfig in its wire format (@elevenlabs/elevenlabs-js) with no excess property', () => {
    expectTypeOf(toolDefinition('elevenlabs', workflow, null)).toEqualTypeOf<ElevenLabsToolDefinition>();
    expectTypeOf<ElevenLabsToolDefinition>().toExtend<ElevenLabsWire.ToolRequestModelToolConfig.Raw>();
    expectTypeOf<ExcessPaths<ElevenLabsToolDefinition, ElevenLabsWire.ToolRequestModelToolConfig.Raw>>().toEqualTypeOf<never>();
  });
});
