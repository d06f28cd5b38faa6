import { describe, expect, it } from 'vitest';
import { parseEnv } from './env.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const BASE = { HANDOFF_WEBHOOK_SECRETS: SECRET, SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'sign' };

function problems(env: Record<string, string>): string[] {
  const parsed = parseEnv(env);
  return 'issues' in parsed ? parsed.issues.map((i) => `${i.path}: ${i.message}`) : [];
}

describe('parseEnv', () => {
  it('takes a complete environment with the documented defaults (docs/contract/running.md)', () => {
    const parsed = parseEnv(BASE);
    if (!('env' in parsed)) throw new Error(JSON.stringify(parsed.issues));
    expect(parsed.env).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      HANDOFF_CONFIG: './handoff.config.yaml',
      HANDOFF_DB: './data/handoff.db',
      SLACK_API_URL: 'https://slack.com/api/',
      LOG_LEVEL: 'info',
      HANDOFF_ALLOW_UNSIGNED: false,
    });
  });

  it('names every missing or wrong variable at once, never its value', () => {
    const out = problems({ HANDOFF_WEBHOOK_SECRETS: 'not-a-secret', PORT: '99999', LOG_LEVEL: 'loud', TWILIO_ACCOUNT_SID: 'AC1' });
    const vars = out.map((p) => p.split(':')[0]).sort();
    expect(vars).toEqual(['HANDOFF_WEBHOOK_SECRETS', 'LOG_LEVEL', 'PORT', 'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'TWILIO_ACCOUNT_SID'].sort());
    expect(out.join('\n')).not.toContain('not-a-secret');
    expect(out.join('\n')).not.toContain('AC1');
  });

  it('takes a PostgreSQL URL for several processes and refuses anything else without echoing it', () => {
    const parsed = parseEnv({ ...BASE, HANDOFF_DATABASE_URL: 'postgres://bot:pw@db:5432/handoff' });
    expect('env' in parsed && parsed.env.HANDOFF_DATABASE_URL).toBe('postgres://bot:pw@db:5432/handoff');
    const out = problems({ ...BASE, HANDOFF_DATABASE_URL: 'mysql://bot:hunter2@db/handoff' });
    expect(out).toEqual(['HANDOFF_DATABASE_URL: must be a postgres:// (or postgresql://) URL']);
    expect(out.join('\n')).not.toContain('hunter2');
  });

  it('refuses to start without a webhook secret unless unsigned webhooks are allowed on purpose', () => {
    expect(problems({ ...BASE, HANDOFF_WEBHOOK_SECRETS: '' })[0]).toMatch(/^HANDOFF_WEBHOOK_SECRETS: is required/);
    expect(problems({ ...BASE, HANDOFF_WEBHOOK_SECRETS: '', HANDOFF_ALLOW_UNSIGNED: 'true' })).toEqual([]);
  });

  it('wants all three Twilio settings or none', () => {
    expect(problems({ ...BASE, TWILIO_ACCOUNT_SID: 'AC1', TWILIO_AUTH_TOKEN: 't', TWILIO_FROM: '+15555550000' })).toEqual([]);
    expect(problems({ ...BASE, TWILIO_AUTH_TOKEN: 't' })).toHaveLength(1);
    // The Twilio voice endpoint alone (docs/contract/voice-platforms.md#verification) needs only the token and the public URL.
    expect(problems({ ...BASE, TWILIO_AUTH_TOKEN: 't', HANDOFF_PUBLIC_URL: 'https://handoff.example.com/' })).toEqual([]);
    expect(problems({ ...BASE, HANDOFF_PUBLIC_URL: 'not a url' })).toHaveLength(1);
  });

  it('checks HANDOFF_CALLBACK_SECRET is a whsec_ secret', () => {
    expect(problems({ ...BASE, HANDOFF_CALLBACK_SECRET: 'whsec_short' })[0]).toMatch(/^HANDOFF_CALLBACK_SECRET: must be a whsec_ secret/);
  });
  it('takes HANDOFF_TRUST_PROXY as addresses or CIDR ranges and names it when an entry is neither', () => {
    expect(problems({ ...BASE, HANDOFF_TRUST_PROXY: '172.16.0.0/12, 10.0.0.5 ::1' })).toEqual([]);
    const out = problems({ ...BASE, HANDOFF_TRUST_PROXY: '172.16.0.0/12,proxy.local' });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^HANDOFF_TRUST_PROXY: must be addresses or CIDR ranges/);
  });
});
