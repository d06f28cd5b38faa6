import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateView } from '../../../sandbox/slack-emulator/index.js';
import { CALL_STATUSES, HANDOFF_STATUSES, SEVERITIES } from '../../../shared/schemas/enums.js';
import { escapeMrkdwn, singleLine } from '../mrkdwn.js';
import type { ModalView, SectionBlock } from './blocks.js';
import { type DetailsHandoff, type DetailsModalInput, type DetailsWorkflow, buildDetailsModal } from './details-modal.js';
import { handoffId, hostile, longText } from '../../../test/support/cards/arbitraries.js';
import { allModalText, modalProblems } from '../../../test/support/cards/check-message.js';
import { T0 } from '../../../test/support/fixtures.js';

const WORKFLOW: DetailsWorkflow = {
  name: 'Clinic after-hours line',
  reasonLabel: 'Emergency or sensitive request',
  fields: [
    { name: 'patient_name', label: 'Patient', sensitive: false },
    { name: 'symptoms', sensitive: true },
    { name: 'date_of_birth', sensitive: true },
    { name: 'visits', sensitive: false },
  ],
};

/** A handoff as the store holds it, before the chat view (chat-view.ts) groups what is personal. */
type StoredDetails = Omit<DetailsHandoff, 'personal' | 'withheld'> & {
  callerId: string | null;
  callerMessage: string | null;
  structuredFields: Record<string, unknown> | null;
};

/** The chat view of a `full` workflow's handoff: personal data until erased. */
function chatDetails({ callerId, callerMessage, structuredFields, ...rest }: StoredDetails): DetailsHandoff {
  const personal = rest.erasedAt !== null ? null : { caller: callerId ?? '', fields: structuredFields ?? {}, toldCaller: callerMessage, platformSummary: null };
  return { ...rest, withheld: false, personal };
}

function handoff(over: Partial<StoredDetails> = {}): DetailsHandoff {
  return chatDetails({
    id: 'ho_01HZXAMPLE',
    workflowId: 'clinic-after-hours',
    reason: 'emergency_or_sensitive_request',
    severity: 'urgent',
    status: 'claimed',
    escalationLevel: 1,
    callStatus: 'in_progress',
    callerId: '+15555550123',
    callerMessage: 'I am marking this for a person now.',
    structuredFields: { patient_name: 'Dana Whitfield', symptoms: 'chest pain since noon', visits: 3 },
    receivedAt: T0,
    erasedAt: null,
    ...over,
  });
}

const input = (over: Partial<StoredDetails> = {}, workflow: DetailsWorkflow | null = WORKFLOW): DetailsModalInput => ({
  handoff: handoff(over),
  workflow,
});

const section = (view: ModalView, id: string): SectionBlock => {
  const b = view.blocks.find((x) => x.block_id === id);
  if (b?.type !== 'section') throw new Error(`no section ${id} in ${view.blocks.map((x) => x.block_id).join(',')}`);
  return b;
};
const fieldTexts = (view: ModalView): string[] =>
  view.blocks.flatMap((b) => (b.type === 'section' && b.block_id.startsWith('ho_details_field_') ? [b.text?.text ?? ''] : []));

describe('buildDetailsModal: a live handoff', () => {
  const view = buildDetailsModal(input());

  it('is a read-only modal: title, Close, no submit, the callback id and the handoff id', () => {
    expect(view).toMatchObject({
      type: 'modal',
      callback_id: 'handoff_details_modal',
      private_metadata: 'ho_01HZXAMPLE',
      title: { type: 'plain_text', text: 'Handoff details' },
      close: { type: 'plain_text', text: 'Close' },
    });
    expect(view).not.toHaveProperty('submit');
    expect(modalProblems(view)).toEqual([]);
    expect(validateView(view)).toEqual([]);
  });

  it('summarises workflow, reason, severity, state, call status and caller', () => {
    expect(section(view, 'ho_details_summary').fields?.map((f) => f.text)).toEqual([
      '*Workflow*\nClinic after-hours line',
      '*Reason*\nEmergency or sensitive request',
      '*Severity*\nUrgent 🚨',
      '*State*\nClaimed, escalated to level 1',
      '*Call status*\nIn progress',
      '*Caller*\n+15555550123',
    ]);
  });

  it('shows what the caller was told', () => {
    expect(section(view, 'ho_details_caller_message').text?.text).toBe('*Caller was told*\nI am marking this for a person now.');
  });

  it('lists every configured field in config order, sensitive ones labelled, missing ones as not given', () => {
    expect(fieldTexts(view)).toEqual([
      '*Patient*\nDana Whitfield',
      '*🔒 symptoms (sensitive)*\nchest pain since noon',
      '*🔒 date of birth (sensitive)*\n_not given_',
      '*visits*\n3',
    ]);
  });

  it('ends with the private-view warning', () => {
    const footer = view.blocks.at(-1);
    expect(footer?.type === 'context' && footer.elements.map((e) => e.text)).toEqual([
      '🔒 Only you can see this. Do not copy sensitive fields into the thread.',
      `Handoff \`ho_01HZXAMPLE\` · received <!date^${T0 / 1000}^{date_short_pretty} {time}|2025-05-06 22:00 UTC>`,
    ]);
  });
});

