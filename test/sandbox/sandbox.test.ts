// The sandbox page in Chromium against the real bot: send a handoff from the
// form, then Escalate, Claim, a refused Claim, Add note and /handoff status,
// each seen on the page as Slack would show it.
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/start-sandbox.js';
import { until } from '../support/until.js';
import { seriousAxeFindings } from '../support/axe.js';
import { screenshotDir } from '../support/screenshots.js';

const SCREENSHOTS = screenshotDir();
const CLINIC = 'C0CLINIC01';
const ONCALL = 'C0ONCALL01';
const COUNSELLING = 'C0MENTAL01';

let sandbox: Sandbox;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
let handoffId = '';

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, logLevel: 'silent' });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') pageErrors.push(msg.text());
  });
  await page.goto(sandbox.url);
  await page.locator('#live[data-state="live"]').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await sandbox?.close();
});

async function actAs(name: string): Promise<void> {
  const value = await page.locator('#user-select option', { hasText: name }).getAttribute('value');
  await page.selectOption('#user-select', value!);
}

async function openChannel(id: string): Promise<void> {
  await page.locator(`.channel-link[data-channel="${id}"]`).click();
  await page.locator(`.message[data-channel="${id}"], .messages .empty`).first().waitFor();
}

function card(channel: string, eventType: string, id = handoffId): Locator {
  return page.locator(`.messages > .message[data-channel="${channel}"][data-event-type="${eventType}"][data-handoff-id="${id}"]`);
}

function button(scope: Locator, actionId: string): Locator {
  return scope.locator(`:scope > .message-body > .blocks button[data-action-id="${actionId}"]`);
}

/** axe-core (wcag2a, wcag2aa, wcag21aa, best-practice) finds nothing serious or critical on the page as it is. */
async function expectAccessible(state: string): Promise<void> {
  expect(await seriousAxeFindings(page), state).toEqual([]);
}

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `sandbox-${name}.png`) });
}

