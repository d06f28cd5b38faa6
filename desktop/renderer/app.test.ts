import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppState } from '../shared/ipc.js';
import { DEFAULT_SETTINGS } from '../shared/settings.js';
import { buildRenderer } from '../build.js';
import { CALLER_ID, view } from '../../test/support/fixtures.js';
import { screenshotDir } from '../../test/support/screenshots.js';
import { seriousAxeFindings } from '../../test/support/axe.js';

const SCREENSHOTS = screenshotDir();
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

let dir: string;
let server: Server;
let baseUrl: string;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'handoff-renderer-'));
  await buildRenderer(dir);
  server = createServer((req, res) => {
    const name = new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/$/, '/index.html').slice(1);
    try {
      const body = readFileSync(join(dir, name.replace(/[^a-z.]/g, '')));
      res.writeHead(200, { 'content-type': TYPES[extname(name)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
  rmSync(dir, { recursive: true, force: true });
});

function initialState(overrides: Partial<AppState> = {}): AppState {
  const now = Date.now();
  return {
    connection: 'online',
    paired: true,
    userId: 'U0ME',
    settings: { ...DEFAULT_SETTINGS, serverUrl: 'https://handoff.example.com' },
    handoffs: [
      view({ id: 'ho_urgent', received_at: new Date(now - 4 * 60_000).toISOString() }),
      view({ id: 'ho_esc', severity: 'high', escalation_level: 1, reason: 'billing_question', workflow_name: 'Billing line', received_at: new Date(now - 35 * 60_000).toISOString() }),
      view({ id: 'ho_claimed', severity: 'urgent', status: 'claimed', claimed_by: 'U0OTHER', received_at: new Date(now - 90 * 60_000).toISOString() }),
    ],
    ...overrides,
  };
}

/** A fake `window.handoff` that implements the contract in the page and records calls. */
async function openPage(state: AppState): Promise<void> {
  page = await browser.newPage({ viewport: { width: 460, height: 640 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.addInitScript((initial: AppState) => {
    const w = window as unknown as Record<string, unknown>;
    let s = initial;
    const calls: unknown[] = [];
    const listeners: ((st: AppState) => void)[] = [];
    w.__calls = calls;
    w.__push = (next: AppState) => {
      s = next;
      listeners.forEach((l) => l(s));
    };
    const update = (id: string, patch: Record<string, unknown>) => {
      s = { ...s, handoffs: s.handoffs.map((h) => (h.id === id ? { ...h, ...patch } : h)) };
      return s.handoffs.find((h) => h.id === id);
    };
    w.handoff = {
      getState: async () => s,
      claim: async (r: { id: string }) => (calls.push(['claim', r]), { ok: true, data: update(r.id, { status: 'claimed', claimed_by: s.userId }) }),
      resolve: async (r: { id: string; outcome?: string }) => (calls.push(['resolve', r]), { ok: true, data: update(r.id, { status: 'resolved', resolved_by: s.userId, outcome: r.outcome ?? 'handled' }) }),
      openInSlack: async (r: { id: string }) => (calls.push(['openInSlack', r]), { ok: true, data: {} }),
      saveSettings: async (p: Record<string, unknown>) => {
        calls.push(['saveSettings', p]);
        s = { ...s, settings: { ...s.settings, ...p } };
        return { ok: true, data: s.settings };
      },
      pair: async (r: { serverUrl: string; code: string }) => {
        calls.push(['pair', r]);
        if (r.code !== 'GOOD42') return { ok: false, error: { code: 'invalid_pairing_code', message: 'That pairing code is wrong, expired or already used.' } };
        s = { ...s, paired: true, userId: 'U0NEW', connection: 'online', settings: { ...s.settings, serverUrl: r.serverUrl } };
        return { ok: true, data: { userId: 'U0NEW' } };
      },
      unpair: async () => (calls.push(['unpair']), { ok: true, data: {} }),
      onStateChanged: (l: (st: AppState) => void) => (listeners.push(l), () => undefined),
    };
  }, state);
  await page.goto(baseUrl);
  await page.waitForSelector('#connection[data-state]');
  expect(errors).toEqual([]);
}

const calls = () => page.evaluate(() => (window as unknown as { __calls: unknown[] }).__calls);

beforeEach(async () => {
  await page?.close();
});

describe('desktop window', () => {
  it('lists mirrored handoffs with severity, workflow, reason, age and status, and no caller data', async () => {
    await openPage(initialState());
    const rows = page.locator('li.handoff');
    await expect.poll(() => rows.count()).toBe(3);
    const first = rows.first();
    expect(await first.getAttribute('data-severity')).toBe('urgent');
    expect(await first.locator('.badge').first().textContent()).toBe('urgent');
    expect(await first.locator('.workflow').textContent()).toBe('Clinic after-hours line');
    expect(await first.locator('.reason').textContent()).toBe('emergency or sensitive request');
    expect(await first.locator('.age').textContent()).toBe('4 min');
    expect(await first.locator('.status-text').textContent()).toBe('Open: needs an owner');
    // As /handoff status lists them: the claimed urgent one before the open high one.
    expect(await rows.nth(1).locator('.status-text').textContent()).toBe('Claimed by U0OTHER');
    expect(await rows.nth(1).locator('button.claim').count()).toBe(0);
    expect(await rows.nth(2).locator('.badge.esc').textContent()).toBe('escalated 1');
    expect(await page.locator('body').innerText()).not.toContain(CALLER_ID);
    expect(await page.locator('#offline-banner').isHidden()).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'desktop-list.png') });
  });

  it('names people by their display names and reasons by their configured labels, not by ids', async () => {
    const now = Date.now();
    await openPage(
      initialState({
        handoffs: [
          view({
            id: 'ho_claimed',
            status: 'claimed',
            claimed_by: 'U0ALICE01',
            escalation_level: 1,
            last_escalated_by: 'U0BOB0001',
            reason_label: 'Emergency or sensitive request',
            user_names: { U0ALICE01: 'Alice', U0BOB0001: 'Bob' },
            received_at: new Date(now - 60_000).toISOString(),
          }),
          view({ id: 'ho_resolved', status: 'resolved', resolved_by: 'U0ALICE01', user_names: { U0ALICE01: 'Alice' }, outcome: 'called_back' }),
          view({ id: 'ho_unnamed', status: 'claimed', claimed_by: 'U0NONAME1', reason: 'billing_question', reason_label: null }),
        ],
      }),
    );
    const row = (id: string) => page.locator(`li.handoff[data-id="${id}"]`);
    await expect.poll(() => page.locator('li.handoff').count()).toBe(3);
    expect(await row('ho_claimed').locator('.status-text').textContent()).toBe('Claimed by Alice · escalated by Bob');
    expect(await row('ho_claimed').locator('.reason').textContent()).toBe('Emergency or sensitive request');
    expect(await row('ho_resolved').locator('.status-text').textContent()).toBe('Resolved by Alice · Called back');
    // No name known and no label configured: the id and the reason in words, never a blank.
    expect(await row('ho_unnamed').locator('.status-text').textContent()).toBe('Claimed by U0NONAME1');
    expect(await row('ho_unnamed').locator('.reason').textContent()).toBe('billing question');
    expect(await page.locator('body').innerText()).not.toContain('U0ALICE01');
  });

  it('Open in Slack works on an open handoff whose card link is not mirrored yet; a resolved one without a card says why it is off', async () => {
    await openPage(
      initialState({
        handoffs: [view({ id: 'ho_new', slack_permalink: null }), view({ id: 'ho_nocard', status: 'resolved', resolved_by: 'U0ME', slack_permalink: null })],
      }),
    );
    const open = page.locator('li.handoff[data-id="ho_new"] button.open-slack');
    expect(await open.isEnabled()).toBe(true);
    await open.click();
    await expect.poll(calls).toEqual([['openInSlack', { id: 'ho_new' }]]);

    const off = page.locator('li.handoff[data-id="ho_nocard"] button.open-slack');
    expect(await off.isDisabled()).toBe(true);
    const why = page.locator('li.handoff[data-id="ho_nocard"] .slack-why');
    expect(await why.textContent()).toBe('Never posted to Slack');
    expect(await off.getAttribute('aria-describedby')).toBe(await why.getAttribute('id'));
  });

  it('Claim calls the bridge and the row turns claimed by you', async () => {
    await openPage(initialState());
    const row = page.locator('li.handoff[data-id="ho_urgent"]');
    await row.locator('button.claim').click();
    await expect.poll(() => row.getAttribute('data-status')).toBe('claimed');
    expect(await row.locator('.status-text').textContent()).toBe('Claimed by you');
    expect(await row.locator('button.claim').count()).toBe(0);
    expect(await calls()).toEqual([['claim', { id: 'ho_urgent' }]]);
  });

  it('Resolve and Open in Slack call the bridge with the handoff id', async () => {
    await openPage(initialState());
    const row = page.locator('li.handoff[data-id="ho_esc"]');
    await row.locator('button.open-slack').click();
    await row.locator('button.resolve').click();
    await page.locator('#confirm-ok').click();
    await expect.poll(() => row.getAttribute('data-status')).toBe('resolved');
    expect(await calls()).toEqual([['openInSlack', { id: 'ho_esc' }], ['resolve', { id: 'ho_esc', outcome: 'handled' }]]);
  });

  it('Resolve sends the outcome picked beside it, and the resolved row shows it', async () => {
    await openPage(initialState());
    const row = page.locator('li.handoff[data-id="ho_esc"]');
    expect(await row.locator('select.outcome option').allTextContents()).toEqual(['Handled', 'Called back', 'No answer', 'Not needed', 'Wrong workflow', 'Duplicate']);
    await row.locator('select.outcome').selectOption('not_needed');
    await row.locator('button.resolve').click();
    await page.locator('#confirm-ok').click();
    await expect.poll(() => row.getAttribute('data-status')).toBe('resolved');
    expect(await calls()).toEqual([['resolve', { id: 'ho_esc', outcome: 'not_needed' }]]);
    expect(await row.locator('.status-text').textContent()).toContain('Not needed');
    expect(await row.locator('select.outcome').count()).toBe(0);
  });

  it('keyboard and screen reader: each control names its handoff, focus stays on the acted-on card, the result is announced, tabs move with the arrows', async () => {
    await openPage(initialState());
    const row = page.locator('li.handoff[data-id="ho_urgent"]');
    await row.waitFor();
    expect(await row.locator('h2.reason').textContent()).toBe('emergency or sensitive request');
    const claim = row.locator('button.claim');
    expect(await claim.getAttribute('aria-label')).toBe('Claim urgent, emergency or sensitive request, Clinic after-hours line, 4 min');
    expect(await row.locator('button.open-slack').getAttribute('aria-label')).toMatch(/^Open urgent, .+ in Slack$/);
    // Two cards never give the same name to their controls.
    const names = await page.locator('li.handoff button.resolve').evaluateAll((bs) => bs.map((b) => b.getAttribute('aria-label')));
    expect(new Set(names).size).toBe(names.length);
    await claim.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => row.getAttribute('data-status')).toBe('claimed');
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('li.handoff')?.getAttribute('data-id'))).toBe('ho_urgent');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('resolve');
    await expect.poll(() => page.locator('#announce').textContent()).toMatch(/^Claimed by you: urgent, emergency or sensitive request/);
    expect(await page.locator('#announce').getAttribute('role')).toBe('status');

    await page.locator('#tab-list').focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.locator('#tab-settings').getAttribute('aria-selected')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-settings');
    expect(await page.locator('#settings-view').isVisible()).toBe(true);
    await page.keyboard.press('ArrowLeft');
    expect(await page.locator('#tab-list').getAttribute('aria-selected')).toBe('true');
    expect(await page.locator('[role="tabpanel"]#list-view').isVisible()).toBe(true);
    expect(await page.evaluate(() => document.querySelector('[role="tablist"]')?.closest('nav, main, header') !== null)).toBe(true);
  });

  it('Resolve asks first, in Slack\'s words: Cancel or Escape sends nothing, Resolve sends it', async () => {
    await openPage(initialState());
    const row = page.locator('li.handoff[data-id="ho_esc"]');
    const dialog = page.locator('#confirm-dialog');
    await row.locator('button.resolve').click();
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await page.locator('#confirm-title').textContent()).toBe('Resolve this handoff?');
    expect(await page.locator('#confirm-text').textContent()).toContain('Reopen brings it back.');
    // The dialog holds the focus while open.
    expect(await page.evaluate(() => document.activeElement?.closest('dialog')?.id)).toBe('confirm-dialog');
    await page.locator('#confirm-deny').click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await row.locator('button.resolve').click();
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(await calls()).toEqual([]);
    expect(await row.getAttribute('data-status')).toBe('open');
    await row.locator('button.resolve').click();
    await page.locator('#confirm-ok').click();
    await expect.poll(calls).toEqual([['resolve', { id: 'ho_esc', outcome: 'handled' }]]);
  });

  it('lists as /handoff status does: most severe first, unclaimed before claimed, longest waiting first, resolved last', async () => {
    const now = Date.now();
    const at = (min: number) => new Date(now - min * 60_000).toISOString();
    await openPage(
      initialState({
        handoffs: [
          view({ id: 'ho_resolved', status: 'resolved', severity: 'urgent', received_at: at(1) }),
          view({ id: 'ho_claimed_urgent', status: 'claimed', severity: 'urgent', claimed_by: 'U0OTHER', received_at: at(90) }),
          view({ id: 'ho_high', severity: 'high', received_at: at(30) }),
          view({ id: 'ho_old_urgent', severity: 'urgent', received_at: at(10) }),
          view({ id: 'ho_new_urgent', severity: 'urgent', received_at: at(0) }),
          view({ id: 'ho_low', severity: 'low', received_at: at(60) }),
        ],
      }),
    );
    await expect.poll(() => page.locator('li.handoff').count()).toBe(6);
    expect(await page.locator('li.handoff').evaluateAll((ls) => ls.map((l) => (l as HTMLElement).dataset.id))).toEqual([
      'ho_old_urgent',
      'ho_new_urgent',
      'ho_claimed_urgent',
      'ho_high',
      'ho_low',
      'ho_resolved',
    ]);
  });

  it('axe-core finds nothing serious or critical: the list in the light and the dark theme, the Resolve dialog, the settings', async () => {
    await openPage(initialState());
    await expect.poll(() => page.locator('li.handoff').count()).toBe(3);
    await page.locator('li.handoff[data-id="ho_urgent"] button.claim').click();
    await expect.poll(() => page.locator('li.handoff[data-id="ho_urgent"]').getAttribute('data-status')).toBe('claimed');
    expect(await seriousAxeFindings(page), 'light list').toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await seriousAxeFindings(page), 'dark list with "Claimed by you"').toEqual([]);
    await page.locator('li.handoff[data-id="ho_esc"] button.resolve').click();
    await expect.poll(() => page.locator('#confirm-dialog').isVisible()).toBe(true);
    expect(await seriousAxeFindings(page), 'the Resolve dialog').toEqual([]);
    await page.keyboard.press('Escape');
    await page.locator('#tab-settings').click();
    expect(await seriousAxeFindings(page), 'settings').toEqual([]);
  });

  it('shows the offline banner when the connection drops and hides it when back online', async () => {
    await openPage(initialState());
    await page.evaluate((s) => (window as unknown as { __push: (s: AppState) => void }).__push(s), initialState({ connection: 'offline' }));
    const banner = page.locator('#offline-banner');
    await expect.poll(() => banner.isVisible()).toBe(true);
    expect(await banner.textContent()).toContain('Offline');
    expect(await page.locator('#connection').textContent()).toBe('Offline');
    await page.screenshot({ path: join(SCREENSHOTS, 'desktop-offline.png') });
    await page.evaluate((s) => (window as unknown as { __push: (s: AppState) => void }).__push(s), initialState());
    await expect.poll(() => banner.isHidden()).toBe(true);
  });

  it('pairs from settings: a wrong code shows the error, the right one pairs', async () => {
    await openPage(initialState({ paired: false, userId: null, connection: 'unpaired', handoffs: [], settings: DEFAULT_SETTINGS }));
    await expect.poll(() => page.locator('#settings-view').isVisible()).toBe(true);
    await page.fill('#server-url', 'https://handoff.example.com');
    await page.fill('#pair-code', 'WRONG1');
    await page.click('#pair-button');
    await expect.poll(() => page.locator('#pair-status').textContent()).toBe('That pairing code is wrong, expired or already used.');
    expect(await page.locator('#pair-status').getAttribute('data-kind')).toBe('error');
    await page.screenshot({ path: join(SCREENSHOTS, 'desktop-settings.png') });

    await page.fill('#pair-code', 'GOOD42');
    await page.click('#pair-button');
    await expect.poll(() => page.locator('#pair-status').textContent()).toBe('Paired as U0NEW.');
    expect(await page.locator('#pair-code').inputValue()).toBe('');
    expect(await page.locator('#connection').textContent()).toBe('Online');
    expect(await calls()).toEqual([
      ['pair', { serverUrl: 'https://handoff.example.com', code: 'WRONG1' }],
      ['pair', { serverUrl: 'https://handoff.example.com', code: 'GOOD42' }],
    ]);
  });

  it('saves notification settings through the bridge', async () => {
    await openPage(initialState());
    await page.click('#tab-settings');
    await page.check('#auto-launch');
    await page.fill('#quiet-start', '22:00');
    await page.fill('#quiet-end', '07:00');
    await page.click('#save-settings');
    await expect.poll(() => page.locator('#settings-status').textContent()).toBe('Saved.');
    expect(await calls()).toEqual([
      ['saveSettings', { showCallerDataOnLockScreen: false, autoLaunch: true, quietHours: { start: '22:00', end: '07:00' } }],
    ]);
  });

  it('without a keyring says the pairing will not survive a restart and offers the unencrypted file', async () => {
    await openPage(initialState({ tokenStorage: 'memory-only' }));
    const banner = page.locator('#keyring-banner');
    await expect.poll(() => banner.isVisible()).toBe(true);
    expect(await banner.textContent()).toContain('No keyring');
    await page.click('#tab-settings');
    expect(await page.locator('#keyring-text').textContent()).toContain('pair again after every restart');
    await page.check('#store-unencrypted');
    await page.click('#save-settings');
    await expect.poll(() => page.locator('#settings-status').textContent()).toBe('Saved.');
    expect(await calls()).toEqual([
      ['saveSettings', { showCallerDataOnLockScreen: false, autoLaunch: false, quietHours: null, storeTokenUnencrypted: true }],
    ]);
    await page.screenshot({ path: join(SCREENSHOTS, 'desktop-no-keyring.png') });
    await page.evaluate((s) => (window as unknown as { __push: (s: AppState) => void }).__push(s), initialState({ tokenStorage: 'unencrypted-file' }));
    await expect.poll(() => banner.isHidden()).toBe(true);
    expect(await page.locator('#keyring-text').textContent()).toContain('stored unencrypted');
  });

  it('says so when the keyring is locked, and shows nothing about it when the token is in the keyring', async () => {
    await openPage(initialState({ tokenStorage: 'locked', paired: false, connection: 'unpaired' }));
    await expect.poll(() => page.locator('#keyring-banner').textContent()).toContain('keyring is locked');
    await page.evaluate((s) => (window as unknown as { __push: (s: AppState) => void }).__push(s), initialState({ tokenStorage: 'os-encrypted' }));
    await expect.poll(() => page.locator('#keyring-banner').isHidden()).toBe(true);
    await page.click('#tab-settings');
    expect(await page.locator('#unencrypted-option').isHidden()).toBe(true);
  });

  it('ships a strict CSP with no inline script', async () => {
    await openPage(initialState());
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(await page.locator('script:not([src])').count()).toBe(0);
  });
});
