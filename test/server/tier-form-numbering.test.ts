import { describe, expect, it } from 'vitest';
import type { ScoreDistribution } from '../../src/server/score-distribution.js';
import { resolveTierRows } from '../../src/server/tier-form.js';

// No leads: the numbering of the messages does not depend on the preview.
const empty: ScoreDistribution = { counts: new Array(101).fill(0), byCrm: [new Array(101).fill(0)], total: 0, perDay: null, days: 28 };
const row = (name: string, min: string) => ({ name, mode: 'score' as const, min, perDay: '' });

describe('tier form messages', () => {
  it('name other tiers by the page\'s 1-based row numbers, blank rows counted', () => {
    const { rows, tiers } = resolveTierRows([row('Hot', '80'), row('', ''), row('hot', '50'), row('Warm', '60'), row('Cold', '0')], empty);
    expect(tiers).toBeNull();
    expect(rows[2].errors.name).toBe('"hot" is already used by tier 1; tier names must be unique.');
    expect(rows[3].errors.min).toBe("Must be below tier 3's minimum (50); list tiers from highest to lowest.");
  });
});
