import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Without a recorded duration, the tier says roughly how long a file takes: other processes first. */
const TIER_RANK: Record<string, number> = { system: 0, 'in-process': 1, types: 2, unit: 3 };

/**
 * Longest first across all tiers. vitest's own order queues the projects one after another by name,
 * so a long system test (the quickstart's npm ci) started only after every in-process file and the
 * run waited for it at the end. Files with a recorded duration (vitest's results cache) go longest
 * first; a file without one goes first (it may be long), by tier and then by size.
 */
export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const { cache, config } = this.ctx;
    const key = (s: TestSpecification) => `${s.project.name}:${relative(config.root, s.moduleId)}`;
    const known = (s: TestSpecification) => cache.getFileTestResults(key(s))?.duration;
    const rank = (s: TestSpecification) => TIER_RANK[s.project.name] ?? 0;
    const size = (s: TestSpecification) => cache.getFileStats(key(s))?.size ?? 0;
    return [...files].sort((a, b) => {
      const da = known(a);
      const db = known(b);
      if (da !== undefined && db !== undefined) return db - da;
      if (da === undefined && db !== undefined) return -1;
      if (da !== undefined && db === undefined) return 1;
      return rank(a) - rank(b) || size(b) - size(a);
    });
  }
}
