import { elevenlabs } from './elevenlabs.js';
import { retell } from './retell.js';
import { twilio } from './twilio.js';
import type { Platform, ProviderAdapter } from './types.js';
import { vapi } from './vapi.js';

/** The supported voice platforms, by the name in `/v1/providers/:platform/:workflow_id`. */
export const PROVIDERS: Readonly<Record<Platform, ProviderAdapter>> = { retell, vapi, elevenlabs, twilio };
