import { elevenlabs } from './elevenlabs.js';
import { retell } from './retell.js';
import { twilio } from './twilio.js';
import type { Platform, ProviderAdapter, ProviderEnv, RawRequest, VerifyResult } from './types.js';
import { vapi } from './vapi.js';

/** The supported voice platforms, by the name in `/v1/providers/:platform/:workflow_id`. */
// Each keeps its own secrets type; `satisfies` checks that every platform has one (secrets aside, as they differ).
export const PROVIDERS = { retell, vapi, elevenlabs, twilio } satisfies Record<Platform, Pick<ProviderAdapter, 'platform' | 'parse' | 'answer'>>;

type SecretsOf<A> = A extends ProviderAdapter<infer S> ? S : never;

/** Every platform's secrets, each as its adapter reads them from the environment. */
export type ProviderSecrets = { readonly [P in Platform]: SecretsOf<(typeof PROVIDERS)[P]> };

export function providerSecretsFrom(env: ProviderEnv): ProviderSecrets {
  const entries = Object.entries(PROVIDERS).map(([platform, adapter]) => [platform, adapter.secretsFrom(env)]);
  return Object.fromEntries(entries) as ProviderSecrets;
}

/** `platform`'s check of a request with its own secrets. */
export function verifyRequest(platform: Platform, req: RawRequest, secrets: ProviderSecrets, nowMs: number): VerifyResult {
  // Each adapter gets the secrets it read itself; the map's type pairs them by platform name.
  const adapter = PROVIDERS[platform] as ProviderAdapter<unknown>;
  return adapter.verify(req, secrets[platform], nowMs);
}
