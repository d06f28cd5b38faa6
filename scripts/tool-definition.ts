// `npm run tool-definition -- <vapi|retell|elevenlabs> <workflow_id>`: prints the tool definition to
// paste into the platform, from the workflow's config (HANDOFF_CONFIG, HANDOFF_PUBLIC_URL for the URL).
import { ConfigError, loadConfigFile } from '../bot/config/load-config.js';
import { TOOL_PLATFORMS, toolDefinition, type ToolPlatform } from '../bot/providers/tool-definition.js';

function fail(message: string): never {
  process.stderr.write(`tool-definition: ${message}\n`);
  process.exit(1);
}

const [platform, workflowId, ...extra] = process.argv.slice(2);
const usage = `usage: npm run tool-definition -- <${TOOL_PLATFORMS.join('|')}> <workflow_id>`;
if (!platform || !workflowId || extra.length > 0) fail(usage);
if (platform === 'twilio') fail('twilio has no tool: the agent ends its ConversationRelay session with HandoffData (see README, "Twilio")');
if (!(TOOL_PLATFORMS as readonly string[]).includes(platform)) fail(`unknown platform "${platform}"; ${usage}`);
const file = process.env.HANDOFF_CONFIG?.trim() || './handoff.config.yaml';
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
