import { describe, expect, it } from 'vitest';
import { binOf, quantileBins } from '../../src/features/quantile-bins.js';

describe('quantileBins', () => {
  it('gives each inter-quantile bin its step of training values, the minimum opening the first bin', () => {
    const bins = quantileBins([1, 2, 3, 4, 5])!;
    expect(bins).toEqual({ min: 1, uppers: [2, 3, 4, 5], expected: [0.25, 0.25, 0.25, 0.25] });
    expect([0.5, 1, 2, 2.5, 5, 6].map((v) => binOf(bins, v))).toEqual([0, 1, 1, 2, 4, 5]);
  });

  it('merges a value repeated across quantiles into one bin holding all its steps', () => {
    const bins = quantileBins([0, 0, 0, 5, 10])!;
    expect(bins).toEqual({ min: 0, uppers: [0, 5, 10], expected: [0.5, 0.25, 0.25] });
    expect([-1, 0, 0.1, 5, 7, 11].map((v) => binOf(bins, v))).toEqual([0, 1, 2, 2, 3, 4]);
    expect(quantileBins([3, 3, 3])).toEqual({ min: 3, uppers: [3], expected: [1] });
  });

  it('has no bins when training had no value', () => {
    expect(quantileBins([])).toBeNull();
  });
});
