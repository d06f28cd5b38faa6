import { z } from 'zod';
import { notifyChannelSchema, SEVERITIES, severitySchema, type Severity } from '../../shared/schemas/enums.js';
import { countryCodeOf, refusedRange } from './numbering-plan.js';
import { parseDuration } from './duration.js';
import { fieldSpecSchema } from './field-spec.js';
import { parseHostEntry } from './host-entry.js';
import { hoursSpecSchema } from './hours-schema.js';

export const DEFAULT_CALLER_MESSAGE = 'I am marking this for a person now.';
export const IMPLICIT_REASON = 'unspecified';

const slackChannelId = z.string().regex(/^[CG][A-Z0-9]{2,}$/, 'must be a Slack channel id such as C0123ABCD');
const slackUserId = z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'must be a Slack user id such as U0123ABCD');
const mentionId = z
  .string()
  .regex(/^[SUW][A-Z0-9]{2,}$/, 'must be a Slack user group id (S…) or user id (U…)');
const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 phone number such as +15555550100');
/** A number the bot itself dials (a person's phone): never a premium-rate or international-network range. */
const dialledE164 = e164.refine((n) => refusedRange(n) === null, 'is in a premium-rate, shared-cost or international-network range, which the bot never dials');
/** An E.164 country calling code, written without `+` (`1`, `44`, `353`); YAML may give it as a number. */
const countryCallingCode = z
  .union([z.string(), z.number().int()])
  .transform(String)
  .refine(
    (code) => /^(?:[1-9]\d{0,2}|1\d{3})$/.test(code) && countryCodeOf(`+${code}0000000`) === code,
    'must be a country calling code such as 1, 44, 353 or 1876 (digits, no +)',
  );
const dialCountryCodes = z.array(countryCallingCode).min(1, 'lists at least one country calling code (leave the key out for the default)');
const hostName = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.:[\]-]+$/, 'must be a host name or IP address, without scheme or path');

const duration = z.string().transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === null) {
    ctx.addIssue({ code: 'custom', message: 'must be a duration such as 90s, 5m, 1h or 2d' });
    return z.NEVER;
  }
  return ms;
});

/** Longest wait of a ladder level or a reminder: a page later than a week is a lost page. */
const MAX_WAIT_MS = 7 * 86_400_000;
const boundedDuration = duration.refine((ms) => ms <= MAX_WAIT_MS, 'must be at most 7d');
const waitBySeverity = z.partialRecord(severitySchema, boundedDuration);

/**
 * A level's `wait`: one duration for every severity, or one per severity (`{ urgent: 5m, high: 30m }`,
 * a severity left out waits for an Escalate click). Chosen by shape, so an error names the real problem
 * instead of zod's "invalid union".
 */
const levelWait = z.unknown().transform((value, ctx): Partial<Record<Severity, number>> => {
  const parsed = typeof value === 'string' ? boundedDuration.safeParse(value) : waitBySeverity.safeParse(value);
  if (parsed.success) {
    const ms = parsed.data;
    return typeof ms === 'number' ? Object.fromEntries(SEVERITIES.map((s) => [s, ms])) : ms;
  }
  for (const issue of parsed.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) ctx.addIssue({ code: 'custom', path: [key], message: `unknown severity (use ${SEVERITIES.join(', ')})` });
    } else if (issue.code === 'invalid_type') {
      ctx.addIssue({ code: 'custom', path: [...issue.path], message: 'must be a duration such as 5m, or one per severity such as { urgent: 5m, high: 30m }' });
    } else {
      ctx.addIssue({ code: 'custom', path: [...issue.path], message: issue.message });
    }
  }
  return z.NEVER;
});

/** docs/contract/storms-ladder-hours.md#escalation-ladder: one rung of a workflow's escalation ladder. */
export const escalationLevelSchema = z
  .strictObject({
    /** After the previous level paged (level 1: after the handoff arrived), if still unclaimed. */
    wait: levelWait.optional(),
    /** Where this level's card goes; absent = the handoff card's own channel (a page in its thread). */
    channel: slackChannelId.optional(),
    mention: mentionId.optional(),
    sms_to: z.array(e164).default([]),
  })
  .superRefine((level, ctx) => {
    if (level.channel === undefined && level.mention === undefined && level.sms_to.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'pages nobody: give it a channel, a mention or sms_to numbers' });
    }
  });
export type EscalationLevelSpec = z.infer<typeof escalationLevelSchema>;
export const MAX_LADDER_LEVELS = 10;
/** docs/contract/storms-ladder-hours.md#escalation-ladder: the escalation ladder, first level first. */
const ladderSchema = z
  .array(escalationLevelSchema)
  .min(1, 'needs at least one level (or leave levels out)')
  .max(MAX_LADDER_LEVELS, `at most ${MAX_LADDER_LEVELS} levels`);

