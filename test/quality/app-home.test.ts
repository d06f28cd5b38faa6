import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { testConfig } from '../support/test-config.js';
import { until } from '../support/until.js';
import { postHandoff, sampleHandoff } from '../support/webhooks.js';

let h: Harness;
const ids: Record<string, string> = {};

beforeAll(async () => {
  // The billing line is restricted to Alice: nobody else may see its handoffs anywhere.
  const config = testConfig((doc) => ({ ...doc, workflows: doc.workflows.map((w) => (w.id === 'billing' ? { ...w, allowed_users: ['U0ALICE01'] } : w)) }));
  h = await startHarness({ config, startWorkers: false });
  const send = async (key: string, body: Record<string, unknown>) => {
    const res = await postHandoff(h.bot.url, body);
    expect(res.status).toBe(202);
    ids[key] = res.json.handoff_id as string;
  };
  await send('clinicMine', sampleHandoff({ handoff_reason: 'appointment_change' }));
  await send('clinicOpen', sampleHandoff());
  await send('billing', sampleHandoff({ workflow_id: 'billing', handoff_reason: 'billing_question', structured_fields: { account_number: 'AC-99' } }));
  expect((await h.bot.perform({ handoffId: ids.clinicMine!, action: 'claim', actor: { kind: 'user', userId: 'U0ALICE01' } })).ok).toBe(true);
});
afterAll(async () => {
  await h.close();
});

async function homeOf(user: string): Promise<string> {
  const before = h.slack.homeView(user)?.hash;
  const answer = await h.slack.openAppHome(user);
  expect(answer.status).toBe(200);
  const view = await until(() => {
    const v = h.slack.homeView(user);
    return v && v.hash !== before ? v : null;
  }, 5_000, `the Home tab of ${user}`);
  expect(view.view.type).toBe('home');
  return JSON.stringify(view.view.blocks);
}

describe('App Home', () => {
  it('publishes the viewer\'s own handoffs, the queue and this week\'s figures with text bars', async () => {
    const home = await homeOf('U0ALICE01');
    const mine = home.slice(home.indexOf('Your handoffs'), home.indexOf('The queue'));
    expect(mine).toContain(ids.clinicMine);
    expect(mine).not.toContain(ids.clinicOpen);
    const queue = home.slice(home.indexOf('The queue'), home.indexOf('This week'));
    expect(queue).toContain('2 open · 1 claimed');
    for (const id of Object.values(ids)) expect(queue).toContain(id);
    const week = home.slice(home.indexOf('This week'));
    expect(week).toContain('3 handoffs');
    expect(week).toContain('Billing line');
    expect(week).toMatch(/`█+░*` 1 appointment_change · claimed in \d+s \(median\)/);
    expect(h.slack.calls.count('views.publish')).toBeGreaterThan(0);
  });

  it('shows someone outside a workflow\'s allowed_users nothing of it: not in the queue, counts or figures', async () => {
    const home = await homeOf('U0EVE00001');
    expect(home).toContain('You have no claimed handoffs.');
    expect(home).toContain('1 open · 1 claimed');
    expect(home).toContain(ids.clinicOpen);
    expect(home).not.toContain(ids.billing);
    expect(home).not.toContain('Billing line');
    expect(home).not.toContain('billing_question');
    expect(home).toContain('2 handoffs');
  });

  it('puts no caller data on the Home tab', async () => {
    const home = await homeOf('U0ALICE01');
    for (const personal of ['+15555550123', 'Dana Whitfield', 'chest pain', 'AC-99']) expect(home).not.toContain(personal);
  });
});
