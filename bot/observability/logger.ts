import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * JSON lines of metadata only (docs/contract/privacy-and-reliability.md#logs). Call sites pass ids, workflow, reason, severity,
 * status, timings and error codes; the redaction list is a second line of defence, not the plan.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'handoff' },
    redact: {
      paths: [
        'caller_id',
        'callerId',
        'structured_fields',
        'structuredFields',
        'caller_message',
        'body',
        'token',
        'secret',
        'authorization',
        'req.headers',
        '*.caller_id',
        '*.structured_fields',
        '*.token',
        '*.secret',
        '*.body',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
