import { randomBytes } from 'node:crypto';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { manualClock } from '../support/manual-clock.js';
import { eraseExpired } from '../../bot/retention/erase-expired.js';
import { BOT_PROVIDER_SECRETS } from '../support/providers.js';
import { testConfig } from '../support/test-config.js';
import { until } from '../support/until.js';
import { postHandoff, sampleHandoff } from '../support/webhooks.js';

/** docs/contract/regulated-workflows.md: the Details page of a `link_only` workflow, through the real bot, Slack emulator and Chromium. */
const ALICE = 'U0ALICE01';
const BOB = 'U0BOB0001';
const EVE = 'U0EVE00001';
const CHANNEL = 'C0CLINIC01';
const CONFIG = testConfig((doc) => {
  Object.assign(doc.workflows[0]!, { chat_data: 'link_only', allowed_users: [ALICE, BOB], callbacks: false });
  return doc;
});

const t = manualClock();
let h: Harness;
let browser: Browser;

beforeAll(async () => {
  h = await startHarness({ config: CONFIG, clock: t.clock, outbox: { paceMs: 0 }, settings: { providers: BOT_PROVIDER_SECRETS, publicUrl: 'https://handoff.example.test' } });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

async function newHandoff(overrides: Record<string, unknown> = {}): Promise<{ id: string; ts: string }> {
  const res = await postHandoff(h.bot.url, sampleHandoff({ handoff_reason: 'appointment_change', caller_message: 'See you on Tuesday at nine', ...overrides }));
  expect(res.status).toBe(202);
  const id = res.json.handoff_id as string;
  const ts = await until(async () => (await h.bot.store.handoffs.get(id))?.slackTs, 5_000, 'the card');
  return { id, ts };
}

const TOKEN_IN_LINK = /https:\/\/handoff\.example\.test\/v\/([A-Za-z0-9_-]{43})/;

/** Clicks Details as `user` and returns the link from the ephemeral answer, pointed at the test's bot. */
async function detailsLink(user: string, card: { id: string; ts: string }): Promise<string> {
  const before = h.slack.ephemerals(user).length;
  expect((await h.slack.sendBlockAction({ user, channel: CHANNEL, messageTs: card.ts, actionId: 'handoff_details', value: card.id })).status).toBe(200);
  const answer = await until(() => h.slack.ephemerals(user).slice(before).at(-1), 5_000, 'the Details answer');
  const token = TOKEN_IN_LINK.exec(answer.text)?.[1];
  if (!token) throw new Error(`no link in: ${answer.text}`);
  expect(answer.text).toContain('works once, for 10 minutes');
  return `${h.bot.url}/v/${token}`;
}

const linksStored = () => (h.db.prepare('SELECT COUNT(*) AS n FROM details_links').get() as { n: number }).n;

function expectPrivateHeaders(headers: Record<string, string>): void {
  expect(headers['cache-control']).toBe('no-store');
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['content-security-policy']).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; /);
  expect(headers['content-type']).toBe('text/html; charset=utf-8');
}

