import { z } from 'zod';
import { decodeWebhookSecret } from '../../shared/standard-webhooks.js';
import type { PathIssue } from './format-issues.js';
import { parseTrustedProxies } from './trusted-proxies.js';

const whsec = z.string().refine((s) => {
  try {
    decodeWebhookSecret(s);
    return true;
  } catch {
    return false;
  }
}, 'must be a whsec_ secret: "whsec_" followed by base64 of at least 16 bytes');

const bool = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1');

const optionalNonEmpty = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

export const envSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    HANDOFF_CONFIG: z.string().min(1).default('./handoff.config.yaml'),
    HANDOFF_DB: z.string().min(1).default('./data/handoff.db'),
    // Several bot processes on one PostgreSQL database (docs/contract/postgresql.md); unset: SQLite at HANDOFF_DB.
    HANDOFF_DATABASE_URL: optionalNonEmpty.refine((v) => v === undefined || /^postgres(ql)?:\/\/./.test(v), 'must be a postgres:// (or postgresql://) URL'),
    HANDOFF_WEBHOOK_SECRETS: optionalNonEmpty,
    HANDOFF_ALLOW_UNSIGNED: bool,
    HANDOFF_CALLBACK_SECRET: optionalNonEmpty.pipe(whsec.optional()),
    SLACK_BOT_TOKEN: optionalNonEmpty,
    SLACK_SIGNING_SECRET: optionalNonEmpty,
    SLACK_API_URL: z.url().default('https://slack.com/api/'),
    TWILIO_ACCOUNT_SID: optionalNonEmpty,
    TWILIO_AUTH_TOKEN: optionalNonEmpty,
    TWILIO_FROM: optionalNonEmpty,
    TWILIO_API_URL: z.url().default('https://api.twilio.com'),
    // Each voice platform reads its own secrets from the environment (bot/providers/, secretsFrom).
    // Twilio signs the URL it called: the base must be exactly what Twilio sees, kept without a trailing slash.
    HANDOFF_PUBLIC_URL: optionalNonEmpty.pipe(
      z
        .url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL such as https://handoff.example.com' })
        .transform((u) => u.replace(/\/+$/, ''))
        .optional(),
    ),
    HANDOFF_TRUST_PROXY: optionalNonEmpty.refine(
      (v) => v === undefined || 'ranges' in parseTrustedProxies(v),
      'must be addresses or CIDR ranges of your reverse proxies, separated by commas (e.g. 172.16.0.0/12)',
    ),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  });

export type Env = z.infer<typeof envSchema>;

const present = (v: string | undefined): v is string => v !== undefined && v.trim() !== '';

/**
 * Rules across variables, checked on the raw environment so they are reported together with the
 * per-variable problems (one line each), not only once everything else is right.
 */
function crossVariableIssues(source: NodeJS.ProcessEnv): PathIssue[] {
  const issues: PathIssue[] = [];
  const allowUnsigned = source.HANDOFF_ALLOW_UNSIGNED === 'true' || source.HANDOFF_ALLOW_UNSIGNED === '1';
  const secrets = source.HANDOFF_WEBHOOK_SECRETS;
  if (!present(secrets) && !allowUnsigned) {
    issues.push({
      path: 'HANDOFF_WEBHOOK_SECRETS',
      message: 'is required (one or more whsec_ secrets); set HANDOFF_ALLOW_UNSIGNED=true only to accept unsigned webhooks on purpose',
    });
  }
  if (present(secrets)) {
    splitSecrets(secrets).forEach((secret, i) => {
      if (!whsec.safeParse(secret).success) {
        issues.push({ path: 'HANDOFF_WEBHOOK_SECRETS', message: `entry ${i + 1} must be "whsec_" followed by base64 of at least 16 bytes` });
      }
    });
  }
  if (!present(source.SLACK_BOT_TOKEN)) issues.push({ path: 'SLACK_BOT_TOKEN', message: 'is required (xoxb-… bot token)' });
  if (!present(source.SLACK_SIGNING_SECRET)) issues.push({ path: 'SLACK_SIGNING_SECRET', message: 'is required' });
  const twilio = [source.TWILIO_ACCOUNT_SID, source.TWILIO_AUTH_TOKEN, source.TWILIO_FROM];
  // TWILIO_AUTH_TOKEN alone is the Twilio voice endpoint's key (with HANDOFF_PUBLIC_URL), SMS stays off.
  const voiceOnly = present(source.TWILIO_AUTH_TOKEN) && present(source.HANDOFF_PUBLIC_URL) && !present(source.TWILIO_ACCOUNT_SID) && !present(source.TWILIO_FROM);
  if (twilio.some(present) && !twilio.every(present) && !voiceOnly) {
    issues.push({ path: 'TWILIO_ACCOUNT_SID', message: 'TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM must be set together (or none: SMS off)' });
  }
  return issues;
}



export function splitSecrets(value: string): string[] {
  return value.split(/[\s,]+/).filter(Boolean);
}

/** Parses the environment; issues name the variable, never its value. */
export function parseEnv(source: NodeJS.ProcessEnv): { env: Env } | { issues: PathIssue[] } {
  const parsed = envSchema.safeParse(source);
  const issues = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => ({ path: String(i.path[0] ?? '(env)'), message: i.message }))),
    ...crossVariableIssues(source),
  ];
  if (issues.length > 0 || !parsed.success) return { issues };
  return { env: parsed.data };
}
