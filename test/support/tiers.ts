import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The test tiers, by what a test file starts (see README, Development):
 * - `system`: another process (the bot as `npm start`, git, npm, nginx), PostgreSQL or a browser;
 * - `in-process`: a bot, an emulator or a server in the test's own process, on loopback;
 * - `unit`: none of these: functions, in-memory state and files.
 * A file's tier is read from its source, so a new test lands in the right one without a list to keep.
 */
export const TIERS = ['unit', 'in-process', 'system'] as const;
export type Tier = (typeof TIERS)[number];

const SYSTEM = [
  /\b(?:startBotProcess|runBotProcessToExit|startPostgres|sharedPostgres|copyWorkingTree)\(/,
  /\bchromium\.launch\(/,
  /from '(?:node:child_process|electron-builder)'/,
];
const IN_PROCESS = [
  /\b(?:startHarness|startProviderHarness|startTestSlack|startSlackEmulator|startSlackFront|startCallbackReceiver|startTwilioFake|startFakeBot|startSandbox|startSandboxDesktop|startDesktopApp|createBot|createServer)\(/,
  /\.listen\(/,
];

/** The tier of a test file, from its source text. */
export function tierOf(source: string): Tier {
  if (SYSTEM.some((re) => re.test(source))) return 'system';
  if (IN_PROCESS.some((re) => re.test(source))) return 'in-process';
  return 'unit';
}

/** Where test files live, relative to the repository root. */
export const TEST_ROOTS = ['test', 'bot', 'shared', 'desktop', 'sandbox'];

/** Every `*.test.ts` under the test roots, by tier, as paths relative to `root`. */
export function testFilesByTier(root: string): Record<Tier, string[]> {
  const out: Record<Tier, string[]> = { unit: [], 'in-process': [], system: [] };
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(path);
      } else if (entry.name.endsWith('.test.ts')) {
        out[tierOf(readFileSync(path, 'utf8'))].push(relative(root, path));
      }
    }
  };
  for (const r of TEST_ROOTS) walk(join(root, r));
  for (const t of TIERS) out[t].sort();
  return out;
}
