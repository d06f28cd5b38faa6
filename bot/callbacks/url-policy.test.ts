import { describe, expect, it } from 'vitest';
import type { SsrfReason } from './address-policy.js';
import { checkCallbackUrl } from './url-policy.js';

type Expect = { ok: true; needsDns: boolean; listed: boolean } | { ok: false; reason: SsrfReason };

const cases: Array<[string, readonly string[], Expect]> = [
  ['https://hooks.example.com/cb?token=s3cret', [], { ok: false, reason: 'no_callback_hosts' }],
  ['https://hooks.example.com/cb', ['hooks.example.com'], { ok: true, needsDns: true, listed: true }],
  ['https://HOOKS.Example.COM./cb', ['hooks.example.com'], { ok: true, needsDns: true, listed: true }],
  ['https://hooks.example.com/cb', ['HOOKS.EXAMPLE.COM'], { ok: true, needsDns: true, listed: true }],
  ['https://evil.example.net/cb', ['hooks.example.com'], { ok: false, reason: 'host_not_allowed' }],
  ['https://hooks.example.com.evil.net/', ['hooks.example.com'], { ok: false, reason: 'host_not_allowed' }],
  ['http://127.0.0.1:8080/', ['127.0.0.1'], { ok: true, needsDns: false, listed: true }],
  ['http://[::1]:8080/', ['::1'], { ok: true, needsDns: false, listed: true }],
  ['http://[::1]:8080/', ['[::1]'], { ok: true, needsDns: false, listed: true }],
  ['http://127.0.0.1:8080/', ['hooks.example.com'], { ok: false, reason: 'host_not_allowed' }],
  ['http://8.8.8.8/', [], { ok: false, reason: 'no_callback_hosts' }],
  ['http://127.0.0.1:8080/', [], { ok: false, reason: 'no_callback_hosts' }],
  ['http://localhost:8080/', [], { ok: false, reason: 'no_callback_hosts' }],
  ['http://LocalHost./', [], { ok: false, reason: 'no_callback_hosts' }],
  ['http://app.localhost/', [], { ok: false, reason: 'no_callback_hosts' }],
  ['http://[::1]/', [], { ok: false, reason: 'no_callback_hosts' }],
  ['http://[::ffff:127.0.0.1]/', [], { ok: false, reason: 'no_callback_hosts' }],
  ['http://[0:0:0:0:0:ffff:7f00:1]/', [], { ok: false, reason: 'no_callback_hosts' }],
  ['http://2130706433/', [], { ok: false, reason: 'no_callback_hosts' }],
  ['http://0x7f.1/', [], { ok: false, reason: 'no_callback_hosts' }],
  ['http://017700000001/', [], { ok: false, reason: 'no_callback_hosts' }],
  ['http://10.0.0.1/', [], { ok: false, reason: 'no_callback_hosts' }],
  ['http://[fd00::5]/', [], { ok: false, reason: 'no_callback_hosts' }],
  ['http://169.254.169.254/latest/meta-data', [], { ok: false, reason: 'metadata' }],
  ['http://169.254.169.254/latest/meta-data', ['169.254.169.254'], { ok: false, reason: 'metadata' }],
  ['http://metadata.google.internal/computeMetadata/v1/', [], { ok: false, reason: 'metadata' }],
  ['http://metadata.google.internal/', ['metadata.google.internal'], { ok: false, reason: 'metadata' }],
  ['http://[fd00:ec2::254]/', [], { ok: false, reason: 'metadata' }],
  ['http://100.64.0.1/', [], { ok: false, reason: 'no_callback_hosts' }],
  ['http://0.0.0.0/', [], { ok: false, reason: 'no_callback_hosts' }],
  ['http://[fe80::1]/', [], { ok: false, reason: 'no_callback_hosts' }],
  ['http://224.0.0.1/', [], { ok: false, reason: 'no_callback_hosts' }],
  ['http://255.255.255.255/', [], { ok: false, reason: 'no_callback_hosts' }],
  ['http://[2002:7f00:1::]/', [], { ok: false, reason: 'no_callback_hosts' }],
  ['ftp://hooks.example.com/', [], { ok: false, reason: 'scheme_not_allowed' }],
  ['file:///etc/passwd', [], { ok: false, reason: 'scheme_not_allowed' }],
  ['javascript:alert(1)', [], { ok: false, reason: 'scheme_not_allowed' }],
  ['https://user:pass@hooks.example.com/', ['hooks.example.com'], { ok: false, reason: 'credentials_in_url' }],
  ['not a url', [], { ok: false, reason: 'invalid_url' }],
  ['https://hooks.example.com:8443/cb', ['hooks.example.com:8443'], { ok: true, needsDns: true, listed: true }],
  ['https://hooks.example.com/cb', ['hooks.example.com:443'], { ok: true, needsDns: true, listed: true }],
  ['https://hooks.example.com:9000/cb', ['hooks.example.com:8443'], { ok: false, reason: 'host_not_allowed' }],
  ['https://hooks.example.com:9000/cb', ['hooks.example.com'], { ok: true, needsDns: true, listed: true }],
  ['http://[2001:db8::1]:8443/', ['[2001:db8::1]:8443'], { ok: true, needsDns: false, listed: true }],
  ['http://[2001:db8::1]:8444/', ['[2001:db8::1]:8443'], { ok: false, reason: 'host_not_allowed' }],
  ['http://[2001:db8::1]:8444/', ['2001:db8::1'], { ok: true, needsDns: false, listed: true }],
  ['', [], { ok: false, reason: 'invalid_url' }],
];

describe('checkCallbackUrl (no DNS)', () => {
  it.each(cases)('%s with hosts %j', (url, hosts, expected) => {
    const result = checkCallbackUrl(url, hosts);
    if (expected.ok) {
      expect(result).toMatchObject({ ok: true, needsDns: expected.needsDns, listed: expected.listed });
    } else {
      expect(result).toMatchObject({ ok: false, reason: expected.reason });
    }
  });

  it('reports the host but never the path or query of a refused URL', () => {
    const result = checkCallbackUrl('http://10.0.0.1/hook?token=s3cret-token', []);
    expect(JSON.stringify(result)).not.toContain('s3cret-token');
    expect(result).toEqual({ ok: false, reason: 'no_callback_hosts', host: '10.0.0.1' });
  });
});