describe('buildDetailsModal: edge cases', () => {
  it('escapes hostile values so they neither mention, link nor fake a label line', () => {
    const view = buildDetailsModal(
      input({
        callerId: '<!channel>',
        callerMessage: 'Hi <@U0ATTACKER>',
        structuredFields: { patient_name: '<https://evil.example|Claim> @here', symptoms: 'a\n*🔒 date of birth (sensitive)*\n1900-01-01' },
      }),
    );
    expect(modalProblems(view)).toEqual([]);
    expect(section(view, 'ho_details_summary').fields?.[5]?.text).toBe('*Caller*\n&lt;!channel&gt;');
    expect(fieldTexts(view).slice(0, 2)).toEqual([
      '*Patient*\n&lt;https://evil.example|Claim&gt; @\u200Dhere',
      '*🔒 symptoms (sensitive)*\na *🔒 date of birth (sensitive)* 1900-01-01',
    ]);
  });

  it('keeps a 4,000-character value whole, spread over several sections', () => {
    const long = '<&'.repeat(2000);
    const view = buildDetailsModal(input({ structuredFields: { patient_name: 'x', symptoms: long } }));
    expect(modalProblems(view)).toEqual([]);
    const parts = view.blocks.filter((b): b is SectionBlock => b.block_id.startsWith('ho_details_field_1_'));
    expect(parts.length).toBeGreaterThan(1);
    const joined = parts.map((b) => b.text?.text ?? '').join('');
    expect(joined).toBe(`*🔒 symptoms (sensitive)*\n${escapeMrkdwn(long)}`);
  });

  it('fits 300 fields into 100 blocks and counts the ones left out', () => {
    const fields = Array.from({ length: 300 }, (_, i) => ({ name: `f${i}`, sensitive: i % 2 === 0 }));
    const values = Object.fromEntries(fields.map((f) => [f.name, 'v'.repeat(4000)]));
    const view = buildDetailsModal(input({ structuredFields: values }, { ...WORKFLOW, fields }));
    expect(view.blocks).toHaveLength(100);
    expect(modalProblems(view)).toEqual([]);
    expect(validateView(view)).toEqual([]);
    const shown = fieldTexts(view).length;
    const more = view.blocks.find((b) => b.block_id === 'ho_details_fields_more');
    expect(more?.type === 'context' && more.elements[0]?.text).toBe(`+${300 - shown} more fields did not fit in this view`);
    expect(fieldTexts(view)[0]).toMatch(/^\*🔒 f0 \(sensitive\)\*\n/);
  });

  it('after retention erasure says when the personal data was erased and shows none of it', () => {
    const erasedAt = T0 + 30 * 86_400_000;
    const view = buildDetailsModal(input({ callerId: null, callerMessage: null, structuredFields: null, status: 'resolved', erasedAt }));
    expect(modalProblems(view)).toEqual([]);
    expect(section(view, 'ho_details_erased').text?.text).toContain(`was erased on <!date^${erasedAt / 1000}^`);
    expect(section(view, 'ho_details_summary').fields?.[5]?.text).toBe('*Caller*\n_erased_');
    expect(view.blocks.map((b) => b.block_id)).toEqual(['ho_details_summary', 'ho_details_erased', 'ho_details_footer']);
  });

  it('shows a stored field the config no longer lists as sensitive, and works without the workflow', () => {
    const extra = buildDetailsModal(input({ structuredFields: { patient_name: 'Dana', old_notes: 'kept' } }));
    expect(fieldTexts(extra).at(-1)).toBe('*🔒 old_notes (sensitive, no longer in the config)*\nkept');
    const orphan = buildDetailsModal(input({ structuredFields: { symptoms: 'cough' } }, null));
    expect(section(orphan, 'ho_details_summary').fields?.[0]?.text).toBe('*Workflow*\nclinic-after-hours');
    expect(fieldTexts(orphan)).toEqual(['*🔒 symptoms (sensitive, no longer in the config)*\ncough']);
  });

  it('says so when the workflow has no structured fields', () => {
    const view = buildDetailsModal(input({ structuredFields: {} }, { name: 'Billing', fields: [] }));
    expect(allModalText(view)).toContain('This workflow has no structured fields.');
  });
});

