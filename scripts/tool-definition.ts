// `npm run tool-definition -- <vapi|retell|elevenlabs> <workflow_id>`: prints the tool definition to
// paste into the platform, from the workflow's config (HANDOFF_CONFIG, HANDOFF_PUBLIC_URL for the URL).
// Stdout is the JSON alone, so it can be piped; where it goes and warnings go to stderr.
import { existsSync } from 'node:fs';
import { ConfigError, loadConfigFile } from '../bot/config/load-config.js';
import { PUBLIC_URL_PLACEHOLDER, TOOL_PLATFORMS, toolDefinition, type ToolPlatform } from '../bot/providers/tool-definition.js';

function fail(message: string): never {
  process.stderr.write(`tool-definition: ${message}\n`);
  process.exit(1);
}

/** Where each part of the printed JSON goes in the platform's dashboard (the README says it at length). */
const WHERE: Record<ToolPlatform, string> = {
  vapi:
    'Vapi: POST it to https://api.vapi.ai/tool, or in the dashboard Tools > Create Tool > Function: function.name, description and parameters into the tool, ' +
    'server.url and server.timeoutSeconds into its Server settings, with a Bearer or HMAC credential whose secret is VAPI_SECRET; give the assistant the same server URL and timeout.',
  retell:
    'Retell: in the agent\'s LLM functions add a Custom Function: name, description, url, parameters (JSON schema), timeout_ms as its timeout and response_variables as its ' +
    'response variables; then a Transfer Call function whose number is {{transfer_number}}.',
  elevenlabs:
    'ElevenLabs: Agent > Tools > Add tool > Webhook: name, description, api_schema.url and method; a header Authorization with a secret "Bearer <ELEVENLABS_TOOL_TOKEN>"; ' +
    'the body parameters from request_body_schema, caller_id and conversation_id as dynamic variables.',
};

const [platform, workflowId, ...extra] = process.argv.slice(2);
const usage = `usage: npm run tool-definition -- <${TOOL_PLATFORMS.join('|')}> <workflow_id>`;
if (!platform || !workflowId || extra.length > 0) fail(usage);
if (platform === 'twilio') fail('twilio has no tool: the agent ends its ConversationRelay session with HandoffData (see README, "Twilio")');
if (!(TOOL_PLATFORMS as readonly string[]).includes(platform)) fail(`unknown platform "${platform}"; ${usage}`);
const given = process.env.HANDOFF_CONFIG?.trim();
const file = given || './handoff.config.yaml';
if (!given && !existsSync(file)) fail('no ./handoff.config.yaml yet: run `cp handoff.config.example.yaml handoff.config.yaml`, put your workflows in it (or set HANDOFF_CONFIG)');
let config;
try {
  config = loadConfigFile(file);
} catch (err) {
  fail(err instanceof ConfigError ? err.message.split('\n')[0]! : `cannot load ${file}`);
}
const workflow = config.workflows.get(workflowId);
if (!workflow) fail(`no workflow "${workflowId}" in ${file}; it has: ${[...config.workflows.keys()].join(', ')}`);
const publicUrl = process.env.HANDOFF_PUBLIC_URL?.trim() || null;
process.stdout.write(`${JSON.stringify(toolDefinition(platform as ToolPlatform, workflow, publicUrl), null, 2)}\n`);
if (!publicUrl) process.stderr.write(`tool-definition: HANDOFF_PUBLIC_URL is not set, so the URL says ${PUBLIC_URL_PLACEHOLDER}: set it to the bot's public base URL and run this again\n`);
process.stderr.write(`${WHERE[platform as ToolPlatform]}\n`);
