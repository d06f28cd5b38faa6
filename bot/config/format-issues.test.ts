import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { zodIssues } from './format-issues.js';

const schema = z.strictObject({
  name: z.string().min(1).max(5),
  count: z.number().int().max(3).optional(),
  kind: z.enum(['a', 'b']).optional(),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD').refine((d) => !d.endsWith('-30'), 'must be a real calendar date').optional(),
  tags: z.array(z.string()).max(1).optional(),
});

function issuesOf(value: unknown, named = false) {
  const parsed = schema.safeParse(value, { reportInput: true });
  if (parsed.success) throw new Error('expected a failure');
  return zodIssues(parsed.error, ['body'], { named });
}

describe('zodIssues: one problem per path, in plain words', () => {
  it.each([
    ['a missing key', {}, 'body.name', 'is required'],
    ['a wrong type', { name: 7 }, 'body.name', 'must be text'],
    ['an empty string', { name: '' }, 'body.name', 'must not be empty'],
    ['a long string', { name: 'abcdefg' }, 'body.name', 'must be at most 5 characters'],
    ['a big number', { name: 'x', count: 9 }, 'body.count', 'must be at most 3'],
    ['a value not in the list', { name: 'x', kind: 'c' }, 'body.kind', 'must be one of: a, b'],
    ['a schema\'s own message', { name: 'x', date: '2024-02-30' }, 'body.date', 'must be a real calendar date'],
    ['too many items', { name: 'x', tags: ['a', 'b'] }, 'body.tags', 'must have at most 1 items'],
    ['an unknown key', { name: 'x', colour: 'red' }, 'body.colour', 'unknown field'],
  ])('%s', (_case, value, path, message) => {
    expect(issuesOf(value)).toContainEqual({ path, message });
    expect(JSON.stringify(issuesOf(value))).not.toMatch(/Invalid|Too (big|small)|received/);
  });

  it('names the field when asked (a request\'s answer), and never repeats a path', () => {
    expect(issuesOf({ colour: 'red', date: 'x' }, true)).toEqual([
      { path: 'body.name', message: 'name is required' },
      { path: 'body.date', message: 'date must be a date YYYY-MM-DD' },
      { path: 'body.colour', message: 'colour is not a known field' },
    ]);
  });

  it('never carries the value that was sent', () => {
    expect(JSON.stringify(issuesOf({ name: 'secret-value-1', kind: 'secret-value-2' }))).not.toContain('secret-value');
  });
});
