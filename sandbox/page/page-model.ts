// Pure decisions of the sandbox page's server side: what the form offers, what a
// sample handoff looks like, how outbound SMS and callbacks are summarised.
import type { HandoffConfig } from '../../bot/config/load-config.js';
import type { FakeCall, FakeSms } from '../fakes/twilio-fake.js';
import type { ReceivedCallback } from '../fakes/callback-receiver.js';

export interface FormField {
  name: string;
  label: string;
  type: string;
  required: boolean;
  sensitive: boolean;
  values?: string[];
}

export interface FormReason {
  id: string;
  label: string;
  severity: string;
  sensitive: boolean;
  notify: string[];
}

export interface FormWorkflow {
  id: string;
  name: string;
  reasons: FormReason[];
  fields: FormField[];
  /** Values that make a valid sample for this workflow. */
  sample: Record<string, string>;
}

/** Sample values by field type: valid for the validators compiled from `fields`. */
const SAMPLE_BY_TYPE: Record<string, string> = {
  text: 'Sample text',
  number: '42.5',
  boolean: 'true',
  date: '1984-03-09',
  datetime: '2025-01-01T12:00:00Z',
  phone: '+15555550177',
  email: 'caller@example.com',
  url: 'https://example.com/ticket/1',
};

/** Friendlier samples for the fields of the sandbox config. */
const SAMPLE_BY_NAME: Record<string, string> = {
  patient_name: 'Dana Whitfield',
  symptoms: 'Chest pain since noon, short of breath',
  callback_number: '+15555550177',
  account_number: 'AC-100234',
  card_last4: '4242',
  amount_disputed: '129.99',
  client_name: 'Sam Rivera',
  concern: 'Panic attacks since the move',
};

export function describeWorkflows(config: HandoffConfig): FormWorkflow[] {
  return [...config.workflows.values()].map((wf) => {
    const fields: FormField[] = wf.fields.map((f) => ({
      name: f.name,
      label: f.label ?? f.name,
      type: f.type,
      required: f.required,
      sensitive: f.sensitive ?? false,
      ...(f.values ? { values: [...f.values] } : {}),
    }));
    const sample: Record<string, string> = {};
    for (const f of fields) sample[f.name] = SAMPLE_BY_NAME[f.name] ?? (f.values?.[0] ?? SAMPLE_BY_TYPE[f.type] ?? '');
    return {
      id: wf.id,
      name: wf.name,
      reasons: [...wf.reasonSpecs.entries()].map(([id, r]) => ({
        id,
        label: r.label ?? id,
        severity: r.severity,
        sensitive: r.sensitive ?? false,
        notify: [...r.notify],
      })),
      fields,
      sample,
    };
  });
}

/**
 * The body the sandbox signs and sends: the page's JSON as given, with the
 * local callback receiver as `webhook_url` unless the page chose one (so a
 * wrong URL can be tried too).
 */
export function prepareHandoffBody(fromPage: unknown, callbackUrl: string): unknown {
  if (typeof fromPage !== 'object' || fromPage === null || Array.isArray(fromPage)) return fromPage;
  const body = { ...(fromPage as Record<string, unknown>) };
  if (body.webhook_url === undefined || body.webhook_url === '') body.webhook_url = callbackUrl;
  return body;
}

export interface OutboundSms {
  sid: string;
  to: string;
  from: string;
  body: string;
  at: string;
}

/** A call the Twilio fake would have placed (Call back): who it rings, what they hear, whom it dials. */
export interface OutboundCall {
  sid: string;
  to: string;
  from: string;
  says: string[];
  /** Heard once the dialled call ends (e.g. nobody answered). */
  saysAfterDial: string[];
  dials: string | null;
  callerId: string | null;
  at: string;
}

export function summariseCalls(calls: readonly FakeCall[]): OutboundCall[] {
  return calls.map((c) => ({
    sid: c.sid,
    to: c.to,
    from: c.from,
    says: c.says,
    saysAfterDial: c.saysAfterDial,
    dials: c.dial?.number ?? null,
    callerId: c.dial?.callerId ?? null,
    at: new Date(c.dateCreated).toISOString(),
  }));
}

export interface OutboundCallback {
  seq: number;
  at: string;
  path: string;
  type: string;
  handoffId: string | null;
  actor: string | null;
  status: string | null;
  signatureValid: boolean | null;
  answeredStatus: number | null;
  webhookId: string | null;
}

export function summariseSms(messages: readonly FakeSms[]): OutboundSms[] {
  return messages.map((m) => ({ sid: m.sid, to: m.to, from: m.from, body: m.body, at: new Date(m.dateCreated).toISOString() }));
}

export function summariseCallbacks(received: readonly ReceivedCallback[]): OutboundCallback[] {
  return received.map((r) => {
    let parsed: { type?: unknown; data?: { handoff_id?: unknown; actor?: unknown; status?: unknown } } = {};
    try {
      parsed = JSON.parse(r.rawBody) as typeof parsed;
    } catch {
      // A body that is not JSON is shown by its type only.
    }
    const header = r.headers['webhook-id'];
    return {
      seq: r.seq,
      at: new Date(r.at).toISOString(),
      path: r.path,
      type: typeof parsed.type === 'string' ? parsed.type : '(not JSON)',
      handoffId: typeof parsed.data?.handoff_id === 'string' ? parsed.data.handoff_id : null,
      actor: typeof parsed.data?.actor === 'string' ? parsed.data.actor : null,
      status: typeof parsed.data?.status === 'string' ? parsed.data.status : null,
      signatureValid: r.signatureValid,
      answeredStatus: r.answeredStatus,
      webhookId: typeof header === 'string' ? header : null,
    };
  });
}
