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
  it('draws its buttons as the page\'s buttons, End that call off until there is a call', async () => {
    for (const id of ['#vf-send', '#vf-wait', '#vf-end']) expect(await page.locator(id).getAttribute('class')).toMatch(/\bbtn\b/);
    expect(await page.locator('#vf-end').isDisabled()).toBe(true);
    await page.locator('#vf-platform').selectOption('twilio');
    expect(await page.locator('#vf-wait').isDisabled()).toBe(true);
  });

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

  it.each([
    ['vapi', 'Alice', '+15555550101'],
    ['retell', 'Bob', '+15555550102'],
  ])('a %s caller waits on the line; a Claim in Slack by %s answers the waiting platform with their number', async (platform, name, phone) => {
    const value = await page.locator('#user-select option', { hasText: name }).getAttribute('value');
    await page.selectOption('#user-select', value!);
    await page.locator('#vf-platform').selectOption(platform);
    await page.locator('#vf-wait').click();
    await page.locator('#vf-result', { hasText: 'waiting for a Claim' }).waitFor({ timeout: 10_000 });
    const waiting = page.locator('.messages > .message[data-event-type="handoff_card"]', { hasText: 'waiting to be connected' });
    await waiting.waitFor({ timeout: 20_000 });
    const card = page.locator(`.messages > .message[data-event-type="handoff_card"][data-handoff-id="${await waiting.getAttribute('data-handoff-id')}"]`);
    await card.locator('button[data-action-id="handoff_claim"]').click();
    await page.locator('#vf-result', { hasText: `${platform} got 200: transfer the caller to ${phone}` }).waitFor({ timeout: 20_000 });
    // The card, too, says the caller went to the claimer (and no longer that they are waiting).
    await card.filter({ hasText: 'The caller was transferred to' }).waitFor({ timeout: 20_000 });
    expect(await page.locator('#vf-result').innerText()).toContain(platform === 'vapi' ? '"destination"' : '"transfer_number"');
    expect(await page.locator('#vf-end').isEnabled()).toBe(true);
    // The card says which platform the caller is on.
    expect(await card.locator('.message-body').first().innerText()).toMatch(new RegExp(`Via\\s+${platform === 'vapi' ? 'Vapi' : 'Retell'}`));
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
