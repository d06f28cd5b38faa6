// The desktop app's window inside `npm run sandbox`: the real renderer in Chromium,
// its `window.handoff` bridged over HTTP to the real desktop controller, which is
// paired with the sandbox bot as Alice and follows its event stream.
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/start-sandbox.js';
import { until } from '../support/until.js';
import { sampleHandoff } from '../support/webhooks.js';
import { screenshotDir } from '../support/screenshots.js';

const SCREENSHOTS = screenshotDir();
const CLINIC = 'C0CLINIC01';
const ALICE = 'U0ALICE01';

let sandbox: Sandbox;
let browser: Browser;
let context: BrowserContext;
let sandboxPage: Page;
let desktop: Page;
const pageErrors: string[] = [];
let handoffId = '';

function watchErrors(page: Page): void {
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') pageErrors.push(msg.text());
  });
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, logLevel: 'silent' });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  context = await browser.newContext({ viewport: { width: 900, height: 700 } });
  context.on('page', watchErrors);
  sandboxPage = await context.newPage();
  await sandboxPage.goto(sandbox.url);
});

afterAll(async () => {
  await browser?.close();
  await sandbox?.close();
});

async function sendHandoff(body: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${sandbox.url}sandbox/api/handoffs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ handoff: body }),
  });
  const answer = (await res.json()) as { status: number; body: { handoff_id: string; severity: string } };
  expect(answer.status).toBe(202);
  return answer.body.handoff_id;
}

function postIpc(channel: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${sandbox.url}desktop/api/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

describe('the sandbox serves the desktop app window, fed by the same bot', () => {
  it('links to the desktop window from the sandbox page; it opens in a new tab, paired as Alice and online', async () => {
    const link = sandboxPage.locator('#desktop-link');
    expect(await link.innerText()).toBe('Desktop app (as Alice)');
    expect(await link.getAttribute('target')).toBe('_blank');
    const [popup] = await Promise.all([context.waitForEvent('page'), link.click()]);
    desktop = popup;
    await desktop.waitForLoadState();
    expect(new URL(desktop.url()).pathname).toBe('/desktop/');
    await desktop.locator('html[data-bridge="live"]').waitFor();
    await desktop.locator('#connection[data-state="online"]').waitFor();
    expect(await desktop.locator('#connection').innerText()).toBe('Online');
    expect(sandbox.desktop.controller.getState()).toMatchObject({ paired: true, userId: ALICE, connection: 'online' });
    expect(pageErrors).toEqual([]);
  });

  it('keeps the renderer\'s strict CSP (no inline scripts) and loads the bridge before the renderer', async () => {
    const res = await fetch(sandbox.desktop.url);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("connect-src 'self'");
    const html = await res.text();
    expect(html.indexOf('src="bridge.js"')).toBeGreaterThan(0);
    expect(html.indexOf('src="bridge.js"')).toBeLessThan(html.indexOf('src="app.js"'));
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // every script is a file
    expect(await desktop.evaluate(() => typeof window.handoff.claim)).toBe('function');
  });

  it('shows an urgent handoff sent to the bot in the list, with a notification toast that carries no caller data', async () => {
    handoffId = await sendHandoff(sampleHandoff({ webhook_url: '' }));
    const item = desktop.locator(`li.handoff[data-id="${handoffId}"]`);
    await item.waitFor();
    expect(await item.getAttribute('data-severity')).toBe('urgent');
    expect(await item.locator('.status-text').innerText()).toBe('Open: needs an owner');

    const toast = desktop.locator(`.sandbox-toast[data-handoff-id="${handoffId}"]`);
    await toast.waitFor();
    const text = await toast.innerText();
    expect(text).toContain('Urgent handoff · Clinic after-hours line');
    expect(text).toContain('Emergency or sensitive request'); // the reason's label in sandbox.config.yaml
    for (const secret of ['+15555550123', 'Dana Whitfield', 'chest pain', '+15555550177']) expect(text).not.toContain(secret);
    expect(sandbox.desktop.notices.map((n) => n.handoffId)).toEqual([handoffId]);
  });

  it('claims from the desktop window as Alice: the bot records it and the Slack card in the emulator says so', async () => {
    const item = desktop.locator(`li.handoff[data-id="${handoffId}"]`);
    await item.locator('button.claim').click();
    await item.locator('.status-text', { hasText: 'Claimed by you' }).waitFor();
    expect(await item.locator('button.claim').count()).toBe(0);
    expect((await sandbox.bot.store.handoffs.get(handoffId))?.claimedBy).toBe(ALICE);

    const card = await until(
      () =>
        sandbox.slack.messages(CLINIC).find(
          (m) => m.metadata?.event_type === 'handoff_card' && m.metadata.event_payload.handoff_id === handoffId && JSON.stringify(m.blocks).includes(`Claimed by <@${ALICE}>`),
        ),
      5000,
      'the Slack card showing Alice\'s claim',
    );
    expect(JSON.stringify(card.blocks)).not.toContain('"action_id":"handoff_claim"');
    await desktop.screenshot({ path: join(SCREENSHOTS, 'sandbox-desktop.png') });
  });

  it('opens the handoff "in Slack": a new tab on the sandbox page at the card\'s message', async () => {
    const item = desktop.locator(`li.handoff[data-id="${handoffId}"]`);
    const [tab] = await Promise.all([context.waitForEvent('page'), item.locator('button.open-slack').click()]);
    await tab.waitForURL(/\/#C0CLINIC01\/\d+\.\d+$/);
    const ts = decodeURIComponent(new URL(tab.url()).hash.split('/')[1] ?? '');
    expect(sandbox.slack.messages(CLINIC).find((m) => m.ts === ts)?.metadata?.event_payload.handoff_id).toBe(handoffId);
    await tab.close();
  });

  it('refuses IPC calls the contract does not allow, unknown channels and other origins', async () => {
    const bad = await postIpc('handoff:claim', JSON.stringify({ id: '../../v1/x' }));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'invalid_payload' });
    expect((await postIpc('handoff:claim', JSON.stringify({ id: handoffId, extra: 1 }))).status).toBe(400);
    expect((await postIpc('handoff:delete-everything', '{}')).status).toBe(404);
    expect((await postIpc('handoff:get-state', '{}', { origin: 'http://evil.example' })).status).toBe(403);
    expect((await postIpc('handoff:get-state', '{}', { 'content-type': 'text/plain' })).status).toBe(403);
    const ok = await postIpc('handoff:get-state', '{}');
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { result: { userId: string } }).result.userId).toBe(ALICE);
    expect(pageErrors).toEqual([]);
  });
});
