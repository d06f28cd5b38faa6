// The README's main screenshot and its caption tell the same story: the caption in README.md is
// the scene's (scripts/readme-scene.ts), the scene staged on a fresh sandbox shows each of its
// claims inside the captured window, and docs/sandbox.png has that window's size (it is
// `npm run screenshot`'s, not a test's).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/start-sandbox.js';
import { README_SCENE_CAPTION, README_SCENE_CLAIMS, README_SCENE_VIEWPORT, stageReadmeScene } from '../../scripts/readme-scene.js';
import { screenshotDir } from '../support/screenshots.js';

const ROOT = join(import.meta.dirname, '../..');
let sandbox: Sandbox;
let browser: Browser;
let page: Page;
let handoffId = '';
const pageErrors: string[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, logLevel: 'silent' });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  page = await browser.newPage({ viewport: README_SCENE_VIEWPORT });
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await page.goto(sandbox.url);
  await page.locator('#live[data-state="live"]').waitFor();
  handoffId = await stageReadmeScene(page);
  await page.screenshot({ path: join(screenshotDir(), 'readme-scene.png') });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.close();
});

describe('the README screenshot shows what its caption says', () => {
  it('the README captions docs/sandbox.png with the scene\'s caption', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const alt = /!\[([^\]]*)\]\(docs\/sandbox\.png\)/.exec(readme)?.[1];
    expect(alt).toBe(README_SCENE_CAPTION);
  });

  it.each(README_SCENE_CLAIMS.map((c) => [c.words, c] as const))('the staged page shows "%s" inside the captured window', async (_words, claim) => {
    expect(await claim.holds(page, handoffId)).toBe(true);
  });

  it('each check fails on a page that does not show its part (the checks can tell)', async () => {
    expect(await README_SCENE_CLAIMS[0]!.holds(page, 'ho_not_there')).toBe(false);
    expect(await README_SCENE_CLAIMS[1]!.holds(page, 'ho_not_there')).toBe(false);
    // Carol does not see Bob's ephemeral answer; at 800 px the tools panel is folded away.
    const value = await page.locator('#user-select option', { hasText: 'Carol' }).getAttribute('value');
    await page.selectOption('#user-select', value!);
    expect(await README_SCENE_CLAIMS[2]!.holds(page, handoffId)).toBe(false);
    await page.setViewportSize({ width: 800, height: 900 });
    expect(await README_SCENE_CLAIMS[3]!.holds(page, handoffId)).toBe(false);
  });

  it('docs/sandbox.png is a capture of that window (1440 x 900), and the page ran without a script error', () => {
    const png = readFileSync(join(ROOT, 'docs/sandbox.png'));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([README_SCENE_VIEWPORT.width, README_SCENE_VIEWPORT.height]);
    expect(pageErrors).toEqual([]);
  });
});
