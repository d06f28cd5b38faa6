// The sandbox page as a Slack-like frame, in Chromium: the message pane scrolls inside a fixed
// frame, the page works at 800 px, one live connection per tab (four tabs and the desktop view keep
// answering), a closed modal stays closed after a reload, ephemerals go on reload, unknown commands
// are refused at once. Screenshots at 1440 px and 800 px go to the temp folder (screenshotDir).
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/start-sandbox.js';
import { until } from '../support/until.js';
import { screenshotDir } from '../support/screenshots.js';

const SCREENSHOTS = screenshotDir();

let sandbox: Sandbox;
let browser: Browser;
let context: BrowserContext;
const pageErrors: string[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, logLevel: 'silent' });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.close();
});

afterEach(async () => {
  // A failed test must not leave its live connections behind for the next one.
  for (const p of context.pages()) await p.close();
});

async function openPage(width = 1440, height = 900): Promise<Page> {
  const page = await context.newPage();
  await page.setViewportSize({ width, height });
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') pageErrors.push(msg.text());
  });
  await page.goto(sandbox.url);
  await page.locator('#live[data-state="live"]').waitFor();
  return page;
}

async function sendSample(page: Page, reason = 'appointment_change'): Promise<string> {
  await page.selectOption('#hf-workflow', 'clinic-after-hours');
  await page.selectOption('#hf-reason', reason);
  // The id comes from this click's own answer: the answer panel still shows the previous send's
  // "202 Accepted" and body until the new answer arrives, so reading it would name the last card.
  const answer = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/sandbox/api/handoffs');
  await page.click('#hf-send');
  const res = await answer;
  expect(res.status()).toBe(200);
  const { status, body } = (await res.json()) as { status: number; body: { handoff_id: string } };
  expect(status).toBe(202);
  const id = body.handoff_id;
  await page.locator(`.messages > .message[data-handoff-id="${id}"][data-event-type="handoff_card"]`).waitFor();
  return id;
}

