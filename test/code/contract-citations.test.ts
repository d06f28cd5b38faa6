import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { citationProblems, headingAnchors, trackedTextFiles, type TextFile } from '../../scripts/contract-citations.js';

const ROOT = join(import.meta.dirname, '..', '..');

// Planted citations are assembled at run time: written out here, the check of the real repository
// would read them in this file and fail.
const contractPath = (rest: string) => ['docs', 'contract', rest].join('/');
const OLD_WORD = ['SP', 'EC'].join('');

const PAGE: TextFile = {
  path: contractPath('slack.md'),
  text: '# Slack\n\n## The card\n\ntext\n\n## Claim\n\n```yaml\n# not a heading\n```\n',
};

describe('contract citations (what npm run docs:check enforces)', () => {
  it('all resolve in the repository, and the contract has its pages', () => {
    const files = trackedTextFiles(ROOT);
    const pages = files.filter((f) => f.path.startsWith(contractPath('')) && f.path.endsWith('.md'));
    expect(pages.length).toBeGreaterThanOrEqual(10);
    const citing = files.filter((f) => f.text.includes(contractPath('')) && !f.path.startsWith(contractPath('')));
    expect(citing.length).toBeGreaterThan(50);
    expect(citationProblems(files)).toEqual([]);
  });

  it('a citation of a page that does not exist fails', () => {
    const code = { path: 'bot/x.ts', text: `// one\n// see ${contractPath('nope.md')}\n` };
    expect(citationProblems([PAGE, code])).toEqual([`bot/x.ts:2: cites ${contractPath('nope.md')}, but ${contractPath('nope.md')} does not exist`]);
  });

  it('a citation of a heading the page does not have fails; one it has passes', () => {
    const good = { path: 'bot/a.ts', text: `// ${contractPath('slack.md#the-card')} and ${contractPath('slack.md#claim')}.` };
    const bad = { path: 'bot/b.ts', text: `// ${contractPath('slack.md#not-a-heading')}` };
    expect(citationProblems([PAGE, good])).toEqual([]);
    expect(citationProblems([PAGE, bad])).toEqual([`bot/b.ts:1: cites ${contractPath('slack.md#not-a-heading')}, but ${contractPath('slack.md')} has no heading #not-a-heading`]);
  });

  it('an old section-number citation fails, each one on its own line', () => {
    const code = { path: 'README.md', text: `Limits (${OLD_WORD} section 7).\n\nIn the ${OLD_WORD}'s order.\n` };
    expect(citationProblems([PAGE, code])).toEqual([
      `README.md:1: cites "${OLD_WORD}"; cite a page of docs/contract/ instead`,
      `README.md:3: cites "${OLD_WORD}'s"; cite a page of docs/contract/ instead`,
    ]);
    // Identifiers that merely contain the letters are not citations.
    expect(citationProblems([{ path: 'bot/c.ts', text: `const IMPLICIT_REASON_${OLD_WORD} = 1; // APPLE_APP_${OLD_WORD}IFIC_PASSWORD` }])).toEqual([]);
  });

  it("a contract page's relative link to a missing page or heading fails", () => {
    const other = {
      path: contractPath('desktop.md'),
      text: '# Desktop\n\nSee [claim](slack.md#claim), [here](#desktop), [site](https://example.com/x.md#y).\n\n[bad](slack.md#gone) [worse](missing.md)\n',
    };
    expect(citationProblems([PAGE, other])).toEqual([
      `${contractPath('desktop.md')}:5: links slack.md#gone, but ${contractPath('slack.md')} has no heading #gone`,
      `${contractPath('desktop.md')}:5: links missing.md, but ${contractPath('missing.md')} does not exist`,
    ]);
  });

  it('slugs headings as GitHub does: lower case, punctuation dropped, spaces to hyphens, repeats numbered, fences skipped', () => {
    const anchors = headingAnchors('# A `POST /v1/x` — thing\n## Claim-to-connect on Vapi\n## Claim-to-connect on Vapi\n```\n# no\n```\n### Privacy, reliability\n');
    expect([...anchors]).toEqual(['a-post-v1x--thing', 'claim-to-connect-on-vapi', 'claim-to-connect-on-vapi-1', 'privacy-reliability']);
  });
});