describe('the Details page of a link_only workflow', () => {
  it('shows everything in Chromium on a phone, with private headers and no other origin; reloads in that browser only; opening is on the timeline once', async () => {
    const card = await newHandoff();
    const link = await detailsLink(ALICE, card);
    // Nothing is stored of the token itself.
    expect(JSON.stringify(h.db.prepare('SELECT * FROM details_links').all())).not.toContain(link.split('/v/')[1]);

    const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const page = await phone.newPage();
    const requested: string[] = [];
    const problems: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    page.on('console', (m) => problems.push(m.text()));
    const first = await page.goto(link);
    expect(first?.status()).toBe(200);
    expectPrivateHeaders(first!.headers());
    const text = (await page.textContent('body')) ?? '';
    for (const value of ['+15555550123', 'Dana Whitfield', 'chest pain since noon', '+15555550177', 'See you on Tuesday at nine', 'Clinic after-hours line', card.id]) {
      expect(text).toContain(value);
    }
    expect(text).toContain('symptoms (sensitive)');
    // The inline style is the one the CSP allows: it applied, and nothing was blocked or fetched elsewhere.
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('main')!).maxWidth)).toBe('704px');
    expect(problems.filter((p) => /Content Security Policy|Refused/i.test(p))).toEqual([]);
    expect(requested).toEqual([link]);
    // Readable on a phone: no sideways scrolling.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    const cookies = await phone.cookies();
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatchObject({ path: '/v/', httpOnly: true, sameSite: 'Lax' });

    const again = await page.reload();
    expect(again?.status()).toBe(200);
    expect((await page.textContent('body')) ?? '').toContain('+15555550123');

    const other = await browser.newContext();
    const elsewhere = await (await other.newPage()).goto(link);
    expect(elsewhere?.status()).toBe(410);
    expectPrivateHeaders(elsewhere!.headers());
    expect(await elsewhere!.text()).not.toContain('5555550123');
    await other.close();
    await phone.close();

    const viewed = (await h.bot.store.events.forHandoff(card.id)).filter((e) => e.type === 'handoff.details_viewed');
    expect(viewed.map((e) => ({ actor: e.actor, data: e.data }))).toEqual([{ actor: ALICE, data: {} }]);
    const timeline = await h.slack.sendSlashCommand({ user: BOB, channel: CHANNEL, text: `status ${card.id}` });
    expect(timeline.body).toContain(`Details page opened by <@${ALICE}>`);
  }, 30_000);

  it('gives someone not allowed to act the same refusal as before, and no link', async () => {
    const card = await newHandoff();
    const stored = linksStored();
    const before = h.slack.ephemerals(EVE).length;
    await h.slack.sendBlockAction({ user: EVE, channel: CHANNEL, messageTs: card.ts, actionId: 'handoff_details', value: card.id });
    const answer = await until(() => h.slack.ephemerals(EVE).slice(before).at(-1), 5_000, 'the refusal');
    expect(answer.text).toContain('You are not on the list of people who may act on Clinic after-hours line handoffs');
    expect(answer.text).not.toContain('/v/');
    expect(linksStored()).toBe(stored);
  });

  it('says an erased handoff was erased, and shows none of it', async () => {
    const card = await newHandoff();
    await h.slack.sendBlockAction({ user: ALICE, channel: CHANNEL, messageTs: card.ts, actionId: 'handoff_resolve', value: card.id });
    await until(async () => (await h.bot.store.handoffs.get(card.id))?.status === 'resolved');
    const now = t.clock();
    await eraseExpired(h.bot.store, 0, now + 1);
    expect((await h.bot.store.handoffs.get(card.id))?.erasedAt).toBe(now + 1);
    const res = await fetch(await detailsLink(ALICE, card));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('was erased on');
    for (const value of ['5555550123', 'Dana Whitfield', 'chest pain', 'Tuesday']) expect(html).not.toContain(value);
  });

  it('answers 410 to a malformed, unknown, used, expired or other browser’s link, the same page each time', async () => {
    const card = await newHandoff();
    const used = await detailsLink(ALICE, card);
    const opened = await fetch(used);
    expect(opened.status).toBe(200);
    const cookie = opened.headers.get('set-cookie')!.split(';')[0]!;
    const expiring = await detailsLink(BOB, card);
    const cases: Record<string, () => Promise<Response>> = {
      malformed: () => fetch(`${h.bot.url}/v/not-a-token`),
      'too long': () => fetch(`${h.bot.url}/v/${'A'.repeat(44)}`),
      unknown: () => fetch(`${h.bot.url}/v/${randomBytes(32).toString('base64url')}`),
      used: () => fetch(used),
      'other browser': () => fetch(used, { headers: { cookie: `${cookie.split('=')[0]}=${randomBytes(32).toString('base64url')}` } }),
    };
    const bodies = new Set<string>();
    for (const [name, request] of Object.entries(cases)) {
      const res = await request();
      expect(res.status, name).toBe(410);
      expectPrivateHeaders(Object.fromEntries(res.headers));
      bodies.add(await res.text());
    }
    // The browser that opened it may reload until the link expires, then it too gets 410; so does an unopened link.
    expect((await fetch(used, { headers: { cookie } })).status).toBe(200);
    t.advance(10 * 60_000);
    for (const res of [await fetch(used, { headers: { cookie } }), await fetch(expiring)]) {
      expect(res.status).toBe(410);
      bodies.add(await res.text());
    }
    expect(bodies.size).toBe(1);
    expect([...bodies][0]).toContain('This link has expired or was already used');
    // Only the first opening is on the timeline.
    expect((await h.bot.store.events.forHandoff(card.id)).filter((e) => e.type === 'handoff.details_viewed').map((e) => e.actor)).toEqual([ALICE]);
  });
});
