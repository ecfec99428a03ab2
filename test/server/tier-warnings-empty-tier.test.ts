import { describe, expect, it } from 'vitest';
import type { ScoreDistribution } from '../../src/server/score-distribution.js';
import { resolveTierRows } from '../../src/server/tier-form.js';
import { tierWarnings } from '../../src/server/tier-warnings.js';

/** `n` open leads at each score 0-99 in one CRM: 100n leads, n of them at every score. */
function even(n: number): ScoreDistribution {
  const counts = Array.from({ length: 101 }, (_, s) => (s < 100 ? n : 0));
  return { counts, byCrm: [counts], total: 100 * n, perDay: null, days: 28 };
}
const row = (name: string, mode: 'score' | 'capacity', threshold: number) => ({ name, mode, min: mode === 'score' ? String(threshold) : '', perDay: mode === 'capacity' ? String(threshold) : '' });
const warn = (rows: ReturnType<typeof row>[], dist: ScoreDistribution) => tierWarnings(resolveTierRows(rows, dist).rows, dist);

describe('a "top N a day" tier that empties a named tier below it', () => {
  // 5,000 open leads, 50 at each score: Hot (80+) would hold 1,000 of them on its own.
  const dist = even(50);

  it('is warned of, naming the emptied tier, the capacity tier and the leads it took', () => {
    const rows = [row('Call today', 'capacity', 2000), row('Hot', 'score', 80), row('Warm', 'score', 50), row('Cool', 'score', 20), row('Cold', 'score', 0)];
    const result = resolveTierRows(rows, dist);
    expect(result.rows.map((r) => r.preview?.leads)).toEqual([2000, 0, 500, 1500, 1000]);
    expect(warn(rows, dist)).toEqual([
      'Tier 2 “Hot” would hold no leads: “Call today” (top 2,000 a day) above it takes all 1,000 open leads its minimum of 80 would give it. Lower its minimum, lower the capacity, or remove the tier.',
    ]);
  });

  it('is not warned of when the tier keeps leads, or is empty by its own threshold', () => {
    expect(warn([row('Call today', 'capacity', 500), row('Hot', 'score', 80), row('Cold', 'score', 0)], dist)).toEqual([]);
    // Nobody scores 100: an empty "Perfect" tier is the threshold's doing, not the capacity's.
    expect(warn([row('Call today', 'capacity', 500), row('Perfect', 'score', 100), row('Cold', 'score', 0)], dist)).toEqual([]);
  });

  it('is said once when the capacity leaves every lower tier empty', () => {
    const warnings = warn([row('Call today', 'capacity', 100_000), row('Hot', 'score', 80), row('Cold', 'score', 0)], dist);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Tier 1 “Call today”: top 100,000 a day is more than the 5,000 open leads, so it would hold all 5,000 open leads and “Hot”, “Cold” would hold none\.$/);
  });
});
