/**
 * Incremental Server-Sent Events parser (WHATWG "event stream interpretation").
 * Feed it decoded text chunks in any split; it returns the complete messages.
 */
export interface SseMessage {
  /** The last `id:` seen so far on this stream (SSE semantics: it persists across messages). */
  id: string | null;
  event: string;
  data: string;
}

export interface SseParser {
  push(chunk: string): SseMessage[];
  /** The reconnection time the server asked for with `retry:`, if any. */
  readonly retryMs: number | null;
}

export function createSseParser(initialLastEventId: string | null = null): SseParser {
  let buffer = '';
  let firstChunk = true;
  // A chunk ending in CR may be the first half of CRLF: wait for the next chunk to know.
  let pendingCr = false;
  let lastEventId = initialLastEventId;
  let eventType = '';
  let dataLines: string[] = [];
  let retryMs: number | null = null;

  function dispatch(out: SseMessage[]): void {
    if (dataLines.length === 0) {
      eventType = '';
      return;
    }
    out.push({ id: lastEventId, event: eventType || 'message', data: dataLines.join('\n') });
    eventType = '';
    dataLines = [];
  }

  function processLine(line: string, out: SseMessage[]): void {
    if (line === '') return dispatch(out);
    if (line.startsWith(':')) return; // comment, e.g. a heartbeat
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        eventType = value;
        break;
      case 'data':
        dataLines.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) retryMs = Number(value);
        break;
      default:
        break; // unknown fields are ignored
    }
  }

  return {
    get retryMs() {
      return retryMs;
    },
    push(chunk: string): SseMessage[] {
      const out: SseMessage[] = [];
      if (firstChunk && chunk.length > 0) {
        firstChunk = false;
        if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      }
      if (pendingCr) {
        pendingCr = false;
        if (chunk.startsWith('\n')) chunk = chunk.slice(1);
      }
      buffer += chunk;
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const c = buffer[i];
        if (c !== '\n' && c !== '\r') continue;
        processLine(buffer.slice(start, i), out);
        if (c === '\r') {
          if (i + 1 === buffer.length) pendingCr = true;
          else if (buffer[i + 1] === '\n') i++;
        }
        start = i + 1;
      }
      buffer = buffer.slice(start);
      return out;
    },
  };
}
