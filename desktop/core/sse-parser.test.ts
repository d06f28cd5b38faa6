import { describe, expect, it } from 'vitest';
import { createSseParser } from './sse-parser.js';

describe('SSE parser', () => {
  it('joins multi-line data with newlines and keeps the id and event type', () => {
    const p = createSseParser();
    expect(p.push('id: 7\nevent: handoff\ndata: {"a":\ndata: 1}\n\n')).toEqual([{ id: '7', event: 'handoff', data: '{"a":\n1}' }]);
  });

  it('ignores comment lines such as heartbeats and dispatches nothing for them', () => {
    const p = createSseParser();
    expect(p.push(': ping\n\n: ping\n\n')).toEqual([]);
    expect(p.push(': ping\ndata: x\n: inside\n\n')).toEqual([{ id: null, event: 'message', data: 'x' }]);
  });

  it('reassembles an event split at any byte boundary', () => {
    const text = 'id: 12\r\nevent: handoff\r\ndata: hello\r\n\r\nid: 13\rdata: second\r\r';
    for (let cut = 0; cut <= text.length; cut++) {
      const p = createSseParser();
      const out = [...p.push(text.slice(0, cut)), ...p.push(text.slice(cut))];
      expect(out, `cut at ${cut}`).toEqual([
        { id: '12', event: 'handoff', data: 'hello' },
        { id: '13', event: 'message', data: 'second' },
      ]);
    }
  });

  it('does not dispatch an event whose blank line never arrived', () => {
    const p = createSseParser();
    expect(p.push('id: 1\nevent: handoff\ndata: {"half":')).toEqual([]);
  });

  it('removes only one leading space, accepts fields without a colon and ignores unknown fields', () => {
    const p = createSseParser();
    expect(p.push('data:  two spaces\nfoo: bar\ndata\n\n')).toEqual([{ id: null, event: 'message', data: ' two spaces\n' }]);
  });

  it('keeps the last id for later events, ignores ids with NUL and strips a leading BOM', () => {
    const p = createSseParser('3');
    expect(p.push('\ufeffdata: a\n\nid: 4\0x\ndata: b\n\nid: 5\n\ndata: c\n\n')).toEqual([
      { id: '3', event: 'message', data: 'a' },
      { id: '3', event: 'message', data: 'b' },
      { id: '5', event: 'message', data: 'c' },
    ]);
  });

  it('records a numeric retry field and ignores a malformed one', () => {
    const p = createSseParser();
    p.push('retry: 2500\n\nretry: soon\n\n');
    expect(p.retryMs).toBe(2500);
  });

  it('resets the event type after each dispatch', () => {
    const p = createSseParser();
    expect(p.push('event: handoff\ndata: 1\n\ndata: 2\n\n').map((m) => m.event)).toEqual(['handoff', 'message']);
  });
});
