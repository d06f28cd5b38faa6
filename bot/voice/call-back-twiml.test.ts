import { describe, expect, it } from 'vitest';
import { callBackTwiml, spokenIdTail } from './call-back-twiml.js';

const input = {
  handoffId: 'ho_01jabcdefghjkmnpqrstvw4f2k',
  workflowName: 'Clinic after-hours line',
  reason: 'emergency_or_sensitive_request',
  callerNumber: '+15555550123',
  from: '+15555550199',
};

describe('callBackTwiml', () => {
  it('says which handoff it is, then dials the caller with the team number as caller id', () => {
    const twiml = callBackTwiml(input);
    expect(twiml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><Response>.*<\/Response>$/);
    expect(twiml).toContain('<Say>Call back for handoff ending 4 F 2 K, Clinic after-hours line, emergency or sensitive request. Connecting you to the caller now.</Say>');
    expect(twiml).toContain('<Dial callerId="+15555550199" timeout="30"><Number>+15555550123</Number></Dial>');
    expect(twiml.length).toBeLessThan(4000);
  });

  it('says after the dial only what is true however the call ended (Twilio goes on past <Dial> after a talk too)', () => {
    const afterDial = callBackTwiml(input).split('</Dial>')[1];
    expect(afterDial).toBe('<Say>The call to the caller has ended. Goodbye.</Say></Response>');
  });

  it('escapes configuration text and keeps it short, so the TwiML stays valid and under Twilio\'s 4,000 characters', () => {
    const twiml = callBackTwiml({ ...input, workflowName: `Billing <&> "line"\n${'x'.repeat(5000)}` });
    expect(twiml).toContain('Billing &lt;&amp;&gt; &quot;line&quot;');
    expect(twiml).not.toContain('\n');
    expect(twiml.length).toBeLessThan(4000);
  });

  it('refuses to build a dial to something that is not a phone number', () => {
    expect(() => callBackTwiml({ ...input, callerNumber: 'web-visitor-42' })).toThrow('not a phone number');
  });

  it('spells the end of the id', () => expect(spokenIdTail('ho_abc9z')).toBe('B C 9 Z'));
});
