/**
 * The 'probability' score scale (config `scoring.scale`; the default is 'rank', see
 * score-scale.ts): the calibrated probability in percent, rounded down, so a score of 80 means
 * that of leads like this one at least about 80 in 100 convert, and a tier threshold is a
 * promise about conversion. Rounding down (not to nearest) keeps the promise exact at the
 * boundary: score >= 80 exactly when the probability is >= 0.80. With conversion rates as low
 * as CRM leads have, it leaves the upper tiers empty, hence not the default.
 */
export function scoreFromProbability(p: number): number {
  if (!Number.isFinite(p)) return 0;
  // The small epsilon keeps 0.29 * 100 = 28.999999999999996 from scoring 28.
  return Math.min(100, Math.max(0, Math.floor(p * 100 + 1e-9)));
}

/** The continuous score before rounding down, used to share a score out among its reasons. */
export function exactScore(p: number): number {
  return Math.min(100, Math.max(0, p * 100));
}
