import { describe, expect, it } from 'vitest';
import { populationStability, sharesOf, stabilityReading } from '../../../src/model/evaluation/population-stability.js';

describe('populationStability', () => {
  it('is 0 for identical distributions', () => {
    expect(populationStability([0.05, 0.2, 0.75], [0.05, 0.2, 0.75])).toBe(0);
  });

  it('matches a hand-computed two-bin case', () => {
    // (0.25 - 0.5) ln(0.25 / 0.5) + (0.75 - 0.5) ln(0.75 / 0.5) = 0.173287 + 0.101366
    expect(populationStability([0.5, 0.5], [0.25, 0.75])).toBeCloseTo(0.274653, 6);
    expect(populationStability([0.25, 0.75], [0.5, 0.5])).toBeCloseTo(0.274653, 6);
  });

  it('puts epsilon in an empty bin instead of an infinite term', () => {
    // (0.5 - 1) ln(0.5 / 1) + (0.5 - 1e-4) ln(0.5 / 1e-4) = 0.346574 + 4.257745
    expect(populationStability([1, 0], [0.5, 0.5])).toBeCloseTo(4.604319, 5);
    expect(populationStability([0.5, 0.5, 0], [0.5, 0.5, 0])).toBe(0);
  });

  it('refuses bins that do not line up', () => {
    expect(() => populationStability([1], [0.5, 0.5])).toThrow(/same bins/);
  });

  it('reads below 0.1 as stable, 0.1 to 0.25 as moderate, above 0.25 as major', () => {
    expect([0, 0.099, 0.1, 0.25, 0.251, 4].map(stabilityReading)).toEqual(['stable', 'stable', 'moderate', 'moderate', 'major', 'major']);
  });

  it('turns counts into shares', () => {
    expect(sharesOf([1, 3, 0])).toEqual([0.25, 0.75, 0]);
    expect(sharesOf([0, 0])).toEqual([0, 0]);
  });
});
