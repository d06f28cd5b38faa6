import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerPath, sendSigned, signedHandoffRequest, type SignedRequest, type VoicePlatform } from '../../sandbox/fakes/voice-platforms.js';
import type { Harness } from '../support/harness.js';
import { expectJson, startProviderHarness, stored, VOICE_SECRETS } from '../support/providers.js';

let h: Harness;
beforeAll(async () => {
  h = await startProviderHarness();
});
afterAll(async () => {
  await h.close();
});

const PLATFORMS: VoicePlatform[] = ['retell', 'vapi', 'elevenlabs', 'twilio'];
const WRONG = { ...VOICE_SECRETS, retellApiKey: 'key_wrong', vapiSecret: 'wrong', elevenlabsToolToken: 'wrong', twilioAuthToken: 'wrong'.repeat(6) };
const call = () => ({ callId: `oracle-${randomUUID()}`, callerId: '+15555550161', args: { handoff_reason: 'appointment_change', patient_name: 'Olga' } });
const unsigned = (req: SignedRequest): SignedRequest => ({ body: req.body, headers: { 'content-type': req.headers['content-type']! } });

describe('provider endpoints authenticate before they say whether a workflow exists', () => {
  for (const platform of PLATFORMS) {
    it(`${platform}: unsigned or wrongly signed is 401 for a known and an unknown workflow alike; verified to an unknown workflow is 404`, async () => {
      const before = stored(h);
      const answers: Record<string, { status: number; body: Record<string, unknown> }> = {};
      for (const workflow of ['clinic-after-hours', 'no-such-workflow']) {
        const good = signedHandoffRequest(platform, workflow, call(), VOICE_SECRETS);
        for (const [name, req] of Object.entries({ unsigned: unsigned(good), wrongKey: signedHandoffRequest(platform, workflow, call(), WRONG) })) {
          const res = await sendSigned(h.bot.url, providerPath(platform, workflow), req);
          answers[`${workflow}/${name}`] = { status: res.status, body: expectJson(res) };
        }
      }
      for (const name of ['unsigned', 'wrongKey']) {
        expect(answers[`clinic-after-hours/${name}`]!.status).toBe(401);
        // Byte for byte the same answer: nothing tells the two workflow ids apart.
        expect(answers[`no-such-workflow/${name}`]).toEqual(answers[`clinic-after-hours/${name}`]);
        expect(answers[`no-such-workflow/${name}`]!.body.error).toBe('invalid_signature');
      }
      const verified = await sendSigned(h.bot.url, providerPath(platform, 'no-such-workflow'), signedHandoffRequest(platform, 'no-such-workflow', call(), VOICE_SECRETS));
      expect(verified.status).toBe(404);
      expect(expectJson(verified).error).toBe('not_found');
      expect(stored(h)).toEqual(before);
    });
  }
});
