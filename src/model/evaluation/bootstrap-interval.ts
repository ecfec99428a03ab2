import { createRandom } from '../forest/prng.js';

/**
 * A percentile bootstrap interval for a metric of (outcomes, scores): the test leads resampled
 * with replacement `resamples` times, the metric computed on each, the central `level` share of
 * the results kept. Seeded, so a benchmark prints the same interval on every run.
 *
 * Why: a figure measured on one test part has sampling noise of its own. On the bank data the
 * top decile is 824 leads, and a lift of 1.99 and one of 2.01 cannot be told apart; a target
 * read without its interval can be "missed" or "met" by luck.
 */
export function bootstrapInterval(
  y: ArrayLike<number>,
  p: ArrayLike<number>,
  metric: (y: Uint8Array, p: Float64Array) => number,
  options: { resamples?: number; level?: number; seed?: number } = {},
): { low: number; high: number } {
  const resamples = options.resamples ?? 500;
  const level = options.level ?? 0.95;
  const random = createRandom(options.seed ?? 1);
  const n = y.length;
  const ys = new Uint8Array(n);
  const ps = new Float64Array(n);
  const values: number[] = [];
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) {
      const j = Math.floor(random() * n);
      ys[i] = y[j];
      ps[i] = p[j];
    }
    const v = metric(ys, ps);
    if (Number.isFinite(v)) values.push(v);
  }
  if (values.length === 0) return { low: NaN, high: NaN };
  values.sort((a, b) => a - b);
  const at = (q: number) => values[Math.min(values.length - 1, Math.max(0, Math.floor(q * values.length)))];
  return { low: at((1 - level) / 2), high: at(1 - (1 - level) / 2) };
}