/** The form's own endpoint, from Node: for pages where the tools panel is folded away. */
async function sendViaApi(page: Page): Promise<string> {
  const res = await fetch(`${sandbox.url}sandbox/api/handoffs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      handoff: { workflow_id: 'clinic-after-hours', caller_id: '+15555550123', call_status: 'in_progress', structured_fields: { patient_name: 'Dana Whitfield' }, handoff_reason: 'appointment_change' },
    }),
  });
  const id = ((await res.json()) as { body: { handoff_id: string } }).body.handoff_id;
  await page.locator(`.messages > .message[data-handoff-id="${id}"][data-event-type="handoff_card"]`).waitFor();
  return id;
}

async function actAs(page: Page, name: string): Promise<void> {
  const value = await page.locator('#user-select option', { hasText: name }).getAttribute('value');
  await page.selectOption('#user-select', value!);
}

describe('the sandbox page is a fixed frame like Slack', { timeout: 90_000 }, () => {
  it('scrolls the message pane, not the page: sidebar, "Acting as" and composer stay; a new card is brought into view', async () => {
    const page = await openPage(1440, 700);
    for (let i = 0; i < 6; i++) await sendSample(page);
    const pane = await page.locator('#messages').evaluate((m) => ({ scrollHeight: m.scrollHeight, clientHeight: m.clientHeight, scrollTop: m.scrollTop }));
    expect(pane.scrollHeight).toBeGreaterThan(pane.clientHeight);
    // The document itself does not scroll; the pane does, and it is at the newest card.
    expect(await page.evaluate(() => document.scrollingElement!.scrollHeight <= window.innerHeight + 1)).toBe(true);
    expect(pane.scrollTop + pane.clientHeight).toBeGreaterThanOrEqual(pane.scrollHeight - 40);
    await page.locator('#messages').evaluate((m) => m.scrollTo(0, 0));
    for (const sel of ['#user-select', '#composer-input', '.workspace-name']) {
      const box = (await page.locator(sel).boundingBox())!;
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.y + box.height).toBeLessThanOrEqual(700);
    }
    // Scrolled up, a new card still comes into view.
    const id = await sendSample(page);
    // In view means inside the pane's visible rectangle (isVisible would hold anywhere in the list).
    const inPane = () =>
      page.locator(`.messages > .message[data-handoff-id="${id}"]`).evaluate((c) => {
        const card = c.getBoundingClientRect();
        const pane = c.parentElement!.getBoundingClientRect();
        return card.top < pane.bottom && card.bottom > pane.top;
      });
    await until(inPane, 5_000, 'the new card in view');
    const card = (await page.locator(`.messages > .message[data-handoff-id="${id}"]`).boundingBox())!;
    expect(card.y).toBeLessThan(700);
    await page.screenshot({ path: join(SCREENSHOTS, 'sandbox-1440.png') });
    await page.close();
  });

  it('works at 800 px: nothing cut off, the buttons fit, the tools open over the channel', async () => {
    const page = await openPage(800, 800);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(800);
    const id = await sendViaApi(page);
    const last = page.locator(`.messages > .message[data-handoff-id="${id}"]`);
    const buttons = last.locator(':scope > .message-body > .blocks .block-actions button');
    const boxes = await buttons.evaluateAll((bs) => bs.map((b) => b.getBoundingClientRect()).map((r) => ({ right: r.right, top: r.top })));
    expect(boxes.length).toBeGreaterThan(3);
    expect(Math.max(...boxes.map((b) => b.right))).toBeLessThanOrEqual(800);
    const composer = (await page.locator('#composer-input').boundingBox())!;
    expect(composer.x + composer.width).toBeLessThanOrEqual(800);
    // The tools panel is out of the way until asked for, then fully on screen.
    expect(await page.locator('#hf-send').isVisible() && (await page.locator('#hf-send').boundingBox())!.x < 800).toBe(false);
    await page.click('#tools-toggle');
    await until(async () => {
      const b = await page.locator('#hf-send').boundingBox();
      return b !== null && b.x >= 0 && b.x + b.width <= 800;
    }, 5_000, 'the tools panel on screen');
    await page.click('#tools-toggle');
    await page.screenshot({ path: join(SCREENSHOTS, 'sandbox-800.png') });
    await page.close();
  });

  it('works at 390 px (a phone): nothing wider than the screen, channels and Acting as reachable, the Tools button clear of the panel heading', async () => {
    const page = await openPage(390, 844);
    const id = await sendViaApi(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const card = page.locator(`.messages > .message[data-handoff-id="${id}"]`);
    const rights = await card.locator('button, select, .fields .field').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().right));
    expect(rights.length).toBeGreaterThan(3);
    expect(Math.max(...rights)).toBeLessThanOrEqual(390);
    for (const sel of ['#user-select', '#composer-input', '.channel-link[data-channel="C0ONCALL01"]', '#home-link']) {
      const box = (await page.locator(sel).boundingBox())!;
      expect(box.x, sel).toBeGreaterThanOrEqual(0);
      expect(box.y + box.height, sel).toBeLessThanOrEqual(844);
    }
    // The message pane keeps most of the screen.
    expect((await page.locator('#messages').boundingBox())!.height).toBeGreaterThan(400);
    await page.click('#tools-toggle');
    const heading = page.locator('#tools-panel h2').first();
    await until(async () => {
      const b = await heading.boundingBox();
      return b !== null && b.x >= 0 && b.x + b.width <= 390;
    }, 5_000, 'the tools panel on screen');
    // What is drawn at the heading's middle is the heading, not the Tools button over it.
    const hit = await heading.evaluate((h) => {
      const r = h.getBoundingClientRect();
      return h.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2));
    });
    expect(hit).toBe(true);
    // Nor does the button sit over any control of the panel.
    const toggle = (await page.locator('#tools-toggle').boundingBox())!;
    const controls = await page.locator('#tools-panel').locator('button, select, input, textarea').evaluateAll((els) =>
      els.map((e) => e.getBoundingClientRect()).map((r) => ({ x: r.x, y: r.y, width: r.width, height: r.height })),
    );
    const overlaps = controls.filter((c) => c.x < toggle.x + toggle.width && toggle.x < c.x + c.width && c.y < toggle.y + toggle.height && toggle.y < c.y + c.height);
    expect(overlaps).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'sandbox-390-tools.png') });
    await page.click('#tools-toggle');
    await page.screenshot({ path: join(SCREENSHOTS, 'sandbox-390.png') });
    await page.close();
  });

  it('four tabs plus the desktop view each hold one live connection and keep answering', async () => {
    const tabs = await Promise.all([openPage(), openPage(), openPage(), openPage()]);
    const desktop = await context.newPage();
    await desktop.goto(`${sandbox.url}desktop/`);
    await until(async () => (await desktop.evaluate(() => document.documentElement.dataset.bridge)) === 'live', 10_000, 'the desktop view live');
    const last = tabs[3]!;
    await last.fill('#composer-input', '/handoff status');
    await last.press('#composer-input', 'Enter');
    await last.locator('.message.ephemeral', { hasText: 'Handoff status' }).waitFor({ timeout: 5_000 });
    // A click in the first tab reaches the bot and every other tab sees the card change.
    const id = await sendSample(tabs[0]!);
    await tabs[0]!.locator(`.messages > .message[data-handoff-id="${id}"] button[data-action-id="handoff_claim"]`).click();
    for (const tab of tabs) await tab.locator(`.messages > .message[data-handoff-id="${id}"] button[data-action-id="handoff_release"]`).waitFor({ timeout: 5_000 });
    for (const tab of [...tabs, desktop]) await tab.close();
  });

  it('a modal closed stays closed after a reload and in a new tab; an ephemeral goes away on reload', async () => {
    const page = await openPage();
    await actAs(page, 'David Chen');
    const id = await sendSample(page);
    await page.locator(`.messages > .message[data-handoff-id="${id}"] button[data-action-id="handoff_note"]`).click();
    await page.locator('.modal').waitFor();
    await page.locator('.modal .btn', { hasText: 'Cancel' }).click();
    await page.locator('.modal').waitFor({ state: 'detached' });
    await until(() => sandbox.slack.views({ user: 'U0DAVID01', state: 'open' }).length === 0, 5_000, 'the view closed in the emulator');
    await page.fill('#composer-input', '/handoff help');
    await page.press('#composer-input', 'Enter');
    await page.locator('.message.ephemeral', { hasText: 'Handoff commands' }).waitFor();

    await page.reload();
    await page.locator('#live[data-state="live"]').waitFor();
    await actAs(page, 'David Chen');
    await page.locator(`.messages > .message[data-handoff-id="${id}"]`).waitFor();
    expect(await page.locator('.modal').count()).toBe(0);
    expect(await page.locator('.message.ephemeral').count()).toBe(0);
    const other = await openPage();
    await actAs(other, 'David Chen');
    await other.locator(`.messages > .message[data-handoff-id="${id}"]`).waitFor();
    expect(await other.locator('.modal').count()).toBe(0);
    await other.close();
    await page.close();
  });

  it('refuses an unknown slash command at once, as Slack does, without asking the bot', async () => {
    const page = await openPage();
    const before = sandbox.slack.calls.all().length;
    await page.fill('#composer-input', '/handof status');
    await page.press('#composer-input', 'Enter');
    await page.locator('.message.ephemeral', { hasText: '/handof is not a valid command' }).waitFor({ timeout: 2_000 });
    expect(sandbox.slack.calls.all().length).toBe(before);
    // The composer suggests the bot's own subcommands.
    const suggestions = await page.locator('#command-suggestions option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(suggestions).toEqual(expect.arrayContaining(['/handoff status', '/handoff mine', '/handoff help']));
    await page.close();
  });

  it('ran without a script error', () => {
    expect(pageErrors.join('\n')).toBe('');
  });
});
