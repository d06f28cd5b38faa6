import type { IncomingMessage } from 'node:http';
import type { CallRef } from '../intake/call-intake.js';
import type { Logger } from '../observability/logger.js';
import { jsonAnswer, type AskResult, type HttpAnswer } from '../providers/types.js';
import type { HandoffRecord } from '../store/records.js';
import { retellTransferAnswer, vapiTransferAnswer, type ConnectAnswer } from './answers.js';
import type { ConnectHub } from './connect-hub.js';

/** Aborts when the platform's connection closes before it was answered (it gave up waiting). */
function whileConnected(req: IncomingMessage): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onClose = () => controller.abort();
  req.socket.once('close', onClose);
  return { signal: controller.signal, dispose: () => req.socket.off('close', onClose) };
}

async function held(hub: ConnectHub, req: IncomingMessage, handoffId: string, waitMs: number, logger: Logger, platform: string): Promise<ConnectAnswer> {
  const started = performance.now();
  const { signal, dispose } = whileConnected(req);
  try {
    const answer = await hub.hold(handoffId, waitMs, signal);
    logger.info(
      { handoff_id: handoffId, platform, result: answer.kind === 'connected' ? 'connected' : answer.why, latency_ms: Math.round(performance.now() - started) },
      'transfer request answered',
    );
    return answer;
  } finally {
    dispose();
  }
}

/**
 * The provider endpoints' claim-to-connect hooks (docs/contract/reaching-the-caller.md): Vapi's `transfer-destination-request`
 * and a Retell custom function with `wait_for_person: true` hold their HTTP request on the hub and
 * answer in the platform's format. The handoff exists before either is called (found or created by
 * the call intake), so a platform that gives up leaves it open and carded.
 */
export function createTransferHandlers(hub: ConnectHub, logger: Logger) {
  return {
    async vapi(ref: CallRef, handoff: HandoffRecord, req: IncomingMessage): Promise<HttpAnswer> {
      const answer = await held(hub, req, handoff.id, ref.workflow.connect.wait, logger, 'vapi');
      return jsonAnswer(vapiTransferAnswer(answer, ref.workflow.connect));
    },
    async retell(ref: CallRef, ask: AskResult, req: IncomingMessage): Promise<HttpAnswer> {
      const answer = await held(hub, req, ask.handoff_id, ref.workflow.connect.wait, logger, 'retell');
      return jsonAnswer(retellTransferAnswer(ask, answer, ref.workflow.connect));
    },
  };
}
