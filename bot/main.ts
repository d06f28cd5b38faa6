import { parseEnv } from './config/env.js';
import { ConfigError, loadConfigFile } from './config/load-config.js';
import { createBot } from './app.js';
import { settingsFromEnv } from './settings.js';
import { StartupError } from './slack/verify-token.js';
import { codeOf } from '../shared/error-code.js';

/** `npm start`: every problem of env and config on its own line, exit 1, before listening. */
async function main(): Promise<void> {
  const problems: string[] = [];
  const parsedEnv = parseEnv(process.env);
  if ('issues' in parsedEnv) for (const i of parsedEnv.issues) problems.push(`env ${i.path}: ${i.message}`);
  const configFile = ('env' in parsedEnv ? parsedEnv.env.HANDOFF_CONFIG : process.env.HANDOFF_CONFIG) ?? './handoff.config.yaml';
  let config;
  try {
    config = loadConfigFile(configFile);
  } catch (err) {
    if (err instanceof ConfigError) problems.push(...err.message.split('\n'));
    else throw err;
  }
  if (config) {
    const needsCallbackSecret = [...config.workflows.values()].some((w) => w.callbacks);
    if (needsCallbackSecret && !process.env.HANDOFF_CALLBACK_SECRET?.trim()) {
      problems.push('env HANDOFF_CALLBACK_SECRET: is required because a workflow has callbacks on (set callbacks: false to turn them off)');
    }
    const linkOnly = [...config.workflows.values()].find((w) => w.chat_data === 'link_only');
    if (linkOnly && !process.env.HANDOFF_PUBLIC_URL?.trim()) {
      problems.push(`env HANDOFF_PUBLIC_URL: is required because workflow ${linkOnly.id} has chat_data: link_only (its Details links point at the bot)`);
    }
  }
  if (problems.length > 0 || !('env' in parsedEnv) || !config) {
    for (const p of problems) console.error(`handoff: ${p}`);
    process.exit(1);
  }
  const bot = await createBot({ settings: settingsFromEnv(parsedEnv.env, process.env), config });
  const shutdown = (signal: string) => {
    bot.logger.info({ signal }, 'shutting down');
    void bot.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  if (err instanceof StartupError) console.error(`handoff: ${err.message}`);
  else console.error(`handoff: failed to start: ${codeOf(err) ?? (err as Error).message}`);
  process.exit(1);
});
