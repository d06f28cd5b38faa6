import { describe, expect, it } from 'vitest';
import { exceedsDepth, MAX_JSON_DEPTH } from './json-depth.js';

const nestedArrays = (depth: number): unknown => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);
const nestedObjects = (depth: number): unknown => JSON.parse(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);

describe('exceedsDepth', () => {
  it('counts each object or array level; scalars add none', () => {
    expect(exceedsDepth(1, 0)).toBe(false);
    expect(exceedsDepth('deep', 0)).toBe(false);
    expect(exceedsDepth({}, 0)).toBe(true);
    expect(exceedsDepth({ a: { b: [1] } }, 3)).toBe(false);
    expect(exceedsDepth({ a: { b: [1] } }, 2)).toBe(true);
  });

  it('allows exactly the limit and refuses one more, for arrays and objects', () => {
    expect(exceedsDepth(nestedArrays(MAX_JSON_DEPTH))).toBe(false);
    expect(exceedsDepth(nestedArrays(MAX_JSON_DEPTH + 1))).toBe(true);
    expect(exceedsDepth(nestedObjects(MAX_JSON_DEPTH))).toBe(false);
    expect(exceedsDepth(nestedObjects(MAX_JSON_DEPTH + 1))).toBe(true);
  });

  it('finds a deep branch beside shallow ones', () => {
    expect(exceedsDepth({ a: 1, b: [2, 3], c: { d: nestedArrays(40) } })).toBe(true);
  });

  it('walks 100 000 levels without overflowing the stack', () => {
    expect(exceedsDepth(nestedArrays(100_000))).toBe(true);
  });
});
