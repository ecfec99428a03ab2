import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { assignTiers, tierByCutoffs } from '../../src/scoring/capacity-tiers.js';
import { parseTiers } from '../../src/scoring/tiers.js';

const RULES = [{ name: 'Call today', perDay: 2 }, { name: 'Warm', min: 50 }, { name: 'Cold', min: 0 }];

describe('capacity tier rules', () => {
  it('loads {name, min} tiers unchanged and capacity rules alongside them', () => {
    expect(loadConfig({ env: {} }).tiers.every((t) => 'min' in t)).toBe(true);
    expect(parseTiers(RULES)).toEqual(RULES);
    expect(loadConfig({ env: {}, overrides: { tiers: RULES } }).tiers).toEqual(RULES);
  });

  it('refuses a bad number of leads a day, naming the key', () => {
    expect(() => parseTiers([{ name: 'A', perDay: 0 }, { name: 'B', min: 0 }])).toThrow(/"tiers\[0\]\.perDay": must be at least 1 lead a day/);
    // A misspelt threshold key is named, with the key it most likely meant, not "min is required".
    expect(() => parseTiers([{ name: 'A', perday: 3 }, { name: 'B', min: 0 }])).toThrow('Configuration "tiers[0].perday": is not a known setting (did you mean "tiers[0].perDay"?)');
    expect(() => parseTiers([{ name: 'A', mn: 60 }, { name: 'B', min: 0 }])).toThrow('Configuration "tiers[0].mn": is not a known setting (did you mean "tiers[0].min"?)');
    expect(() => parseTiers([{ name: 'A', perDay: 2.5 }, { name: 'B', min: 0 }])).toThrow(/"tiers\[0\]\.perDay": must be a whole number of leads a day/);
    expect(() => parseTiers([{ name: 'A', perDay: 3, min: 40 }, { name: 'B', min: 0 }])).toThrow(/"tiers\[0\]\.perDay": cannot be set together with min/);
    expect(() => parseTiers([{ name: 'A', min: 60 }, { name: 'a', perDay: 3 }, { name: 'B', min: 0 }])).toThrow(/"tiers\[1\]\.name": "a" is already used by tiers\[0\]/);
    expect(() => parseTiers([{ name: 'A', min: 40 }, { name: 'N', perDay: 3 }, { name: 'B', min: 60 }, { name: 'C', min: 0 }])).toThrow(/"tiers\[2\]\.min": must be below tiers\[0\]\.min \(40\)/);
    expect(() => parseTiers([{ name: 'A', min: 40 }, { name: 'B', perDay: 3 }])).toThrow(/"tiers\[1\]\.perDay": the lowest tier must be a minimum score of 0/);
  });

  it('gives the tier the N best leads no higher tier took, ties to the lower id, and says where it was cut', () => {
    const leads = [
      { id: 'a', probability: 0.9, score: 95 },
      { id: 'c', probability: 0.6, score: 70 },
      { id: 'b', probability: 0.6, score: 70 },
      { id: 'd', probability: 0.4, score: 40 },
    ];
    const { tierOf, cutoffs } = assignTiers([{ name: 'Top', min: 90 }, ...RULES], leads);
    expect(Object.fromEntries(tierOf)).toEqual({ a: 'Top', b: 'Call today', c: 'Call today', d: 'Cold' });
    expect(cutoffs[1]).toEqual({ name: 'Call today', min: 70, probability: 0.6, leads: 2 });
    expect(assignTiers(RULES, leads.slice(0, 1)).cutoffs[0]).toEqual({ name: 'Call today', min: 95, probability: null, leads: 1 });

    // Between cycles: a changed lead beats the last one in, or not; an unchanged lead keeps its seat.
    expect(tierByCutoffs(RULES, cutoffs.slice(1), { probability: 0.61, score: 30 })).toBe('Call today');
    expect(tierByCutoffs(RULES, cutoffs.slice(1), { probability: 0.59, score: 55 })).toBe('Warm');
    expect(tierByCutoffs(RULES, cutoffs.slice(1), { probability: 0.59, score: 55 }, 'Call today')).toBe('Call today');
    expect(tierByCutoffs(RULES, cutoffs.slice(1), { probability: 0.7, score: 75 }, 'Warm')).toBe('Warm');
  });
});
