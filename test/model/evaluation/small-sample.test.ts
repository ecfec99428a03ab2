import { describe, expect, it } from 'vitest';
import { aucInterval, aucUpperBound } from '../../../src/model/evaluation/auc-interval.js';
import { describeCaveat, smallSampleCaveat } from '../../../src/model/evaluation/small-sample.js';

describe('smallSampleCaveat', () => {
  it('flags a test part with one converter and gives the wide AUC interval', () => {
    // The reviewer's bank-data case: 60 test leads, 1 conversion, AUC 0.864.
    const c = smallSampleCaveat({ test: 60, positiveRateTest: 0.0167, auc: 0.8644 }, 40)!;
    expect(c).toMatchObject({ conversions: 1, nonConversions: 59, minimum: 40 });
    expect(c.aucInterval.low).toBeLessThan(0.5);
    expect(c.aucInterval.high).toBe(1);
    expect(describeCaveat(c)).toContain('holds 1 conversion and 59 non-conversions');
  });

  it('flags too few non-conversions as well', () => {
    expect(smallSampleCaveat({ test: 100, positiveRateTest: 0.7, auc: 0.7 }, 40)).toMatchObject({ conversions: 70, nonConversions: 30 });
  });

  it('says nothing with at least the minimum of each, whatever the minimum', () => {
    expect(smallSampleCaveat({ test: 100, positiveRateTest: 0.4, auc: 0.7 }, 40)).toBeNull();
    expect(smallSampleCaveat({ test: 100, positiveRateTest: 0.4, auc: 0.7 }, 41)).not.toBeNull();
  });

  it('reads the exact count back from the 4-digit rate', () => {
    expect(smallSampleCaveat({ test: 9999, positiveRateTest: Math.round((39 / 9999) * 1e4) / 1e4, auc: 0.7 }, 40)?.conversions).toBe(39);
  });
});

describe('aucInterval', () => {
  it('holds the plain Hanley-McNeil interval (AUC ± 1.96 SE) and its upper end is aucUpperBound', () => {
    const { low, high } = aucInterval(0.8, 50, 50);
    expect(high).toBeCloseTo(0.8 + 1.96 * 0.0436, 2);
    expect(low).toBeLessThanOrEqual(0.8 - 1.96 * 0.0436 + 0.005);
    expect(high).toBe(aucUpperBound(0.8, 50, 50));
    expect(aucInterval(0.8, 0, 50)).toEqual({ low: 0, high: 1 });
  });
});
