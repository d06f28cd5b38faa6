// The sandbox page draws every Block Kit type the bot sends. The builders are held by the compiler
// to the types declared in bot/slack/cards/blocks.ts (and the Home view's), so every `type` declared
// there must be one the page draws (sandbox/page/public/blocks.js, DRAWN_KIT_TYPES); and what real
// builders produce (the resolved card's outcome select, the Home tab) is walked for its types too.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildHandoffCard } from '../../bot/slack/cards/handoff-card.js';
import { buildHomeView } from '../../bot/slack/cards/home-view.js';
import { buildNoteModal } from '../../bot/slack/cards/note-modal.js';
import { DRAWN_KIT_TYPES } from '../../sandbox/page/public/blocks.js';
import { sampleInput, T0 } from '../support/fixtures.js';

const CARDS = join(import.meta.dirname, '../../bot/slack/cards');
/** View containers: the page draws their blocks, not a "modal" or "home" element. */
const CONTAINERS = new Set(['modal', 'home']);

/** Every `type: '…'` an interface in the file declares (Block Kit blocks, elements and texts). */
function declaredTypes(file: string): string[] {
  const text = readFileSync(join(CARDS, file), 'utf8');
  return [...text.matchAll(/^\s+type: '([a-z_]+)';$/gm)].map((m) => m[1]!).filter((t) => !CONTAINERS.has(t));
}

/** Every `type` anywhere inside a Block Kit payload. */
function typesIn(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) typesIn(v, into);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'type' && typeof v === 'string') into.add(v);
      else typesIn(v, into);
    }
  }
  for (const c of CONTAINERS) into.delete(c);
  return into;
}

describe('the sandbox page draws every Block Kit type the bot sends', () => {
  it('every type the card types declare is drawn', () => {
    const declared = [...declaredTypes('blocks.ts'), ...declaredTypes('home-view.ts')];
    expect(declared).toEqual(expect.arrayContaining(['static_select', 'button', 'section']));
    expect(DRAWN_KIT_TYPES).toEqual(expect.arrayContaining(declared));
  });

  it('what the builders produce is drawn: every card state (the resolved card\'s outcome select), the Home tab, the note modal', () => {
    const cards = (['open', 'claimed', 'resolved'] as const).map((status) =>
      buildHandoffCard(sampleInput({ status, claimedBy: status === 'open' ? null : 'U0BOB0001', resolvedBy: status === 'resolved' ? 'U0BOB0001' : null, outcome: 'not_needed' })),
    );
    const home = buildHomeView({ now: T0, mine: [], queue: [], queueCounts: { open: 0, claimed: 0 }, week: { days: 7, scope: null, rows: [] } });
    const used = typesIn([cards, home, buildNoteModal('ho_01HZXAMPLE')]);
    expect([...used]).toContain('static_select');
    expect(DRAWN_KIT_TYPES).toEqual(expect.arrayContaining([...used]));
  });

  it('fails for a type the page does not draw (the check can tell)', () => {
    expect(DRAWN_KIT_TYPES).not.toEqual(expect.arrayContaining([...typesIn({ blocks: [{ type: 'image' }] })]));
  });
});
