/** Quantiles kept per feature (training's, and a scoring population's): every 5%, enough to say "low" or "high" in a reason. */
export const QUANTILE_STEPS = 20;

/** Quantiles at 0, 1/steps, ..., 1 of the non-missing values (nearest rank). Empty when none. */
export function quantilePoints(values: Iterable<number>, steps = QUANTILE_STEPS): number[] {
  const sorted = Float64Array.from([...values].filter((v) => !Number.isNaN(v))).sort();
  if (sorted.length === 0) return [];
  const out: number[] = [];
  for (let i = 0; i <= steps; i++) out.push(sorted[Math.min(sorted.length - 1, Math.round((i / steps) * (sorted.length - 1)))]);
  return out;
}

/**
 * Where a value sits among the values `quantiles` summarise, 0..1, counting ties half (mid-rank): with many
 * training leads at exactly 1 contact, a lead with 1 contact is "low", not "typical".
 */
export function percentileOf(quantiles: readonly number[], value: number): number {
  if (quantiles.length === 0) return 0.5;
  let below = 0;
  let atOrBelow = 0;
  for (const q of quantiles) {
    if (q < value) below++;
    if (q <= value) atOrBelow++;
  }
  return (below + atOrBelow) / 2 / quantiles.length;
}
