import { describe, expect, it } from 'vitest';
import { serverUrlSchema } from './settings.js';

describe('server URL', () => {
  it.each([
    ['https://handoff.example.com', true],
    ['https://handoff.example.com:8443/', true],
    ['http://127.0.0.1:3000', true],
    ['http://localhost:3000', true],
    ['http://[::1]:3000', true],
    ['http://handoff.example.com', false], // the token and caller data would cross the network in clear
    ['http://10.0.0.5:3000', false],
    ['http://127.0.0.1.evil.test', false],
    ['https://user:pw@handoff.example.com', false],
    ['ftp://handoff.example.com', false],
    ['not a url', false],
  ])('%s -> %s', (url, ok) => {
    expect(serverUrlSchema.safeParse(url).success).toBe(ok);
  });
});
