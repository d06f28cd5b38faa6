/**
 * Property-based tests: whatever a caller, a config or the store hands the
 * builders, every message stays within Slack's Block Kit limits, nothing
 * caller-supplied becomes a mention or a link, and notification text carries
 * no personal data.
 */
import fc from 'fast-check';
import { assert, describe, expect, it } from 'vitest';
import { HANDOFF_STATUSES, SEVERITIES } from '../../../shared/schemas/enums.js';
import { escapeMrkdwn } from '../mrkdwn.js';
import type { SectionBlock, SlackMessage } from './blocks.js';
import { buildEscalationCard } from './escalation-card.js';
import { buildHandoffCard } from './handoff-card.js';
import { buildNoteModal, buildNoteReply } from './note-modal.js';
import { type HandoffListItem, buildHandoffTimeline, buildMineReport, buildStatusReport } from './status-report.js';
import { actor, actorIds, cardField, cardInput, handoffId, hostile, longText, userId } from '../../../test/support/cards/arbitraries.js';
import { allText, messageProblems, modalProblems } from '../../../test/support/cards/check-message.js';

const RUNS = { numRuns: 150 };
const actionIds = (msg: SlackMessage): string[] =>
  msg.blocks.flatMap((b) => (b.type === 'actions' ? b.elements.map((e) => e.action_id) : []));
const expectedActions = (status: string): string[] =>
  status === 'resolved'
    ? ['handoff_reopen', 'handoff_details']
    : [status === 'claimed' ? 'handoff_release' : 'handoff_claim', 'handoff_escalate', 'handoff_resolve', 'handoff_note', 'handoff_details'];
const validMention = (id: string | null): string | null => (id !== null && /^[SUW][A-Z0-9]{2,31}$/.test(id) ? id : null);