describe('the sandbox page drives the real bot through the Slack emulator', () => {
  it('serves the page with a strict CSP and the app title', async () => {
    const res = await fetch(sandbox.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await res.text()).toContain('<title>Handoff sandbox</title>');
    expect(await page.locator('.channel-link .channel-name').allInnerTexts()).toEqual(['clinic-handoffs', 'clinic-oncall', 'billing-handoffs', 'billing-managers', 'counselling-handoffs']);
  });

  it('sends a signed urgent handoff from the form and shows its card, rendered from Block Kit, in the owner channel', async () => {
    await page.selectOption('#hf-workflow', 'clinic-after-hours');
    await page.selectOption('#hf-reason', 'emergency_or_sensitive_request');
    await page.fill('#hf-message', 'Please hold, I am getting someone.');
    await page.click('#hf-send');
    await page.locator('#hf-status', { hasText: '202 Accepted' }).waitFor();
    const answer = JSON.parse((await page.locator('#hf-body').textContent())!) as { handoff_id: string; severity: string; owner_notified: string[] };
    expect(answer.severity).toBe('urgent');
    expect(answer.owner_notified).toEqual(['slack', 'sms', 'desktop']);
    handoffId = answer.handoff_id;

    const c = card(CLINIC, 'handoff_card');
    await c.waitFor();
    const text = await c.innerText();
    expect(text).toContain('Dana Whitfield');
    expect(text).not.toContain('Chest pain'); // a sensitive field never reaches the card
    expect(await c.locator('.mention.group').first().innerText()).toBe('@clinic-oncall-team');
    expect(await c.locator('.block-header').count()).toBeGreaterThan(0);
    expect(text).not.toMatch(/<!subteam|&lt;|&amp;/);
    expect(await button(c, 'handoff_claim').getAttribute('class')).toContain('btn-primary');
    expect(await button(c, 'handoff_escalate').getAttribute('class')).toContain('btn-danger');
    for (const id of ['handoff_resolve', 'handoff_note']) expect(await button(c, id).count()).toBe(1);
    // A screen reader hears which handoff a button acts on (Slack's accessibility_label).
    expect(await button(c, 'handoff_claim').getAttribute('aria-label')).toBe(`Claim Urgent handoff ending ${handoffId.slice(-4).toUpperCase()}`);
    // The on-call SMS went out through the Twilio fake and shows in the panel.
    await page.locator('#sms-list li.sms').nth(1).waitFor();
    expect(await page.locator('#sms-list').innerText()).toContain('+15555550100');
    await expectAccessible('an urgent card and the SMS panel');
    await shot('card');
  });

  it('escalates with one click: the card shows who escalated and a card appears in the escalation channel', async () => {
    await actAs('Alice Moreno');
    await button(card(CLINIC, 'handoff_card'), 'handoff_escalate').click();
    // Escalate asks first, as Slack's confirm dialog does; nothing is sent before the answer.
    const confirm = page.locator('.confirm-dialog');
    await confirm.waitFor();
    expect(await confirm.innerText()).toContain('Escalate this handoff?');
    expect(await confirm.locator('[data-confirm="confirm"]').getAttribute('class')).toContain('btn-danger');
    await expectAccessible('the Escalate confirmation');
    // Escape is No, and the focus goes back to the button.
    expect(await page.evaluate(() => document.activeElement?.closest('.confirm-dialog') !== null)).toBe(true);
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.actionId)).toBe('handoff_escalate');
    await button(card(CLINIC, 'handoff_card'), 'handoff_escalate').click();
    await confirm.waitFor();
    await confirm.locator('[data-confirm="confirm"]').click();
    await card(CLINIC, 'handoff_card').filter({ hasText: 'Alice Moreno' }).waitFor();
    await page.locator(`.channel-link[data-channel="${ONCALL}"] .badge`).waitFor();
    await openChannel(ONCALL);
    const esc = card(ONCALL, 'handoff_escalation');
    await esc.waitFor();
    expect(await esc.innerText()).toContain('Escalated to level 1');
    await page.locator('#callback-list li.callback', { hasText: 'handoff.escalated' }).waitFor();
    await shot('escalated');
  });

  it('claims as Bob; Carol, clicking Claim before the card caught up, is told (only her) it is already claimed', async () => {
    // Hold the card updates back, as a slow or rate-limited Slack would, so Carol still sees Claim.
    await sandbox.bot.outbox.stop();
    await actAs('Bob Okafor');
    await openChannel(CLINIC);
    const c = card(CLINIC, 'handoff_card');
    await button(c, 'handoff_claim').click();
    await until(async () => (await sandbox.bot.store.handoffs.get(handoffId))?.claimedBy === 'U0BOB0001', 5000, 'Bob\'s claim');

    await actAs('Carol Lindqvist');
    await button(c, 'handoff_claim').click();
    const refusal = page.locator('.message.ephemeral', { hasText: 'already claimed by' });
    await refusal.waitFor();
    expect(await refusal.innerText()).toContain('Only visible to you');
    expect(await refusal.innerText()).toContain('@Bob Okafor');
    expect((await sandbox.bot.store.handoffs.get(handoffId))?.claimedBy).toBe('U0BOB0001');
    await shot('already-claimed');

    sandbox.bot.outbox.start();
    await button(c, 'handoff_release').waitFor();
    expect(await button(c, 'handoff_claim').count()).toBe(0);
    expect(await c.locator('.mention', { hasText: '@Bob Okafor' }).count()).toBeGreaterThan(0);
    const cb = page.locator('#callback-list li.callback', { hasText: 'handoff.claimed' });
    await cb.waitFor();
    expect(await cb.innerText()).toContain('✓ signature valid');
  });

  it('shows Carol\'s refusal to nobody else, and the escalation card follows the claim', async () => {
    await actAs('Bob Okafor');
    expect(await page.locator('.message.ephemeral', { hasText: 'already claimed by' }).count()).toBe(0);
    await openChannel(ONCALL);
    await button(card(ONCALL, 'handoff_escalation'), 'handoff_release').waitFor();
    expect(await button(card(ONCALL, 'handoff_escalation'), 'handoff_claim').count()).toBe(0);
  });

  it('adds a note through the modal; it lands in the card thread with its text shown literally', async () => {
    await openChannel(CLINIC);
    await button(card(CLINIC, 'handoff_card'), 'handoff_note').click();
    const modal = page.locator('.modal');
    await modal.waitFor();
    expect(await modal.locator('.modal-title').innerText()).toBe('Add a note');
    await expectAccessible('the Add note modal');
    await shot('note-modal');
    const note = 'Called back, <b>not</b> bold & <@U0ALICE01> stays text';
    await modal.locator('textarea').fill(note);
    await modal.locator('button[type="submit"]').click();
    await modal.waitFor({ state: 'detached' });
    // Threads show as "N replies" under the card, as in Slack, and open on click.
    const replies = card(CLINIC, 'handoff_card').locator('.thread-label');
    await replies.waitFor();
    expect(await replies.innerText()).toMatch(/^1 reply/);
    await replies.click();
    const reply = card(CLINIC, 'handoff_card').locator('.thread .message[data-event-type="handoff_note"]');
    await reply.waitFor();
    expect(await reply.innerText()).toContain('Called back, <b>not</b> bold & <@U0ALICE01> stays text');
    expect(await reply.locator('b').count()).toBe(0);
  });

  it('opens the Details modal with the sensitive fields only for the person who asked, read-only', async () => {
    await actAs('Alice Moreno');
    await openChannel(CLINIC);
    await button(card(CLINIC, 'handoff_card'), 'handoff_details').click();
    const modal = page.locator('.modal');
    await modal.waitFor();
    expect(await modal.locator('.modal-title').innerText()).toBe('Handoff details');
    expect(await modal.innerText()).toContain('Chest pain since noon');
    expect(await modal.locator('button[type="submit"]').count()).toBe(0);
    await shot('details');
    // Keyboard: the modal takes the focus, Tab stays inside it, Escape closes it and the focus
    // returns to the Details button that opened it.
    const inModal = () => page.evaluate(() => document.activeElement?.closest('.modal') !== null);
    expect(await inModal()).toBe(true);
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      expect(await inModal()).toBe(true);
    }
    await page.keyboard.press('Shift+Tab');
    expect(await inModal()).toBe(true);
    await page.keyboard.press('Escape');
    await modal.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.actionId)).toBe('handoff_details');
    // The channel itself never shows the sensitive value.
    expect(await page.locator('.messages').innerText()).not.toContain('Chest pain since noon');
  });

  it('answers /handoff status typed in the composer with an ephemeral summary', async () => {
    await page.fill('#composer-input', '/handoff status');
    await page.press('#composer-input', 'Enter');
    const answer = page.locator('.message.ephemeral').last();
    await page.locator('.message.ephemeral', { hasText: 'Only visible to you' }).last().waitFor();
    const text = await answer.innerText();
    expect(text).toMatch(/open/i);
    expect(text).toMatch(/claimed/i);
    await expectAccessible('a card with its thread open and the /handoff status answer');
    await shot('status');
  });

  it('places a Call back through the Twilio fake: the panel shows whom it rings and whom it dials', async () => {
    await actAs('Bob Okafor');
    await openChannel(CLINIC);
    await button(card(CLINIC, 'handoff_card'), 'handoff_call_back').click();
    await page.locator('.message.ephemeral', { hasText: 'Calling your phone (ending 0102)' }).waitFor();
    const call = page.locator('#call-list li.call').first();
    await call.waitFor();
    const text = await call.innerText();
    expect(text).toContain('rings +15555550102');
    expect(text).toMatch(/then dials \+\d+ showing \+\d+/);
    expect(text).toContain('Call back for handoff ending');
    // What is heard when the dialled call ends is its own step, not run on after "Connecting you".
    expect(text).not.toMatch(/caller now\. The caller did not answer/);
    expect(text).toMatch(/when that call ends, says: .+/);
    await page.locator('#callback-list li.callback', { hasText: 'handoff.call_back_started' }).waitFor();
    await shot('call-back');
  });

  it('resolves; the resolved card\'s outcome picker is drawn and a choice reaches the bot', async () => {
    await actAs('Bob Okafor');
    await openChannel(CLINIC);
    const c = card(CLINIC, 'handoff_card');
    await button(c, 'handoff_resolve').click();
    await page.locator('.confirm-dialog [data-confirm="confirm"]').click();
    const select = c.locator('select[data-action-id="handoff_outcome"]');
    await select.waitFor();
    expect(await select.inputValue()).toBe(`handled:${handoffId}`);
    expect(await select.getAttribute('aria-label')).toBe('Change outcome');
    await select.selectOption({ label: 'Not needed' });
    await c.filter({ hasText: 'Outcome: Not needed' }).waitFor();
    expect((await sandbox.bot.store.handoffs.get(handoffId))?.outcome).toBe('not_needed');
    expect(await page.locator('.kit-unknown').count()).toBe(0);
    await shot('outcome');
  });

  it('opens the app\'s Home tab: the bot publishes it for whoever is acting, and a channel brings the composer back', async () => {
    await page.click('#home-link');
    const home = page.locator('.home-view');
    await home.waitFor();
    expect(await home.innerText()).toContain('Your handoffs');
    expect(await page.locator('#composer').isVisible()).toBe(false);
    expect(sandbox.slack.homeView('U0BOB0001')).toBeDefined();
    await actAs('Alice Moreno');
    await until(() => sandbox.slack.homeView('U0ALICE01') !== undefined, 5_000, 'Alice\'s Home tab published');
    await home.waitFor();
    await expectAccessible('the Home tab');
    await shot('home');
    await openChannel(CLINIC);
    expect(await page.locator('#composer').isVisible()).toBe(true);
  });

  it('shows the bot\'s 422 with every problem when the form sends a handoff without a required field', async () => {
    await page.fill('#hf-fields input[name="patient_name"]', '');
    await page.click('#hf-send');
    await page.locator('#hf-status', { hasText: '422 Refused' }).waitFor();
    const body = JSON.parse((await page.locator('#hf-body').textContent())!) as { error: string; issues: { path: string }[] };
    expect(body.error).toBe('validation_failed');
    expect(body.issues.map((i) => i.path)).toContain('structured_fields.patient_name');
    // The form lists each problem once, in the bot's words.
    expect(await page.locator('#hf-problems li.problem').allInnerTexts()).toEqual(['patient_name is required']);
  });

  it('keeps the Counselling line’s caller off Slack: Details answers with a link that opens the bot’s page in a new tab', async () => {
    await actAs('Alice Moreno');
    await page.selectOption('#hf-workflow', 'counselling');
    await page.selectOption('#hf-reason', 'new_client');
    await page.click('#hf-send');
    await page.locator('#hf-status', { hasText: '202 Accepted' }).waitFor();
    const id = (JSON.parse((await page.locator('#hf-body').textContent())!) as { handoff_id: string }).handoff_id;
    await openChannel(COUNSELLING);
    const c = card(COUNSELLING, 'handoff_card', id);
    await c.waitFor();
    const text = await c.innerText();
    expect(text).toContain('on the Details page');
    for (const value of ['Sam Rivera', '5555550123', '5555550177']) expect(text).not.toContain(value);
    await button(c, 'handoff_details').click();
    const link = page.locator('.message.ephemeral a.link', { hasText: 'Open the details' }).last();
    await link.waitFor();
    expect(await link.getAttribute('target')).toBe('_blank');
    const [tab] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
    await tab.waitForLoadState();
    const details = (await tab.textContent('body')) ?? '';
    expect(details).toContain('Sam Rivera');
    expect(details).toContain('Panic attacks since the move');
    expect(details).toContain('+15555550123');
    await shot('details-page');
    await tab.close();
    // The channel, the page's copy of Slack, never shows them.
    expect(await page.locator('.messages').innerText()).not.toContain('Sam Rivera');
  });

  it('ran without a script error or CSP violation', () => {
    expect(pageErrors).toEqual([]);
  });
});
