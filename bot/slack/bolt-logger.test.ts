import { LogLevel } from '@slack/logger';
import { describe, expect, it } from 'vitest';
import { LogCapture } from '../../test/support/harness.js';
import { createLogger } from '../observability/logger.js';
import { boltLogger } from './bolt-logger.js';

describe('boltLogger', () => {
  it('writes a Slack error as its code, never its request or response data', () => {
    const capture = new LogCapture();
    const log = boltLogger(createLogger('debug', capture));
    log.setLevel(LogLevel.WARN);
    const err = Object.assign(new Error('An API error occurred: invalid_blocks'), {
      code: 'slack_webapi_platform_error',
      data: { ok: false, error: 'invalid_blocks', blocks: [{ text: 'Caller +15555550123 Dana Whitfield' }] },
    });
    log.error('An unhandled error occurred', err);
    expect(capture.lines).toHaveLength(1);
    const line = JSON.parse(capture.lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ source: 'slack', err_code: 'slack_webapi_platform_error', msg: 'An unhandled error occurred' });
    expect(capture.text).not.toContain('+15555550123');
    expect(capture.text).not.toContain('Dana');
  });

  it('drops debug and info below its level', () => {
    const capture = new LogCapture();
    const log = boltLogger(createLogger('debug', capture));
    log.setLevel(LogLevel.WARN);
    log.debug('payload', { user: 'U1' });
    log.info('started');
    log.warn('slow ack');
    expect(capture.lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['slow ack']);
  });
});
