import { describe, expect, it } from 'vitest';
import { buildOncallReport, ONCALL_MAX_WORKFLOWS, type OncallRoute } from './oncall-report.js';

const route: OncallRoute = {
  workflowName: 'Clinic <!channel> line',
  block: 'after_hours',
  until: Date.parse('2026-03-09T13:00:00Z'),
  timeZone: 'America/New_York',
  untilLocal: 'Mon 9 Mar, 09:00',
  ownerChannel: 'C0NIGHT001',
  levels: [{ channel: 'C0NIGHTESC', mention: 'S0NURSES01', waitMs: { urgent: 120_000, high: 1_800_000 }, smsTo: [] }],
  smsTo: ['+1******0199'],
  chatData: 'full',
};

const textOf = (m: ReturnType<typeof buildOncallReport>) => m.blocks.map((b) => ('text' in b && b.text ? b.text.text : '')).join('\n');

describe('the /handoff oncall report', () => {
  it('says the block and until when, the channels, who is paged and the waits most urgent first', () => {
    const text = textOf(buildOncallReport([route], true));
    expect(text).toContain('*Clinic &lt;!channel&gt; line*: After hours until <!date^1773061200^');
    expect(text).toContain('(America/New_York), Mon 9 Mar, 09:00 there');
    expect(text).toContain('*Cards* go to <#C0NIGHT001>');
    expect(text).toContain('*Escalations* go to <#C0NIGHTESC>, paging <!subteam^S0NURSES01>: urgent after 2m, high after 30m unclaimed');
    expect(text).toContain('*SMS* to `+1******0199` for reasons that notify by SMS');
    expect(text).toContain('*Chat data*: full (cards show the caller');
  });

  it('says when a workflow keeps caller data off Slack (chat_data: link_only)', () => {
    const text = textOf(buildOncallReport([{ ...route, chatData: 'link_only' }], true));
    expect(text).toContain('*Chat data*: link only (Slack gets no caller data; Details gives a 10-minute link to read it on this server)');
  });

  it('says when there are no hours, no timer, no numbers or no Twilio', () => {
    const text = textOf(buildOncallReport([{ ...route, block: 'always', until: null, timeZone: null, untilLocal: null, levels: [{ channel: 'C0NIGHTESC', mention: null, waitMs: {}, smsTo: [] }] }], false));
    expect(text).toContain('No business hours: the same routing at every hour');
    expect(text).toContain(': on Escalate only (no timer)');
    expect(text).toContain('(Twilio is not configured here, so none is sent)');
    expect(textOf(buildOncallReport([{ ...route, smsTo: [] }], true))).toContain('*SMS*: no on-call numbers');
  });

  it('a ladder: one line per level, each with its channel (or the card thread), mention, numbers and wait after the level before', () => {
    const text = textOf(
      buildOncallReport(
        [
          {
            ...route,
            levels: [
              { channel: null, mention: 'S0NURSES01', waitMs: { urgent: 300_000 }, smsTo: ['+1******0111'] },
              { channel: 'C0NIGHTESC', mention: 'U0BOSS0001', waitMs: { urgent: 600_000 }, smsTo: [] },
            ],
          },
        ],
        true,
      ),
    );
    expect(text).toContain("*Level 1* goes to the card's thread in <#C0NIGHT001>, paging <!subteam^S0NURSES01> and by SMS to `+1******0111`: urgent after 5m unclaimed");
    expect(text).toContain('*Level 2* goes to <#C0NIGHTESC>, paging <@U0BOSS0001>: urgent after 10m of level 1 unclaimed');
  });

  it('a level says only the severities the timer brings to it; one that an earlier level does not time is named apart (the sandbox\'s ladder)', () => {
    const text = textOf(
      buildOncallReport(
        [
          {
            ...route,
            levels: [
              { channel: 'C0ONCALL01', mention: 'S0ONCALL01', waitMs: { urgent: 120_000, high: 300_000, normal: 1_800_000 }, smsTo: [] },
              { channel: 'C0ONCALL01', mention: 'U0CAROL01', waitMs: { urgent: 180_000, high: 180_000, normal: 180_000, low: 180_000 }, smsTo: [] },
            ],
          },
        ],
        true,
      ),
    );
    expect(text).toContain('*Level 1* goes to <#C0ONCALL01>, paging <!subteam^S0ONCALL01>: urgent after 2m, high after 5m, normal after 30m unclaimed');
    expect(text).toContain('*Level 2* goes to <#C0ONCALL01>, paging <@U0CAROL01>: urgent after 3m of level 1, high after 3m of level 1, normal after 3m of level 1 unclaimed; low after 3m of level 1 only once someone escalated it to level 1');
    expect(text).not.toMatch(/low after 3m of level 1(, | unclaimed)/);
  });

  it('stays within Slack’s 50 blocks however many workflows there are', () => {
    const many = buildOncallReport(Array.from({ length: 80 }, () => route), true);
    expect(many.blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(many.blocks.at(-1))).toContain(`and ${80 - ONCALL_MAX_WORKFLOWS} more workflows`);
    expect(textOf(buildOncallReport([], true))).toContain('There are no workflows you may act on.');
  });
});
