/**
 * The Calls resource of the Twilio fake (https://www.twilio.com/docs/voice/api/call-resource): what a
 * create request must carry, the JSON Twilio answers with, and what the TwiML would do on the phone.
 */

export interface FakeCall {
  sid: string;
  accountSid: string;
  to: string;
  from: string;
  twiml: string;
  status: 'queued';
  dateCreated: string;
  /** What the person who answers hears before the `<Dial>` (every `<Say>` text, in order, without one). */
  says: string[];
  /** What they hear once the dialled call ends (the `<Say>`s after `<Dial>`): not run together with the above. */
  saysAfterDial: string[];
  /** The number `<Dial>` connects them to, and the caller id it shows; null without a `<Dial>`. */
  dial: { number: string; callerId: string | null } | null;
}

/** Twilio refuses inline TwiML over this many characters (error 32018). */
export const MAX_TWIML = 4000;

const E164 = /^\+[1-9]\d{1,14}$/;

/** The Twilio error code a create request earns, or null when Twilio would place the call. */
export function callRequestError(form: URLSearchParams): 21201 | 21211 | 21213 | 21212 | 21205 | 32018 | 12100 | null {
  const to = form.get('To');
  const from = form.get('From');
  if (!to) return 21201;
  if (!E164.test(to)) return 21211;
  if (!from) return 21213;
  if (!E164.test(from)) return 21212;
  const twiml = form.get('Twiml');
  if (!twiml && !form.get('Url') && !form.get('ApplicationSid')) return 21205;
  if (twiml) {
    if (twiml.length > MAX_TWIML) return 32018;
    if (!/^\s*(<\?xml[^>]*\?>\s*)?<Response>[\s\S]*<\/Response>\s*$/.test(twiml)) return 12100;
  }
  return null;
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'" };

function unescapeXml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos);/g, (m) => ENTITIES[m] ?? m);
}

/** What the call would do: the spoken lines before and after the dial, and the dialled number (the sandbox page shows them). */
export function readTwiml(twiml: string): Pick<FakeCall, 'says' | 'saysAfterDial' | 'dial'> {
  const sayings = [...twiml.matchAll(/<Say(?:\s[^>]*)?>([\s\S]*?)<\/Say>/g)].map((m) => ({ at: m.index, text: unescapeXml(m[1] ?? '').trim() }));
  const dialTag = /<Dial(\s[^>]*)?>([\s\S]*?)<\/Dial>/.exec(twiml);
  if (!dialTag) return { says: sayings.map((s) => s.text), saysAfterDial: [], dial: null };
  const callerId = /\scallerId="([^"]*)"/.exec(dialTag[1] ?? '')?.[1];
  const inner = dialTag[2] ?? '';
  const number = /<Number(?:\s[^>]*)?>([\s\S]*?)<\/Number>/.exec(inner)?.[1] ?? inner;
  return {
    says: sayings.filter((s) => s.at < dialTag.index).map((s) => s.text),
    saysAfterDial: sayings.filter((s) => s.at > dialTag.index).map((s) => s.text),
    dial: { number: unescapeXml(number).trim(), callerId: callerId === undefined ? null : unescapeXml(callerId) },
  };
}

/** The 201 body of a created call, field for field as Twilio sends it. */
export function callJson(call: FakeCall): Record<string, unknown> {
  const uri = `/2010-04-01/Accounts/${call.accountSid}/Calls/${call.sid}.json`;
  return {
    account_sid: call.accountSid,
    annotation: null,
    answered_by: null,
    api_version: '2010-04-01',
    caller_name: null,
    date_created: call.dateCreated,
    date_updated: call.dateCreated,
    direction: 'outbound-api',
    duration: null,
    end_time: null,
    forwarded_from: null,
    from: call.from,
    from_formatted: call.from,
    group_sid: null,
    parent_call_sid: null,
    phone_number_sid: null,
    price: null,
    price_unit: 'USD',
    queue_time: '0',
    sid: call.sid,
    start_time: null,
    status: call.status,
    subresource_uris: {
      notifications: uri.replace('.json', '/Notifications.json'),
      recordings: uri.replace('.json', '/Recordings.json'),
    },
    to: call.to,
    to_formatted: call.to,
    trunk_sid: null,
    uri,
  };
}

/** GET Calls.json: newest first, filtered by `To` and `From` as Twilio filters them. */
export function callListJson(calls: readonly FakeCall[], accountSid: string, query: URLSearchParams): Record<string, unknown> {
  const to = query.get('To');
  const from = query.get('From');
  const pageSize = Math.min(1000, Math.max(1, Number(query.get('PageSize') ?? 50) || 50));
  const matching = calls.filter((c) => (!to || c.to === to) && (!from || c.from === from)).reverse().slice(0, pageSize);
  const uri = `/2010-04-01/Accounts/${accountSid}/Calls.json?PageSize=${pageSize}&Page=0`;
  return {
    calls: matching.map(callJson),
    end: Math.max(0, matching.length - 1),
    first_page_uri: uri,
    next_page_uri: null,
    page: 0,
    page_size: pageSize,
    previous_page_uri: null,
    start: 0,
    uri,
  };
}
