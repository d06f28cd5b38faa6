import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../bot/observability/metrics.js';

const FILE = join(import.meta.dirname, '..', '..', 'docs', 'grafana', 'handoff-dashboard.json');

interface Panel {
  title: string;
  targets: { expr: string }[];
}

describe('the Grafana dashboard in docs/grafana', () => {
  const dashboard = JSON.parse(readFileSync(FILE, 'utf8')) as { uid: string; panels: Panel[]; templating: { list: { query: string }[] } };
  const exprs = [...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)), ...dashboard.templating.list.map((v) => v.query)];

  it('parses and references only metrics the bot exports (histograms through _bucket, _count, _sum)', async () => {
    const exported = new Map((await createMetrics().registry.getMetricsAsJSON()).map((m) => [m.name, String(m.type)]));
    const referenced = new Set(exprs.flatMap((e) => e.match(/\bhandoff_[a-z0-9_]+/g) ?? []));
    expect(referenced.size).toBeGreaterThan(5);
    for (const name of referenced) {
      const histogram = /^(.*)_(bucket|count|sum)$/.exec(name);
      const known = exported.has(name) || (histogram !== null && exported.get(histogram[1]!) === 'histogram');
      expect(known, `${name} is not a metric the bot exports`).toBe(true);
    }
  });

  it('charts time to claim and time to resolve by workflow and reason, outbox depth, storms and escalations', () => {
    const text = exprs.join('\n');
    for (const needed of ['handoff_time_to_claim_seconds_bucket', 'handoff_time_to_resolve_seconds_bucket', 'handoff_outbox_depth', 'handoff_escalations_total', 'handoff_intake_requests_total']) {
      expect(text).toContain(needed);
    }
    expect(text).toMatch(/by \(le, workflow, reason\)/);
    expect(dashboard.panels.map((p) => p.title).join(' ')).toMatch(/Storms/);
  });
});
