import { z } from 'zod';
import { decodeWebhookSecret } from '../../shared/standard-webhooks.js';
import type { PathIssue } from './format-issues.js';

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
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((env, ctx) => {
    if (!env.HANDOFF_WEBHOOK_SECRETS && !env.HANDOFF_ALLOW_UNSIGNED) {
      ctx.addIssue({
        code: 'custom',
        path: ['HANDOFF_WEBHOOK_SECRETS'],
        message: 'is required (one or more whsec_ secrets); set HANDOFF_ALLOW_UNSIGNED=true only to accept unsigned webhooks on purpose',
      });
    }
    if (env.HANDOFF_WEBHOOK_SECRETS) {
      splitSecrets(env.HANDOFF_WEBHOOK_SECRETS).forEach((secret, i) => {
        if (!whsec.safeParse(secret).success) {
          ctx.addIssue({ code: 'custom', path: ['HANDOFF_WEBHOOK_SECRETS'], message: `entry ${i + 1} must be "whsec_" followed by base64 of at least 16 bytes` });
        }
      });
    }
    if (!env.SLACK_BOT_TOKEN) ctx.addIssue({ code: 'custom', path: ['SLACK_BOT_TOKEN'], message: 'is required (xoxb-… bot token)' });
    if (!env.SLACK_SIGNING_SECRET) ctx.addIssue({ code: 'custom', path: ['SLACK_SIGNING_SECRET'], message: 'is required' });
    const twilio = [env.TWILIO_ACCOUNT_SID, env.TWILIO_AUTH_TOKEN, env.TWILIO_FROM];
    if (twilio.some(Boolean) && !twilio.every(Boolean)) {
      ctx.addIssue({ code: 'custom', path: ['TWILIO_ACCOUNT_SID'], message: 'TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM must be set together (or none: SMS off)' });
    }
  });

export type Env = z.infer<typeof envSchema>;

export function splitSecrets(value: string): string[] {
  return value.split(/[\s,]+/).filter(Boolean);
}

/** Parses the environment; issues name the variable, never its value. */
export function parseEnv(source: NodeJS.ProcessEnv): { env: Env } | { issues: PathIssue[] } {
  const parsed = envSchema.safeParse(source);
  if (parsed.success) return { env: parsed.data };
  return { issues: parsed.error.issues.map((i) => ({ path: String(i.path[0] ?? '(env)'), message: i.message })) };
}