export const DEFAULT_CONNECT_WAIT_MS = 15_000;
/**
 * How long each platform holds a request to us at most: Vapi's `server.timeoutSeconds` is 1 to 300
 * (20 by default), Retell's custom function `timeout_ms` is at most 600,000. A held transfer request
 * must be answered (connected or fallback) before the platform gives up, so the definitions we print
 * ask for the wait plus CONNECT_TIMEOUT_MARGIN_MS, and a wait that cannot fit is a config error.
 */
export const PLATFORM_HOLD_MAX_MS = { Vapi: 300_000, Retell: 600_000 } as const;
export const CONNECT_TIMEOUT_MARGIN_MS = 5_000;
export const DEFAULT_FALLBACK_MESSAGE = 'Everyone is with another caller. A person will call you back shortly.';
export const DEFAULT_TRANSFER_MESSAGE = 'Connecting you to a person now.';

/** docs/contract/reaching-the-caller.md#configuration: how long a live caller's transfer request waits for a Claim, and what it hears. */
export const connectSpecSchema = z.strictObject({
  wait: duration
    .superRefine((ms, ctx) => {
      for (const [platform, max] of Object.entries(PLATFORM_HOLD_MAX_MS)) {
        if (ms + CONNECT_TIMEOUT_MARGIN_MS <= max) continue;
        const most = (max - CONNECT_TIMEOUT_MARGIN_MS) / 1000;
        ctx.addIssue({ code: 'custom', message: `must be at most ${most}s: ${platform} holds a request at most ${max / 1000}s, and its answer needs ${CONNECT_TIMEOUT_MARGIN_MS / 1000}s of that` });
        return;
      }
    })
    .default(DEFAULT_CONNECT_WAIT_MS),
  fallback_message: z.string().trim().min(1).max(500).default(DEFAULT_FALLBACK_MESSAGE),
  /** What the platform says to the caller while it transfers them to the person who claimed. */
  transfer_message: z.string().trim().min(1).max(500).default(DEFAULT_TRANSFER_MESSAGE),
});
export type ConnectSpec = z.infer<typeof connectSpecSchema>;

export const reasonSpecSchema = z.strictObject({
  label: z.string().min(1).max(100).optional(),
  severity: severitySchema.default('normal'),
  sensitive: z.boolean().default(false),
  notify: z.array(notifyChannelSchema).default(['slack']),
  caller_message: z.string().min(1).max(500).optional(),
});
export type ReasonSpec = z.infer<typeof reasonSpecSchema>;

/**
 * docs/contract/storms-ladder-hours.md#business-hours `after_hours`: what routes differently outside `hours`. A key left out keeps the
 * workflow's own; `caller_message`, when set, is what every caller hears outside hours.
 */
export const afterHoursSpecSchema = z.strictObject({
  owner_channel: slackChannelId.optional(),
  escalation_channel: slackChannelId.optional(),
  escalation_mention: mentionId.optional(),
  sms_to: z.array(e164).optional(),
  escalate_after: z.partialRecord(severitySchema, duration).optional(),
  /** Outside hours, this ladder replaces the workflow's. */
  levels: ladderSchema.optional(),
  caller_message: z.string().trim().min(1).max(500).optional(),
});
export type AfterHoursSpec = z.infer<typeof afterHoursSpecSchema>;

/**
 * docs/contract/regulated-workflows.md: what of a handoff the bot sends to Slack. `full` (the default): the card shows the caller
 * and the non-sensitive fields, Details opens a modal. `link_only`: nothing that names or identifies the
 * caller goes to Slack; Details answers with a short-lived link to a page the bot serves.
 */
export const CHAT_DATA = ['full', 'link_only'] as const;
export type ChatData = (typeof CHAT_DATA)[number];
const chatData = z.enum(CHAT_DATA, { error: () => `must be ${CHAT_DATA.join(' or ')} (full is the default)` });

