// `npm run screenshot [file]`: the README's main screenshot (docs/sandbox.png unless a file is
// given), taken of a fresh sandbox in Debian's chromium after staging the state its caption
// describes (scripts/readme-scene.ts). Exits 1 with one line when a claim of the caption fails.
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startSandbox } from '../sandbox/start-sandbox.js';
import { README_SCENE_CLAIMS, README_SCENE_VIEWPORT, stageReadmeScene } from './readme-scene.js';

const out = process.argv[2] ?? join(import.meta.dirname, '../docs/sandbox.png');
const sandbox = await startSandbox({ port: 0, logLevel: 'silent' });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
let failed = '';
try {
  const page = await browser.newPage({ viewport: README_SCENE_VIEWPORT });
  await page.goto(sandbox.url);
  await page.locator('#live[data-state="live"]').waitFor();
  const id = await stageReadmeScene(page);
  for (const claim of README_SCENE_CLAIMS) if (!(await claim.holds(page, id))) failed ||= claim.words;
  if (!failed) await page.screenshot({ path: out });
} finally {
  await browser.close();
  await sandbox.close();
}
if (failed) {
  console.error(`screenshot: the page does not show "${failed}"; nothing written`);
  process.exit(1);
}
console.log(`screenshot: wrote ${out}`);
