/**
 * Numbering facts the bot needs to decide where it may dial (domain/dial-policy.ts decides): the
 * country calling code of an E.164 number, and the ranges refused everywhere. They live in config/ as
 * the config validates `people` and `dial_country_codes` with them, and config sits below the domain.
 */

const E164 = /^\+[1-9]\d{6,14}$/;

/** ITU-T E.164 country calling codes of one and two digits; every other code has three (codes are prefix-free). */
const SHORT_CODES = new Set([
  '1', '7',
  '20', '27', '30', '31', '32', '33', '34', '36', '39', '40', '41', '43', '44', '45', '46', '47', '48', '49',
  '51', '52', '53', '54', '55', '56', '57', '58', '60', '61', '62', '63', '64', '65', '66',
  '81', '82', '84', '86', '90', '91', '92', '93', '94', '95', '98',
]);

/**
 * Ranges refused everywhere, as E.164 digit prefixes (country code first), with why. Sources: ITU-T
 * E.164 assignments (+800 freephone, +808 shared cost, +870 Inmarsat, +878 UPT, +881 satellite, +882 and
 * +883 international networks, +888 OCHA, +979 international premium rate, +991 trial); NANPA (900
 * premium NPA, 976 pay-per-call exchange in any area code); Ofcom's UK numbering plan (09 premium,
 * 087 and 084 service numbers, 070 personal numbers, 118 directory enquiries); Nkom's Norwegian plan
 * (820 and 829 premium rate, 810 and 815 shared cost); and the premium ranges of other countries
 * often allow-listed (DE 0900/0137/0118, FR 089, IT 899/892, ES 803/806/807/905, NL 0900/0906/0909,
 * BE 090x, CH 090x, DK 90, AU 190x). A range only narrows what the allow-list lets through: a country
 * that is not on it is refused whatever the number.
 */
const REFUSED_PREFIXES: readonly (readonly [prefix: string, why: RangeRefusal])[] = [
  ...['800', '808', '870', '878', '881', '882', '883', '888', '979', '991'].map((p) => [p, 'international_network'] as const),
  ['1900', 'premium'],
  ['4470', 'premium'], ['4484', 'premium'], ['4487', 'premium'], ['449', 'premium'], ['44118', 'premium'],
  ['47820', 'premium'], ['47829', 'premium'], ['47810', 'premium'], ['47815', 'premium'],
  ['49900', 'premium'], ['49137', 'premium'], ['49118', 'premium'],
  ['3389', 'premium'], ['39899', 'premium'], ['39892', 'premium'],
  ['34803', 'premium'], ['34806', 'premium'], ['34807', 'premium'], ['34905', 'premium'],
  ['31900', 'premium'], ['31906', 'premium'], ['31909', 'premium'],
  ['3290', 'premium'], ['4190', 'premium'], ['4590', 'premium'], ['61190', 'premium'],
];

/**
 * NANP area codes of the countries other than the US and Canada that share +1 (ITU-T writes them
 * `+1 876` and so on). To the allow-list each is its own code (`1876`): `1` alone would reach them at
 * international rates, and a spoofed Caribbean caller id is the classic one-ring toll-fraud pattern.
 */
const NANP_OTHER_COUNTRIES = new Set([
  '242', '246', '264', '268', '284', '345', '441', '473', '649', '658', '664', '721',
  '758', '767', '784', '809', '829', '849', '868', '869', '876',
]);

/** The country calling code of an E.164 number (`+4790055555` -> `47`, `+18765550100` -> `1876`), or null for anything else. */
export function countryCodeOf(number: string): string | null {
  if (!E164.test(number)) return null;
  const digits = number.slice(1);
  if (digits.startsWith('1') && NANP_OTHER_COUNTRIES.has(digits.slice(1, 4))) return digits.slice(0, 4);
  for (const length of [1, 2]) if (SHORT_CODES.has(digits.slice(0, length))) return digits.slice(0, length);
  return digits.slice(0, 3);
}

/** NANP's 976 exchange was pay-per-call in every area code: +1 NPA 976 XXXX. */
function nanpPayPerCall(digits: string): boolean {
  return digits.length === 11 && digits.startsWith('1') && digits.slice(4, 7) === '976';
}

/** The refused range a number falls in, or null. */
export function refusedRange(number: string): RangeRefusal | 'not_a_phone' | null {
  if (!E164.test(number)) return 'not_a_phone';
  const digits = number.slice(1);
  if (nanpPayPerCall(digits)) return 'premium';
  return REFUSED_PREFIXES.find(([prefix]) => digits.startsWith(prefix))?.[1] ?? null;
}

/** Ranges refused whatever the allow-list says. */
export type RangeRefusal = 'premium' | 'international_network';

/** The syntax check alone: an opaque caller id (a web chat, a SIP user) is not a phone number. */
export function isE164(number: string | null): number is string {
  return number !== null && E164.test(number);
}
