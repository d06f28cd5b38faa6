import http from 'node:http';
import https from 'node:https';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCallbackReceiver, type CallbackReceiver } from '../../sandbox/fakes/callback-receiver.js';
import type { Resolver } from './resolve-target.js';
import { guardedPost, type RequestFn } from './ssrf-guard.js';

/** Wraps the real transport and records every connection it is asked to open. */
function countingRequest(): { request: RequestFn; calls: https.RequestOptions[] } {
  const calls: https.RequestOptions[] = [];
  return {
    calls,
    request: (options) => {
      calls.push(options);
      return http.request(options);
    },
  };
}

function scriptedResolver(answers: string[][]): { resolve: Resolver; lookups: string[] } {
  const lookups: string[] = [];
  return {
    lookups,
    resolve: async (hostname) => {
      const answer = answers[Math.min(lookups.length, answers.length - 1)] ?? [];
      lookups.push(hostname);
      return answer.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    },
  };
}

let receiver: CallbackReceiver;
beforeAll(async () => {
  receiver = await startCallbackReceiver();
});
afterAll(async () => {
  await receiver.close();
});
afterEach(() => receiver.reset());

describe('guardedPost refuses before any connection', () => {
  const table = (port: number): Array<[string, string]> => [
    [`http://127.0.0.1:${port}/`, 'loopback'],
    [`http://localhost:${port}/`, 'loopback'],
    [`http://[::1]:${port}/`, 'loopback'],
    [`http://[::ffff:127.0.0.1]:${port}/`, 'loopback'],
    ['http://10.0.0.1/', 'private'],
    ['http://169.254.169.254/latest/meta-data', 'metadata'],
    ['http://100.64.0.1/', 'cgnat'],
    ['http://0.0.0.0/', 'unspecified'],
    ['http://[fe80::1]/', 'link_local'],
    ['http://2130706433/', 'loopback'],
    ['http://0x7f.1/', 'loopback'],
  ];

  it('refuses every literal and well-known loopback form when callback_hosts is empty (metadata by name), with no DNS lookup, no socket and nothing received', async () => {
    for (const [url, reason] of table(receiver.port)) {
      const transport = countingRequest();
      const dns = scriptedResolver([['127.0.0.1']]);
      const result = await guardedPost(url, '{}', {}, { callbackHosts: [], request: transport.request, resolve: dns.resolve });
      expect(result.ok, url).toBe(false);
      if (result.ok) continue;
      const expected = reason === 'metadata' ? 'metadata' : 'no_callback_hosts';
      expect({ url, code: result.error.code, reason: result.error.reason }).toEqual({ url, code: 'ssrf_refused', reason: expected });
      expect(result.error.disablesCallbacks).toBe(true);
      expect(transport.calls, url).toHaveLength(0);
      expect(dns.lookups, url).toHaveLength(0);
    }
    expect(receiver.received).toHaveLength(0);
  });

  it('refuses a listed name whose answers include the metadata address, opening no socket', async () => {
    const transport = countingRequest();
    const dns = scriptedResolver([['93.184.216.34', '169.254.169.254']]);
    const result = await guardedPost('http://mixed.example.test/', '{}', {}, { callbackHosts: ['mixed.example.test'], request: transport.request, resolve: dns.resolve });
    expect(result.ok ? null : result.error.reason).toBe('metadata');
    expect(transport.calls).toHaveLength(0);
  });

  it('refuses a host not on a non-empty callback_hosts list without resolving it', async () => {
    const transport = countingRequest();
    const dns = scriptedResolver([['93.184.216.34']]);
    const result = await guardedPost('https://elsewhere.example.test/', '{}', {}, {
      callbackHosts: ['hooks.example.test'],
      request: transport.request,
      resolve: dns.resolve,
    });
    expect(result.ok ? null : result.error.reason).toBe('host_not_allowed');
    expect(dns.lookups).toHaveLength(0);
    expect(transport.calls).toHaveLength(0);
  });

  it('reports a failed lookup as dns_failed, retryable, without turning callbacks off', async () => {
    const transport = countingRequest();
    const result = await guardedPost('http://nowhere.example.test/', '{}', {}, {
      callbackHosts: ['nowhere.example.test'],
      request: transport.request,
      resolve: async () => {
        throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
      },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect([result.error.code, result.error.reason, result.error.retryable, result.error.disablesCallbacks]).toEqual([
      'ssrf_refused',
      'dns_failed',
      true,
      false,
    ]);
    expect(transport.calls).toHaveLength(0);
  });

  it('never puts the path or query of the URL into the error', async () => {
    const result = await guardedPost('http://10.0.0.1/hooks/tok_SECRET123?sig=SECRET456', '{}', {}, { callbackHosts: [] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const rendered = `${result.error.message} ${String(result.error)} ${JSON.stringify(result.error)} ${result.error.stack}`;
    expect(rendered).not.toContain('SECRET');
    expect(result.error.host).toBe('10.0.0.1');
  });
});

describe('guardedPost to a listed host', () => {
  it('delivers the POST with body and headers to a listed loopback receiver', async () => {
    const result = await guardedPost(`${receiver.url}/cb/path?x=1`, '{"hello":"world"}', { 'content-type': 'application/json', 'x-test': 'yes' }, {
      callbackHosts: ['127.0.0.1'],
    });
    expect(result).toEqual({ ok: true, status: 200 });
    expect(receiver.received).toHaveLength(1);
    const got = receiver.received[0]!;
    expect(got.path).toBe('/cb/path?x=1');
    expect(got.rawBody).toBe('{"hello":"world"}');
    expect(got.headers['x-test']).toBe('yes');
    expect(got.headers['host']).toBe(`127.0.0.1:${receiver.port}`);
  });

  it('refuses a 302 to the metadata address and never contacts it', async () => {
    receiver.failNext(1, { kind: 'redirect', location: 'http://169.254.169.254/latest/meta-data', status: 302 });
    const transport = countingRequest();
    const result = await guardedPost(`${receiver.url}/cb`, '{}', {}, { callbackHosts: ['127.0.0.1'], request: transport.request });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('redirect_refused');
    expect(result.status).toBe(302);
    expect(transport.calls.map((c) => c.host)).toEqual(['127.0.0.1']);
    expect(receiver.received).toHaveLength(1);
  });

  it('pins the socket to the first answer: a rebinding second answer is never asked for or used', async () => {
    // Same port on 127.0.0.2: if the connection re-resolved, this receiver would get the POST.
    const decoy = await startCallbackReceiver({ host: '127.0.0.2', port: receiver.port });
    try {
      const dns = scriptedResolver([['127.0.0.1'], ['127.0.0.2']]);
      const result = await guardedPost(`http://rebind.test:${receiver.port}/cb`, '{}', {}, {
        callbackHosts: ['rebind.test'],
        resolve: dns.resolve,
      });
      expect(result).toEqual({ ok: true, status: 200 });
      expect(dns.lookups).toEqual(['rebind.test']);
      expect(receiver.received).toHaveLength(1);
      expect(receiver.received[0]!.headers['host']).toBe(`rebind.test:${receiver.port}`);
      expect(decoy.received).toHaveLength(0);
    } finally {
      await decoy.close();
    }
  });

  it('hands the transport a lookup that answers only the checked public address, and the original name for SNI', async () => {
    const dns = scriptedResolver([['93.184.216.34'], ['127.0.0.1']]);
    const captured: https.RequestOptions[] = [];
    // Captures the options and fails without opening any socket: no traffic leaves loopback.
    const request: RequestFn = (options) => {
      captured.push(options);
      const req = new http.ClientRequest({ ...options, createConnection: () => { throw new Error('no socket in this test'); } });
      return req;
    };
    const result = await guardedPost('https://public.example.test/cb', '{}', {}, { callbackHosts: ['public.example.test'], resolve: dns.resolve, request });
    expect(result.ok ? null : result.error.code).toBe('network_error');
    expect(dns.lookups).toEqual(['public.example.test']);
    const opts = captured[0]!;
    expect(opts.host).toBe('public.example.test');
    expect(opts.servername).toBe('public.example.test');
    expect(opts.agent).toBe(false);
    const lookup = opts.lookup!;
    const single = await new Promise<unknown[]>((resolve) => lookup('public.example.test', {}, (...args: unknown[]) => resolve(args)));
    expect(single).toEqual([null, '93.184.216.34', 4]);
    const all = await new Promise<unknown[]>((resolve) => lookup('anything.else', { all: true }, (...args: unknown[]) => resolve(args)));
    expect(all).toEqual([null, [{ address: '93.184.216.34', family: 4 }]]);
  });
});

describe('guardedPost failures from a listed receiver', () => {
  const opts = { callbackHosts: ['127.0.0.1'] };

  it('times out a receiver that never answers, within the configured deadline', async () => {
    receiver.failNext(1, { kind: 'hang' });
    const started = Date.now();
    const result = await guardedPost(`${receiver.url}/cb`, '{}', {}, { ...opts, timeoutMs: 150 });
    expect(result.ok ? null : result.error.code).toBe('timeout');
    expect(result.ok ? null : result.error.retryable).toBe(true);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(receiver.received).toHaveLength(1);
  });

  it('counts a resolver that never answers against the same deadline', async () => {
    const transport = countingRequest();
    const result = await guardedPost('http://slow-dns.example.test/', '{}', {}, {
      callbackHosts: ['slow-dns.example.test'],
      timeoutMs: 100,
      request: transport.request,
      resolve: () => new Promise(() => {}),
    });
    expect(result.ok ? null : result.error.code).toBe('timeout');
    expect(transport.calls).toHaveLength(0);
  });

  it('maps a 500 to http_500, retryable', async () => {
    receiver.failNext(1, { kind: 'status', status: 500 });
    const result = await guardedPost(`${receiver.url}/cb`, '{}', {}, opts);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect([result.error.code, result.status, result.error.retryable]).toEqual(['http_500', 500, true]);
  });

  it('maps a 410 to http_410, not retryable', async () => {
    receiver.failNext(1, { kind: 'status', status: 410 });
    const result = await guardedPost(`${receiver.url}/cb`, '{}', {}, opts);
    expect(result.ok ? null : [result.error.code, result.error.retryable]).toEqual(['http_410', false]);
  });

  it('aborts a response body beyond 64 KiB and accepts one just under it', async () => {
    receiver.failNext(1, { kind: 'large_body', bytes: 64 * 1024 + 1 });
    const big = await guardedPost(`${receiver.url}/cb`, '{}', {}, opts);
    expect(big.ok ? null : big.error.code).toBe('response_too_large');

    receiver.failNext(1, { kind: 'large_body', bytes: 64 * 1024 });
    const fits = await guardedPost(`${receiver.url}/cb`, '{}', {}, opts);
    expect(fits).toEqual({ ok: true, status: 200 });
  });

  it('caps a streamed body with no content-length too', async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'transfer-encoding': 'chunked' });
      const chunk = Buffer.alloc(16 * 1024, 'y');
      let sent = 0;
      const pump = (): void => {
        if (sent++ >= 100 || res.destroyed) return void res.end();
        res.write(chunk, pump);
      };
      pump();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const result = await guardedPost(`http://127.0.0.1:${port}/`, '{}', {}, opts);
      expect(result.ok ? null : result.error.code).toBe('response_too_large');
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('reports a refused connection as network_error', async () => {
    const closed = await startCallbackReceiver();
    const port = closed.port;
    await closed.close();
    const result = await guardedPost(`http://127.0.0.1:${port}/`, '{}', {}, opts);
    expect(result.ok ? null : [result.error.code, result.error.retryable]).toEqual(['network_error', true]);
  });
});
