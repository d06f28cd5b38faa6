import { describe, expect, it } from 'vitest';
import { countTwins, normalise, similarity } from '../../scripts/sql-twins.js';

// One SQL text per statement for both engines (bot/store/sql/): what an engine writes on its own is
// what only it has (locks, leases, migrations, a different aggregation), never a copy of the other's.

describe('the store engines', () => {
  it('repeat no statement of each other (beyond the readiness ping)', () => {
    const c = countTwins(['bot/store/sqlite'], ['bot/store/postgres']);
    const repeated = c.pairs.filter((p) => p.ratio >= 0.85).map((p) => normalise(p.postgres.text));
    expect(repeated).toEqual(['select 1']);
  });

  it('would notice a copy: placeholders, casts, spacing and case do not hide one', () => {
    const lite = "SELECT id FROM handoffs WHERE remind_due_at <= ? AND status != 'claimed'";
    const pg = "SELECT id\n  FROM handoffs WHERE remind_due_at <= @now::bigint AND status <> 'claimed'";
    expect(normalise(lite)).toBe(normalise(pg));
    expect(similarity(normalise(lite), normalise(`${pg} ORDER BY id`))).toBeGreaterThanOrEqual(0.85);
    expect(similarity(normalise(lite), normalise('DELETE FROM notes WHERE id = @id'))).toBeLessThan(0.5);
  });
});
