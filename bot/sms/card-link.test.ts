import { describe, expect, it } from 'vitest';
import { decideCardLink, SMS_CARD_POLL_MS, SMS_CARD_WAIT_MS, type CardLinkInput } from './card-link.js';

const base: CardLinkInput = { handoffId: 'ho_x', permalink: null, digestPermalink: null, publicUrl: null, queuedAt: 10_000, now: 10_000 };

describe('the link an on-call SMS carries', () => {
  it.each<[string, Partial<CardLinkInput>, ReturnType<typeof decideCardLink>]>([
    ['the card permalink as soon as there is one', { permalink: 'https://s/p1', now: 10_000 }, { type: 'send', url: 'https://s/p1' }],
    ['a short look again while the card is being posted', {}, { type: 'wait', afterMs: SMS_CARD_POLL_MS }],
    ['no look past the bound', { now: 10_000 + SMS_CARD_WAIT_MS - 50 }, { type: 'wait', afterMs: 50 }],
    ['the bot link once the bound has passed', { now: 10_000 + SMS_CARD_WAIT_MS, publicUrl: 'https://bot.example/' }, { type: 'send', url: 'https://bot.example/h/ho_x' }],
    ['the digest without a public URL', { now: 10_000 + SMS_CARD_WAIT_MS, digestPermalink: 'https://s/d1' }, { type: 'send', url: 'https://s/d1' }],
    ['no link with neither', { now: 10_000 + SMS_CARD_WAIT_MS }, { type: 'send', url: null }],
    ['no second wait on a retry', { queuedAt: -Infinity, publicUrl: 'https://bot.example' }, { type: 'send', url: 'https://bot.example/h/ho_x' }],
  ])('%s', (_name, input, expected) => {
    expect(decideCardLink({ ...base, ...input })).toEqual(expected);
  });
});
