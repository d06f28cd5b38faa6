import { describe, expect, it } from 'vitest';
import { escalatedText, personText } from './view-text.js';

const names = { user_names: { U0BOB0001: 'Bob Okafor' } };

describe('how the desktop names people', () => {
  it.each([
    ['the escalation timer, as the card says it', { ...names, escalation_level: 1, last_escalated_by: 'auto' }, ' · escalated automatically'],
    ['a person, by the name the bot sent', { ...names, escalation_level: 2, last_escalated_by: 'U0BOB0001' }, ' · escalated by Bob Okafor'],
    ['the paired user', { ...names, escalation_level: 1, last_escalated_by: 'U0ME00001' }, ' · escalated by you'],
    ['nothing before any escalation', { ...names, escalation_level: 0, last_escalated_by: null }, ''],
  ])('%s', (_case, h, text) => {
    expect(escalatedText(h, 'U0ME00001')).toBe(text);
  });

  it('never says "auto" or a raw id where a name is known', () => {
    expect(escalatedText({ ...names, escalation_level: 1, last_escalated_by: 'auto' }, null)).not.toContain('auto ');
    expect(personText(names, 'U0BOB0001', null)).toBe('Bob Okafor');
  });
});