describe('the local limit checker', () => {
  it('reports the violations it exists to catch', () => {
    const bad: SlackMessage = {
      text: 'x <!channel>',
      blocks: [
        { type: 'header', block_id: 'a', text: { type: 'plain_text', text: 'h'.repeat(151) } },
        { type: 'section', block_id: 'a', text: { type: 'mrkdwn', text: '<@U0EVIL> & @here' }, fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn' as const, text: 'x'.repeat(2001) })) },
        { type: 'actions', block_id: 'b', elements: [{ type: 'button', action_id: 'x', value: 'v', text: { type: 'plain_text', text: 'b'.repeat(76) } }] },
        ...Array.from({ length: 48 }, (_, i) => ({ type: 'divider' as const, block_id: `d${i}` })),
      ],
    };
    const problems = messageProblems(bad).join('\n');
    for (const expected of ['text: unescaped "<"', '151 > 150', 'duplicate block_id a', 'unexpected user mention', 'unescaped "&"', 'bare broadcast', '11 fields > 10', '2001 > 2000', '76 > 75', '51 blocks > 50']) {
      expect(problems).toContain(expected);
    }
  });
});

describe('buildHandoffCard, any input', () => {
  it('stays within Block Kit limits and renders only the mentions and links it should', () => {
    fc.assert(
      fc.property(cardInput, (input) => {
        const card = buildHandoffCard(input);
        const mention = validMention(input.escalationMention);
        expect(messageProblems(card, { users: actorIds(input), mention })).toEqual([]);
      }),
      RUNS,
    );
  });

  it('has the actions block, last, with exactly the right action ids and values', () => {
    fc.assert(
      fc.property(cardInput, (input) => {
        const card = buildHandoffCard(input);
        expect(actionIds(card)).toEqual(expectedActions(input.status));
        const last = card.blocks.at(-1);
        assert(last?.type === 'actions', 'the last block is the actions block');
        for (const e of last.elements) expect(e.value).toBe(input.handoffId);
      }),
      RUNS,
    );
  });

  it('keeps the caller id and field values out of the notification text', () => {
    let checked = 0;
    fc.assert(
      fc.property(cardInput, fc.option(longText(64), { nil: null }), fc.array(cardField, { maxLength: 5 }), (input, otherCaller, otherFields) => {
        const card = buildHandoffCard(input);
        // The text is a function of non-personal data only: swapping caller and fields changes nothing.
        expect(buildHandoffCard({ ...input, caller: otherCaller, fields: otherFields }).text).toBe(card.text);
        const visible = [input.reason, input.reasonLabel ?? '', input.workflowName].join('\n');
        if (input.caller !== null && input.caller.length >= 6 && !visible.includes(input.caller)) {
          checked++;
          expect(card.text).not.toContain(input.caller);
          expect(card.text).not.toContain(escapeMrkdwn(input.caller));
        }
      }),
      RUNS,
    );
    // The runs drew caller ids the text could have leaked, not only ones it could not.
    expect(checked).toBeGreaterThan(0);
  });

  it('shows the caller id (escaped) on the card itself while it exists', () => {
    fc.assert(
      fc.property(cardInput, fc.stringMatching(/^\+[1-9][0-9]{7,14}$/), (input, phone) => {
        const card = buildHandoffCard({ ...input, caller: phone });
        const summary = card.blocks.find((b): b is SectionBlock => b.block_id === 'ho_card_summary');
        expect(summary?.fields?.[1]?.text).toBe(`*Caller*\n${phone}`);
      }),
      RUNS,
    );
  });
});

describe('buildEscalationCard, any input', () => {
  const permalink = fc.oneof(
    fc.constant(null),
    fc.stringMatching(/^https:\/\/[a-z]{3,10}\.slack\.com\/archives\/C[A-Z0-9]{8}\/p[0-9]{16}(\?thread_ts=1&cid=C1)?$/),
    hostile(6),
  );

  it('stays within limits, links only the permalink, and carries the same actions', () => {
    fc.assert(
      fc.property(cardInput, fc.integer({ min: 1, max: 9 }), actor, permalink, (input, level, escalatedBy, link) => {
        const card = buildEscalationCard({ ...input, level, escalatedBy, permalink: link });
        const users = actorIds(input, escalatedBy);
        expect(messageProblems(card, { users, mention: validMention(input.escalationMention), urls: link === null ? [] : [link] })).toEqual([]);
        expect(actionIds(card)).toEqual(expectedActions(input.status));
        expect(card.text).toMatch(new RegExp(`^Escalated to level ${level}: `));
        expect(buildEscalationCard({ ...input, caller: 'x', fields: [], level, escalatedBy, permalink: link }).text).toBe(card.text);
      }),
      RUNS,
    );
  });
});

const listItem: fc.Arbitrary<HandoffListItem> = fc.record({
  handoffId,
  workflowName: longText(300),
  reason: longText(300),
  reasonLabel: fc.option(longText(200), { nil: undefined }),
  severity: fc.constantFrom(...SEVERITIES),
  status: fc.constantFrom(...HANDOFF_STATUSES),
  escalationLevel: fc.integer({ min: 0, max: 5 }),
  receivedAt: fc.integer({ min: 0, max: 2e12 }),
  claimedBy: actor,
  claimedAt: fc.option(fc.integer({ min: 0, max: 2e12 }), { nil: null }),
  permalink: fc.oneof(fc.constant(null), fc.webUrl({ validSchemes: ['https'] }), hostile(4)),
});

const counts = fc.record({ open: fc.nat(1e6), claimed: fc.nat(1e6), escalated: fc.nat(1e6) });

describe('status, mine and timeline reports, any input', () => {
  it('/handoff status stays within limits and lists at most 10 handoffs', () => {
    fc.assert(
      fc.property(
        fc.record({
          now: fc.integer({ min: 0, max: 2e12 }),
          counts: fc.record({ low: counts, normal: counts, high: counts, urgent: counts }),
          oldestUnclaimedAt: fc.option(fc.integer({ min: 0, max: 2e12 }), { nil: null }),
          openHandoffs: fc.array(listItem, { maxLength: 30 }),
        }),
        (summary) => {
          const report = buildStatusReport(summary);
          const users = summary.openHandoffs.flatMap((i) => actorIds({ claimedBy: i.claimedBy, resolvedBy: null, lastEscalatedBy: null }));
          const urls = summary.openHandoffs.flatMap((i) => (i.permalink === null ? [] : [i.permalink]));
          expect(messageProblems(report, { users, urls })).toEqual([]);
          const listed = (allText(report).match(/`ho_[a-z0-9]+`/g) ?? []).length;
          expect(listed).toBe(Math.min(10, summary.openHandoffs.length));
        },
      ),
      RUNS,
    );
  });

  it('/handoff mine stays within limits', () => {
    fc.assert(
      fc.property(fc.array(listItem, { maxLength: 30 }), fc.integer({ min: 0, max: 2e12 }), (list, now) => {
        const users = list.flatMap((i) => actorIds({ claimedBy: i.claimedBy, resolvedBy: null, lastEscalatedBy: null }));
        const urls = list.flatMap((i) => (i.permalink === null ? [] : [i.permalink]));
        expect(messageProblems(buildMineReport(list, now), { users, urls })).toEqual([]);
      }),
      RUNS,
    );
  });

  it('/handoff status ho_… stays within limits for any event log', () => {
    const event = fc.record({
      type: fc.oneof(
        fc.constantFrom('handoff.received', 'handoff.claimed', 'handoff.released', 'handoff.escalated', 'handoff.resolved', 'handoff.note_added', 'callback.given_up'),
        hostile(4),
      ),
      actor,
      at: fc.integer({ min: 0, max: 2e12 }),
      data: fc.option(fc.record({ level: fc.oneof(fc.nat(10), hostile(2)), event: hostile(4), attempts: fc.nat(100) }), { nil: undefined }),
    });
    fc.assert(
      fc.property(cardInput, fc.array(event, { maxLength: 200 }), fc.option(fc.webUrl({ validSchemes: ['https'] }), { nil: null }), (input, events, permalink) => {
        const timeline = buildHandoffTimeline({ ...input, permalink }, events);
        const users = actorIds(input, ...events.map((e) => e.actor));
        expect(messageProblems(timeline, { users, urls: permalink === null ? [] : [permalink] })).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });
});

describe('note modal and note reply, any input', () => {
  it('the modal meets view limits for any handoff id', () => {
    fc.assert(fc.property(handoffId, (id) => {
      expect(modalProblems(buildNoteModal(id))).toEqual([]);
    }), RUNS);
  });

  it('the reply stays within limits, keeps the whole note, and its notification text quotes nothing', () => {
    let notes = 0;
    fc.assert(
      fc.property(fc.oneof(userId, hostile(3)), longText(3000), (author, note) => {
        const reply = buildNoteReply(author, note);
        expect(messageProblems(reply, { users: actorIds({ claimedBy: author, resolvedBy: null, lastEscalatedBy: null }) })).toEqual([]);
        const body = reply.blocks.filter((b): b is SectionBlock => b.block_id.startsWith('ho_note_text_')).map((b) => b.text?.text ?? '');
        if (note.trim() !== '') {
          notes++;
          expect(body.join('')).toBe(escapeMrkdwn(note.trim()));
        }
        expect(reply.text).toBe('New note on this handoff');
      }),
      RUNS,
    );
    expect(notes, 'runs with a non-blank note').toBeGreaterThan(0);
  });
});
