import { describe, expect, it } from 'vitest';
import { defaultForestOptions, type ForestOptions } from '../../../src/model/engine.js';
import { validateForestOptions } from '../../../src/model/forest/options.js';

const message = (bad: Partial<ForestOptions>): string => {
  try {
    validateForestOptions({ ...defaultForestOptions, ...bad } as ForestOptions);
  } catch (err) {
    return (err as Error).message;
  }
  return '(accepted)';
};

describe('bad forest options, in the words the settings use', () => {
  it.each<[Partial<ForestOptions>, string]>([
    [{ trees: 0 }, 'Forest option "trees" must be 1 or more (got 0)'],
    [{ trees: 2.5 }, 'Forest option "trees" must be a whole number (got 2.5)'],
    [{ maxDepth: '8' as never }, 'Forest option "maxDepth" must be a number (got "8")'],
    [{ classWeight: 'heavy' as never }, 'Forest option "classWeight" must be balanced or none (got "heavy")'],
    [{ criterion: 'mse' as never }, 'Forest option "criterion" must be gini or entropy (got "mse")'],
    [{ maxFeatures: 'all' as never }, 'Forest option "maxFeatures" must be sqrt or a number (got "all")'],
    // The schema's own words are kept: they say what the value means.
    [{ maxFeatures: 1.5 }, 'Forest option "maxFeatures" must be a fraction in (0, 1] or a whole count (got 1.5)'],
    [{ seed: undefined as never }, 'Forest option "seed" is required'],
  ])('%o', (bad, expected) => {
    expect(message(bad)).toBe(expected);
  });
});
