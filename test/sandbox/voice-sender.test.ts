import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/start-sandbox.js';
import { until } from '../support/until.js';
import { openTestDb } from '../support/harness.js';

let sandbox: Sandbox;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, logLevel: 'silent' });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await page.goto(sandbox.url);
  await page.locator('#live[data-state="live"]').waitFor();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.close();
});

const count = () => (openTestDb(sandbox.dbFile).prepare('SELECT platform, COUNT(*) AS n FROM provider_calls GROUP BY platform').all() as { platform: string; n: number }[]);

describe('sandbox: Send as a voice platform', () => {
  it.each(['retell', 'vapi', 'elevenlabs', 'twilio'])('sends a %s request signed as that platform signs it; the bot accepts it and posts a card', async (platform) => {
    await page.locator('#vf-platform').selectOption(platform);
    await page.locator('#vf-send').click();
    await page.locator('#vf-result', { hasText: `${platform} got 200` }).waitFor({ timeout: 20_000 });
    await until(() => count().some((r) => r.platform === platform && r.n === 1), 10_000, `${platform}'s handoff`);
    await page.locator('.message', { hasText: 'Sam Sample' }).first().waitFor({ timeout: 20_000 });
    if (platform !== 'twilio') {
      await page.locator('#vf-end').click();
      await page.locator('#vf-result', { hasText: `${platform} got 200: {}` }).waitFor({ timeout: 20_000 });
    }
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
