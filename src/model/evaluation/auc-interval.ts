/**
 * Two-sided 95% confidence interval for an AUC, from Hanley & McNeil (1982): closed form from
 * the AUC and the two class counts, so a report can carry it without the test leads. With no
 * lead of one class (or no AUC) nothing is known: the interval is 0 to 1.
 */
export function aucInterval(aucValue: number, positives: number, negatives: number): { low: number; high: number } {
  if (positives === 0 || negatives === 0 || !Number.isFinite(aucValue)) return { low: 0, high: 1 };
  const a = aucValue;
  const q1 = a / (2 - a);
  const q2 = (2 * a * a) / (1 + a);
  const variance = (a * (1 - a) + (positives - 1) * (q1 - a * a) + (negatives - 1) * (q2 - a * a)) / (positives * negatives);
  const half = 1.96 * Math.sqrt(Math.max(variance, 0));
  return { low: Math.max(0, a - half), high: Math.min(1, a + half) };
}

/**
 * Upper end of aucInterval. The loop refuses a model only when even this upper end is at or
 * below chance: a small or unusual newest slice can score a good model low by luck, and that
 * alone must not stop scoring.
 */
export function aucUpperBound(aucValue: number, positives: number, negatives: number): number {
  return aucInterval(aucValue, positives, negatives).high;
}
