// What we answer a held Vapi transfer request with, held to the SDK's own response type
// (docs/contract/reaching-the-caller.md#claim-to-connect-on-vapi): a renamed field breaks our build.
import type { Vapi } from '@vapi-ai/server-sdk';
import { describe, expectTypeOf, it } from 'vitest';
import type { VapiTransferAnswer } from '../../bot/connect/answers.js';
import type { ExcessPaths } from '../support/excess.js';

describe('the Vapi transfer answer', () => {
  it('is a ServerMessageResponseTransferDestinationRequest with no excess property, its fallback a spoken request-failed message', () => {
    expectTypeOf<VapiTransferAnswer>().toExtend<Vapi.ServerMessageResponseTransferDestinationRequest>();
    expectTypeOf<ExcessPaths<VapiTransferAnswer, Vapi.ServerMessageResponseTransferDestinationRequest>>().toEqualTypeOf<never>();
    expectTypeOf<Extract<VapiTransferAnswer, { error: string }>['message']>().toExtend<Vapi.ServerMessageResponseTransferDestinationRequestMessage.RequestFailed>();
  });
});
