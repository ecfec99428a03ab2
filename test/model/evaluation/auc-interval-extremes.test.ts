import { describe, expect, it } from 'vitest';
import { aucInterval } from '../../../src/model/evaluation/auc-interval.js';
import { describeCaveat, smallSampleCaveat } from '../../../src/model/evaluation/small-sample.js';

describe('aucInterval at the extremes', () => {
  it('stays wide for a perfect AUC on a handful of leads instead of collapsing to 1.00 to 1.00', () => {
    // The reviewer's small30.csv: 4 conversions and 2 non-conversions in the test part, AUC 1.
    const { low, high } = aucInterval(1, 4, 2);
    expect(high).toBe(1);
    expect(low).toBeLessThan(0.6);
    expect(low).toBeGreaterThan(0.3);
    const worst = aucInterval(0, 4, 2);
    expect(worst.low).toBe(0);
    expect(worst.high).toBeGreaterThan(0.4);
  });

  it('narrows as leads grow, still short of a point at AUC 1', () => {
    const small = aucInterval(1, 4, 2);
    const larger = aucInterval(1, 40, 40);
    expect(larger.low).toBeGreaterThan(small.low);
    expect(larger.low).toBeLessThan(1);
  });

  it('is the plain interval to within 0.001 on a bank-sized test part', () => {
    const a = 0.7524;
    const [m, n] = [2540, 5698];
    const q1 = a / (2 - a);
    const q2 = (2 * a * a) / (1 + a);
    const se = Math.sqrt((a * (1 - a) + (m - 1) * (q1 - a * a) + (n - 1) * (q2 - a * a)) / (m * n));
    const { low, high } = aucInterval(a, m, n);
    expect(Math.abs(low - (a - 1.96 * se))).toBeLessThan(0.001);
    expect(high).toBeCloseTo(a + 1.96 * se, 10);
  });

  it('is what the small-sample caution quotes', () => {
    const c = smallSampleCaveat({ test: 6, positiveRateTest: 0.6667, auc: 1 }, 40)!;
    expect(describeCaveat(c)).toMatch(/the AUC's 95% interval is 0\.[3-5]\d to 1\.00/);
  });
});
