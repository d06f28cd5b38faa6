import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../bot/config/load-config.js';
import { SANDBOX_CHANNELS, SANDBOX_CONFIG_FILE, startSandbox, type Sandbox } from './start-sandbox.js';

describe('startSandbox', () => {
  let sandbox: Sandbox;
  let blocker: ReturnType<typeof createServer>;
  let busyPort: number;

  beforeAll(async () => {
    blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    busyPort = (blocker.address() as AddressInfo).port;
    sandbox = await startSandbox({ port: busyPort, logLevel: 'silent' });
  });
  afterAll(async () => {
    await sandbox?.close();
    await new Promise((r) => blocker.close(r));
  });

  it('falls back to a free port when the asked one is busy', () => {
    expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(new URL(sandbox.url).port).not.toBe(String(busyPort));
  });

  it('names every channel the sample config posts to, so no card goes to an unknown channel', () => {
    const config = loadConfigFile(SANDBOX_CONFIG_FILE);
    const named = new Set(SANDBOX_CHANNELS.map((c) => c.id));
    for (const wf of config.workflows.values()) {
      expect(named.has(wf.owner_channel)).toBe(true);
      for (const level of wf.ladder) if (level.channel !== null) expect(named.has(level.channel)).toBe(true);
    }
  });

  it('signs the form handoff with its secret: the real bot accepts it and refuses nothing but bad input', async () => {
    const send = (handoff: unknown) =>
      fetch(`${sandbox.url}sandbox/api/handoffs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ handoff }) }).then(
        async (r) => ({ status: r.status, json: (await r.json()) as { status: number; body: { error?: string } } }),
      );
    const ok = await send({ workflow_id: 'billing', caller_id: '+15555550123', call_status: 'in_progress', structured_fields: { account_number: 'AC-1' }, handoff_reason: 'billing_question' });
    expect(ok.json.status).toBe(202);
    const bad = await send({ workflow_id: 'nope', caller_id: '+1', call_status: 'in_progress', structured_fields: {} });
    expect(bad.json.status).toBe(422);
    expect(bad.json.body.error).toBe('unknown_workflow');
  });

  it('accepts only JSON on the form endpoint (no cross-site form posts) and serves only its own files', async () => {
    const form = await fetch(`${sandbox.url}sandbox/api/handoffs`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
    expect(form.status).toBe(415);
    expect((await fetch(`${sandbox.url}static/..%2fpage-server.ts`)).status).toBe(404);
    expect((await fetch(`${sandbox.url}static/mrkdwn.d.ts`)).status).toBe(404);
    const js = await fetch(`${sandbox.url}static/app.js`);
    expect(js.headers.get('content-type')).toContain('text/javascript');
  });

  it('opens Slack permalinks of the emulator on the page', async () => {
    const res = await fetch(`${sandbox.url}archives/C0CLINIC01/p1700000000123456`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/#C0CLINIC01/1700000000.123456');
  });
});
