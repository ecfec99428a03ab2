import { describe, expect, it } from 'vitest';
import { rankScale, referenceQuantiles } from '../../src/scoring/score-scale.js';
import { TypicalLeadSum, typicalLeadOf } from '../../src/scoring/typical-lead.js';

describe('the typical lead is the middle of the population, not its mean', () => {
  // One feature, bias 0: 90 leads spread over 0.00-0.89 and 10 very likely ones at 0.95.
  const values = Float64Array.from([...Array.from({ length: 90 }, (_, i) => i / 100), ...new Array<number>(10).fill(0.95)]);
  const raw = Array.from(values);

  it('averages the leads ranked between the 40th and 60th percentile, so it scores about 50 on the rank scale', () => {
    const typical = typicalLeadOf({ bias: 0, values, features: 1 })!;
    // Ranks 40-59 hold 0.40..0.59: their mean is 0.495.
    expect(typical[0]).toBeCloseTo(0.495, 3);
    const scale = rankScale(referenceQuantiles(raw));
    expect(scale.score(typical[0])).toBe(50);
  });

  it('a skewed population: a handful of sure leads move the mean lead far up the ranking, not the typical one', () => {
    const skewed = Float64Array.from([...Array.from({ length: 90 }, (_, i) => i / 1000), ...new Array<number>(10).fill(0.99)]);
    const typical = typicalLeadOf({ bias: 0, values: skewed, features: 1 })!;
    const mean = Array.from(skewed).reduce((t, x) => t + x, 0) / skewed.length;
    const scale = rankScale(referenceQuantiles(Array.from(skewed)));
    expect(scale.score(mean)).toBeGreaterThanOrEqual(89);
    expect(scale.score(typical[0])).toBe(50);
  });

  it('is the same read in pages as in one batch, and straddling buckets count by their share inside the band', () => {
    const whole = typicalLeadOf({ bias: 0, values, features: 1 })!;
    const paged = new TypicalLeadSum().add({ bias: 0, values: values.subarray(0, 37), features: 1 }).add({ bias: 0, values: values.subarray(37), features: 1 }).result()!;
    expect(paged[0]).toBeCloseTo(whole[0], 12);
    // Five leads all alike: the band is inside one bucket, and its mean is that lead.
    expect(typicalLeadOf({ bias: 0.1, values: Float64Array.from([0.2, 0.3, 0.2, 0.3, 0.2, 0.3, 0.2, 0.3, 0.2, 0.3]), features: 2 })).toEqual([0.2, 0.3].map((x) => expect.closeTo(x, 12)));
    expect(new TypicalLeadSum().result()).toBeUndefined();
  });
});
