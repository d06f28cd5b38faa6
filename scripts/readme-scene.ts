// The state the README's main screenshot shows, staged on the sandbox page by clicking as a user
// would, and the caption that describes it. `npm run screenshot` stages it and writes
// docs/sandbox.png; test/sandbox/readme-screenshot.test.ts stages it and checks every claim of
// the caption against the page, inside the window the screenshot captures.
import type { Locator, Page } from 'playwright-core';

export const README_SCENE_VIEWPORT = { width: 1440, height: 900 } as const;
const CLINIC = 'C0CLINIC01';
const NOTE = 'Called the patient back; on the line with them now.';

/** What the scene must show, each part of the caption with the check that proves it on the page. */
export interface SceneClaim {
  words: string;
  holds(page: Page, handoffId: string): Promise<boolean>;
}

function card(page: Page, handoffId: string): Locator {
  return page.locator(`.messages > .message[data-channel="${CLINIC}"][data-event-type="handoff_card"][data-handoff-id="${handoffId}"]`);
}

/** True when the element is drawn and wholly inside the window (what a screenshot of the viewport shows). */
async function inView(locator: Locator): Promise<boolean> {
  if ((await locator.count()) === 0 || !(await locator.first().isVisible())) return false;
  return locator.first().evaluate((node) => {
    const r = node.getBoundingClientRect();
    const clip = node.closest('.messages, .panel')?.getBoundingClientRect();
    const top = Math.max(0, clip?.top ?? 0);
    const bottom = Math.min(window.innerHeight, clip?.bottom ?? window.innerHeight);
    return r.height > 0 && r.top >= top - 1 && r.bottom <= bottom + 1 && r.left >= 0 && r.right <= window.innerWidth;
  });
}

export const README_SCENE_CLAIMS: readonly SceneClaim[] = [
  {
    words: 'a claimed, escalated urgent card',
    holds: async (page, id) => {
      const c = card(page, id);
      const header = c.locator(':scope > .message-body > .blocks .block-header').first();
      if (!(await inView(header))) return false;
      const text = await c.locator(':scope > .message-body > .blocks').innerText();
      return (
        /URGENT/i.test(await header.innerText()) &&
        /claimed by @Bob Okafor/i.test(text) &&
        /escalated/i.test(text) &&
        (await c.locator(':scope > .message-body > .blocks button[data-action-id="handoff_release"]').count()) === 1
      );
    },
  },
  {
    words: 'with a note in its thread',
    holds: async (page, id) => inView(card(page, id).locator('.thread .message[data-event-type="handoff_note"]', { hasText: NOTE })),
  },
  {
    words: 'the answer to /handoff status',
    holds: async (page) => inView(page.locator('.message.ephemeral', { hasText: 'Handoff status' }).last()),
  },
  {
    words: 'and the tools that send as a voice platform or a signed webhook',
    holds: async (page) => (await inView(page.locator('#vf-send'))) && inView(page.locator('#hf-reason')),
  },
];

export const README_SCENE_CAPTION = `The sandbox: ${README_SCENE_CLAIMS.map((c) => c.words).join(', ')}`;

async function actAs(page: Page, name: string): Promise<void> {
  const value = await page.locator('#user-select option', { hasText: name }).getAttribute('value');
  await page.selectOption('#user-select', value!);
}

/**
 * On a fresh sandbox page (live, 1440 x 900): an urgent clinic handoff, escalated by Alice, claimed
 * by Bob, Bob's note opened in its thread, then `/handoff status`. Returns the handoff's id.
 */
export async function stageReadmeScene(page: Page): Promise<string> {
  await page.setViewportSize(README_SCENE_VIEWPORT);
  await actAs(page, 'Alice Moreno');
  await page.selectOption('#hf-workflow', 'clinic-after-hours');
  await page.selectOption('#hf-reason', 'emergency_or_sensitive_request');
  await page.click('#hf-send');
  await page.locator('#hf-status', { hasText: '202 Accepted' }).waitFor();
  const id = (JSON.parse((await page.locator('#hf-body').textContent())!) as { handoff_id: string }).handoff_id;
  const c = card(page, id);
  const button = (actionId: string) => c.locator(`:scope > .message-body > .blocks button[data-action-id="${actionId}"]`);
  await button('handoff_escalate').click();
  await page.locator('.confirm-dialog [data-confirm="confirm"]').click();
  await c.filter({ hasText: /escalated/i }).waitFor();

  await actAs(page, 'Bob Okafor');
  await button('handoff_claim').click();
  await button('handoff_release').waitFor();
  await button('handoff_note').click();
  const modal = page.locator('.modal');
  await modal.locator('textarea').fill(NOTE);
  await modal.locator('button[type="submit"]').click();
  await modal.waitFor({ state: 'detached' });
  await c.locator('.thread-label').click();
  await c.locator('.thread .message[data-event-type="handoff_note"]').waitFor();
  // The card's own edit for the note (paced by the bot) changes its height: wait for it before framing.
  await c.locator(':scope > .message-body > .blocks', { hasText: '1 note in thread' }).waitFor();

  await page.fill('#composer-input', '/handoff status');
  await page.press('#composer-input', 'Enter');
  await page.locator('.message.ephemeral', { hasText: 'Handoff status' }).waitFor();
  // The card's header at the top of the pane, the status answer below it; the tools panel from its top.
  await c.evaluate((node) => node.scrollIntoView({ block: 'start' }));
  await page.locator('#tools-panel').evaluate((p) => p.scrollTo(0, 0));
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  return id;
}
