import { describe, expect, it } from 'vitest';
import { FaultBook, FaultRuleError, parseFaultRule, pickFault, type ActiveFaultRule } from './faults.js';

const rule = (over: Partial<ActiveFaultRule>): ActiveFaultRule => ({ id: 1, used: 0, method: '*', fault: { kind: 'hang' }, ...over });

describe('pickFault', () => {
  it.each([
    ['a rule for the method', [rule({ method: 'chat.update' })], 'chat.update', 0, 1],
    ['a wildcard rule', [rule({ method: '*' })], 'auth.test', 0, 1],
    ['no rule for another method', [rule({ method: 'chat.update' })], 'chat.postMessage', 0, undefined],
    ['no rule whose budget is spent', [rule({ times: 2, used: 2 })], 'auth.test', 0, undefined],
    ['no rule past its deadline', [rule({ untilMs: 100 })], 'auth.test', 100, undefined],
    ['the first of several matching rules', [rule({ id: 7, times: 1 }), rule({ id: 8 })], 'auth.test', 0, 7],
  ])('picks %s', (_name, rules, method, now, expectedId) => {
    expect(pickFault(rules, method, now)?.id).toBe(expectedId);
  });
});

describe('FaultBook', () => {
  it('consumes a limited rule and then lets calls through', () => {
    const book = new FaultBook(() => 0);
    book.rateLimit('chat.postMessage', 3, 2);
    expect(book.take('chat.postMessage')).toEqual({ kind: 'ratelimit', retryAfterSec: 3 });
    expect(book.take('auth.test')).toBeUndefined();
    expect(book.take('chat.postMessage')).toBeDefined();
    expect(book.take('chat.postMessage')).toBeUndefined();
  });

  it('removes a single rule by id', () => {
    const book = new FaultBook(() => 0);
    const id = book.serverError('*', 502);
    book.remove(id);
    expect(book.take('auth.test')).toBeUndefined();
  });
});

describe('parseFaultRule', () => {
  it('reads an HTTP control body', () => {
    expect(parseFaultRule({ method: 'chat.update', kind: 'status', status: 503, times: 1 })).toEqual({
      method: 'chat.update',
      fault: { kind: 'status', status: 503 },
      times: 1,
    });
  });

  it.each([[{ kind: 'explode' }], [{ kind: 'status', status: 200 }], [{ kind: 'error' }], [{ kind: 'hang', times: -1 }], ['x']])(
    'refuses %j',
    (input) => {
      expect(() => parseFaultRule(input)).toThrow(FaultRuleError);
    },
  );
});
