import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A pass-through in front of the Slack emulator for one bot process, so a test can hold that process's
 * answers: with `holdAnswers` on, each call still reaches Slack (the message is posted) but its answer
 * never comes back, as when a process dies between Slack's post and its own bookkeeping.
 */
export interface SlackFront {
  /** What the process's SLACK_API_URL takes. */
  apiUrl: string;
  holdAnswers: boolean;
  /** Calls whose answer is being held. */
  held(): number;
  close(): Promise<void>;
}

export async function startSlackFront(emulatorApiUrl: string): Promise<SlackFront> {
  const held = new Set<ServerResponse>();
  const front: SlackFront = {
    apiUrl: '',
    holdAnswers: false,
    held: () => held.size,
    close: async () => {
      for (const res of held) res.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const forward = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const path = (req.url ?? '/').replace(/^\/api\//, '');
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'authorization']) {
      const v = req.headers[name];
      if (typeof v === 'string') headers[name] = v;
    }
    const hold = front.holdAnswers;
    const answer = await fetch(new URL(path, emulatorApiUrl), { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
    const body = Buffer.from(await answer.arrayBuffer());
    if (hold) {
      held.add(res);
      res.on('close', () => held.delete(res));
      return;
    }
    const out: Record<string, string> = { 'content-type': answer.headers.get('content-type') ?? 'application/json' };
    const retryAfter = answer.headers.get('retry-after');
    if (retryAfter) out['retry-after'] = retryAfter;
    res.writeHead(answer.status, out).end(body);
  };
  const server: Server = createServer((req, res) => {
    forward(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  front.apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
  return front;
}
