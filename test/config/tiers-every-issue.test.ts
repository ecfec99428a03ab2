import { describe, expect, it } from 'vitest';
import { tiersSchema } from '../../src/config/tiers.js';
import { ConfigError } from '../../src/domain/errors.js';
import { parseTiers } from '../../src/scoring/tiers.js';

const issuesOf = (value: unknown) => {
  const parsed = tiersSchema.safeParse(value);
  expect(parsed.success).toBe(false);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('tier list validation', () => {
  it('reports every fault of a list at once: a tier\'s own and the list rules, on the fields still valid', () => {
    expect(issuesOf([{ name: 'Hot', min: 80 }, { name: 'hot', min: 150 }, { name: 'Warm', min: 90 }, { name: '', min: 40 }, { name: 'Cold', min: 5 }])).toEqual([
      '1.min: must be 100 or less',
      '3.name: must be a non-empty name',
      '1.name: "hot" is already used by tiers[0]; tier names must be unique',
      // tiers[1]'s 150 is not compared (it has its own fault); Warm is still out of order against Hot.
      '2.min: must be below tiers[0].min (80); list tiers from highest to lowest',
      '4.min: the lowest tier must start at 0 so every lead gets a tier',
    ]);
    expect(issuesOf([{ name: 'Top', min: 90 }, { name: 'top', perDay: 0 }])).toEqual([
      '1.perDay: must be at least 1 lead a day',
      '1.name: "top" is already used by tiers[0]; tier names must be unique',
      '1.perDay: the lowest tier must be a minimum score of 0 so every lead gets a tier, not a number of leads a day',
    ]);
  });

  it('keeps the config contract: the key named is a tier\'s own fault first, as before', () => {
    const err = (() => {
      try {
        parseTiers([{ name: 'Hot', min: 80 }, { name: 'Hot', min: 150 }, { name: 'Cold', min: 3 }]);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toMatch(/"tiers\[1\]\.min": must be 100 or less/);
    expect(parseTiers([{ name: 'Hot', min: 80 }, { name: 'Call', perDay: 3 }, { name: 'Cold', min: 0 }])).toEqual([{ name: 'Hot', min: 80 }, { name: 'Call', perDay: 3 }, { name: 'Cold', min: 0 }]);
  });
});
