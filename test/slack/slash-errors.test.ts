import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postAndAwaitCard } from '../support/cards.js';
import { startHarness, type Harness } from '../support/harness.js';
import { until } from '../support/until.js';
import { sampleHandoff } from '../support/webhooks.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ outbox: { paceMs: 0 } });
});
afterAll(async () => {
  await h.close();
});

async function run(text: string): Promise<string> {
  const answer = await h.slack.sendSlashCommand({ user: 'U0ALICE01', channel: 'C0CLINIC01', text });
  expect(answer.status).toBe(200);
  expect(answer.timedOut).toBe(false);
  return JSON.stringify(answer.json);
}

describe('/handoff says what was wrong', () => {
  it('names an unknown subcommand, then lists the real ones', async () => {
    const body = await run('frobnicate');
    expect(body).toContain('`/handoff frobnicate` is not a handoff command');
    expect(body).toContain('/handoff status');
  });

  it('says an id that is not a handoff id is not one', async () => {
    expect(await run('status ho_nope')).toContain('`ho_nope` is not a handoff id');
    expect(await run('status 12345')).toContain('ids start with `ho_`');
  });

  it('says ids are lower case and shows the corrected id', async () => {
    const { id } = await postAndAwaitCard(h, sampleHandoff());
    const body = await run(`status ${id.toUpperCase()}`);
    expect(body).toContain('Handoff ids are lower case');
    expect(body).toContain(`should be \`${id}\``);
  });

  it('says a well-formed id that is not here is not here', async () => {
    expect(await run(`status ho_${'0'.repeat(26)}`)).toContain(`There is no handoff \`ho_${'0'.repeat(26)}\` here`);
  });

  it('links each /handoff status row to its card', async () => {
    const { id } = await postAndAwaitCard(h, sampleHandoff());
    const permalink = await until(async () => (await h.bot.store.handoffs.get(id))?.slackPermalink, 5_000, 'the permalink');
    expect(permalink).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/archives\//);
    expect(await run('status')).toContain(`<${permalink}|`);
  });

  it('help lists every subcommand of the route table', async () => {
    const body = await run('help');
    for (const cmd of ['/handoff status`', '/handoff status ho_…`', '/handoff mine`', '/handoff desktop`', '/handoff desktop revoke`', '/handoff help`']) {
      expect(body).toContain(cmd);
    }
  });
});
