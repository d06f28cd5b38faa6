import type { IncomingMessage } from 'node:http';

export const MAX_BODY_BYTES = 64 * 1024;
/** A body that has not fully arrived this long after its handler started is cut off (slow-upload floods). */
export const BODY_READ_DEADLINE_MS = 10_000;

export class BodyTooLargeError extends Error {}
/** The client went away or stalled past the deadline: there is nobody to answer, and nothing to log per request. */
export class BodyAbortedError extends Error {}

export interface ReadBodyOptions {
  deadlineMs?: number;
}

/**
 * Reads the raw body, refusing beyond `limit` bytes as soon as the header or the stream says so (what
 * was read is dropped at once; the rest is drained without being kept, so the client can read the 413,
 * and the server's request timeout ends a drain that goes on), and cutting off a body still incomplete
 * after `deadlineMs`.
 */
export function readRawBody(req: IncomingMessage, limit = MAX_BODY_BYTES, opts: ReadBodyOptions = {}): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.reject(new BodyTooLargeError());
  }
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err: Error | null, body?: Buffer): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.off('data', onData);
      chunks = [];
      if (err) reject(err);
      else resolve(body!);
    };
    const timer = setTimeout(() => {
      finish(new BodyAbortedError('body read deadline passed'));
      req.socket.destroy();
    }, opts.deadlineMs ?? BODY_READ_DEADLINE_MS);
    timer.unref();
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        finish(new BodyTooLargeError());
        req.resume();
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => finish(null, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', () => finish(new BodyAbortedError('request aborted')));
    req.on('close', () => {
      if (!req.complete) finish(new BodyAbortedError('request aborted'));
    });
  });
}
