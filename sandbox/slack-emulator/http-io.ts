// Thin HTTP helpers for node:http: read a body, decode Slack-style parameters
// (query string, form-urlencoded or JSON), write JSON.
import type { IncomingMessage, ServerResponse } from 'node:http';

const MAX_BODY_BYTES = 5 * 1024 * 1024;

export class BodyError extends Error {
  constructor(readonly code: 'body_too_large' | 'invalid_json' | 'invalid_form_data') {
    super(code);
  }
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new BodyError('body_too_large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export type Params = Record<string, unknown>;

/** Parameters the way Slack reads them: query string, then the body (form or JSON) on top. */
export function parseParams(url: URL, contentType: string | undefined, body: string): Params {
  const params: Params = Object.fromEntries(url.searchParams.entries());
  if (body.length === 0) return params;
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new BodyError('invalid_json');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new BodyError('invalid_json');
    return { ...params, ...(parsed as Params) };
  }
  // Slack treats anything else as form-urlencoded.
  for (const [k, v] of new URLSearchParams(body)) params[k] = v;
  return params;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
