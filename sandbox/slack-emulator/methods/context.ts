import type { Params } from '../http-io.js';
import type { EmulatorState } from '../state.js';
import type { ApiResult } from '../types.js';

export interface MethodContext {
  state: EmulatorState;
  /** A link to a message, shaped like Slack's (`.../archives/C123/p1700000000000100`). */
  permalink(channel: string, ts: string): string;
}

/** A Web API method: decides the answer from the arguments and the state. Throw ArgError for `ok:false`. */
export type MethodHandler = (params: Params, ctx: MethodContext) => ApiResult;