const fieldValue = fc.oneof(
  longText(4000),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.dictionary(hostile(2), hostile(4), { maxKeys: 3 }),
);
const fieldSpec = fc.record({
  name: fc.stringMatching(/^[a-z][a-z0-9_]{0,20}$/),
  label: fc.option(longText(150), { nil: undefined }),
  sensitive: fc.boolean(),
});
const detailsInput: fc.Arbitrary<DetailsModalInput> = fc
  .record({
    fields: fc.uniqueArray(fieldSpec, { selector: (f) => f.name, maxLength: 120 }),
    extra: fc.dictionary(fc.stringMatching(/^x_[a-z]{1,8}$/), fieldValue, { maxKeys: 3 }),
    values: fc.array(fieldValue, { maxLength: 120 }),
    workflow: fc.option(fc.record({ name: longText(300), reasonLabel: fc.option(longText(200), { nil: undefined }) }), { nil: null }),
    erased: fc.option(fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }), { nil: null }),
    handoff: fc.record({
      id: handoffId,
      workflowId: hostile(4),
      reason: longText(300),
      severity: fc.constantFrom(...SEVERITIES),
      status: fc.constantFrom(...HANDOFF_STATUSES),
      escalationLevel: fc.integer({ min: 0, max: 9 }),
      callStatus: fc.constantFrom(...CALL_STATUSES),
      callerId: fc.option(longText(500), { nil: null }),
      callerMessage: fc.option(longText(4000), { nil: null }),
      receivedAt: fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }),
    }),
  })
  .map(({ fields, extra, values, workflow, erased, handoff: h }) => {
    const stored: Record<string, unknown> = { ...extra };
    fields.forEach((f, i) => {
      if (values[i] !== undefined) stored[f.name] = values[i];
    });
    return {
      handoff: chatDetails({ ...h, structuredFields: erased === null ? stored : null, erasedAt: erased, ...(erased === null ? {} : { callerId: null, callerMessage: null }) }),
      workflow: workflow === null ? null : { ...workflow, fields },
    };
  });

describe('buildDetailsModal, any input', () => {
  it('meets Slack’s modal limits (ours and the emulator’s) and renders no mention or link', () => {
    fc.assert(
      fc.property(detailsInput, (i) => {
        const view = buildDetailsModal(i);
        // No user ids and no URLs are allowed: only our own <!date^…> tokens may use markup.
        expect(modalProblems(view, {})).toEqual([]);
        expect(validateView(view)).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('shows every field, or counts the ones that did not fit; a few short-enough values are shown whole', () => {
    let whole = 0;
    fc.assert(
      fc.property(detailsInput, (i) => {
        const view = buildDetailsModal(i);
        if (i.handoff.erasedAt !== null) {
          expect(fieldTexts(view)).toEqual([]);
          return;
        }
        const configured = i.workflow?.fields ?? [];
        const stored = i.handoff.personal?.fields ?? {};
        const total = configured.length + Object.keys(stored).filter((k) => !configured.some((f) => f.name === k)).length;
        const firstParts = view.blocks.filter((b) => /^ho_details_field_\d+_0$/.test(b.block_id)).length;
        const more = view.blocks.find((b) => b.block_id === 'ho_details_fields_more');
        const hidden = more?.type === 'context' ? Number(/^\+(\d+) /.exec(more.elements[0]?.text ?? '')?.[1]) : 0;
        expect(firstParts + hidden).toBe(total);
        if (total <= 10) {
          whole++;
          expect(hidden).toBe(0);
          configured.forEach((f, n) => {
            const v = stored[f.name];
            if (typeof v !== 'string') return;
            const parts = view.blocks.filter((b): b is SectionBlock => b.block_id.startsWith(`ho_details_field_${n}_`));
            const joined = parts.map((b) => b.text?.text ?? '').join('');
            // Nothing left to show once escaped (blank, or only controls such as U+202E): said in words.
            const shown = escapeMrkdwn(singleLine(v));
            expect(joined.slice(joined.indexOf('\n') + 1)).toBe(shown === '' ? '_empty_' : shown);
          });
        }
      }),
      { numRuns: 150 },
    );
    expect(whole, 'runs with few enough fields to show whole').toBeGreaterThan(0);
  });
});
