import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { SlackEmulator } from '../../sandbox/slack-emulator/index.js';
import { REPO_ROOT, startBotProcess, type BotProcess } from '../support/bot-process.js';
import { startTestSlack, tempDir } from '../support/harness.js';
import { until } from '../support/until.js';
import { postHandoff, sampleHandoff } from '../support/webhooks.js';

const run = promisify(execFile);
const outDir = `dist/bundle-test-${process.pid}`;

/** The Dockerfile's build step (esbuild + copying the writer thread), pointed at a scratch folder. */
function dockerBuildStep(): string {
  const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
  const m = /^RUN (npx esbuild[\s\S]*?[^\\])$/m.exec(dockerfile);
  if (!m) throw new Error('no esbuild step in the Dockerfile');
  return m[1]!.replace(/\\\n/g, ' ').replaceAll('dist/server', outDir);
}

let slack: SlackEmulator | undefined;
let bot: BotProcess | undefined;
afterAll(async () => {
  await bot?.kill();
  await slack?.close();
  rmSync(join(REPO_ROOT, outDir), { recursive: true, force: true });
});

describe('the Docker image\'s build of the bot', () => {
  it('bundles bot/main.ts the way the Dockerfile does, and that bundle accepts a handoff and posts its card', async () => {
    await run('bash', ['-euo', 'pipefail', '-c', dockerBuildStep()], { cwd: REPO_ROOT, timeout: 60_000 });
    slack = await startTestSlack();
    const dir = tempDir('handoff-bundle-');
    bot = await startBotProcess({ dir, slackApiUrl: slack.apiUrl, command: ['--enable-source-maps', join(REPO_ROOT, outDir, 'main.mjs')] });
    slack.setBotEventsUrl(`${bot.url}/slack/events`);
    const res = await postHandoff(bot.url, sampleHandoff());
    expect(res.status).toBe(202);
    const id = res.json.handoff_id as string;
    await until(() => slack!.messages('C0CLINIC01').some((m) => m.metadata?.event_payload.handoff_id === id), 10_000, 'the card');
  }, 90_000);
});
