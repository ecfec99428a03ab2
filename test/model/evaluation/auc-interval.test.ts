import { describe, expect, it } from 'vitest';
import { aucUpperBound } from '../../../src/model/evaluation/auc-interval.js';

describe('AUC upper confidence bound (Hanley & McNeil)', () => {
  it('matches the published standard error for AUC 0.8 with 50 positives and 50 negatives', () => {
    // Hanley & McNeil's table gives SE ≈ 0.0436 for this case.
    expect(aucUpperBound(0.8, 50, 50)).toBeCloseTo(0.8 + 1.96 * 0.0436, 2);
  });

  it('narrows with more leads, so a poor AUC on a large slice is clearly below chance', () => {
    expect(aucUpperBound(0.45, 20, 20)).toBeGreaterThan(0.5);
    expect(aucUpperBound(0.45, 2000, 20000)).toBeLessThan(0.5);
  });

  it('says nothing can be concluded when one class is absent', () => {
    expect(aucUpperBound(0.3, 0, 100)).toBe(1);
  });
});
