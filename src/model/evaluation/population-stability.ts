/** Stands in for an empty bin, as is usual for PSI: a share of 0 would make the logarithm infinite. */
export const PSI_EPSILON = 1e-4;

/** The customary reading: below 0.1 stable, 0.1 to 0.25 a moderate shift, above 0.25 a major one. */
export const PSI_MODERATE = 0.1;
export const PSI_MAJOR = 0.25;

export type StabilityReading = 'stable' | 'moderate' | 'major';

/**
 * Population Stability Index, sum over bins of (actual - expected) * ln(actual / expected), where
 * `expected` and `actual` are the shares (each summing to 1) of the same bins in the reference
 * population and the one compared with it. Symmetric in the two, 0 when they are identical.
 */
export function populationStability(expected: readonly number[], actual: readonly number[], epsilon = PSI_EPSILON): number {
  if (expected.length !== actual.length) throw new Error(`PSI needs the same bins on both sides (${expected.length} vs ${actual.length})`);
  let psi = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max(expected[i], epsilon);
    const a = Math.max(actual[i], epsilon);
    psi += (a - e) * Math.log(a / e);
  }
  return psi;
}

export function stabilityReading(psi: number): StabilityReading {
  return psi > PSI_MAJOR ? 'major' : psi >= PSI_MODERATE ? 'moderate' : 'stable';
}

/** Counts to shares; all zeros when there is nothing to count. */
export function sharesOf(counts: readonly number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => (total === 0 ? 0 : c / total));
}
