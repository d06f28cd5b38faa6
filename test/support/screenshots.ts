import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Where browser tests put their screenshots, for a person to look at after a run: a folder under
 * the system's temp dir, never the repository (`npm test` leaves `git status` clean; the README's
 * screenshot is `npm run screenshot`'s).
 */
export function screenshotDir(): string {
  const dir = join(tmpdir(), 'handoff-test-screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}
