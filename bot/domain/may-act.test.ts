import { describe, expect, it } from 'vitest';
import { inScope, mayAct, workflowScope, type AccessConfig } from './may-act.js';

const config: AccessConfig = {
  workflows: new Map([
    ['open-line', { id: 'open-line', allowed_users: [] }],
    ['vip', { id: 'vip', allowed_users: ['U0ALICE01'] }],
  ]) as unknown as AccessConfig['workflows'],
  retiredWorkflowsVisibleTo: ['U0BOB0001'],
};

describe('mayAct and workflowScope fail closed for a workflow no longer configured', () => {
  it.each([
    ['open-line', 'U0EVE00001', true],
    ['vip', 'U0ALICE01', true],
    ['vip', 'U0EVE00001', false],
    ['vip', 'U0BOB0001', false],
    ['retired', 'U0EVE00001', false],
    ['retired', 'U0ALICE01', false],
    ['retired', 'U0BOB0001', true],
  ])('%s, %s: %s', (workflow, user, expected) => {
    expect(mayAct(config, workflow, user)).toBe(expected);
    // The store's filter agrees with the rule for every workflow, configured or not.
    expect(inScope(workflowScope(config, user), workflow)).toBe(expected);
  });

  it('lets nobody see a retired workflow when the config names nobody', () => {
    const none = { workflows: config.workflows };
    expect(mayAct(none, 'retired', 'U0BOB0001')).toBe(false);
    expect(workflowScope(none, 'U0BOB0001')).toEqual({ ids: ['open-line'], only: true });
  });
});