export const workflowSpecSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be lowercase letters, digits, - or _ (max 64)'),
    name: z.string().min(1).max(100),
    owner_channel: slackChannelId,
    // The older escalation keys: a one-level ladder (bot/domain/ladder.ts). `levels` replaces all three.
    escalation_channel: slackChannelId.optional(),
    escalation_mention: mentionId.optional(),
    allowed_users: z.array(slackUserId).default([]),
    sms_to: z.array(e164).default([]),
    callbacks: z.boolean().default(true),
    // Empty: no callbacks at all. `host:port` allows that port only; a bare host, any port.
    callback_hosts: z.array(hostName.refine((h) => parseHostEntry(h) !== null, 'must be a host name or IP address, optionally with :port (1-65535)')).default([]),
    escalate_after: z.partialRecord(severitySchema, duration).optional(),
    levels: ladderSchema.optional(),
    /** A claimed handoff still unresolved this long after its claim gets a threaded reminder to the claimer, every period. */
    remind_after: boundedDuration.refine((ms) => ms >= 60_000, 'must be at least 1m: a claimer reminded more often than that stops reading').optional(),
    fields: z.array(fieldSpecSchema).default([]),
    connect: connectSpecSchema.default({ wait: DEFAULT_CONNECT_WAIT_MS, fallback_message: DEFAULT_FALLBACK_MESSAGE, transfer_message: DEFAULT_TRANSFER_MESSAGE }),
    reasons: z
      .record(z.string().regex(/^[a-z][a-z0-9_]{0,99}$/, 'reason names must be snake_case'), reasonSpecSchema)
      .default({}),
    hours: hoursSpecSchema.optional(),
    after_hours: afterHoursSpecSchema.optional(),
    /** The country calling codes Call back and transfers may dial for this workflow (default: the config's). */
    dial_country_codes: dialCountryCodes.optional(),
    chat_data: chatData.default('full'),
  })
  .superRefine((wf, ctx) => {
    if (wf.after_hours && !wf.hours) ctx.addIssue({ code: 'custom', path: ['after_hours'], message: 'needs hours (time_zone and open windows) to say when it applies' });
    if (wf.levels !== undefined) {
      for (const key of ['escalation_channel', 'escalation_mention', 'escalate_after'] as const) {
        if (wf[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'levels replaces this key: give either levels or the older escalation keys, not both' });
      }
    } else if (wf.escalation_channel === undefined) {
      ctx.addIssue({ code: 'custom', path: ['escalation_channel'], message: 'is required (or give levels, the escalation ladder)' });
    }
    if (wf.after_hours) {
      // Outside hours the ladder is replaced as a whole: by after_hours.levels, or (for a workflow on the older keys) by those keys.
      const olderKeys = (['escalation_channel', 'escalation_mention', 'escalate_after'] as const).filter((key) => wf.after_hours?.[key] !== undefined);
      for (const key of olderKeys) {
        if (wf.after_hours.levels !== undefined || wf.levels !== undefined) {
          ctx.addIssue({ code: 'custom', path: ['after_hours', key], message: 'the ladder is given by levels here: give after_hours.levels instead' });
        }
      }
    }
    const seen = new Set<string>();
    wf.fields.forEach((f, i) => {
      if (seen.has(f.name)) ctx.addIssue({ code: 'custom', path: ['fields', i, 'name'], message: `duplicate field "${f.name}"` });
      seen.add(f.name);
    });
  });
export type WorkflowSpec = z.infer<typeof workflowSpecSchema>;

export const configSchema = z
  .strictObject({
    workflows: z.array(workflowSpecSchema).min(1, 'at least one workflow is required'),
    /** docs/contract/reaching-the-caller.md#configuration: the phone each person takes calls on; a Claim or Call back by them can reach the caller. */
    people: z.record(z.string(), dialledE164).default({}),
    /**
     * How many live callers' transfer requests may be held at once, across workflows (default: half the
     * connection cap; never so many that intake, Slack and health checks lack room). Past it, a new
     * waiting caller hears the fallback at once.
     */
    max_waiting_callers: z.number().int().min(1).max(100_000).optional(),
    /** The country calling codes the bot may dial (default: those of TWILIO_FROM and of the numbers under people). */
    dial_country_codes: dialCountryCodes.optional(),
    // Erasing a handoff deletes its idempotency key; the contract keeps keys at least 7 days (docs/contract/http-api.md#idempotency), so a shorter
    // retention would let a sender's late retry create a second handoff.
    retention_days: z
      .number()
      .int()
      .min(7, "must be at least 7: idempotency keys are kept 7 days so a sender's retries replay instead of creating a second handoff")
      .max(3650)
      .default(30),
    /** docs/contract/outcomes.md#stats: where the weekly digest of `/handoff stats` goes; no digest when absent. */
    stats_channel: slackChannelId.optional(),
    /**
     * Who may see and act on handoffs of a workflow that has left the config. Its `allowed_users` went with
     * it, so such handoffs fail closed: nobody but these people (default nobody) sees them anywhere.
     */
    retired_workflows_visible_to: z.array(slackUserId).default([]),
  })
  .superRefine((cfg, ctx) => {
    for (const [userId, phone] of Object.entries(cfg.people)) {
      const check = slackUserId.safeParse(userId);
      if (!check.success) ctx.addIssue({ code: 'custom', path: ['people', userId], message: `the key ${check.error.issues[0]?.message ?? 'is not a Slack user id'}` });
      const code = countryCodeOf(phone);
      // A transfer rings this phone: one outside the allow-list could never be put through.
      if (cfg.dial_country_codes && code !== null && !cfg.dial_country_codes.includes(code)) {
        ctx.addIssue({ code: 'custom', path: ['people', userId], message: `is in country code +${code}, which dial_country_codes does not list` });
      }
    }
    const seen = new Set<string>();
    cfg.workflows.forEach((wf, i) => {
      if (seen.has(wf.id)) ctx.addIssue({ code: 'custom', path: ['workflows', i, 'id'], message: `duplicate workflow id "${wf.id}"` });
      seen.add(wf.id);
    });
  });
export type HandoffConfigFile = z.infer<typeof configSchema>;
