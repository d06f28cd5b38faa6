import { countryCodeOf, refusedRange, type RangeRefusal } from '../config/numbering-plan.js';

export { isE164 } from '../config/numbering-plan.js';

/**
 * Where the bot may place a call (Call back, a transfer answer): a pure decision. A caller's number
 * comes from the platform's `From`, which a caller can spoof, and dialling premium-rate or
 * international-network ranges on command is a known toll-fraud pattern. So a number is dialled only
 * when it is E.164, its country calling code is on the allow-list, and it is in none of the
 * premium-rate, shared-cost or international-network ranges of config/numbering-plan.ts (refused even
 * where the country is allowed).
 */

export type DialRefusal = 'not_a_phone' | 'country_not_allowed' | RangeRefusal;

export type DialDecision = { ok: true; countryCode: string } | { ok: false; why: DialRefusal; countryCode: string | null };

/** Whether `number` may be dialled with this allow-list of country calling codes. */
export function dialDecision(number: string | null, allowedCodes: ReadonlySet<string>): DialDecision {
  const countryCode = number === null ? null : countryCodeOf(number);
  if (number === null || countryCode === null) return { ok: false, why: 'not_a_phone', countryCode: null };
  const range = refusedRange(number);
  if (range) return { ok: false, why: range, countryCode };
  if (!allowedCodes.has(countryCode)) return { ok: false, why: 'country_not_allowed', countryCode };
  return { ok: true, countryCode };
}

/** The default allow-list: the country codes of the numbers the team already uses (`TWILIO_FROM` and everyone under `people`). */
export function defaultDialCodes(from: string | null, people: Iterable<string>): string[] {
  const codes = new Set<string>();
  for (const n of [from, ...people]) {
    const code = n === null ? null : countryCodeOf(n);
    if (code) codes.add(code);
  }
  return [...codes];
}

/** What the dial decision reads of the config. */
export interface DialConfig {
  workflows: ReadonlyMap<string, { dial_country_codes?: readonly string[] | undefined }>;
  /** The config's list, or the default the bot worked out at start (with `TWILIO_FROM`). */
  dialCountryCodes?: readonly string[];
  people: ReadonlyMap<string, string>;
}

/** Whether the bot may dial `number` for a handoff of `workflowId`: the workflow's list, else the config's, else the default. */
export function dialDecisionFor(config: DialConfig, workflowId: string, number: string | null): DialDecision {
  const codes = config.workflows.get(workflowId)?.dial_country_codes ?? config.dialCountryCodes ?? defaultDialCodes(null, config.people.values());
  return dialDecision(number, new Set(codes));
}
