/**
 * Two-sided 95% confidence interval for an AUC with Hanley & McNeil's (1982) variance: closed
 * form from the AUC and the two class counts, so a report can carry it without the test leads.
 * With no lead of one class (or no AUC) nothing is known: the interval is 0 to 1.
 *
 * Why not only AUC ± 1.96·SE(AUC): that variance is 0 at an AUC of 1 (or 0), so 4 conversions
 * and 2 non-conversions ranked perfectly gave "1.00 to 1.00". As Wilson's interval does for a
 * proportion, the score form takes the AUCs θ the measured one is 1.96 standard errors from,
 * each with the variance at θ itself (|auc - θ| = 1.96·SE(θ)), and stays wide at the extremes
 * (0.47 to 1.00 for that case). It runs narrower than the plain form near 0.5 on a handful of
 * leads, so the interval is the span of both: never narrower than the published one, which the
 * loop's promotion check (aucUpperBound) was built on, and on large test parts the same to
 * within 0.001 (the bank data's).
 */
export function aucInterval(aucValue: number, positives: number, negatives: number): { low: number; high: number } {
  if (positives === 0 || negatives === 0 || !Number.isFinite(aucValue)) return { low: 0, high: 1 };
  const a = Math.min(1, Math.max(0, aucValue));
  // Inside the interval the measured AUC is within 1.96 SE(θ) of θ; outside it is not.
  const inside = (theta: number) => (a - theta) ** 2 <= Z * Z * hanleyMcNeilVariance(theta, positives, negatives);
  const half = Z * Math.sqrt(hanleyMcNeilVariance(a, positives, negatives));
  return { low: Math.min(Math.max(0, a - half), edge(a, 0, inside)), high: Math.max(Math.min(1, a + half), edge(a, 1, inside)) };
}

const Z = 1.96;

/** Variance of an AUC θ measured on `positives` and `negatives` leads (Hanley & McNeil, 1982). */
function hanleyMcNeilVariance(theta: number, positives: number, negatives: number): number {
  const q1 = theta / (2 - theta);
  const q2 = (2 * theta * theta) / (1 + theta);
  const v = (theta * (1 - theta) + (positives - 1) * (q1 - theta * theta) + (negatives - 1) * (q2 - theta * theta)) / (positives * negatives);
  return Math.max(v, 0);
}

/**
 * The interval's end between the measured AUC (inside) and `bound` (0 or 1), by bisection: the
 * last θ still inside. `bound` itself is the end when it is inside (a perfect AUC's upper end).
 */
function edge(a: number, bound: number, inside: (theta: number) => boolean): number {
  if (inside(bound)) return bound;
  let near = a;
  let far = bound;
  for (let i = 0; i < 60; i++) {
    const mid = (near + far) / 2;
    if (inside(mid)) near = mid;
    else far = mid;
  }
  return near;
}

/**
 * Upper end of aucInterval. The loop refuses a model only when even this upper end is at or
 * below chance: a small or unusual newest slice can score a good model low by luck, and that
 * alone must not stop scoring.
 */
export function aucUpperBound(aucValue: number, positives: number, negatives: number): number {
  return aucInterval(aucValue, positives, negatives).high;
}
