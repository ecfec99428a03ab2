/**
 * Bins cut at stored training quantiles, and the share of training values each holds. Quantiles
 * every 5% put ~5% of training values between two neighbours by construction; a value repeated
 * across several quantiles (many leads at 0 calls) becomes one bin holding all their steps.
 */
export interface QuantileBins {
  /** The training minimum (0th quantile). */
  min: number;
  /** Upper edge (inclusive) of each bin inside the training range, ascending. */
  uppers: number[];
  /** Share of training values per bin inside the range; sums to 1. */
  expected: number[];
}

/** Null when training had no value at all (no quantiles). */
export function quantileBins(quantiles: readonly number[]): QuantileBins | null {
  if (quantiles.length === 0) return null;
  const steps = quantiles.length - 1;
  if (steps === 0) return { min: quantiles[0], uppers: [quantiles[0]], expected: [1] };
  // lastStep[j] = the highest quantile step at or below edge j: the training share up to that edge.
  const edges: number[] = [];
  const lastStep: number[] = [];
  quantiles.forEach((q, i) => {
    if (edges.length > 0 && edges[edges.length - 1] === q) lastStep[lastStep.length - 1] = i;
    else {
      edges.push(q);
      lastStep.push(i);
    }
  });
  // The minimum on its own holds training values only when it repeats; otherwise it opens the first bin.
  const first = lastStep[0] > 0 ? 0 : 1;
  const uppers: number[] = [];
  const expected: number[] = [];
  for (let j = first; j < edges.length; j++) {
    uppers.push(edges[j]);
    expected.push((lastStep[j] - (j === 0 ? 0 : lastStep[j - 1])) / steps);
  }
  return { min: quantiles[0], uppers, expected };
}

/**
 * Which bin a value falls in: 0 below the training minimum, 1..uppers.length inside the range,
 * uppers.length + 1 above the training maximum.
 */
export function binOf(bins: QuantileBins, value: number): number {
  const { uppers } = bins;
  if (value < bins.min) return 0;
  if (value > uppers[uppers.length - 1]) return uppers.length + 1;
  let lo = 0;
  let hi = uppers.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (value <= uppers[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo + 1;
}
