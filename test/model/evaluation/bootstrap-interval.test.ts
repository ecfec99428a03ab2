import { describe, expect, it } from 'vitest';
import { bootstrapInterval } from '../../../src/model/evaluation/bootstrap-interval.js';
import { auc, liftTopDecile, positiveRate } from '../../../src/model/evaluation/metrics.js';

/** n leads whose score ranks them well but not perfectly (deterministic). */
function leads(n: number): { y: Uint8Array; p: Float64Array } {
  const y = new Uint8Array(n);
  const p = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    p[i] = ((i * 7919) % 1000) / 1000;
    y[i] = ((i * 104729) % 1000) / 1000 < p[i] * 0.6 ? 1 : 0;
  }
  return { y, p };
}

describe('bootstrap interval', () => {
  it('holds the figure measured on the whole test part, and is the same for the same seed', () => {
    const { y, p } = leads(2000);
    const a = bootstrapInterval(y, p, auc, { seed: 3 });
    expect(a.low).toBeLessThan(auc(y, p));
    expect(a.high).toBeGreaterThan(auc(y, p));
    expect(bootstrapInterval(y, p, auc, { seed: 3 })).toEqual(a);
    expect(bootstrapInterval(y, p, auc, { seed: 4 })).not.toEqual(a);
    const lift = bootstrapInterval(y, p, (ys, ps) => liftTopDecile(ys, ps));
    expect(lift.low).toBeLessThan(liftTopDecile(y, p));
    expect(lift.high).toBeGreaterThan(liftTopDecile(y, p));
  });

  it('narrows as the test part grows, about as 1/sqrt(n)', () => {
    const small = leads(400);
    const large = leads(6400);
    const width = (x: { low: number; high: number }) => x.high - x.low;
    const ratio = width(bootstrapInterval(small.y, small.p, auc)) / width(bootstrapInterval(large.y, large.p, auc));
    expect(ratio).toBeGreaterThan(2.5);
    expect(ratio).toBeLessThan(6);
  });

  it('matches the binomial interval of a conversion rate', () => {
    const n = 2500;
    const y = Uint8Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 1 : 0)); // 20%
    const { low, high } = bootstrapInterval(y, new Float64Array(n), (ys) => positiveRate(ys), { resamples: 2000 });
    const half = 1.96 * Math.sqrt((0.2 * 0.8) / n); // 0.0157
    expect(low).toBeCloseTo(0.2 - half, 2);
    expect(high).toBeCloseTo(0.2 + half, 2);
  });
});
