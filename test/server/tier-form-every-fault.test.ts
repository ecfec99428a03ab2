import { describe, expect, it } from 'vitest';
import type { ScoreDistribution } from '../../src/server/score-distribution.js';
import { resolveTierRows, rowsFromBody, tierProblems } from '../../src/server/tier-form.js';

const empty: ScoreDistribution = { counts: new Array(101).fill(0), byCrm: [new Array(101).fill(0)], total: 0, perDay: null, days: 28 };
const score = (name: string, min: string) => ({ name, mode: 'score' as const, min, perDay: '' });
const capacity = (name: string, perDay: string) => ({ name, mode: 'capacity' as const, min: '', perDay });

describe('the tier form reports every fault in one answer', () => {
  it('names each fault beside its field and in the summary, by the page\'s row numbers', () => {
    const { rows, tiers, formError } = resolveTierRows([score('Hot', '80'), score('hot', '150'), score('Warm', 'lots'), score('', ''), score('Cold', '5')], empty);
    expect(tiers).toBeNull();
    expect(formError).toBeNull();
    expect(rows.map((r) => r.errors)).toEqual([
      {},
      { name: '"hot" is already used by tier 1; tier names must be unique.', min: 'Must be 100 or less.' },
      { min: 'Enter a score from 0 to 100.' },
      {},
      { min: 'The lowest tier must start at 0 so every lead gets a tier.' },
    ]);
    expect(tierProblems(rows)).toEqual([
      { id: 'tier-1-name', label: 'Tier 2 name', message: '"hot" is already used by tier 1; tier names must be unique.' },
      { id: 'tier-1-min', label: 'Tier 2 minimum score', message: 'Must be 100 or less.' },
      { id: 'tier-2-min', label: 'Tier 3 minimum score', message: 'Enter a score from 0 to 100.' },
      { id: 'tier-4-min', label: 'Tier 5 minimum score', message: 'The lowest tier must start at 0 so every lead gets a tier.' },
    ]);
  });

  it('says both faults of one field, and judges a row whose number is missing by its name and place', () => {
    const { rows } = resolveTierRows([score('Hot', '50'), score('Warm', '60'), capacity('hot', '2.5')], empty);
    expect(rows[1].errors).toEqual({ min: "Must be below tier 1's minimum (50); list tiers from highest to lowest." });
    expect(rows[2].errors).toEqual({
      name: '"hot" is already used by tier 1; tier names must be unique.',
      perDay: 'Enter how many leads a day reps can call back for this tier: a whole number, 1 or more. The lowest tier must be a minimum score of 0 so every lead gets a tier, not a number of leads a day.',
    });
    const { rows: twice } = resolveTierRows([score('Hot', '50'), score('Cold', '60')], empty);
    expect(twice[1].errors.min).toBe("Must be below tier 1's minimum (50); list tiers from highest to lowest. The lowest tier must start at 0 so every lead gets a tier.");
  });

  it('still saves a good list, and a list with nothing in it is a fault of the whole form', () => {
    expect(resolveTierRows([score('Hot', '80'), capacity('Call', '3'), score('Cold', '0')], empty).tiers).toEqual([{ name: 'Hot', min: 80 }, { name: 'Call', perDay: 3 }, { name: 'Cold', min: 0 }]);
    const blank = resolveTierRows([score('', ''), score('', '')], empty);
    expect(blank).toMatchObject({ tiers: null, formError: 'Tiers must list at least one tier.' });
    expect(tierProblems(blank.rows)).toEqual([]);
  });

  it('shows no lead count for a faulty row, and keeps the counts of the rows around it', () => {
    // One open lead at each score 0-99: a tier from 80 up holds 20 of 100.
    const counts = Array.from({ length: 101 }, (_, s) => (s < 100 ? 1 : 0));
    const dist: ScoreDistribution = { counts, byCrm: [counts], total: 100, perDay: null, days: 28 };
    const { rows } = resolveTierRows([score('Hot', '80'), score('Warm', '90'), score('Cold', '0')], dist);
    expect(rows[1].errors.min).toMatch(/^Must be below tier 1's minimum/);
    expect(rows.map((r) => r.preview?.leads ?? null)).toEqual([20, null, 80]);
  });

  it('names a misspelt key of a JSON tier row, not "must list at least one tier"', () => {
    expect(rowsFromBody({ tiers: [{ name: 'Hot', mn: '80' }] })).toEqual({ error: 'Tier row 1: "mn" is not a tier field (did you mean "min"?); a row takes name, mode, min, perDay.' });
    expect(rowsFromBody({ tiers: 'Hot' })).toEqual({ error: 'The tier list was not understood: tiers must be a list ([…]).' });
  });

  it('names every malformed row of a posted form, not only the first', () => {
    const result = rowsFromBody({ name: ['A', 'B', 'C'], mode: ['score', 'weekly', 'monthly'], min: ['1', '2', '3'], perDay: ['', '', ''] });
    expect(result).toEqual({ error: expect.stringMatching(/^Tier row 2: .*weekly.*; Tier row 3: .*monthly/) });
  });
});
