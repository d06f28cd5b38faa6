import { LogLevel, type Logger as SlackLogger } from '@slack/logger';
import type { Logger } from '../observability/logger.js';

/**
 * Bolt's and the WebClient's logs as metadata-only JSON lines. Slack errors carry request and
 * response data (message text, users), so an error becomes its code and a string is cut short;
 * nothing else a library hands over is written.
 */
export function boltLogger(logger: Logger): SlackLogger {
  let level = LogLevel.WARN;
  const summarize = (parts: unknown[]): { msg: string; err_code?: string } => {
    const err = parts.find((p): p is { code?: unknown } => typeof p === 'object' && p !== null);
    const msg = parts
      .filter((p): p is string => typeof p === 'string')
      .join(' ')
      .slice(0, 160);
    const code = err && typeof err.code === 'string' ? err.code : undefined;
    return code ? { msg, err_code: code } : { msg };
  };
  const write = (method: 'debug' | 'info' | 'warn' | 'error', parts: unknown[]) => {
    const { msg, ...meta } = summarize(parts);
    logger[method]({ source: 'slack', ...meta }, msg || 'slack library message');
  };
  return {
    debug: (...parts) => level === LogLevel.DEBUG && write('debug', parts),
    info: (...parts) => (level === LogLevel.DEBUG || level === LogLevel.INFO) && write('info', parts),
    warn: (...parts) => level !== LogLevel.ERROR && write('warn', parts),
    error: (...parts) => write('error', parts),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
