import { describe, expect, it } from 'vitest';
import { handoffRecordFixture } from '../../test/support/fixtures.js';
import { allText } from '../../test/support/cards/check-message.js';
import { testConfig } from '../../test/support/test-config.js';
import { toCardInput } from './card-model.js';
import { buildDetailsModal, toDetailsModalInput } from './cards/details-modal.js';
import { buildEscalationCard } from './cards/escalation-card.js';
import { buildHandoffCard, WITHHELD_TEXT } from './cards/handoff-card.js';
import { buildHandoffTimeline } from './cards/status-report.js';
import { chatView } from './chat-view.js';

// Alice's phone makes +1 the country Call back may dial (domain/dial-policy.ts).
const people = { U0ALICE01: '+15555550101' };
const full = testConfig((doc) => ({ ...doc, people }));
const linkOnly = testConfig((doc) => ({ ...doc, people, workflows: doc.workflows.map((w) => ({ ...w, chat_data: 'link_only' })) }));
const stored = handoffRecordFixture({
  callerId: '+15555550123',
  structuredFields: { patient_name: 'Dana Whitfield', symptoms: 'chest pain', callback_number: '+15555550177', visits: 3 },
  callerMessage: 'A nurse will call you at 555 0123',
  callSummary: 'Dana reported chest pain since noon',
});
const CALLER_VALUES = ['15555550123', 'Dana Whitfield', 'chest pain', '15555550177', 'nurse will call', 'since noon'];

describe('chatView: what of a handoff may leave for Slack', () => {
  it.each([
    ['full, live', full, {}, { withheld: false, personal: true }],
    ['full, erased', full, { erasedAt: 1, callerId: null, structuredFields: null, callerMessage: null, callSummary: null }, { withheld: false, personal: false }],
    ['link_only, live', linkOnly, {}, { withheld: true, personal: false }],
    ['link_only, erased', linkOnly, { erasedAt: 1 }, { withheld: true, personal: false }],
  ] as const)('%s', (_name, config, over, want) => {
    const view = chatView({ ...stored, ...over }, config);
    expect(view.withheld).toBe(want.withheld);
    expect(view.personal !== null).toBe(want.personal);
    expect(view.chatData).toBe(want.withheld ? 'link_only' : 'full');
  });

  it('full: the caller id, every stored field, what the caller was told and the platform summary, for the card and the modal to choose from', () => {
    expect(chatView(stored, full).personal).toEqual({
      caller: '+15555550123',
      fields: stored.structuredFields,
      toldCaller: stored.callerMessage,
      platformSummary: stored.callSummary,
    });
  });

  it('link_only: no caller value anywhere in the view, yet Call back still knows the number is dialable', () => {
    const view = chatView(stored, linkOnly);
    const json = JSON.stringify(view);
    for (const value of CALLER_VALUES) expect(json).not.toContain(value);
    expect(view.dial).toEqual({ ok: true, countryCode: '1' });
    expect(view).toMatchObject({ id: stored.id, workflowId: stored.workflowId, reason: stored.reason, severity: stored.severity, status: stored.status });
  });

  it('a handoff whose workflow left the config is withheld: nothing says its caller data may go to Slack', () => {
    expect(chatView({ ...stored, workflowId: 'retired-line' }, full)).toMatchObject({ withheld: true, personal: null, chatData: 'link_only' });
  });

  it('link_only: a number the dial policy refuses is refused without its country code', () => {
    const foreign = { ...stored, callerId: '+442071838750' };
    expect(chatView(foreign, full).dial).toEqual({ ok: false, why: 'country_not_allowed', countryCode: '44' });
    expect(chatView(foreign, linkOnly).dial).toEqual({ ok: false, why: 'country_not_allowed', countryCode: null });
    const card = buildHandoffCard(toCardInput(chatView(foreign, linkOnly), linkOnly, foreign.receivedAt, 0, { callBack: true }));
    expect(allText(card)).toContain("calls to the caller's country are not allowed here");
    expect(allText(card)).not.toContain('44');
  });

  it('link_only: the card, an escalation card, the timeline and the Details modal name no caller value and say where the details are', () => {
    const view = chatView(stored, linkOnly);
    const input = toCardInput(view, linkOnly, stored.receivedAt + 60_000, 0, { callBack: true });
    const card = buildHandoffCard(input);
    const escalation = buildEscalationCard({ ...input, level: 1, escalatedBy: 'U0ALICE01', permalink: null });
    const timeline = buildHandoffTimeline({ ...input, permalink: null }, [{ type: 'handoff.received', actor: null, at: stored.receivedAt }]);
    const modal = buildDetailsModal(toDetailsModalInput(view, linkOnly.workflows.get(stored.workflowId)));
    const texts = [allText(card), allText(escalation), allText(timeline), JSON.stringify(modal)];
    for (const text of texts) for (const value of CALLER_VALUES) expect(text).not.toContain(value);
    expect(allText(card)).toContain(WITHHELD_TEXT);
    expect(allText(card)).toContain('*Caller*\n:lock: _on the Details page_');
    // Call back works unchanged: the bot dials, nobody reads the number.
    expect(JSON.stringify(card.blocks)).toContain('handoff_call_back');
  });

  it('full: the card shows the caller and the non-sensitive fields, never the sensitive ones', () => {
    const text = allText(buildHandoffCard(toCardInput(chatView(stored, full), full, stored.receivedAt, 0)));
    expect(text).toContain('+15555550123');
    expect(text).toContain('Dana Whitfield');
    expect(text).not.toContain('chest pain');
    expect(text).not.toContain(WITHHELD_TEXT);
  });
});
