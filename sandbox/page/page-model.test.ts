import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../bot/config/load-config.js';
import type { ReceivedCallback } from '../fakes/callback-receiver.js';
import { SANDBOX_CONFIG_FILE } from '../start-sandbox.js';
import { describeWorkflows, prepareHandoffBody, summariseCallbacks } from './page-model.js';

const config = loadConfigFile(SANDBOX_CONFIG_FILE);

/** What the page does with a sample: numbers and booleans typed, empty values left out. */
function typed(fields: ReturnType<typeof describeWorkflows>[number]['fields'], sample: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const raw = sample[f.name] ?? '';
    if (raw === '') continue;
    out[f.name] = f.type === 'number' ? Number(raw) : f.type === 'boolean' ? raw === 'true' : raw;
  }
  return out;
}

describe('the sample-handoff form model', () => {
  it("offers every workflow with its reasons (the implicit 'unspecified' included) and samples its own validator accepts", () => {
    const workflows = describeWorkflows(config);
    expect(workflows.map((w) => w.id)).toEqual([...config.workflows.keys()]);
    for (const wf of workflows) {
      const workflow = config.workflows.get(wf.id)!;
      expect(wf.reasons.map((r) => r.id)).toContain('unspecified');
      const result = workflow.fieldsSchema.safeParse(typed(wf.fields, wf.sample));
      expect(result.success, `${wf.id}: ${JSON.stringify(result.error?.issues)}`).toBe(true);
    }
  });

  it('marks sensitive fields so the page can say they never reach the card', () => {
    const clinic = describeWorkflows(config).find((w) => w.id === 'clinic-after-hours')!;
    expect(clinic.fields.filter((f) => f.sensitive).map((f) => f.name)).toEqual(['date_of_birth', 'symptoms']);
  });

  it('fills webhook_url with the local receiver only when the page left it out', () => {
    expect(prepareHandoffBody({ workflow_id: 'x' }, 'http://127.0.0.1:9/status')).toEqual({ workflow_id: 'x', webhook_url: 'http://127.0.0.1:9/status' });
    expect(prepareHandoffBody({ webhook_url: 'https://other.example/' }, 'http://127.0.0.1:9/status')).toEqual({ webhook_url: 'https://other.example/' });
    expect(prepareHandoffBody([1], 'http://127.0.0.1:9/status')).toEqual([1]);
  });

  it('summarises a received callback by type, handoff, actor and signature result; a non-JSON body by type only', () => {
    const base: ReceivedCallback = { seq: 1, at: 0, method: 'POST', path: '/status', headers: { 'webhook-id': 'cb_1' }, rawBody: '', answeredStatus: 200, signatureValid: true };
    const body = JSON.stringify({ type: 'handoff.claimed', timestamp: '2025-01-01T00:00:00.000Z', data: { handoff_id: 'ho_1', actor: 'U1', status: 'claimed' } });
    expect(summariseCallbacks([{ ...base, rawBody: body }, { ...base, seq: 2, rawBody: 'nope', signatureValid: false }])).toEqual([
      { seq: 1, at: '1970-01-01T00:00:00.000Z', path: '/status', type: 'handoff.claimed', handoffId: 'ho_1', actor: 'U1', status: 'claimed', signatureValid: true, answeredStatus: 200, webhookId: 'cb_1' },
      { seq: 2, at: '1970-01-01T00:00:00.000Z', path: '/status', type: '(not JSON)', handoffId: null, actor: null, status: null, signatureValid: false, answeredStatus: 200, webhookId: 'cb_1' },
    ]);
  });
});
