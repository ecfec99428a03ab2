/**
 * Probability -> 0-100 score.
 *
 * The score IS the calibrated probability in percent, rounded down: a score of 80 means that
 * of leads like this one, at least about 80 in 100 convert. We chose this over a rank (percentile)
 * score on purpose: a rank makes "Hot" mean "the top fifth", which holds mediocre leads in a
 * bad month and hides good ones in a great month; a manager could never trust the label on its
 * own. With the score tied to calibrated probability, a tier threshold is a promise about
 * conversion, and the evaluation's per-tier conversion rates check that promise on leads the
 * model never saw. Rounding down (not to nearest) keeps the promise exact at the boundary:
 * score >= 80 exactly when the probability is >= 0.80.
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
